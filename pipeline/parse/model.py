"""The trainable span model: a small spaCy NER (AGENCY, TIME) over underthesea word segmentation.

Vietnamese writes words as space-separated syllables (`Tư pháp` is one word), so the tokenizer
asks underthesea (its bundled CRF model, nothing downloaded) for word boundaries and gives spaCy
one token per word. The model reads the agency list of a duty field or sentence; `model_duty`
uses it in place of the rule phrase reader, so the evaluation can compare both on the same tasks.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import spacy
from spacy.tokens import Doc
from spacy.vocab import Vocab

# underthesea imports huggingface_hub; the model we use ships in the package, so never reach a hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")

TOKENIZER_NAME = "vndoc.underthesea_tokenizer.v1"
_PUNCT = re.compile(r"(\w+(?:[./&-]\w+)*|[^\w\s])")


class WordSegmenter:
    """Text → spaCy Doc with one token per Vietnamese word (underthesea), offsets preserved."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        from underthesea import word_tokenize

        words: list[str] = []
        spaces: list[bool] = []
        pos = 0
        for word in word_tokenize(text):
            for piece in self._align(text, word, pos):
                start, end = piece
                if start > pos and words:
                    spaces[-1] = True
                words.append(text[start:end])
                spaces.append(False)
                pos = end
        if words and pos < len(text) and text[pos:].strip() == "":
            spaces[-1] = text[pos : pos + 1] == " "
        return Doc(self.vocab, words=words, spaces=spaces)

    @staticmethod
    def _align(text: str, word: str, pos: int) -> list[tuple[int, int]]:
        """Offsets of `word` in `text` from `pos`; a word underthesea re-spaced is split back."""
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if text.startswith(word, pos):
            return [(pos, pos + len(word))]
        out = []
        for syllable in word.split():
            while pos < len(text) and text[pos].isspace():
                pos += 1
            if text.startswith(syllable, pos):
                out.append((pos, pos + len(syllable)))
                pos += len(syllable)
        return out

    def to_bytes(self, **_: Any) -> bytes:
        return b""

    def from_bytes(self, _data: bytes, **_: Any) -> WordSegmenter:
        return self

    def to_disk(self, _path: Path, **_: Any) -> None:
        return None

    def from_disk(self, _path: Path, **_: Any) -> WordSegmenter:
        return self


@spacy.registry.tokenizers(TOKENIZER_NAME)
def create_tokenizer() -> Any:
    def make(nlp: Any) -> WordSegmenter:
        return WordSegmenter(nlp.vocab)

    return make


def blank_pipeline() -> Any:
    """A blank Vietnamese-less pipeline (`xx`) with the underthesea tokenizer."""
    return spacy.blank("xx", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}}})


def load_model(path: Path) -> Any:
    """A trained span model from `models/parser/<version>/` (never from the network)."""
    return spacy.load(path / "model")


def spans(nlp: Any, text: str) -> list[tuple[str, str]]:
    """(label, text) of every predicted span in `text`."""
    return [(e.label_, e.text) for e in nlp(text).ents]

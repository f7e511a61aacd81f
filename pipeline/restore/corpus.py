"""Read the shared training corpora as documents, and split them by document into train / held-out.

Held-out text is whole Pháp điển đề mục (topics), never sentences drawn from a document used in
training; paragraphs of the other legal corpora that also occur verbatim in a held-out đề mục are
dropped from training, since the same laws are printed in several corpora.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.textnorm import nfc

DEFAULT_CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
HELD_OUT_EVERY = 25  # every 25th đề mục (12 of 301) is held out


@dataclass(frozen=True)
class Document:
    source: str
    doc_id: str
    lines: list[str]


def _read_lines(path: Path) -> Iterator[str]:
    with gzip.open(path, "rt", encoding="utf-8", errors="replace") as fh:
        for raw in fh:
            line = nfc(raw.strip())
            if line:
                yield line


def phapdien_documents(corpus: Path) -> Iterator[Document]:
    """One document per đề mục: a `Đề mục N.M` line opens the next one."""
    doc_id, lines = "preamble", list[str]()
    for line in _read_lines(corpus / "phapdien.txt.gz"):
        if line.startswith("Đề mục ") and len(line) < 20:
            if lines:
                yield Document("phapdien", doc_id, lines)
            doc_id, lines = line[len("Đề mục ") :], []
        lines.append(line)
    if lines:
        yield Document("phapdien", doc_id, lines)


def other_legal_documents(corpus: Path) -> Iterator[Document]:
    yield Document("vlc-laws", "all", list(_read_lines(corpus / "vlc-laws.txt.gz")))
    with gzip.open(corpus / "alqac2023-articles.json.gz", "rt", encoding="utf-8") as fh:
        articles = json.load(fh)
    lines = [nfc(p.strip()) for text in articles.values() for p in text.split("\n") if p.strip()]
    yield Document("alqac", "all", lines)


def wiki_lines(corpus: Path) -> list[str]:
    """General-language paragraphs (Vietnamese Wikipedia): place names, weather, everyday words
    that the legal corpora lack. Section headings (`== Tham khảo ==`) are skipped."""
    return [ln for ln in _read_lines(corpus / "viwiki.txt.gz") if not ln.startswith("==")]


def is_held_out(doc: Document) -> bool:
    return doc.source == "phapdien" and _demuc_index(doc.doc_id) % HELD_OUT_EVERY == 0


def _demuc_index(doc_id: str) -> int:
    return int(hashlib.sha1(doc_id.encode()).hexdigest()[:8], 16)


def split_corpus(corpus: Path = DEFAULT_CORPUS) -> tuple[list[Document], list[Document]]:
    """(train, held_out) documents; held-out paragraphs are removed from the other corpora."""
    train: list[Document] = []
    held: list[Document] = []
    for doc in phapdien_documents(corpus):
        (held if is_held_out(doc) else train).append(doc)
    held_lines = {line for doc in held for line in doc.lines if len(line) > 40}
    for doc in other_legal_documents(corpus):
        kept = [line for line in doc.lines if line not in held_lines]
        train.append(Document(doc.source, doc.doc_id, kept))
    return train, held


def corpus_fingerprint(corpus: Path = DEFAULT_CORPUS) -> str:
    """sha256 over the names, sizes and first MB of the files read: cheap and stable."""
    h = hashlib.sha256()
    names = ("phapdien.txt.gz", "vlc-laws.txt.gz", "alqac2023-articles.json.gz", "viwiki.txt.gz")
    for name in names:
        path = corpus / name
        h.update(name.encode())
        h.update(str(path.stat().st_size).encode())
        with path.open("rb") as fh:
            h.update(fh.read(1 << 20))
    return h.hexdigest()

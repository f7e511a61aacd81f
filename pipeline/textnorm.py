"""Vietnamese text primitives: NFC at the edge, diacritics stripping, syllable validity.

Several real inputs arrive decomposed (tone marks as combining characters), so every text that
enters the pipeline passes through `nfc` once; everything inside is NFC.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền sắc ngã hỏi nặng
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def nfc(text: str) -> str:
    """Compose to NFC and drop zero-width characters and soft hyphens."""
    return unicodedata.normalize("NFC", _ZERO_WIDTH.sub("", text))


# The same few thousand syllables and names are asked about again and again (the restorer asks
# ~800 times a page): the pure functions below remember their answers.
@lru_cache(maxsize=1 << 15)
def strip_diacritics(text: str) -> str:
    """`Kế hoạch số` -> `Ke hoach so`; đ/Đ become d/D. Length is preserved for NFC input."""
    out = []
    for ch in text:
        if ch == "đ":
            out.append("d")
        elif ch == "Đ":
            out.append("D")
        else:
            base = unicodedata.normalize("NFD", ch)[0]
            out.append(base if unicodedata.category(base)[0] == "L" else ch)
    return "".join(out)


@lru_cache(maxsize=1 << 15)
def strip_tone(syllable: str) -> tuple[str, str]:
    """Split a syllable into its toneless form and its tone mark ('' for ngang)."""
    tone = ""
    kept = []
    for ch in unicodedata.normalize("NFD", syllable):
        if ch in _TONE_MARKS:
            tone = ch
        else:
            kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept)), tone


def has_diacritics(word: str) -> bool:
    return strip_diacritics(word) != word


# Phonotactics of the standard orthography: onset + rhyme, and stop codas (c, ch, p, t) take only
# sắc or nặng. Enough to tell Vietnamese from OCR garbage; the restorer (issue 4) owns a full
# syllable inventory.
_ONSETS = "ngh ng nh ch gh gi kh ph qu th tr b c d đ g h k l m n p r s t v x".split()
_RHYMES = set(
    """a ac ach ai am an ang anh ao ap at au ay ăc ăm ăn ăng ăp ăt âc âm ân âng âp ât âu ây
    e ec em en eng eo ep et ê êch êm ên ênh êp êt êu i ia ich im in inh ip it iu iêc iêm iên iêng
    iêp iêt iêu o oc oi om on ong op ot oa oac oach oai oam oan oang oanh oao oap oat oay oăc oăm
    oăn oăng oăt oe oec oen oeo oet ooc oong ô ôc ôi ôm ôn ông ôp ôt ơ ơi ơm ơn ơp ơt u uc ui um
    un ung up ut ua uân uâng uât uây uê uêch uênh uy uya uych uyên uyêt uyn uynh uyp uyt uôc uôi
    uôm uôn uông uôt uơ ư ưc ưi ưm ưn ưng ưt ưu ưa ươc ươi ươm ươn ương ươp ươt ươu y yêm yên yêt
    yêu""".split()
)
_STOP_CODAS = ("c", "ch", "p", "t")
_SYLLABLE_CHARS = re.compile(
    r"^[a-zàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]+$"
)


@lru_cache(maxsize=1 << 15)
def is_vietnamese_syllable(token: str) -> bool:
    """True for a well-formed Vietnamese syllable in any case (`Kế`, `HOẠCH`, `nghiêng`)."""
    low = token.lower()
    if not low or not _SYLLABLE_CHARS.match(low):
        return False
    base, tone = strip_tone(low)
    for onset in [*_ONSETS, ""]:
        if not base.startswith(onset):
            continue
        rhyme = base[len(onset) :]
        if onset == "gi" and rhyme and rhyme[0] not in "aăâeêoôơuưy":
            rhyme = "i" + rhyme  # gìn, gịt: gi + in
        if onset == "qu" and rhyme.startswith("u"):
            continue
        if rhyme in _RHYMES or (onset == "gi" and rhyme == ""):
            if rhyme.endswith(_STOP_CODAS) and tone not in ("", "\u0301", "\u0323"):
                continue
            if rhyme.endswith(_STOP_CODAS) and tone == "":
                continue
            return True
    return False


_WORD = re.compile(r"\w+", re.UNICODE)


def vietnamese_share(text: str) -> tuple[float, float]:
    """(share of alphabetic tokens that are valid syllables, share of those carrying diacritics).

    Real Vietnamese prose scores above ~0.9 and ~0.5; English-model OCR of Vietnamese and mojibake
    from legacy font encodings score far lower on one or the other.
    """
    tokens = [t for t in _WORD.findall(text) if t.isalpha()]
    if not tokens:
        return 0.0, 0.0
    valid = [t for t in tokens if is_vietnamese_syllable(t) or (t.isupper() and len(t) <= 6)]
    marked = [t for t in valid if has_diacritics(t)]
    return len(valid) / len(tokens), (len(marked) / len(valid) if valid else 0.0)


def squash_spaces(text: str) -> str:
    return re.sub(r"[ \t\u00a0]+", " ", text).strip()

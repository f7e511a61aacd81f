"""Re-type the seed plan 357/KH-UBND in the legacy encodings, as an archive would hold it.

Run once to (re)make the fixtures (`python tests/data/legacy/make_fixtures.py`); the tests read
the committed bytes. The encoders are independent of the converter under test (viparse's tables):
- TCVN3: glibc `iconv -t TCVN5712-1`, one character at a time. VN3 fonts have no toned capitals,
  so a toned capital is typed with its lowercase code, as ABC typists did: in a heading set in
  `.VnTimeH` the ASCII letters stay capitals ("CéNG HOµ"), in running text it reads "ñy ban".
- VNI: the VNI-Windows chart (base letter + mark byte), typed below.
- VISCII: glibc `iconv -t VISCII` (characters VISCII lacks, such as curly quotes, are dropped).
The seed has no national heading; the TCVN3 copy gets the four heading lines of a Hà Tĩnh plan.
"""

from __future__ import annotations

import subprocess
import unicodedata
from pathlib import Path

HERE = Path(__file__).parent
SEED = HERE.parent / "plan-hatinh-357.txt"
HEADING = "ỦY BAN NHÂN DÂN\nTỈNH HÀ TĨNH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"


def _iconv(text: str, encoding: str) -> bytes | None:
    done = subprocess.run(
        ["iconv", "-f", "utf-8", "-t", encoding], input=text.encode(), capture_output=True
    )
    return done.stdout if done.returncode == 0 else None


def tcvn3(text: str) -> bytes:
    out = bytearray()
    cache: dict[str, bytes | None] = {}
    for ch in unicodedata.normalize("NFC", text):
        if ch.isascii():
            out += ch.encode()
            continue
        key = ch.lower() if ch.isupper() and ch not in "ĂÂÊÔƠƯĐ" else ch
        if key not in cache:
            cache[key] = _iconv(key, "TCVN5712-1")
        code = cache[key]
        out += (
            code if code and len(code) == 1 and code[0] >= 0xA1 else ch.encode("cp1252", "replace")
        )
    return bytes(out)


_TONES = {"\u0301": 0, "\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0323": 4}
_PLAIN = "ùøûõï"  # sắc huyền hỏi ngã nặng after a, e, o, u, y, ơ, ư
_CIRCUMFLEX = "áàåãä"  # after a, e, o for â, ê, ô; bare circumflex: â
_BREVE = "éèúüë"  # after a for ă; bare breve: ê
_I_TONED = "íìæóò"
_BASES = {
    "a": "a",
    "ă": "a",
    "â": "a",
    "e": "e",
    "ê": "e",
    "o": "o",
    "ô": "o",
    "ơ": "ô",
    "u": "u",
    "ư": "ö",
    "i": "i",
    "y": "y",
}


def _vni_char(ch: str) -> str:
    low = ch.lower()
    if ch.isascii() or not low.isalpha():
        return ch
    if low == "đ":
        return "Ñ" if ch.isupper() else "ñ"
    parts = unicodedata.normalize("NFD", low)
    tone = next((_TONES[c] for c in parts if c in _TONES), None)
    base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
    if base not in _BASES:
        return ch
    if base == "i":
        out = "i" if tone is None else _I_TONED[tone]
    elif base == "y" and tone == 4:
        out = "î"
    elif base in "âêô":
        out = _BASES[base] + ("â" if tone is None else _CIRCUMFLEX[tone])
    elif base == "ă":
        out = "a" + ("ê" if tone is None else _BREVE[tone])
    else:
        out = _BASES[base] + ("" if tone is None else _PLAIN[tone])
    return out.upper() if ch.isupper() else out


def vni(text: str) -> bytes:
    return "".join(_vni_char(c) for c in unicodedata.normalize("NFC", text)).encode(
        "cp1252", "replace"
    )


def viscii(text: str) -> bytes:
    done = subprocess.run(
        ["iconv", "-c", "-f", "utf-8", "-t", "VISCII"], input=text.encode(), capture_output=True
    )
    return done.stdout


def main() -> None:
    seed = SEED.read_text(encoding="utf-8")
    heading = "\n".join(
        line.upper() if i < 3 else line for i, line in enumerate(HEADING.splitlines())
    )
    (HERE / "plan-357-tcvn3.txt").write_bytes(tcvn3(heading + "\n" + seed))
    (HERE / "plan-357-vni.txt").write_bytes(vni(seed))
    (HERE / "plan-357-viscii.txt").write_bytes(viscii(seed))


if __name__ == "__main__":
    main()

"""Align OCR output with the text that was rendered, token by token, to count confusions."""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.restore.tokens import merge_debris, tokenize
from pipeline.textnorm import strip_diacritics


def edit_distance(a: Sequence, b: Sequence) -> int:
    """Levenshtein distance of two strings or two token lists."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def char_pairs(a: str, b: str) -> list[tuple[str, str]]:
    """Character alignment of two short strings (Levenshtein back-trace); '' marks a gap."""
    n, m = len(a), len(b)
    dp = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        dp[i][0] = i
    for j in range(m + 1):
        dp[0][j] = j
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            dp[i][j] = min(
                dp[i - 1][j] + 1, dp[i][j - 1] + 1, dp[i - 1][j - 1] + (a[i - 1] != b[j - 1])
            )
    out = []
    i, j = n, m
    while i or j:
        if i and j and dp[i][j] == dp[i - 1][j - 1] + (a[i - 1] != b[j - 1]):
            out.append((a[i - 1], b[j - 1]))
            i, j = i - 1, j - 1
        elif i and dp[i][j] == dp[i - 1][j] + 1:
            out.append((a[i - 1], ""))
            i -= 1
        else:
            out.append(("", b[j - 1]))
            j -= 1
    return out[::-1]


def _cost(ocr: str, truth: str) -> float:
    """0 for look-alikes (`s6` / `số`), 1 for unrelated tokens."""
    a, b = strip_diacritics(ocr).lower(), strip_diacritics(truth).lower()
    return edit_distance(a, b) / max(len(a), len(b), 1)


def _words(line: str) -> list[str]:
    tokens = merge_debris(tokenize(line), line)
    return [t.text for t in tokens if t.kind in ("word", "odd", "num", "code")]


def align_tokens(ocr_line: str, truth_line: str, max_cost: float = 0.6) -> list[tuple[str, str]]:
    """(ocr token, true token) pairs of a monotone alignment; split or glued tokens are skipped.

    A pair that looks unrelated (`tir` / `từ`, `&` / `ở`: cost above `max_cost`) is kept when it
    sits between two pairs that do look alike: one token for one token between anchors is the
    same word, and such heavy debris is what the channel most needs to learn.
    """
    a, b = _words(ocr_line), _words(truth_line)
    n, m = len(a), len(b)
    inf = float("inf")
    dp = [[inf] * (m + 1) for _ in range(n + 1)]
    back = [[0] * (m + 1) for _ in range(n + 1)]
    dp[0] = [float(j) for j in range(m + 1)]
    for i in range(1, n + 1):
        dp[i][0] = float(i)
        for j in range(1, m + 1):
            options = (
                dp[i - 1][j - 1] + _cost(a[i - 1], b[j - 1]),
                dp[i - 1][j] + 1,
                dp[i][j - 1] + 1,
            )
            k = min(range(3), key=options.__getitem__)
            dp[i][j], back[i][j] = options[k], k
    path: list[tuple[int, int, float]] = []  # (ocr index, truth index, cost); -1: a gap
    i, j = n, m
    while i > 0 and j > 0:
        k = back[i][j]
        if k == 0:
            path.append((i - 1, j - 1, _cost(a[i - 1], b[j - 1])))
            i, j = i - 1, j - 1
        elif k == 1:
            path.append((i - 1, -1, inf))
            i -= 1
        else:
            path.append((-1, j - 1, inf))
            j -= 1
    path.extend((-1, jj, inf) for jj in range(j - 1, -1, -1))
    path.extend((ii, -1, inf) for ii in range(i - 1, -1, -1))
    path.reverse()

    def anchor(p: int) -> bool:
        return p < 0 or p >= len(path) or path[p][2] <= max_cost

    pairs = []
    for p, (oi, ti, cost) in enumerate(path):
        if oi >= 0 and ti >= 0 and (cost <= max_cost or (anchor(p - 1) and anchor(p + 1))):
            pairs.append((a[oi], b[ti]))
    return pairs


def align_page(ocr_text: str, truth_lines: list[str]) -> list[tuple[str, str]]:
    """Pairs for a page whose OCR kept its line count; pages that lost or split lines are dropped."""
    ocr_lines = [ln for ln in ocr_text.split("\n") if ln.strip()]
    if len(ocr_lines) != len(truth_lines):
        return []
    return [p for o, t in zip(ocr_lines, truth_lines, strict=True) for p in align_tokens(o, t)]

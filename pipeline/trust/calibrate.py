"""A small logistic model from field features to the probability that the value is right (issue 15).

Plain numpy (Newton's method on the L2-penalised log-likelihood): ~30 features and a few thousand
labelled fields need nothing more, and the fitted model is a JSON list of weights that loads
without scikit-learn. Reliability (binned confidence vs observed accuracy) and the expected
calibration error (Guo et al. 2017, 10 equal-width bins) are computed here too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .features import FEATURES


@dataclass(frozen=True)
class Calibration:
    """Weights over `features.FEATURES` (in order), the review cut on P(right), and the agency
    keys the model knows (the gazetteer of its training gold)."""

    weights: tuple[float, ...]
    cut: float = 0.9
    gazetteer: frozenset[str] = frozenset()
    word_table: tuple[float, ...] = ()  # P(OCR word right) per `words.EDGES` confidence bin
    page_cut: float = 0.05  # a page whose expected word error is over this needs review

    def probability(self, vector: list[float]) -> float:
        z = sum(w * x for w, x in zip(self.weights, vector, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def contributions(self, vector: list[float]) -> dict[str, float]:
        """Each feature's push on the log-odds (negative: towards wrong)."""
        return {f: w * x for f, w, x in zip(FEATURES, self.weights, vector, strict=True) if x and w}


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0, iterations: int = 50) -> np.ndarray:
    """Weights maximising the log-likelihood of y (1 = right) minus l2/2 |w|² (bias unpenalised;
    column 0 of x is the bias)."""
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 1e-6
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        grad = x.T @ (p - y) + penalty * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def predict(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))


def reliability(
    conf: np.ndarray, right: np.ndarray, edges: tuple[float, ...] = tuple(np.linspace(0, 1, 11))
) -> list[dict[str, Any]]:
    """Per confidence bin: fields, mean confidence, observed accuracy (None when empty)."""
    rows = []
    for k, (lo, hi) in enumerate(zip(edges[:-1], edges[1:], strict=True)):
        last = k == len(edges) - 2
        inside = (conf >= lo) & ((conf <= hi) if last else (conf < hi))
        n = int(inside.sum())
        rows.append(
            {
                "lo": float(lo),
                "hi": float(hi),
                "n": n,
                "confidence": round(float(conf[inside].mean()), 4) if n else None,
                "accuracy": round(float(right[inside].mean()), 4) if n else None,
            }
        )
    return rows


def expected_calibration_error(conf: np.ndarray, right: np.ndarray) -> float:
    """Σ_bins (n_b / N) |accuracy_b − confidence_b| over 10 equal-width bins."""
    total = len(conf)
    if not total:
        return 0.0
    return float(
        sum(
            r["n"] / total * abs(r["accuracy"] - r["confidence"])
            for r in reliability(conf, right)
            if r["n"]
        )
    )


def choose_cut(conf: np.ndarray, right: np.ndarray, recall: float) -> float:
    """The lowest cut on P(right) whose flag (conf < cut) catches `recall` of the wrong fields."""
    wrong = np.sort(conf[right == 0])
    if not len(wrong):
        return 0.5
    k = min(len(wrong) - 1, math.ceil(recall * len(wrong)) - 1)
    return float(np.nextafter(wrong[k], 1.0))


def flag_scores(conf: np.ndarray, right: np.ndarray, cut: float) -> dict[str, float]:
    """Recall of wrong fields, share of all fields flagged, precision, at `conf < cut`."""
    flagged = conf < cut
    wrong = right == 0
    return {
        "fields": int(len(conf)),
        "wrong": int(wrong.sum()),
        "flagged": int(flagged.sum()),
        "recall": float((flagged & wrong).sum() / wrong.sum()) if wrong.any() else 1.0,
        "flagged_share": float(flagged.mean()) if len(conf) else 0.0,
        "precision": float((flagged & wrong).sum() / flagged.sum()) if flagged.any() else 1.0,
    }

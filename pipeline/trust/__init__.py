"""Confidence that means something: calibrated per-field confidences and review flags (issue 15).

`features.py` describes each extracted value, `labels.py` marks it right or wrong against the real
gold, `calibrate.py` fits and scores the logistic calibration, `train.py` fits it on dev and
reports test, `apply.py` writes confidences, flags and reasons onto a `Document`.
"""

from __future__ import annotations

from .apply import attach_trust, load_calibration

__all__ = ["attach_trust", "load_calibration"]

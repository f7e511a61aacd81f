"""vndoc: digitize Vietnamese official documents into structured tasks."""

__version__ = "0.1.0"

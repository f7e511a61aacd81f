"""The review page (`vndoc review DIR`): a scan beside its tasks, corrections saved to
`review.json`, and corrections turned into parser training data (`learn.py`).

It calls the library only (`export`, `ingest`, `parse`); no stage imports it.
"""

# The workflow: `make install` then `make test`. See README.md.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
# libtesseract-dev, libleptonica-dev, pkg-config and g++ build tesserocr against Debian's own
# libtesseract, so the in-process reader is the very Tesseract that `tesseract -l vie` runs (issue 13)
APT_PACKAGES := tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng poppler-utils qpdf fonts-liberation2 fonts-dejavu-core chromium libtesseract-dev libleptonica-dev pkg-config g++
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
WORKERS ?= 2
export OMP_THREAD_LIMIT := 1

.PHONY: install system-deps venv test test-fast lint run review samples schema bench bench-ocr bench-ocr-quick bench-ocr-real bench-restore bench-batch bench-batch-big train-restorer train-parser eval-parser train-trust bench-trust clean

install: system-deps venv  ## system packages (apt-get, when missing) + .venv with the package and dev extras

system-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "apt-get install:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	else echo "system packages present"; fi

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q --no-binary tesserocr -e '.[dev]'
	touch $@

test: venv  ## the whole suite (tests needing tesseract included)
	$(PY) -m pytest -q -n $(WORKERS) --dist loadfile

test-fast: venv  ## without the tests that run tesseract
	$(PY) -m pytest -q -m "not tesseract and not slow"

lint: venv
	$(VENV)/bin/ruff check pipeline tests scripts bench
	$(VENV)/bin/ruff format --check pipeline tests scripts bench
	$(VENV)/bin/mypy pipeline

samples: venv  ## render the seed plan into data/raw/ (text + degraded scanned PDF) and copy real scans
	$(PY) scripts/make_samples.py

review: venv  ## serve the review page over data/processed/ at http://127.0.0.1:8765/
	$(VENV)/bin/vndoc review data/processed

run: venv  ## process data/raw/ into data/processed/
	$(VENV)/bin/vndoc run data/raw --out data/processed --workers $(WORKERS)

schema: venv  ## regenerate schema/*.json from the code (commit the result on purpose)
	$(VENV)/bin/vndoc schema --out schema

bench: bench-ocr bench-ocr-real bench-restore bench-batch  ## every benchmark, each printing its table

bench-ocr: venv  ## OCR quality and speed: raw tesseract vs the pipeline per degradation kind
	$(PY) -m bench.bench_ocr

bench-ocr-quick: venv
	$(PY) -m bench.bench_ocr --quick

bench-ocr-real: venv  ## real scans with exact transcripts: raw tesseract vs pipeline vs + repair, dev and test
	$(PY) -m bench.bench_ocr_real

bench-restore: venv  ## diacritics restoration and OCR post-correction vs pyvi, held-out text
	$(PY) bench/bench_restore.py

bench-batch: venv  ## vndoc run vs raw tesseract in parallel: pages/min, peak RSS of the process tree, resume cost
	$(PY) -m bench.bench_batch --workers $(WORKERS)

bench-batch-big: venv  ## one 500-page PDF at 2 workers: peak RSS of the process tree (target 1.5 GB)
	$(PY) -m bench.bench_batch --big 500 --workers 2

train-restorer: venv  ## train models/restorer from ../shared/corpus (about 15 minutes, 5 GB)
	$(PY) -m pipeline.restore.train

train-parser: venv  ## train the parser's span model from tests/data/gold into models/parser/v1
	HF_HUB_OFFLINE=1 $(VENV)/bin/vndoc train parser

eval-parser: venv  ## rules vs trained model on the gold: dev and frozen test split apart
	HF_HUB_OFFLINE=1 $(VENV)/bin/vndoc eval parser

train-trust: venv  ## fit the per-field confidence calibration on the real gold's dev split (models/trust/v1.json)
	$(PY) scripts/out_of_tuning.py
	$(VENV)/bin/vndoc train trust

bench-trust: venv  ## field confidence on the test split: reliability table, ECE, review-flag recall
	$(PY) -m bench.bench_trust

clean:
	rm -rf data/processed/* .pytest_cache .ruff_cache .mypy_cache

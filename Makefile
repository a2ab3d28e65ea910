# `make report` and `make test` set up .venv themselves; only python3 (3.11+) is needed.
# The venv is reinstalled only when pyproject.toml changes (stamp files inside .venv).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
BENCH_ARGS ?=  # e.g. make bench BENCH_ARGS=--write to record the results under bench/

.PHONY: report test bench bench-scale lint clean distclean

report: $(VENV)/.stamp-base
	$(BIN)/numcheck report

test: $(VENV)/.stamp-test
	$(BIN)/pytest -q

QVENV := bench/.venv-quantulum

# quantulum3, the speed reference, pins its own dependencies: it gets a venv of its own.
$(QVENV)/.stamp: bench/requirements.txt pyproject.toml
	$(PYTHON) -m venv $(QVENV)
	$(QVENV)/bin/pip install --disable-pip-version-check -r bench/requirements.txt
	$(QVENV)/bin/pip install --disable-pip-version-check -e .
	touch $@

bench: $(VENV)/.stamp-test $(QVENV)/.stamp
	$(BIN)/python bench/extraction.py $(BENCH_ARGS)
	$(BIN)/python bench/comparison.py $(BENCH_ARGS)

# Scale: 1k/10k/100k generated articles, local vs Dask, review against an indexed corpus
# (about an hour on two cores).
bench-scale: $(VENV)/.stamp-test
	$(BIN)/python -m pip install --disable-pip-version-check -e '.[test,bench]'
	$(BIN)/python bench/scale.py --articles 1000 10000 100000 --runs 3 --numcheck-args="--jobs 2" --profile 100000 $(BENCH_ARGS)
	$(BIN)/python bench/engines.py --articles 10000 --runs 3 $(BENCH_ARGS)
	$(BIN)/python bench/review.py --articles 10000 100000 --layout export $(BENCH_ARGS)

lint: $(VENV)/.stamp-dev
	$(BIN)/ruff check .

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The test and dev installs include the base install, so they refresh its stamp too.
$(VENV)/.stamp-base: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check -e .
	touch $@

$(VENV)/.stamp-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check -e '.[test]'
	touch $(VENV)/.stamp-base $@

$(VENV)/.stamp-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check -e '.[dev]'
	touch $(VENV)/.stamp-base $(VENV)/.stamp-test $@

# Generated files; keeps .venv.
clean:
	find reports -mindepth 1 ! -name README.md -exec rm -rf {} +
	find . \( -path ./$(VENV) -o -path "./bench/.venv*" -o -path ./.git \) -prune -o -type d -name __pycache__ -exec rm -rf {} +
	rm -rf .pytest_cache .hypothesis .ruff_cache .mypy_cache build *.egg-info

distclean: clean
	rm -rf $(VENV)

# Two commands matter: `make demo` and `make test`. Everything else is a helper.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SHARED ?= ../shared

.PHONY: demo test test-fast eval gazetteer bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	rm -rf out/kg-store
	$(BIN)/kg --store out/kg-store ingest data/reports
	$(BIN)/kg --store out/kg-store query who-funds-what
	$(BIN)/kg --store out/kg-store export --format turtle -o out/graph.ttl
	$(BIN)/kg --store out/kg-store viz -o out/graph.html
	@echo "wrote out/graph.ttl and out/graph.html (open it in a browser; it works offline)"

test: $(STAMP)
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow and not browser"

# Scores on the development set (the two samples and the five dev reports in ../shared).
eval: $(STAMP)
	$(BIN)/kg eval --gold $(SHARED)/gold data/reports $(SHARED)/dev-reports

# Re-derive data/gazetteer/ from the jionlp wheel (maintenance; needs the package registry).
gazetteer: $(STAMP)
	rm -rf .gazetteer-wheel && $(BIN)/pip download --quiet --no-deps -d .gazetteer-wheel 'jionlp==1.5.31'
	$(BIN)/python -m kg.gazetteer build .gazetteer-wheel/jionlp-*.whl
	rm -rf .gazetteer-wheel

bench: $(STAMP)
	$(BIN)/python bench/run.py --quick

clean:
	rm -rf out kg-store .pytest_cache

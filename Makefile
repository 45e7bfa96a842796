# Two commands matter: `make demo` and `make test`. Everything else is a helper.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SHARED ?= ../shared

.PHONY: demo test test-fast eval eval-blind funder-model programmes gazetteer bench bench-full clean browser virtuoso readers screenshots

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

test: $(STAMP) browser virtuoso readers
	$(BIN)/python -m pytest

# The browser tests drive Debian's Chromium (never `playwright install`). Install it when it is
# missing and apt-get can; otherwise the browser tests skip themselves and say why.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if command -v apt-get >/dev/null 2>&1; then \
	    if [ "$$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	    echo "installing Debian's chromium for the browser tests"; \
	    ( $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-wqy-microhei ) \
	      || echo "warning: could not install chromium: the browser tests will be skipped"; \
	  else \
	    echo "no /usr/bin/chromium and no apt-get: the browser tests will be skipped"; \
	  fi; \
	fi

# `kg ingest` reads old Word .doc/.wps files through Debian's antiword and scanned PDFs through
# tesseract with simplified Chinese. Install what is missing when apt-get can; otherwise such files
# get one line saying what to install, and their tests skip.
readers:
	@if ! command -v antiword >/dev/null 2>&1 || ! tesseract --list-langs 2>/dev/null | grep -qx chi_sim; then \
	  if command -v apt-get >/dev/null 2>&1; then \
	    if [ "$$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	    echo "installing Debian's antiword and tesseract-ocr-chi-sim for .doc/.wps and scanned PDF reports"; \
	    ( $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq antiword tesseract-ocr tesseract-ocr-chi-sim ) \
	      || echo "warning: could not install antiword/tesseract: .doc/.wps and scanned PDFs cannot be read here"; \
	  else \
	    echo "no antiword/tesseract and no apt-get: .doc/.wps and scanned PDFs cannot be read here"; \
	  fi; \
	fi

# The Virtuoso tests (tests/test_virtuoso.py) start a private Debian virtuoso-t of their own (never
# the system service). Install it when it is missing and apt-get can; otherwise they skip themselves.
virtuoso:
	@if [ ! -x /usr/bin/virtuoso-t ]; then \
	  if command -v apt-get >/dev/null 2>&1; then \
	    if [ "$$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	    echo "installing Debian's virtuoso-opensource for the Virtuoso tests"; \
	    ( $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq virtuoso-opensource ) \
	      || echo "warning: could not install virtuoso-opensource: the Virtuoso tests will be skipped"; \
	  else \
	    echo "no /usr/bin/virtuoso-t and no apt-get: the Virtuoso tests will be skipped"; \
	  fi; \
	fi

# Re-take the README's screenshots (docs/screenshots/) with the browser tests.
screenshots: $(STAMP) browser
	KG_UPDATE_SCREENSHOTS=1 $(BIN)/python -m pytest tests/test_browser.py tests/test_browser_track.py

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow and not browser"

# Scores on the development set: the two samples and the dev reports in ../shared, and the
# project's own annotated development split (eval/dev/). `make eval ERRORS=1` lists the misses.
DEV_GOLD   := --gold $(SHARED)/gold $(if $(wildcard eval/dev/gold/*.json),--gold eval/dev/gold)
DEV_CORPUS := data/reports $(SHARED)/dev-reports $(wildcard eval/dev/corpus)
eval: $(STAMP)
	$(BIN)/kg eval $(DEV_GOLD) $(DEV_CORPUS) $(if $(ERRORS),--errors)

# Re-train the funder ranker (kg/extract/funder_rank.py) on the development gold only: prints the
# cross-validation table (rules, ranker, ranker as fallback) and writes data/models/funder.json.
funder-model: $(STAMP)
	$(BIN)/python -m kg.extract.funder_train $(DEV_GOLD) $(DEV_CORPUS)

# The blind split (eval/blind/): overall scores only. Never read it while writing rules.
eval-blind: $(STAMP)
	$(BIN)/kg eval --summary --gold eval/blind/gold eval/blind/corpus

# Re-write ontology/programmes.ttl (the programme vocabulary as SKOS) from data/registers/programmes.tsv.
programmes: $(STAMP)
	$(BIN)/python -c "from kg.rdfize import write_programme_scheme; write_programme_scheme('ontology/programmes.ttl')"

# Re-derive data/gazetteer/ from the jionlp wheel (maintenance; needs the package registry).
gazetteer: $(STAMP)
	rm -rf .gazetteer-wheel && $(BIN)/pip download --quiet --no-deps -d .gazetteer-wheel 'jionlp==1.5.31'
	$(BIN)/python -m kg.gazetteer build .gazetteer-wheel/jionlp-*.whl
	rm -rf .gazetteer-wheel

# Benchmarks (bench/README.md): every figure of issue 5, about half an hour; the full set repeats
# queries more. Figures go to bench/results/*.json.
bench: $(STAMP) browser
	$(BIN)/python bench/run.py --quick

bench-full: $(STAMP) browser
	$(BIN)/python bench/run.py --full

clean:
	rm -rf out kg-store .pytest_cache

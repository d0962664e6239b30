# "Interpolating Attention": build the book, run every test, open the notebooks.
# Needs only Python 3.11+ and make; everything else is installed into .venv from requirements.txt.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export PYTHONHASHSEED := 0
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: all book handouts test test-oldest lab strip bench student lint unit nbval site-build site-test clean help kernel-env

all: help

help:
	@echo "make book   build the site into _build/html (notebooks executed fresh, warnings are errors)"
	@echo "make test   lint, unit tests + doctests, notebook checks, nbval, book build, browser tests"
	@echo "make test-oldest  unit tests and Chapter 1 on the oldest versions requirements.txt allows"
	@echo "make lab    open JupyterLab on book/"
	@echo "make strip  remove outputs from every notebook before committing"
	@echo "make student  write student copies (solutions removed) into student/"
	@echo "make handouts print every chapter (with and without solutions) to PDF in handouts/"
	@echo "make bench  speed benchmarks (lesson_utils vs torch, PIL, OpenCV, scipy)"
	@echo "make clean  remove _build (keeps .venv)"

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --no-warn-script-location -r requirements.txt
	@touch $(STAMP)

# Every notebook is executed from a fresh kernel: the build's cache is emptied first.
book: $(STAMP)
	rm -rf _build/.jupyter_cache _build/executed
	$(BIN)/jupyter-book build --all -W --keep-going .
	@echo
	@echo "The book: $(CURDIR)/_build/html/index.html"

lab: $(STAMP)
	$(BIN)/jupyter lab book/

strip: $(STAMP)
	$(BIN)/python -m jupyter nbconvert --clear-output --inplace --log-level=WARN book/*.ipynb

student: $(STAMP)
	$(BIN)/python -m lesson_utils.student book student
	@echo "Student copies (no solutions) are in $(CURDIR)/student/"

handouts: book
	$(BIN)/python -m lesson_utils.handouts _build/html handouts
	@echo "Handouts (A4 PDF, one with and one without solutions per chapter): $(CURDIR)/handouts/"

bench: $(STAMP)
	MPLBACKEND=Agg $(BIN)/python benchmarks/bench_resize.py
	MPLBACKEND=Agg $(BIN)/python benchmarks/bench_widgets.py
	MPLBACKEND=Agg $(BIN)/python benchmarks/bench_sampling.py

# ---------------------------------------------------------------------------------------
# The whole suite, each step on both cores: lint and the unit tests; nbval, which executes
# every notebook once (two at a time) and keeps the executed notebooks; the -W book build,
# which renders those notebooks from its cache instead of executing them again; the
# browser tests of the built site.
test: $(STAMP)
	@start=$$(date +%s); \
	$(MAKE) --no-print-directory lint unit && \
	$(MAKE) --no-print-directory nbval && \
	$(MAKE) --no-print-directory site-build && \
	$(MAKE) --no-print-directory site-test; \
	status=$$?; echo "make test: $$(( $$(date +%s) - start )) s, exit status $$status"; exit $$status

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks book
	$(BIN)/ruff format --check src tests benchmarks book
	$(BIN)/mypy

unit: $(STAMP)
	MPLBACKEND=Agg $(BIN)/python -m pytest -q -p no:cacheprovider -n 2 --dist loadgroup \
	  --ignore=tests/test_site.py tests src/lesson_utils

# One kernel per notebook, one thread per kernel, two notebooks at a time.
nbval: $(STAMP)
	rm -rf _build/executed _build/.jupyter_cache
	BOOK_EXECUTED_DIR=$(CURDIR)/_build/executed OMP_NUM_THREADS=1 \
	  $(BIN)/python -m pytest -q -p no:cacheprovider -n 2 --dist loadscope --nbval-lax book/

# On a cache hit myst-nb writes _build/jupyter_execute/ without outputs: the nbval notebooks
# the site was rendered from (same code as their sources) are written there afterwards.
site-build: $(STAMP)
	$(BIN)/python book/_ext/cache_executed.py _build/executed _build/.jupyter_cache
	OMP_NUM_THREADS=1 $(BIN)/jupyter-book build --all -W --keep-going .
	$(BIN)/python book/_ext/cache_executed.py --restore _build/executed _build/jupyter_execute

site-test: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider -n 2 --dist loadgroup tests/test_site.py

# The environment every recipe gives the notebook kernels it starts (make book, nbval,
# make lab), as JSON: the browser tests run a notebook with it and expect a figure.
kernel-env:
	@$(PYTHON) -c 'import json, os; print(json.dumps(dict(os.environ)))'

# ---------------------------------------------------------------------------------------
# The declared floors, tested: a separate venv with the oldest version of each package that
# requirements.txt allows (">=X.Y" becomes "==X.Y.*"; torch stays pinned), then the unit
# tests and one chapter. Site-only tools (jupyter-book, JupyterLab, Playwright) are left out.
OLDEST := .venv-oldest
SITE_ONLY := jupyter-book|jupyterlab|sphinx-mathjax-offline|playwright|ruff|mypy|pytest-xdist
test-oldest:
	@start=$$(date +%s); \
	test -x $(OLDEST)/bin/python || $(PYTHON) -m venv $(OLDEST); \
	grep -vE '^\s*(#|$$|-e )' requirements.txt | grep -vE '^($(SITE_ONLY))' \
	  | sed -E 's/>=([0-9][0-9.]*)(,.*)?$$/==\1.*/' > $(OLDEST)/oldest.txt; \
	$(OLDEST)/bin/python -m pip install --quiet --no-warn-script-location \
	  -r $(OLDEST)/oldest.txt && \
	$(OLDEST)/bin/python -m pip install --quiet --no-deps -e . && \
	$(OLDEST)/bin/python -m pip freeze > $(OLDEST)/installed.txt && \
	MPLBACKEND=Agg $(OLDEST)/bin/python -m pytest -q -p no:cacheprovider \
	  --ignore=tests/test_site.py --ignore=tests/test_notebooks.py \
	  --ignore=tests/test_explorers.py --ignore=tests/test_offline_site.py \
	  tests src/lesson_utils && \
	OMP_NUM_THREADS=1 $(OLDEST)/bin/python -m pytest -q -p no:cacheprovider --nbval-lax \
	  book/01_sampling_and_1d_interpolation.ipynb; \
	status=$$?; echo "make test-oldest: $$(( $$(date +%s) - start )) s, exit status $$status"; \
	exit $$status

clean:
	rm -rf _build student

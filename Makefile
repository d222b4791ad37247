# GPT Series Notes. Two commands on a fresh machine:
#   make serve   install what the site needs, then serve it on 127.0.0.1:8000
#   make test    install everything, then run every test (build, blocks,
#                rules, browser, lint, source overlap)
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: serve test deps deps-test build outputs bench bench-gpu pdf anki lint clean

serve: $(VENV)/.serve-ok node_modules/.ok
	$(BIN)/mkdocs serve -a 127.0.0.1:8000

# pytest's exit 5 (no tests collected) is a failure here, said out loud.
test: $(VENV)/.test-ok node_modules/.ok browser-deps
	@$(BIN)/python -m pytest || { rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest collected no tests" >&2; fi; \
	  exit $$rc; }

deps: $(VENV)/.serve-ok node_modules/.ok
deps-test: $(VENV)/.test-ok node_modules/.ok browser-deps

$(VENV)/.serve-ok: requirements.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.test-ok: requirements.txt requirements-test.txt $(VENV)/.serve-ok
	$(BIN)/python -m pip install -q -r requirements-test.txt
	touch $@

node_modules/.ok: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

# Debian's Chromium (never `playwright install`) and poppler's pdftotext.
.PHONY: browser-deps
browser-deps:
	@if ! command -v chromium >/dev/null || ! command -v pdftotext >/dev/null; \
	then \
	  echo "installing chromium and poppler-utils with apt-get"; \
	  $(if $(filter 0,$(shell id -u)),,sudo) apt-get update -q && \
	  $(if $(filter 0,$(shell id -u)),,sudo) env DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -q chromium poppler-utils fonts-dejavu-core; \
	fi

build: $(VENV)/.serve-ok node_modules/.ok
	$(BIN)/mkdocs build --strict

# Regenerate every golden output (snippets/x.out) from its snippet; review
# the change with `git diff snippets/`.
outputs: $(VENV)/.test-ok
	$(BIN)/python tools/regen_outputs.py $(ONLY)

# The flashcard deck (flashcards/cards.yml) as an Anki package and a CSV,
# written to build/gpt-series-flashcards.{apkg,csv}.
anki: $(VENV)/.test-ok
	$(BIN)/python tools/flashcards_export.py build

# One PDF of the whole chapter: build/gpt-series-notes.pdf (outside site/,
# which every build empties).
pdf: $(VENV)/.test-ok node_modules/.ok browser-deps
	$(BIN)/mkdocs build --strict
	$(BIN)/python tools/make_pdf.py site build/gpt-series-notes.pdf

# Time the numpy kernels against their references on this machine and
# write bench/results_attention.md and bench/results_moe.md, which the
# kernel pages include. Not a test.
bench: $(VENV)/.test-ok
	$(BIN)/python bench/kernels_bench.py

# Time the Triton kernels against torch on a CUDA GPU (it stops, saying so,
# without one) and write bench/results_gpu.md, which the pages include.
bench-gpu: $(VENV)/.test-ok
	$(BIN)/python bench/kernels_bench_gpu.py

lint: $(VENV)/.test-ok
	$(BIN)/ruff check snippets tests tools hooks bench
	$(BIN)/ruff format --check snippets tests tools hooks bench

clean:
	rm -rf site build .cache .pytest_cache artifacts

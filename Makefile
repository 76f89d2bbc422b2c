# Every target sets up what it needs first, so each is one command on a fresh machine.
PY      := .venv/bin/python
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true
# Reproducible builds: the sitemap's dates come from the last commit, not from the clock.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null)
ifneq ($(SOURCE_DATE_EPOCH),)
export SOURCE_DATE_EPOCH
endif

.PHONY: serve serve-ja test test-browser site offline check schema ledger build lint clean

serve: .venv  ## Serve the English edition on http://127.0.0.1:8000 (live reload on every edit)
	$(PY) scripts/build.py serve

serve-ja: .venv  ## Serve the Japanese edition on http://127.0.0.1:8001/ja/ (one edition at a time)
	$(PY) scripts/build.py serve --edition ja

test: .venv  ## Run the whole test suite (builds the real site), one worker per CPU
	$(PY) -m pytest -q -n auto

test-browser: .venv  ## Only the browser tests; fails (not skips) when chromium is missing
	KB_REQUIRE_BROWSER=1 $(PY) -m pytest -q -n auto -m browser

site: .venv  ## Strict build of both editions into site/ (the previous site survives a failure)
	$(PY) scripts/build.py site

offline: .venv  ## Zip a build that opens from disk (file://), search included, into build/
	$(PY) scripts/build.py offline

check: .venv  ## Validate the corpus only
	$(PY) scripts/build.py check

schema: .venv  ## Regenerate data/schema/*.schema.json from the models
	$(PY) scripts/build.py schema

ledger: .venv  ## Add the URLs and anchors the site publishes now to data/ledger.yaml (never removes)
	$(PY) scripts/build.py ledger

build: .venv  ## Write the docs tree of both editions to build/tree/ (what every engine builds)
	$(PY) scripts/build.py build

lint: .venv
	.venv/bin/ruff format --check scripts tests && .venv/bin/ruff check scripts tests && .venv/bin/mypy

clean:
	rm -rf site build .pytest_cache

.venv: pyproject.toml
	python3 -m venv .venv
	.venv/bin/pip install --quiet --upgrade pip
	.venv/bin/pip install --quiet -e '.[dev,engines]'
	touch .venv

.PHONY: linkcheck linkcheck-external bench

linkcheck: site  ## Independent check of site/ with linkchecker, anchors included (~30 s)
	$(PY) scripts/linkcheck.py site --anchors

linkcheck-external: site  ## Also check every external URL (needs the network; never in CI)
	$(PY) scripts/linkcheck.py site --anchors --external

bench: .venv  ## Build the real corpus and synthetic 10x and 100x corpora; print a timing table
	$(PY) scripts/bench.py

.PHONY: shots

shots: site  ## Screenshots of every page type (both editions, laptop and phone, light and dark) into build/shots/
	$(PY) scripts/screenshots.py site build/shots

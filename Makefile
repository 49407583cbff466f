# NewsQA: the two commands are `make run` and `make test`.
#
# Set-up notes (why the steps look like this):
# - Installs come from lock files (requirements.lock, requirements-llm.lock: every
#   transitive version, each pinned to one file by its sha256), so every machine of this
#   kind installs the same bytes. `make lock` refreshes them from pyproject.toml's ranges
#   (scripts/lock.py); tests/test_lock.py fails when they are stale.
# - torch is the 2.13.0 CPU build this machine kind holds locally (/opt/wheels, pip's
#   find-links): the lock's hash is that file's, so pip can never pick PyPI's multi-GB
#   CUDA build of the same version (its hashes differ).
# - llama-cpp-python (for the optional `llm` answerer) compiles from source. Its default
#   native build (-march=native) crashes with a segmentation fault on the first
#   evaluation on these machines; a portable build with AVX2/FMA/F16C works.
# - Chromium for the browser test comes from Debian (test tools cannot download browsers).

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
NEWSQA_HOME ?= $(CURDIR)/.newsqa
export NEWSQA_HOME
export HF_HUB_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
export GRADIO_ANALYTICS_ENABLED := False
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON

.PHONY: run test setup setup-llm lock fresh-check lint unit browser clean

# pip first, at the locked version (hash-checked); then every locked package, with no
# resolution (--no-deps: the lock is the whole set); then the project itself, editable,
# built with the locked setuptools (--no-build-isolation: no unpinned build backend);
# `pip check` fails the set-up when the lock misses a dependency.
$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	grep -A1 '^pip==' requirements.lock > $(VENV)/pip.lock
	$(PIP) install -q --require-hashes --no-deps -r $(VENV)/pip.lock
	$(PIP) install -q --require-hashes --no-deps -r requirements.lock
	$(PIP) install -q --no-deps --no-build-isolation -e .
	$(PIP) check
	touch $@

# The optional `llm` answerer (its tests run in `make test`): llama-cpp-python compiles
# from source (~5 min) and its default native build segfaults here at the first
# evaluation, hence LLAMA_CMAKE_ARGS. Only the locked packages the llm extra adds; the
# project's editable install above stays as it is. The one thing not locked: the build
# tools llama-cpp-python's sdist asks for (scikit-build-core, cmake) come into pip's
# isolated build environment at their newest versions.
$(VENV)/.installed-llm: $(VENV)/.installed requirements-llm.lock
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PIP) install -q --require-hashes --no-deps -r requirements-llm.lock
	$(PIP) check
	touch $@

setup: $(VENV)/.installed

setup-llm: $(VENV)/.installed-llm

# Re-resolve pyproject.toml's ranges into requirements.lock and requirements-llm.lock
# (~1 min). Resolved by the venv's pip (which is also the pip the lock pins) with this
# machine's pip config; needs no install, so it works while the lock is stale.
lock:
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) scripts/lock.py

# CI on this machine: a fresh clone of the committed main branch, an empty HOME (no user
# caches), `CI=true bash .ci/run` (~15 min). KEEP=1 keeps the clone.
fresh-check:
	bash scripts/fresh_check.sh

# Build the index of the bundled articles (first time only) and open the chat on
# http://127.0.0.1:7860 (Ctrl-C to stop).
run: setup
	$(VENV)/bin/newsqa ingest data/articles
	$(VENV)/bin/newsqa chat

# Debian's Chromium for the browser test (Playwright cannot download its own browser
# here). Needs root; without it the browser test skips and says why.
browser:
	@test -x /usr/bin/chromium || { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] && \
		(apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || \
		echo "chromium not installed: the browser test will be skipped"; }

lint: setup
	$(VENV)/bin/ruff check rag vectorstore ui eval tests benchmarks scripts
	$(VENV)/bin/ruff format --check rag vectorstore ui eval tests benchmarks scripts
	$(VENV)/bin/mypy rag vectorstore

unit: setup
	$(PY) -m pytest -q

test: setup setup-llm browser lint unit

clean:
	rm -rf $(VENV) .newsqa .pytest_cache .mypy_cache .ruff_cache

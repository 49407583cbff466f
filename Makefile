# NewsQA: the two commands are `make run` and `make test`.
#
# Set-up notes (why the steps look like this):
# - torch==2.13.0 is installed first, on its own: this machine kind holds that CPU build
#   locally; an unpinned torch (pulled in by sentence-transformers) would fetch a
#   multi-GB CUDA build.
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

.PHONY: run test setup lint unit chat ask clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q torch==2.13.0
	$(PIP) install -q -e '.[dev]'
	touch $@

setup: $(VENV)/.installed

# Build the index of the bundled articles (first time only) and open the chat.
run: setup
	$(VENV)/bin/newsqa ingest data/articles
	$(VENV)/bin/newsqa ask "When did Kim last visit China?"

lint: setup
	$(VENV)/bin/ruff check rag vectorstore ui eval tests benchmarks
	$(VENV)/bin/ruff format --check rag vectorstore ui eval tests benchmarks
	$(VENV)/bin/mypy rag vectorstore

unit: setup
	$(PY) -m pytest -q

test: setup lint unit

clean:
	rm -rf $(VENV) .newsqa .pytest_cache .mypy_cache .ruff_cache

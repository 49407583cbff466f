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

.PHONY: run test setup setup-llm lint unit browser clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q torch==2.13.0
	$(PIP) install -q -e '.[dev,servers,nlp]'
	touch $@

# The optional `llm` answerer (its tests run in `make test`): llama-cpp-python compiles
# from source (~5 min) and its default native build segfaults here at the first
# evaluation, hence LLAMA_CMAKE_ARGS. Editable again (-e) so this step does not replace
# the editable install above.
$(VENV)/.installed-llm: $(VENV)/.installed
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PIP) install -q -e '.[llm]'
	touch $@

setup: $(VENV)/.installed

setup-llm: $(VENV)/.installed-llm

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
	$(VENV)/bin/ruff check rag vectorstore ui eval tests benchmarks
	$(VENV)/bin/ruff format --check rag vectorstore ui eval tests benchmarks
	$(VENV)/bin/mypy rag vectorstore

unit: setup
	$(PY) -m pytest -q

test: setup setup-llm browser lint unit

clean:
	rm -rf $(VENV) .newsqa .pytest_cache .mypy_cache .ruff_cache

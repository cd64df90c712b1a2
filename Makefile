PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: install
	$(BIN)/facade demo -o output/demo

test: install
	$(BIN)/ruff check crawler analysis tests bench
	$(BIN)/pytest

bench: install
	$(BIN)/python bench/crawl_bench.py
	$(BIN)/python bench/cluster_bench.py

clean:
	rm -rf $(VENV) output/demo

# The only entry points of the project. `make help` lists them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PRISM_VERSION := 5.16.0
PRISM  := .prism/node_modules/.bin/prism

.DEFAULT_GOAL := help
.PHONY: help install demo test unit lint format typecheck lint-imports generate check-generated prism bench bench-quick clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,emulator,cli]'
	@touch $@

install: $(VENV)/.installed ## create .venv and install the package with its dev tools

# `npm ci` from the committed lock file: the same Prism and the same dependency tree on
# every machine; a PRISM_VERSION the lock file disagrees with fails here. No install
# scripts: the only one in the tree is a telemetry ping Prism does not need.
$(PRISM): tests/contract/prism/package-lock.json ## the Stoplight Prism mock server, from npm, into .prism/
	rm -rf .prism
	mkdir -p .prism
	printf '{"name": "mistral-sdk-prism", "private": true, "dependencies": {"@stoplight/prism-cli": "$(PRISM_VERSION)"}}\n' > .prism/package.json
	cp tests/contract/prism/package-lock.json .prism/package-lock.json
	cd .prism && npm ci --loglevel=error --no-fund --no-audit --ignore-scripts
	touch $@

prism: $(PRISM) ## install the Prism mock server used by the contract tests

test: install prism lint typecheck lint-imports check-generated ## everything CI runs: lint, types, layers, generated code, all tests
	$(BIN)/python -m pytest

unit: install ## pytest only, without the contract tests
	$(BIN)/python -m pytest -m "not contract"

lint: install ## ruff check and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## ruff format and autofix
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: install ## mypy --strict and pyright over the package, tools, examples and user-style typing tests
	$(BIN)/mypy src tools examples tests
	$(BIN)/pyright

lint-imports: install ## the layer contracts between modules
	$(BIN)/lint-imports

generate: install ## regenerate src/mistral_sdk/types, resources and docs/reference.md from docs/openapi.yaml
	$(BIN)/python -m tools.codegen

check-generated: install ## fail when the checked-in generated code differs from a fresh run
	$(BIN)/python -m tools.codegen --check

clean: ## remove the virtualenv, Prism and caches
	rm -rf $(VENV) .prism .mypy_cache .ruff_cache .hypothesis

bench: ## benchmark against raw httpx2, mistralai and openai; writes docs/benchmarks.md (own venv: .bench/venv)
	$(PYTHON) -m benchmarks.bootstrap

bench-quick: ## the same table on fewer iterations (under 2 minutes); writes .bench/quick.md
	$(PYTHON) -m benchmarks.bootstrap --quick

demo: install ## the examples/ tour: the real API if MISTRAL_API_KEY is set, else the offline emulator
	$(BIN)/python -m tools.demo

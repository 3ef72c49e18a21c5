# Every target creates what it needs from this repository's own files; a fresh machine needs only
# Python 3.11+, Node.js, make and git.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
COLLECTION_LINK := .build/collections/ansible_collections/mcp_platform/azure
SANITY_ROOT := .build/sanity/ansible_collections/mcp_platform/azure
SANDBOX_PORT ?= 8443
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg

.PHONY: help venv run sandbox test lint sanity unit integration clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/.installed: requirements.txt requirements-local.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

$(COLLECTION_LINK):
	mkdir -p $(dir $@)
	ln -sfn ../../../.. $@

venv: $(BIN)/.installed $(COLLECTION_LINK) ## create .venv with every Python package the project uses

run: venv ## the main job: ansible-playbook playbooks/site.yml on the default target
	$(BIN)/ansible-playbook playbooks/site.yml

sandbox: venv ## run the Azure stand-in in the foreground (port $(SANDBOX_PORT)); writes .sandbox/env
	$(BIN)/python -m tests.sandbox.standin --port $(SANDBOX_PORT) --state-dir .sandbox

lint: venv ## ruff and ansible-lint (production profile)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/ansible-lint --offline --profile production

sanity: venv ## ansible-test sanity on a clean copy of the tracked and new files
	rm -rf $(SANITY_ROOT) && mkdir -p $(SANITY_ROOT)
	git ls-files -z --cached --others --exclude-standard | xargs -0 -I{} cp --parents {} $(SANITY_ROOT)/ 2>/dev/null || true
	cd $(SANITY_ROOT) && PATH=$(CURDIR)/$(BIN):$$PATH ansible-test sanity --python 3.11 --venv --requirements --color no

unit: venv ## unit tests
	$(BIN)/pytest tests/unit

integration: venv ## module, stand-in and data-plane tests against real processes
	$(BIN)/pytest tests/integration tests/sandbox

test: lint sanity unit integration ## the whole test suite (what CI runs)

clean: ## remove the virtual environment, build copies and runtime state
	rm -rf $(VENV) .build .sandbox .local-state

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

.PHONY: help venv run sandbox test lint sanity unit integration release-check molecule playbooks clean

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

run: venv ## the main job: ansible-playbook playbooks/site.yml on the default target (local: up, verified, connect info)
	$(BIN)/ansible-playbook playbooks/site.yml

sandbox: venv ## run the Azure stand-in in the foreground (port $(SANDBOX_PORT)); writes .sandbox/env
	$(BIN)/python -m tests.sandbox.standin --port $(SANDBOX_PORT) --state-dir .sandbox

converge-sandbox: venv ## start the Azure stand-in in the background, run site.yml against it (inventories/sandbox), stop it
	@rm -rf .build/converge-sandbox && mkdir -p .build/converge-sandbox
	@$(BIN)/python -m tests.sandbox.standin --port 0 --state-dir .build/converge-sandbox > .build/converge-sandbox/standin.log 2>&1 & \
	  pid=$$!; trap 'kill $$pid' EXIT; \
	  for i in $$(seq 300); do test -s .build/converge-sandbox/ready && break; sleep 0.1; done; \
	  source .build/converge-sandbox/env && $(BIN)/ansible-playbook playbooks/site.yml -i inventories/sandbox

lint: venv ## ruff and ansible-lint (production profile)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/ansible-lint --offline --profile production

# ansible-test refuses a symlinked collection root and lists files through git, so sanity runs on a
# copy of the tracked and new (not ignored) files, made its own git work tree. Each sanity test
# runs in a virtual environment ansible-test builds once and caches in ~/.ansible/test/venv; it
# seeds them with a get-pip script from a host that may be unreachable, so .ci/get_pip.py (pip from
# ensurepip, then the pinned pip from the package index) is put in its cache when missing.
ANSIBLE_TEST_PIP = $(shell grep -oP "pip='\K[0-9.]+" $(VENV)/lib/python3.*/site-packages/ansible_test/_internal/python_requirements.py 2>/dev/null | head -1)
GET_PIP_CACHE = $(HOME)/.ansible/test/cache/get_pip_$(subst .,_,$(ANSIBLE_TEST_PIP)).py

sanity: venv ## ansible-test sanity (no ignore file) on a clean copy of the tracked and new files
	rm -rf .build/sanity && mkdir -p $(SANITY_ROOT)
	git ls-files -z --cached --others --exclude-standard \
	  | tar --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -xf - -C $(SANITY_ROOT)
	cd $(SANITY_ROOT) && git init --quiet
	@test -s $(GET_PIP_CACHE) || { mkdir -p $(dir $(GET_PIP_CACHE)) && cp .ci/get_pip.py $(GET_PIP_CACHE); }
	cd $(SANITY_ROOT) && PATH=$(CURDIR)/$(BIN):$$PATH $(CURDIR)/$(BIN)/ansible-test sanity --local --python 3.11 --color no

unit: venv ## unit tests
	$(BIN)/pytest tests/unit

integration: venv ## module, stand-in and data-plane tests against real processes
	$(BIN)/pytest tests/integration tests/sandbox tests/local

release-check: venv ## collection build + offline install + run from the install, ansible-doc, EE context, changelog, role READMEs
	$(BIN)/pytest tests/release

molecule: venv ## the sandbox scenario: stand-in up, site.yml, idempotence, verify, teardown, stand-in down
	PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/molecule reset -s sandbox
	PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/molecule test -s sandbox \
	  || { PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/molecule cleanup -s sandbox; exit 1; }

playbooks: venv ## whole-playbook tests on the stand-in: bad input, secret leaks, faults, verify posture
	$(BIN)/pytest tests/playbooks

test: lint sanity unit integration release-check playbooks molecule ## the whole test suite (what CI runs)

clean: ## remove the virtual environment, build copies and runtime state
	rm -rf $(VENV) .build .sandbox .local-state

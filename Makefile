# Two commands do everything on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell hack/find-python)
VENV := .venv
BIN := $(VENV)/bin
COLLECTION_ROOT := .build/ansible_collections/aep/offers
export ANSIBLE_COLLECTIONS_PATH := $(CURDIR)/.build
export ANSIBLE_PYTHON_INTERPRETER := $(CURDIR)/$(BIN)/python

.PHONY: demo test venv collection sanity lint unit emulator-tests integration emulator clean

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

# The collection as it ships (build_ignore applied), where ansible and ansible-test expect it.
collection: venv
	PATH=$(CURDIR)/$(BIN):$$PATH hack/stage-collection $(COLLECTION_ROOT)

demo: collection
	PATH=$(CURDIR)/$(BIN):$$PATH hack/demo

sanity: collection
	../shared/tools/ansible-test-offline-pip $(BIN)/python >/dev/null
	cd $(COLLECTION_ROOT) && PATH=$(CURDIR)/$(BIN):$$PATH ansible-test sanity --python $$($(CURDIR)/$(BIN)/python -c 'import sys; print("%d.%d" % sys.version_info[:2])') --color no

# ansible-lint (production profile, .ansible-lint) over the roles and playbooks; aep.offers comes from .build, nothing from Galaxy.
lint: collection
	PATH=$(CURDIR)/$(BIN):$$PATH ansible-lint --nocolor roles playbooks

unit: collection
	cd $(COLLECTION_ROOT) && $(CURDIR)/$(BIN)/python -m pytest -q -p no:cacheprovider tests/unit

emulator-tests: venv
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/emulator

integration: collection
	PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/python -m pytest -q -p no:cacheprovider -n 2 tests/integration

test: sanity lint unit emulator-tests integration

# Start the emulator in the foreground, for trying playbooks by hand.
emulator: venv
	$(BIN)/python -m aep_emulator --host 127.0.0.1 --port 8080

clean:
	rm -rf .build .demo

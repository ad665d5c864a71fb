# Two commands do everything on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell hack/find-python)
VENV := .venv
BIN := $(VENV)/bin
COLLECTION_ROOT := .build/ansible_collections/aep/offers
export ANSIBLE_COLLECTIONS_PATH := $(CURDIR)/.build
export ANSIBLE_PYTHON_INTERPRETER := $(CURDIR)/$(BIN)/python

.PHONY: demo test venv dev-venv collection sanity lint unit emulator-tests integration emulator clean

# venv: what the demo and the emulator need (requirements-demo.txt); dev-venv adds the test tools.
venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-demo.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-demo.txt
	touch $@

dev-venv: $(VENV)/.installed-dev

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

# The collection as it ships (build_ignore applied), where ansible and ansible-test expect it.
collection: venv
	PATH=$(CURDIR)/$(BIN):$$PATH hack/stage-collection $(COLLECTION_ROOT)

demo: collection
	PATH=$(CURDIR)/$(BIN):$$PATH hack/demo

# OFFLINE_PIP exists only beside our CI checkout (a plain clone has no ../shared): it stands in for
# ansible-test's bootstrap host on machines that cannot reach it. pip's progress lines are dropped; its errors stay.
OFFLINE_PIP ?= ../shared/tools/ansible-test-offline-pip
PIP_NOISE := ^ *(Looking in |WARNING: Location .* is ignored|Collecting |Downloading |Processing |Requirement already satisfied|Using cached|Installing collected packages|Successfully (installed|uninstalled)|Attempting uninstall|Found existing installation|Uninstalling |━|$$)

sanity: dev-venv collection
	if [ -x $(OFFLINE_PIP) ]; then $(OFFLINE_PIP) $(BIN)/python >/dev/null; fi
	set -o pipefail; cd $(COLLECTION_ROOT) && PATH=$(CURDIR)/$(BIN):$$PATH ansible-test sanity --python $$($(CURDIR)/$(BIN)/python -c 'import sys; print("%d.%d" % sys.version_info[:2])') --color no 2>&1 | awk '!/$(PIP_NOISE)/'

# ansible-lint (production profile, .ansible-lint) over the roles and playbooks; aep.offers comes from .build, nothing from Galaxy.
lint: dev-venv collection
	PATH=$(CURDIR)/$(BIN):$$PATH ansible-lint --nocolor roles playbooks

unit: dev-venv collection
	cd $(COLLECTION_ROOT) && $(CURDIR)/$(BIN)/python -m pytest -q -p no:cacheprovider tests/unit

emulator-tests: dev-venv
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/emulator

integration: dev-venv collection
	PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/python -m pytest -q -p no:cacheprovider -n 2 tests/integration

test: sanity lint unit emulator-tests integration

# Start the emulator in the foreground, for trying playbooks by hand.
emulator: venv
	$(BIN)/python -m aep_emulator --host 127.0.0.1 --port 8080

clean:
	rm -rf .build .demo

# Two commands do everything on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell hack/find-python)
VENV := .venv
BIN := $(VENV)/bin
COLLECTION_ROOT := .build/ansible_collections/aep/offers
SANITY_ROOT := .build/sanity/ansible_collections/aep/offers
export ANSIBLE_COLLECTIONS_PATH := $(CURDIR)/.build
export ANSIBLE_PYTHON_INTERPRETER := $(CURDIR)/$(BIN)/python

# `make oldest`: the oldest ansible-core meta/runtime.yml admits, on Python 3.11 (python3.11 on PATH, else
# pyenv's by its real path: the pyenv shim refuses a version that is installed but not selected).
OLDEST_PYTHON ?= $(shell for c in python3.11 "$${PYENV_ROOT:-$$HOME/.pyenv}"/versions/3.11*/bin/python3.11 /usr/bin/python3.11; do \
	"$$c" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info[:2] != (3, 11))' >/dev/null 2>&1 && \
	{ "$$c" -c 'import sys; print(sys.executable)'; break; }; done)
OLDEST_VENV := .venv-oldest
OLDEST_BIN := $(CURDIR)/$(OLDEST_VENV)/bin
OLDEST_BUILD := $(CURDIR)/.build-oldest
OLDEST_ENV := PATH=$(OLDEST_BIN):$$PATH ANSIBLE_COLLECTIONS_PATH=$(OLDEST_BUILD) AEP_OFFERS_BUILD=$(OLDEST_BUILD) \
	ANSIBLE_PYTHON_INTERPRETER=$(OLDEST_BIN)/python
# `make validate`: the tarball as Galaxy gets it, and galaxy-importer in a virtualenv of its own.
DIST := $(CURDIR)/.dist
GALAXY_IMPORTER_VENV := .venv-galaxy-importer

.PHONY: demo test check venv dev-venv collection sanity lint unit contract emulator-tests integration emulator clean \
	oldest-venv oldest dist galaxy-importer-venv validate

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

# The collection as it ships (galaxy.yml's manifest applied), where ansible and ansible-test expect it; staged again
# only when something that ships changed, so stages that run side by side never stage it twice.
SHIPPED := $(shell find plugins roles playbooks meta changelogs docs -type f ! -name '*.pyc' 2>/dev/null) \
	galaxy.yml README.md LICENSE requirements.txt .ansible-lint
collection: $(COLLECTION_ROOT)/MANIFEST.json

$(COLLECTION_ROOT)/MANIFEST.json: $(VENV)/.installed $(SHIPPED)
	PATH=$(CURDIR)/$(BIN):$$PATH hack/stage-collection $(COLLECTION_ROOT)
	touch $@

demo: collection
	PATH=$(CURDIR)/$(BIN):$$PATH hack/demo

# OFFLINE_PIP exists only beside our CI checkout (a plain clone has no ../shared): it stands in for
# ansible-test's bootstrap host on machines that cannot reach it. pip's progress lines are dropped; its errors stay.
OFFLINE_PIP ?= ../shared/tools/ansible-test-offline-pip
PIP_NOISE := ^ *(Looking in |WARNING: Location .* is ignored|Collecting |Downloading |Processing |Requirement already satisfied|Using cached|Installing collected packages|Successfully (installed|uninstalled)|Attempting uninstall|Found existing installation|Uninstalling |━|$$)

# ansible-test sanity on the collection as it ships plus tests/unit (which does not ship, and is linted all the same),
# staged apart in .build/sanity so .build/ansible_collections stays exactly what ships.
sanity: dev-venv
	PATH=$(CURDIR)/$(BIN):$$PATH hack/stage-collection $(SANITY_ROOT) tests/unit
	if [ -x $(OFFLINE_PIP) ]; then $(OFFLINE_PIP) $(BIN)/python >/dev/null; fi
	set -o pipefail; cd $(SANITY_ROOT) && PATH=$(CURDIR)/$(BIN):$$PATH ansible-test sanity --python $$($(CURDIR)/$(BIN)/python -c 'import sys; print("%d.%d" % sys.version_info[:2])') --color no 2>&1 | awk '!/$(PIP_NOISE)/'

# ansible-lint (production profile, .ansible-lint) over the roles and playbooks; aep.offers comes from .build, nothing from Galaxy.
lint: dev-venv collection
	PATH=$(CURDIR)/$(BIN):$$PATH ansible-lint --nocolor roles playbooks

# From the checkout, nothing staged: tests/unit/conftest.py makes the collection beside the tests importable.
unit: dev-venv
	$(BIN)/python -m pytest -q -p no:cacheprovider -n 2 tests/unit

emulator-tests: dev-venv
	$(BIN)/python -m pytest -q -p no:cacheprovider -n 2 tests/emulator

# The behaviour suite: every module's task run in-process against the emulator, through xcore and dps.
contract: dev-venv
	$(BIN)/python -m pytest -q -p no:cacheprovider -n 2 tests/contract

# The quick loop, from the checkout with nothing staged: ansible-lint (aep.offers found through the checkout's own
# link, .build/checkout), the unit tests and the contract suite.
check: dev-venv
	$(BIN)/python -m pytest -q -p no:cacheprovider -n 2 tests/unit
	PATH=$(CURDIR)/$(BIN):$$PATH ANSIBLE_COLLECTIONS_PATH=$(CURDIR)/.build/checkout ansible-lint --nocolor roles playbooks
	$(BIN)/python -m pytest -q -p no:cacheprovider -n 2 tests/contract

integration: dev-venv collection
	PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/python -m pytest -q -p no:cacheprovider -n 2 tests/integration

# The oldest core, in its own virtualenv with its own staged copy (tox-ansible's matrix, one cell): ansible-doc
# on every module and role (tests/integration/test_docs.py) and antsibull-docs' lint with that ansible-doc,
# the unit tests (from the checkout), and the integration tests marked smoke. The newest core runs everything in .venv.
oldest-venv: $(OLDEST_VENV)/.installed

$(OLDEST_VENV)/.installed: requirements.txt requirements-oldest.txt
	@test -n "$(OLDEST_PYTHON)" || { echo "make oldest: no Python 3.11 (python3.11 on PATH, or under pyenv)" >&2; exit 1; }
	test -x $(OLDEST_BIN)/python || $(OLDEST_PYTHON) -m venv $(OLDEST_VENV)
	$(OLDEST_BIN)/pip install --quiet --upgrade pip
	$(OLDEST_BIN)/pip install --quiet -r requirements-oldest.txt
	touch $@

oldest: oldest-venv
	$(OLDEST_BIN)/python -c 'import re, sys, ansible.release as r; low = re.search(r"requires_ansible: \W*>=\s*(\d+\.\d+)", open("meta/runtime.yml").read()).group(1); \
		print("ansible-core %s on Python %s; meta/runtime.yml admits >=%s" % (r.__version__, sys.version.split()[0], low)); \
		sys.exit(r.__version__.split(".")[:2] != low.split("."))'
	$(OLDEST_ENV) hack/stage-collection $(OLDEST_BUILD)/ansible_collections/aep/offers
	$(OLDEST_ENV) antsibull-docs lint-collection-docs --plugin-docs $(OLDEST_BUILD)/ansible_collections/aep/offers
	$(OLDEST_ENV) python -m pytest -q -p no:cacheprovider tests/unit
	$(OLDEST_ENV) python -m pytest -q -p no:cacheprovider -n 2 tests/contract
	$(OLDEST_ENV) python -m pytest -q -p no:cacheprovider -n 2 -m smoke tests/integration

# The tarball `ansible-galaxy collection build` makes, and unpacked where ansible-doc finds it.
dist: venv
	rm -rf $(DIST)
	mkdir -p $(DIST)/ansible_collections/aep/offers
	$(BIN)/ansible-galaxy collection build --output-path $(DIST) .
	tar -xzf $(DIST)/aep-offers-*.tar.gz -C $(DIST)/ansible_collections/aep/offers

galaxy-importer-venv: $(GALAXY_IMPORTER_VENV)/.installed

$(GALAXY_IMPORTER_VENV)/.installed: requirements-galaxy-importer.txt
	test -x $(GALAXY_IMPORTER_VENV)/bin/python || $(PYTHON) -m venv $(GALAXY_IMPORTER_VENV)
	$(GALAXY_IMPORTER_VENV)/bin/pip install --quiet --upgrade pip
	$(GALAXY_IMPORTER_VENV)/bin/pip install --quiet -r requirements-galaxy-importer.txt
	touch $@

# What the ecosystem checks on the tarball: antsibull-docs (the docsite's lint) and galaxy-importer (what Galaxy
# and Automation Hub run on upload; tests/galaxy-importer.cfg keeps it offline). An error or a warning fails.
validate: dev-venv dist galaxy-importer-venv
	PATH=$(CURDIR)/$(BIN):$$PATH antsibull-docs lint-collection-docs --plugin-docs $(DIST)/ansible_collections/aep/offers
	set -o pipefail; cd $(DIST) && env -u ANSIBLE_COLLECTIONS_PATH -u ANSIBLE_PYTHON_INTERPRETER \
		GALAXY_IMPORTER_CONFIG=$(CURDIR)/tests/galaxy-importer.cfg PATH=$(CURDIR)/$(GALAXY_IMPORTER_VENV)/bin:$$PATH \
		python -m galaxy_importer.main aep-offers-*.tar.gz | tee galaxy-importer.log
	@! grep -E '^(WARNING|ERROR|CRITICAL)' $(DIST)/galaxy-importer.log || { echo "galaxy-importer: warnings or errors (above)" >&2; exit 1; }

# Every stage, two at a time, longest first; each stage's duration is printed at the end (hack/stages). The three
# virtualenvs are made at once: pip waits on downloads and disk about half the time.
test:
	hack/stages 3:dev-venv,oldest-venv,galaxy-importer-venv collection \
		integration,sanity,oldest,validate,contract,emulator-tests,lint,unit

# Start the emulator in the foreground, for trying playbooks by hand.
emulator: venv
	$(BIN)/python -m aep_emulator --host 127.0.0.1 --port 8080

clean:
	rm -rf .build .build-oldest .dist .demo

"""Integration tests: real modules and playbooks against the bundled emulator.

The collection is taken from ``.build/`` (``make collection`` stages it), or from ``$AEP_OFFERS_BUILD``
(``make oldest`` stages its own copy in ``.build-oldest/``); every test gets a fresh emulator state, its
own token cache directory, and the emulator's request counters.

Tests marked ``smoke`` are the subset that ``make oldest`` runs on the oldest ansible-core meta/runtime.yml
admits: the docs of every module and role, module_defaults and --diff output, a src file never templated, what
the controller does for a task (its results, loops, environment, the switch), the roles' check-mode plan of an empty
sandbox, a teardown without a sandbox named, the examples, the build, and which Python runs the modules. The
modules' behaviour is proven in-process, on both APIs and on that core too, by tests/contract.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from aep_emulator.testing import ApiClient

REPO = Path(__file__).resolve().parents[2]
COLLECTIONS = Path(os.environ.get("AEP_OFFERS_BUILD") or REPO / ".build")
PLAYBOOKS = Path(__file__).resolve().parent / "playbooks"
ORG = "TESTORG0123456789ABCDEF@AdobeOrg"
RECAP = re.compile(r"^(\S+)\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)\s+skipped=(\d+)\s+rescued=(\d+)\s+ignored=(\d+)", re.M)


def pytest_configure(config):
    config.addinivalue_line("markers", "smoke: also run on the oldest supported ansible-core (make oldest)")
    if not (COLLECTIONS / "ansible_collections" / "aep" / "offers" / "galaxy.yml").exists() and \
            not (COLLECTIONS / "ansible_collections" / "aep" / "offers" / "MANIFEST.json").exists():
        raise pytest.UsageError("the collection is not staged under %s: run `make collection` (or `make integration`)" % COLLECTIONS)


class PlaybookRun:
    def __init__(self, completed, results_path):
        self.rc = completed.returncode
        self.results = json.loads(results_path.read_text()) if results_path.exists() else []
        self.stdout = completed.stdout
        self.stderr = completed.stderr
        self.recap = {}
        for match in RECAP.finditer(completed.stdout):
            host = match.group(1)
            keys = ("ok", "changed", "unreachable", "failed", "skipped", "rescued", "ignored")
            self.recap[host] = dict(zip(keys, (int(g) for g in match.groups()[1:])))

    @property
    def output(self):
        return self.stdout + self.stderr

    def totals(self, key):
        return sum(host[key] for host in self.recap.values())

    def result(self, task):
        """The result of the (last) task named ``task``."""
        found = [dict(r["result"], _status=r["status"]) for r in self.results if r["task"] == task]
        assert found, "no task named %r ran; tasks: %s\n%s" % (task, [r["task"] for r in self.results], self.output)
        return found[-1]

    def recap_lines(self):
        return [line for line in self.stdout.splitlines() if RECAP.match(line)]


class Aep:
    """The connection settings of one test, as environment variables, and ways to run Ansible with them."""

    def __init__(self, server, tmp_path):
        self.server = server
        self.tmp_path = tmp_path
        self.env = dict(os.environ)
        self.env.update({
            "AEP_API_URL": server.url,
            "AEP_IMS_URL": server.url,
            "AEP_CLIENT_ID": server.client_id,
            "AEP_CLIENT_SECRET": server.client_secret,
            "AEP_ORG_ID": ORG,
            "AEP_SANDBOX": "prod",
            "AEP_TOKEN_CACHE_DIR": str(tmp_path / "token-cache"),
            "ANSIBLE_COLLECTIONS_PATH": str(COLLECTIONS),
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_FORCE_COLOR": "0",
            "ANSIBLE_RETRY_FILES_ENABLED": "0",
            "ANSIBLE_LOCALHOST_WARNING": "0",
            "ANSIBLE_INVENTORY_UNPARSED_WARNING": "0",
            "ANSIBLE_HOME": str(tmp_path / "ansible-home"),
            "ANSIBLE_CALLBACK_PLUGINS": str(Path(__file__).resolve().parent / "callback_plugins"),
            "ANSIBLE_CALLBACKS_ENABLED": "record_results",
            # Local tasks run in the controller, with this Python; a task forced into a module process (async, the
            # AEP_OFFERS_IN_CONTROLLER switch) runs with it too, not with whatever interpreter discovery would find.
            "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
        })
        self.runs = 0
        self.inventory = tmp_path / "inventory.yml"
        self.inventory.write_text(
            "all:\n  hosts:\n    localhost:\n      ansible_connection: local\n")

    def playbook(self, playbook, *args, extra_vars=None, env=None, check=False, diff=False, verbosity=0, shows_token=False,
                 cwd=None):
        """Runs ``playbook`` (a file under playbooks/, or a path) and returns its PlaybookRun.

        ``shows_token``: the play returns an ims_token result without no_log, so the token may appear.
        ``cwd``: the directory ansible-playbook runs in (relative paths on the command line are relative to it).
        """
        path = Path(playbook)
        if not path.is_absolute():
            path = PLAYBOOKS / playbook
        command = [str(Path(sys.executable).with_name("ansible-playbook")), "-i", str(self.inventory), str(path)]
        if extra_vars:
            command += ["-e", json.dumps(extra_vars)]
        if check:
            command.append("--check")
        if diff:
            command.append("--diff")
        if verbosity:
            command.append("-" + "v" * verbosity)
        command += list(args)
        self.runs += 1
        results_path = self.tmp_path / ("results-%d.json" % self.runs)
        run_env = dict(self.env, RECORD_RESULTS_PATH=str(results_path), **(env or {}))
        before = self.server.stats()
        # stdin: the in-process pytest-ansible runs may leave fd 0 closed. PWD is left as it was, stale under
        # ``cwd``, so a playbook that trusts $PWD instead of the real working directory is caught.
        completed = subprocess.run(command, capture_output=True, text=True, env=run_env, timeout=600, check=False,
                                   stdin=subprocess.DEVNULL, cwd=None if cwd is None else str(cwd))
        run = PlaybookRun(completed, results_path)
        # Suite-wide guarantees, checked on every run of every test:
        if check or "--check" in args:  # check mode sends only reads
            after = self.server.stats()
            sent = dict((m, after["requests"][m] - before["requests"][m]) for m in ("POST", "PATCH", "PUT", "DELETE"))
            assert not any(sent.values()) and after["writes"] == before["writes"], ("check mode wrote", sent, run.output)
        for secret in self.secrets()[:1 if shows_token else None]:  # no secret or token in any output or result
            assert secret not in run.output and secret not in json.dumps(run.results), "a secret leaked into the output"
        return run

    def secrets(self):
        found = [self.server.client_secret]
        for cache in Path(self.env["AEP_TOKEN_CACHE_DIR"]).glob("*.json"):
            try:
                found.append(json.loads(cache.read_text())["access_token"])
            except (ValueError, KeyError, TypeError):
                pass
        return [s for s in found if s]

    def write_playbook(self, name, text):
        path = self.tmp_path / name
        path.write_text(text)
        return path

    def tasks(self, *tasks, name="play.yml"):
        """Writes a one-play playbook on localhost with ``tasks`` (YAML text blocks) and returns its path."""
        body = "".join("    " + "\n    ".join(t.strip("\n").splitlines()) + "\n" for t in tasks)
        return self.write_playbook(name, "- hosts: localhost\n  gather_facts: false\n  tasks:\n" + body)

    def offer_task(self, args, name="offer", register="result", extra=""):
        """A task running offer_instance with ``args`` (a dict, written as JSON, which is YAML)."""
        return "- name: %s\n  aep.offers.offer_instance: %s\n  register: %s\n%s" % (name, json.dumps(args), register, extra)


@pytest.fixture
def aep(aep_emulator, tmp_path):
    return Aep(aep_emulator, tmp_path)


OFFER_SCHEMA = "https://ns.adobe.com/experience/offer-management/personalized-offer;version=0.5"


@pytest.fixture
def direct(aep_emulator):
    """Plain HTTP to the emulator (the shared test client), to arrange what a test needs and to
    read back what the modules did."""
    return ApiClient(aep_emulator, org=ORG)

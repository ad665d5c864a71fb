"""The contract suite: the collection's tasks run in this process against the bundled emulator, through each API.

No ansible-playbook and no fake: a task is ``_tasks.TASKS[name].run`` with a module object that checks the
arguments with Ansible's own validator (as AnsibleModule does) and hands back what ``exit_json`` or ``fail_json``
got. The ``sandbox`` fixture is parametrized over the APIs, so each behaviour is written once and proven on both.
"""

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
_LINK = REPO / ".build" / "checkout" / "ansible_collections" / "aep" / "offers"


def _importable():
    """``ansible_collections.aep.offers`` from this checkout: a symlink to the repository, first on sys.path."""
    if not _LINK.is_symlink():
        _LINK.parent.mkdir(parents=True, exist_ok=True)
        try:
            _LINK.symlink_to(REPO, target_is_directory=True)
        except FileExistsError:
            pass
    from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder
    for name in [m for m in sys.modules if m == "ansible_collections" or m.startswith("ansible_collections.")]:
        del sys.modules[name]
    _AnsibleCollectionFinder._remove()  # pylint: disable=protected-access
    _AnsibleCollectionFinder(paths=[str(_LINK.parents[2])])._install()  # pylint: disable=protected-access


_importable()

from ansible.module_utils.common.arg_spec import ModuleArgumentSpecValidator  # noqa: E402

from ansible_collections.aep.offers.plugins.module_utils._module import Connection  # noqa: E402
from ansible_collections.aep.offers.plugins.module_utils._tasks import TASKS  # noqa: E402

ORG = "CONTRACT0123456789ABCDEF@AdobeOrg"
SCHEMA = "https://ns.adobe.com/acme/schemas/2b0c1f0e5d3a4b6c"
CATALOG = "0c6a2f1e-4d3b-4f5a-9e8d-7c6b5a4f3e2d"


class Ended(Exception):
    def __init__(self, result, failed):
        super().__init__(result.get("msg"))
        self.result = result
        self.failed = failed


class TaskModule(Connection):
    """What a module process would be, in this process: Ansible's argument checks, then the task."""

    def __init__(self, name, params, check_mode=False, diff=False):
        task = TASKS[name]
        validated = ModuleArgumentSpecValidator(task.argument_spec(), **task.constraints()).validate(params)
        self.warnings = []
        if validated.error_messages:
            raise Ended(dict(failed=True, msg="; ".join(validated.error_messages)), True)
        self.params = validated.validated_parameters
        self.check_mode = check_mode
        self._diff = diff
        self.task = task
        self.check_connection()

    def warn(self, message):
        self.warnings.append(message)

    def fail_json(self, **result):
        raise Ended(dict(result, failed=True, warnings=self.warnings), True)

    def exit_json(self, **result):
        raise Ended(dict(result, warnings=self.warnings), False)


class Sandbox:
    """One sandbox of the emulator, managed through one API (``api``): runs tasks and counts what they sent."""

    def __init__(self, emulator, api, tmp_path, name="prod"):
        self.emulator = emulator
        self.api = api
        self.name = name
        self.connection = dict(api=api, api_url=emulator.url, ims_url=emulator.url, client_id=emulator.client_id,
                               client_secret=emulator.client_secret, org_id=ORG, sandbox=name,
                               token_cache_dir=str(tmp_path / "tokens"))

    def attempt(self, module, check=False, diff=False, **params):
        """The result of one task, failed or not. An option given as None is left out, as Ansible's ``omit`` does."""
        params = dict((k, v) for k, v in dict(self.connection, **params).items() if v is not None)
        try:
            task = TaskModule(module, params, check_mode=check, diff=diff)
            task.task.run(task)
        except Ended as ended:
            return ended.result
        raise AssertionError("%s ended without exit_json or fail_json" % module)

    def run(self, module, check=False, diff=False, **params):
        """The result of a task that must succeed; check mode is proven to send only reads."""
        before = self.emulator.stats()
        result = self.attempt(module, check=check, diff=diff, **params)
        assert not result.get("failed"), result
        if check:
            assert self.writes_since(before) == 0, ("check mode wrote", result)
        return result

    def fails(self, module, **params):
        result = self.attempt(module, **params)
        assert result.get("failed"), result
        return result

    def writes_since(self, before):
        after = self.emulator.stats()
        return sum(after["requests"].get(m, 0) - before["requests"].get(m, 0) for m in ("POST", "PATCH", "PUT", "DELETE"))

    def counting(self):
        return Counter(self)

    def info(self, kind, **params):
        return self.run("offer_library_info", kind=kind, **params)["objects"]

    def options(self, kind, name, **params):
        """What the sandbox holds for one object, as its module's options (references by name)."""
        [found] = [o for o in self.info(kind, resolve_names=True, **params) if o["options"].get("name") == name]
        return found["options"]


class Counter:
    """``with sandbox.counting() as sent:`` ... ``sent.writes``, ``sent.reads``: the requests a block made."""

    def __init__(self, sandbox):
        self.sandbox = sandbox

    def __enter__(self):
        self.before = self.sandbox.emulator.stats()
        return self

    def __exit__(self, *exc):
        after = self.sandbox.emulator.stats()
        sent = dict((m, after["requests"].get(m, 0) - self.before["requests"].get(m, 0)) for m in after["requests"])
        self.writes = sum(sent.get(m, 0) for m in ("POST", "PATCH", "PUT", "DELETE"))
        self.reads = sent.get("GET", 0)
        self.by_method = sent


@pytest.fixture(params=["xcore", "dps"])
def sandbox(request, aep_emulator, tmp_path):
    """A fresh sandbox, once through each API."""
    return Sandbox(aep_emulator, request.param, tmp_path)


@pytest.fixture
def dps(aep_emulator, tmp_path):
    """A fresh sandbox through dps only (Journey Optimizer's Decisioning kinds live only there)."""
    return Sandbox(aep_emulator, "dps", tmp_path)

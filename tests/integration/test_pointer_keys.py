"""JSON Pointer characters in characteristic keys are data, not bad input.

A key with ``/`` or ``~`` becomes a JSON Patch path segment (``~1`` and ``~0`` in RFC 6901): the keys
must round-trip exactly, an update of one of them must touch only that key, and a rerun must change
nothing and write nothing.
"""

import json

import pytest

from test_offer_instance import offer_args, writes

KEYS = {"a/b": "slash", "c~d": "tilde", "~1": "escaped-looking", "e~0/f": "both", "/": "root-looking",
        "ключ ✓": "unicode", "x y": "space"}


def _run(aep, aep_emulator, module, args, **kwargs):
    before = aep_emulator.stats()
    run = aep.playbook(aep.tasks("- name: task\n  aep.offers.%s: %s\n" % (module, json.dumps(args))), **kwargs)
    assert run.rc == 0, run.output
    return run.result("task"), writes(aep_emulator.stats()) - writes(before)


@pytest.mark.parametrize("module", ["offer_instance", "fallback_offer"])
def test_slash_and_tilde_keys_round_trip(aep, direct, aep_emulator, module):
    web = direct.placement("Web banner")
    args = offer_args(web, characteristics=dict(KEYS))
    if module == "fallback_offer":
        args = dict((k, v) for k, v in args.items() if k not in ("priority",))

    created, wrote = _run(aep, aep_emulator, module, args)
    assert created["changed"] is True and wrote == 1
    stored = direct.get(created["instance_id"]).json()["_instance"]["xdm:characteristics"]
    assert stored == KEYS

    again, wrote = _run(aep, aep_emulator, module, args)
    assert again["changed"] is False and wrote == 0, again

    changed = dict(KEYS, **{"a/b": "slash 2", "c~d": "tilde 2"})
    changed.pop("~1")
    plan, wrote = _run(aep, aep_emulator, module, dict(args, characteristics=changed), check=True, diff=True)
    assert plan["changed"] is True and wrote == 0
    paths = sorted(op["path"] for op in plan["patch"])
    assert paths == ["/_instance/xdm:characteristics/a~1b", "/_instance/xdm:characteristics/c~0d",
                     "/_instance/xdm:characteristics/~01"], plan["patch"]

    done, wrote = _run(aep, aep_emulator, module, dict(args, characteristics=changed))
    assert done["changed"] is True and wrote == 1
    assert direct.get(created["instance_id"]).json()["_instance"]["xdm:characteristics"] == changed

    steady, wrote = _run(aep, aep_emulator, module, dict(args, characteristics=changed))
    assert steady["changed"] is False and wrote == 0

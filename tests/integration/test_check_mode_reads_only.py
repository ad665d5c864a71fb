"""Check mode sends only reads: every module, with changes pending, asserted from the emulator's counters.

Like theforeman.foreman's check-mode tests, the proof is on the server side: whatever the modules
plan (creates, updates, deletes), the API sees GET requests and nothing else.
"""

import json

from test_each_module import CASES, _arrange
from test_offer_instance import writes

INFO_TASKS = [
    ("container_info", {}),
    ("offer_library_info", {"kind": "offer", "resolve_names": True}),
    ("ims_token", {}),
]


def _task(name, module, args):
    return "- name: %s\n  aep.offers.%s: %s\n  no_log: %s\n" % (
        json.dumps(name), module, json.dumps(args), "true" if module == "ims_token" else "false")


def test_every_module_plans_creates_updates_and_deletes_with_reads_only(aep, direct, aep_emulator):
    _arrange(direct)
    managed = dict((module, "Managed %s" % module) for module in CASES)
    applied = aep.playbook(aep.tasks(*[_task("apply " + m, m, dict(CASES[m][0], name=managed[m])) for m in sorted(CASES)]))
    assert applied.rc == 0 and applied.totals("changed") == len(CASES), applied.output

    tasks = []
    for module in sorted(CASES):
        create, change, _ = CASES[module]
        tasks.append(_task("create " + module, module, dict(create, name="Planned %s" % module)))
        instance_id = applied.result("apply " + module)["instance_id"]
        tasks.append(_task("update " + module, module, dict(create, instance_id=instance_id, **change)))
        tasks.append(_task("delete " + module, module, {"name": managed[module], "state": "absent"}))
    tasks += [_task("info " + module, module, args) for module, args in INFO_TASKS]
    before = aep_emulator.stats()
    planned = aep.playbook(aep.tasks(*tasks), check=True, diff=True)
    after = aep_emulator.stats()
    assert planned.rc == 0, planned.output
    for module in sorted(CASES):
        for verb in ("create", "update", "delete"):
            result = planned.result("%s %s" % (verb, module))
            assert result["changed"] is True, (verb, module, result)
    assert planned.totals("changed") == 3 * len(CASES)
    assert writes(after) == writes(before), (before, after)
    assert after["writes"] == before["writes"]
    assert after["requests"]["GET"] > before["requests"]["GET"]  # it did read
    # ... and the library is as the apply left it.
    for module in sorted(CASES):
        assert planned.result("update " + module)["etag"] == applied.result("apply " + module)["etag"]


def test_full_setup_plans_changes_and_teardown_with_reads_only(aep, aep_emulator):
    applied = aep.playbook("full_setup.yml")
    assert applied.rc == 0 and applied.totals("changed") > 0, applied.output
    before = aep_emulator.stats()
    changed = aep.playbook("full_setup.yml", check=True, diff=True,
                           extra_vars={"summer_priority": 11, "decision_status": "draft"})
    teardown = aep.playbook("full_setup.yml", check=True, extra_vars={"setup_state": "absent"})
    after = aep_emulator.stats()
    assert changed.rc == 0 and changed.totals("changed") == 2, changed.output  # the offers loop and the decision
    assert teardown.rc == 0 and teardown.totals("changed") >= 5, teardown.output
    assert writes(after) == writes(before) and after["writes"] == before["writes"]
    steady = aep.playbook("full_setup.yml")
    assert steady.rc == 0 and steady.totals("changed") == 0, steady.output  # nothing was applied by the plans

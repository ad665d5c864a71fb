"""Every case of bad_inputs.yml fails with a clear message naming the option, no traceback and no write."""

import json
from pathlib import Path

import yaml

CASES = yaml.safe_load((Path(__file__).resolve().parent / "bad_inputs.yml").read_text())


def _fill(value, placement):
    if isinstance(value, str):
        return value.replace("{placement}", placement)
    if isinstance(value, list):
        return [_fill(v, placement) for v in value]
    if isinstance(value, dict):
        return dict((k, _fill(v, placement)) for k, v in value.items())
    return value


def test_bad_input_table(aep, direct, xcore_emulator):
    assert len(CASES) >= 20
    xcore_emulator.add_sandbox("empty-sandbox", container=False)
    placement = direct.placement("Web banner")
    tasks = ["- name: %s\n  aep.offers.offer_instance: %s\n  ignore_errors: true" % (
        json.dumps(case["id"]), json.dumps(_fill(case["args"], placement))) for case in CASES]
    before = xcore_emulator.stats()
    run = aep.playbook(aep.tasks(*tasks), "-vvv")
    after = xcore_emulator.stats()
    assert run.totals("failed") == 0 and run.totals("ignored") == len(CASES), run.output
    for method in ("POST", "PATCH", "PUT", "DELETE"):
        assert after["requests"][method] == before["requests"][method], method
    assert "Traceback" not in run.output
    problems = []
    for case in CASES:
        result = run.result(case["id"])
        message = result.get("msg", "")
        if result["_status"] != "failed":
            problems.append("%s: did not fail" % case["id"])
        elif "Traceback" in str(result.get("exception", "")) or "module_stderr" in result:
            problems.append("%s: crashed: %s" % (case["id"], message))
        else:
            missing = [word for word in case["expect"] if word not in message]
            if missing:
                problems.append("%s: %r lacks %s" % (case["id"], message, missing))
    assert not problems, "\n".join(problems)

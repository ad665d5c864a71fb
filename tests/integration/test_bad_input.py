"""Every case of bad_inputs.yml fails with a clear message naming the option, no traceback and no write.

A case is one entry of the table: ``module`` (default offer_instance), ``args``, ``expect`` (strings
the message must contain), ``refused_write`` (the API refuses the write the case sends) and ``gap``
(the message does not name the option yet: ``{option, note}``; checked to still hold).
"""

import json
from pathlib import Path

import pytest
import yaml

CASES = yaml.safe_load((Path(__file__).resolve().parent / "bad_inputs.yml").read_text())
PLACEMENT_SCHEMA = "https://ns.adobe.com/experience/offer-management/offer-placement;version=0.4"


def _fill(value, values):
    if isinstance(value, str):
        for key, text in values.items():
            value = value.replace("{%s}" % key, text)
        return value
    if isinstance(value, list):
        return [_fill(v, values) for v in value]
    if isinstance(value, dict):
        return dict((_fill(k, values), _fill(v, values)) for k, v in value.items())
    return value


def _arrange(direct, aep_emulator, api):
    """What the placeholders of the table stand for, in the API the cases run through."""
    aep_emulator.add_sandbox("empty-sandbox", container=False)
    if api == "xcore":
        values = {"placement": direct.placement("Web banner"), "status_field": "xdm:status", "id_name": "@id"}
        for number in (1, 2):
            twin = direct.created(PLACEMENT_SCHEMA, {
                "xdm:name": "Twin banner", "xdm:channel": "https://ns.adobe.com/xdm/channel-types/web",
                "xdm:componentType": "https://ns.adobe.com/experience/offer-management/content-component-text"})
            values["twin%d" % number] = twin["@id"]
            values["twin%d_iid" % number] = twin["instanceId"]
    else:
        values = {"status_field": "status", "id_name": "id",
                  "placement": direct.dps.created("/placements", {"name": "Web banner"})["id"]}
        for number in (1, 2):
            values["twin%d" % number] = values["twin%d_iid" % number] = direct.dps.created(
                "/placements", {"name": "Twin banner", "channel": "https://ns.adobe.com/xdm/channel-types/web"})["id"]
    values["expired_token"] = direct.token
    aep_emulator.expire_tokens()
    values["long_condition"] = "profile.person.name.firstName = \"%s\"" % ("x" * 16 * 1024)
    return values


def _writes(stats):
    return sum(stats["requests"][m] for m in ("POST", "PATCH", "PUT", "DELETE"))


@pytest.mark.parametrize("api", ["xcore", "dps"])
def test_bad_input_table(aep, direct, aep_emulator, api):
    cases = [case for case in CASES if api in case.get("apis", ["xcore", "dps"])]
    assert len(cases) >= 30
    assert len(set(case["id"] for case in CASES)) == len(CASES)
    values = _arrange(direct, aep_emulator, api)
    tasks = ["- name: %s\n  aep.offers.%s: %s\n  ignore_errors: true" % (
        json.dumps(case["id"]), case.get("module", "offer_instance"), json.dumps(_fill(case["args"], values)))
        for case in cases]
    before = aep_emulator.stats()
    run = aep.playbook(aep.tasks(*tasks), "-vvv", env={"AEP_OFFERS_API": api})
    after = aep_emulator.stats()
    assert run.totals("failed") == 0 and run.totals("ignored") == len(cases), run.output
    refused = sum(1 for case in cases if case.get("refused_write"))
    assert _writes(after) - _writes(before) == refused  # only the writes the API refused were sent
    assert after["writes"] == before["writes"]  # and nothing was applied
    assert "Traceback" not in run.output
    problems = []
    for case in cases:
        result = run.result(case["id"])
        message = result.get("msg", "")
        if result["_status"] != "failed":
            problems.append("%s: did not fail" % case["id"])
        elif "Traceback" in str(result.get("exception", "")) or "module_stderr" in result:
            problems.append("%s: crashed: %s" % (case["id"], message))
        elif message.startswith("unexpected error"):
            problems.append("%s: unexpected error: %s" % (case["id"], message))
        else:
            missing = [word for word in _fill(case["expect"], values) if word not in message]
            if missing:
                problems.append("%s: %r lacks %s" % (case["id"], message[:600], missing))
            if "gap" in case and case["gap"]["option"] in message:
                problems.append("%s: the message names %s now: delete the gap line" % (case["id"], case["gap"]["option"]))
    assert not problems, "\n".join(problems)

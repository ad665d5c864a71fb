"""Every case of bad_inputs.yml fails with a clear message naming the option, no traceback and no write, through
each API the case names (both unless ``apis`` says otherwise).

A case is one entry of the table: ``module`` (default offer_instance), ``args``, ``expect`` (strings the message
must contain), ``refused_write`` (the API refuses the write the case sends) and ``gap`` (the message does not name
the option yet: ``{option, note}``; checked to still hold). The arguments go through Ansible's own validator, the
one AnsibleModule uses, so its messages (mutually exclusive, unsupported parameters, types) are the modules' own.
"""

from pathlib import Path

import pytest
import yaml

from aep_emulator.testing import ApiClient
from conftest import ORG, Sandbox

CASES = yaml.safe_load((Path(__file__).resolve().parent / "bad_inputs.yml").read_text(encoding="utf-8"))
APIS = ["xcore", "dps"]
PLACEMENT_SCHEMA = "https://ns.adobe.com/experience/offer-management/offer-placement;version=0.4"
TEXT = "https://ns.adobe.com/experience/offer-management/content-component-text"


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


def _arrange(sandbox, case, tmp_path):
    """What the placeholders the case uses stand for, in the API the case runs through (only those it uses)."""
    text = yaml.safe_dump(case)
    direct = ApiClient(sandbox.emulator, org=ORG, sandbox=sandbox.name)
    values = {"status_field": "xdm:status" if sandbox.api == "xcore" else "status",
              "id_name": "@id" if sandbox.api == "xcore" else "id",
              "long_condition": "profile.person.name.firstName = \"%s\"" % ("x" * 16 * 1024)}
    if "empty-sandbox" in text:
        sandbox.emulator.add_sandbox("empty-sandbox", container=False)
    if "{placement}" in text:
        values["placement"] = (direct.placement("Web banner") if sandbox.api == "xcore"
                               else direct.dps.created("/placements", {"name": "Web banner"})["id"])
    if "{twin" in text:
        for number in (1, 2):
            if sandbox.api == "xcore":
                twin = direct.created(PLACEMENT_SCHEMA, {"xdm:name": "Twin banner", "xdm:componentType": TEXT,
                                                         "xdm:channel": "https://ns.adobe.com/xdm/channel-types/web"})
                values["twin%d" % number], values["twin%d_iid" % number] = twin["@id"], twin["instanceId"]
            else:
                values["twin%d" % number] = values["twin%d_iid" % number] = direct.dps.created(
                    "/placements", {"name": "Twin banner", "channel": "https://ns.adobe.com/xdm/channel-types/web"})["id"]
    if "{empty_dir}" in text:
        (tmp_path / "empty").mkdir()
        values["empty_dir"] = str(tmp_path / "empty")
    if "{expired_token}" in text:
        values["expired_token"] = direct.token
        sandbox.emulator.expire_tokens()
    return values


def test_the_table_is_whole():
    assert len(set(case["id"] for case in CASES)) == len(CASES)
    for api in APIS:
        assert len([case for case in CASES if api in case.get("apis", APIS)]) >= 30, api
    for case in CASES:
        assert set(case) <= {"id", "apis", "module", "args", "expect", "refused_write", "gap"}, case["id"]


@pytest.mark.parametrize("api, case", [pytest.param(api, case, id="%s-%s" % (api, case["id"]))
                                       for case in CASES for api in case.get("apis", APIS)])
def test_bad_input_fails_naming_the_option_without_a_write(aep_emulator, tmp_path, monkeypatch, api, case):
    for variable in ("AEP_ITEM_SCHEMA_ID", "AEP_ITEM_CATALOG_ID", "AEP_TENANT"):  # the table sets none of them
        monkeypatch.delenv(variable, raising=False)
    sandbox = Sandbox(aep_emulator, api, tmp_path)
    values = _arrange(sandbox, case, tmp_path)
    before = aep_emulator.stats()
    with sandbox.counting() as sent:
        result = sandbox.attempt(case.get("module", "offer_instance"), **_fill(case["args"], values))
    message = result.get("msg", "")
    assert result.get("failed"), ("did not fail", result)
    assert "exception" not in result and not message.startswith("unexpected error"), ("crashed", result)
    missing = [word for word in _fill(case["expect"], values) if word not in message]
    assert not missing, "%r lacks %s" % (message[:600], missing)
    if "gap" in case:
        assert case["gap"]["option"] not in message, "the message names %s now: delete the gap line" % case["gap"]["option"]
    # Only the write the API refuses is sent (refused_write), and nothing is applied.
    assert sent.writes == (1 if case.get("refused_write") else 0), sent.by_method
    assert aep_emulator.stats()["writes"] == before["writes"]

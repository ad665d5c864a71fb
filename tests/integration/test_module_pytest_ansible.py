"""offer_instance run as a module through pytest-ansible's ad-hoc runner (no playbook file)."""

import os

import pytest


@pytest.fixture
def localhost(ansible_adhoc, aep, monkeypatch):
    for key in ("AEP_API_URL", "AEP_IMS_URL", "AEP_CLIENT_ID", "AEP_CLIENT_SECRET", "AEP_ORG_ID", "AEP_SANDBOX",
                "AEP_TOKEN_CACHE_DIR"):
        monkeypatch.setenv(key, aep.env[key])
    hosts = ansible_adhoc(inventory=str(aep.inventory), connection="local")
    return hosts["localhost"]


def run(host, **args):
    contacted = getattr(host, "aep.offers.offer_instance")(**args)
    return contacted["localhost"]


def test_module_create_rerun_and_absent(localhost, direct, aep_emulator):
    assert os.environ["AEP_API_URL"] == aep_emulator.url
    web = direct.placement("Web banner")
    args = dict(name="Adhoc offer", status="approved", representations=[
        dict(placement=web, components=[dict(type="json", format="application/json", content='{"a": 1}')])])
    created = run(localhost, **args)
    assert created["changed"] is True and created["action"] == "create", created
    before = aep_emulator.stats()
    again = run(localhost, **args)
    assert again["changed"] is False and again["etag"] == created["etag"]
    assert aep_emulator.stats()["requests"]["PATCH"] == before["requests"]["PATCH"]
    gone = run(localhost, name="Adhoc offer", state="absent", confirm="prod")  # AEP_SANDBOX=prod names it; confirm it
    assert gone["changed"] is True
    assert direct.get(created["instance_id"]).status_code == 404

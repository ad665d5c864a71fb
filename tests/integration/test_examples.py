"""The EXAMPLES of offer_instance and offer_library run as they are printed by ansible-doc, against the emulator."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from aep_emulator.testing import ApiClient
from conftest import OFFER_SCHEMA, ORG


def _examples(aep, module):
    completed = subprocess.run([str(Path(sys.executable).with_name("ansible-doc")), "--json", "aep.offers." + module],
                               capture_output=True, text=True, env=aep.env, check=True, stdin=subprocess.DEVNULL)
    return json.loads(completed.stdout)["aep.offers." + module]["examples"]


def _examples_playbook(aep, aep_emulator, examples):
    indented = "".join("    " + line + "\n" if line else "\n" for line in examples.splitlines())
    return aep.write_playbook("examples.yml", (
        "- hosts: localhost\n  gather_facts: false\n  vars:\n"
        "    aep_client_id: %s\n    aep_client_secret: %s\n    aep_org_id: %s\n    aep_sandbox: prod\n"
        "  tasks:\n" % (aep_emulator.client_id, aep_emulator.client_secret, ORG)) + indented)


@pytest.mark.smoke
def test_offer_instance_examples_run(aep, direct, aep_emulator):
    direct.placement("Web banner")
    direct.created("https://ns.adobe.com/experience/offer-management/tag;version=0.1", {"xdm:name": "Summer"})
    # The dps example names a qualifier and a rule of the sandbox's dps store.
    direct.dps.created("/tags", {"name": "Winter"})
    direct.dps.created("/offer-rules", {"name": "Gold US members", "condition": {
        "type": "PQL", "format": "pql/text", "value": "profile.homeAddress.countryCode = \"US\""}})
    examples = _examples(aep, "offer_instance")
    assert yaml.safe_load(examples.replace("!unsafe", ""))  # plain YAML tasks
    (aep.tmp_path / "summer-email.html").write_text("<h1>Hi {{profile.person.name.firstName}}</h1>")
    run = aep.playbook(_examples_playbook(aep, aep_emulator, examples))
    assert run.rc == 0, run.output
    # create, patch, rename, delete; then through dps create, caps, rename
    assert run.recap["localhost"]["changed"] == 7, run.output
    assert direct.by_name("https://ns.adobe.com/experience/offer-management/personalized-offer;version=0.5",
                          "Summer sale 25%") == []


@pytest.mark.smoke
def test_offer_library_examples_run(aep, aep_emulator):
    examples = _examples(aep, "offer_library")
    assert yaml.safe_load(examples.replace("!unsafe", ""))
    # The src examples read {{ playbook_dir }}/library/dev.yml through xcore, then dps: a placement (the inline
    # example's, in xcore), a rule and an offer that uses the placement.
    (aep.tmp_path / "library").mkdir()
    (aep.tmp_path / "library" / "dev.yml").write_text("\n".join([
        "placements:",
        "  - name: Web banner",
        "decision_rules:",
        "  - name: Gold",
        "    condition: profile.tier = \"gold\"",
        "offers:",
        "  - name: Gold welcome",
        "    status: approved",
        "    eligibility_rule: Gold",
        "    representations:",
        "      - placement: Web banner",
        "        components:",
        "          - type: text",
        "            content: \"Welcome back, {{profile.person.name.firstName}}\"",
    ]) + "\n")
    # The directory examples read library/dev/ as export_sandbox.yml writes it: one file per list.
    (aep.tmp_path / "library" / "dev").mkdir()
    for section, items in yaml.safe_load((aep.tmp_path / "library" / "dev.yml").read_text()).items():
        (aep.tmp_path / "library" / "dev" / (section + ".yml")).write_text(yaml.safe_dump({section: items}))
    playbook = _examples_playbook(aep, aep_emulator, examples)
    run = aep.playbook(playbook)
    assert run.rc == 0, run.output
    # the inline catalog, the file's through xcore and dps, then the directory applied to stage and removed again
    assert run.recap["localhost"]["changed"] == 5, run.output
    again = aep.playbook(playbook)
    # a rerun changes only stage: the export applied again, then removed again
    assert again.rc == 0 and again.recap["localhost"]["changed"] == 2, again.output
    assert ApiClient(aep_emulator, org=ORG, sandbox="stage").by_name(OFFER_SCHEMA, "Gold welcome") == []
    offer = ApiClient(aep_emulator, org=ORG, sandbox="dev").by_name(OFFER_SCHEMA, "Gold welcome")[0]["_instance"]
    content = offer["xdm:representations"][0]["xdm:components"][0]["xdm:content"]
    assert content == "Welcome back, {{profile.person.name.firstName}}"  # the file is not templated


DECISIONING_EXAMPLES = {  # module: changed tasks on a first run
    "eligibility_rule": 2, "ranking_formula": 1, "item_collection": 1, "decisioning_placement": 1,
    "decision_item": 2, "selection_strategy": 1,
}


@pytest.mark.parametrize("module", sorted(DECISIONING_EXAMPLES))
def test_decisioning_examples_run(aep, direct, aep_emulator, module):
    """What the examples refer to by name exists; everything else they create themselves."""
    pql = {"type": "PQL", "format": "pql/text", "value": "true"}
    direct.dps.created("/offer-rules", {"name": "Gold members", "exdRule": True, "condition": pql})
    direct.dps.created("/item-collections", {"name": "Gold items", "constraints": []})
    direct.dps.created("/ranking-formulas", {"name": "Boosted priority", "exdFunction": True, "expression": pql})
    examples = _examples(aep, module)
    assert yaml.safe_load(examples.replace("!unsafe", ""))
    before = aep_emulator.stats()
    run = aep.playbook(_examples_playbook(aep, aep_emulator, examples))
    assert run.rc == 0, run.output
    assert run.recap["localhost"]["changed"] == DECISIONING_EXAMPLES[module], run.output
    assert aep_emulator.stats()["apis"]["xcore"]["requests"] == before["apis"]["xcore"]["requests"]

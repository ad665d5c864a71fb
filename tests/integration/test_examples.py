"""The EXAMPLES of offer_instance run as they are printed by ansible-doc, against the emulator."""

import json
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import ORG


def _examples(aep, module):
    completed = subprocess.run([str(Path(sys.executable).with_name("ansible-doc")), "--json", "aep.offers." + module],
                               capture_output=True, text=True, env=aep.env, check=True, stdin=subprocess.DEVNULL)
    return json.loads(completed.stdout)["aep.offers." + module]["examples"]


def test_offer_instance_examples_run(aep, direct, xcore_emulator):
    direct.placement("Web banner")
    direct.create("https://ns.adobe.com/experience/offer-management/tag;version=0.1", {"xdm:name": "Summer"})
    examples = _examples(aep, "offer_instance")
    assert yaml.safe_load(examples.replace("!unsafe", ""))  # plain YAML tasks
    (aep.tmp_path / "summer-email.html").write_text("<h1>Hi {{profile.person.name.firstName}}</h1>")
    indented = "".join("    " + line + "\n" if line else "\n" for line in examples.splitlines())
    playbook = aep.write_playbook("examples.yml", (
        "- hosts: localhost\n  gather_facts: false\n  vars:\n"
        "    aep_client_id: %s\n    aep_client_secret: %s\n    aep_org_id: %s\n    aep_sandbox: prod\n"
        "  tasks:\n" % (xcore_emulator.client_id, xcore_emulator.client_secret, ORG)) + indented)
    run = aep.playbook(playbook)
    assert run.rc == 0, run.output
    assert run.recap["localhost"]["changed"] == 4, run.output  # create, patch, rename, delete
    assert direct.by_name("https://ns.adobe.com/experience/offer-management/personalized-offer;version=0.5",
                          "Summer sale 25%") == []

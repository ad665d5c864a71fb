"""offer_instance in a playbook: what only a playbook shows (module_defaults, --diff output, personalization syntax
kept from Ansible's templating). The module's behaviour is proven in-process on both APIs by tests/contract
(test_life.py, test_objects.py)."""

import json

import pytest

from aep_emulator.testing import ApiClient
from conftest import OFFER_SCHEMA, ORG


def writes(stats):
    return sum(stats["requests"][m] for m in ("POST", "PATCH", "PUT", "DELETE"))


def offer_args(placement, content="Here is your first sale offer!", **extra):
    args = {
        "name": "Summer sale",
        "status": "approved",
        "priority": 5,
        "tags": [],
        "representations": [{
            "placement": placement,
            "channel": "web",
            "components": [{"type": "text", "format": "text/plain", "language": ["en"], "content": content}],
        }],
    }
    args.update(extra)
    return args


@pytest.mark.smoke
def test_module_defaults_name_the_sandbox_and_diff_output_shows_the_change(aep, aep_emulator):
    """What only a playbook shows: module_defaults for the action group reach the module (here the sandbox, which
    also names it for a delete), and --diff prints the before and after of the managed fields. The module's own
    behaviour (create, rerun, patch, check mode, absent) is proven in-process on both APIs by tests/contract."""
    dev = ApiClient(aep_emulator, org=ORG, sandbox="dev")
    web = dev.placement("Web banner")
    playbook = aep.write_playbook("defaults.yml", """
- hosts: localhost
  gather_facts: false
  vars:
    priority: 5
    state: present
  module_defaults:
    group/aep.offers.offer_library:
      sandbox: dev
      confirm: dev
  tasks:
    - name: offer
      aep.offers.offer_instance: %s
""" % json.dumps(dict(offer_args(web), priority="{{ priority }}", state="{{ state }}")))
    env = {"AEP_SANDBOX": ""}  # only module_defaults name the sandbox
    first = aep.playbook(playbook, env=env)
    assert first.rc == 0 and first.result("offer")["changed"] is True, first.output
    assert len(dev.by_name(OFFER_SCHEMA, "Summer sale")) == 1
    assert ApiClient(aep_emulator, org=ORG).by_name(OFFER_SCHEMA, "Summer sale") == []  # not in prod

    planned = aep.playbook(playbook, env=env, check=True, diff=True, extra_vars={"priority": 9})
    assert planned.rc == 0 and planned.result("offer")["changed"] is True, planned.output
    assert '-        "xdm:priority": 5' in planned.stdout and '+        "xdm:priority": 9' in planned.stdout, planned.stdout

    gone = aep.playbook(playbook, env=env, extra_vars={"state": "absent"})
    assert gone.rc == 0 and gone.result("offer")["changed"] is True, gone.output
    assert dev.by_name(OFFER_SCHEMA, "Summer sale") == []


def test_personalization_syntax_survives_templating(aep, direct):
    web = direct.placement("Web banner")
    (aep.tmp_path / "content.html").write_text("<p>Hi {{profile.person.name.firstName}}!</p>")
    playbook = aep.write_playbook("templating.yml", """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: unsafe
      aep.offers.offer_instance:
        name: Unsafe offer
        representations:
          - placement: %(web)s
            components:
              - type: text
                content: !unsafe "Hello {{profile.person.name.firstName}}"
    - name: from a file
      aep.offers.offer_instance:
        name: File offer
        representations:
          - placement: %(web)s
            components:
              - type: html
                content: "{{ lookup('ansible.builtin.file', '%(path)s') }}"
""" % {"web": web, "path": aep.tmp_path / "content.html"})
    run = aep.playbook(playbook)
    assert run.rc == 0, run.output
    unsafe = direct.get(run.result("unsafe")["instance_id"]).json()
    from_file = direct.get(run.result("from a file")["instance_id"]).json()
    assert unsafe["_instance"]["xdm:representations"][0]["xdm:components"][0]["xdm:content"] == "Hello {{profile.person.name.firstName}}"
    assert from_file["_instance"]["xdm:representations"][0]["xdm:components"][0]["xdm:content"] == \
        "<p>Hi {{profile.person.name.firstName}}!</p>"
    rerun = aep.playbook(playbook)
    assert rerun.rc == 0 and rerun.totals("changed") == 0, rerun.output

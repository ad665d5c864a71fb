"""offer_library in a playbook: a src file is read by the module, so Ansible never templates it, and a relative src is
found beside the playbook. The module's behaviour (plan, order, no-op, prune, failures, conflicts, files) is proven
in-process on both APIs by tests/contract (test_library.py, test_library_apply.py). ``declaration`` and ``run`` serve
other playbook tests."""

import json
import textwrap

import pytest
import yaml

from conftest import OFFER_SCHEMA
from test_offer_instance import writes

REP = [{"placement": "Web banner", "channel": "web", "components": [{"type": "text", "content": "Hello"}]}]


def declaration(offers=3):
    return {
        "placements": [{"name": "Web banner", "channel": "web", "component_type": "text", "content_types": ["text/plain"]},
                       {"name": "Email hero", "channel": "email", "component_type": "html"}],
        "collection_qualifiers": [{"name": "Summer"}, {"name": "Loyalty"}],
        "decision_rules": [{"name": "Gold", "condition": 'profile.tier = "gold"'}],
        "offers": [{"name": "Offer %d" % i, "status": "approved", "priority": i, "tags": ["Summer"],
                    "eligibility_rule": "Gold", "representations": REP} for i in range(offers)],
        "fallback_offers": [{"name": "Fallback", "status": "approved", "representations": REP}],
        "collections": [{"name": "Summer offers", "qualifiers": ["Summer"]},
                        {"name": "Picked", "offers": ["Offer 0", "Offer 1"]}],
        "decisions": [{"name": "Home", "status": "live", "fallback": "Fallback",
                       "criteria": [{"placements": ["Web banner"], "collection": "Summer offers", "eligibility_rule": "Gold"}]}],
    }


def run(aep, library, **kwargs):
    path = aep.tmp_path / ("library-%d.json" % aep.runs)
    extra = dict(kwargs.pop("extra", {}), library=library)
    path.write_text(json.dumps(extra))
    return aep.playbook("offer_library.yml", "-e", "@%s" % path, **kwargs)


@pytest.mark.smoke
def test_declaration_from_a_file_is_not_templated(aep, aep_emulator, direct, tmp_path):
    """A relative src beside the playbook, run from another directory: found, read by the module as written (Adobe's
    {{...}} and {%...%} need no !unsafe), and a rerun writes nothing."""
    library = declaration(offers=2)
    greeting = "Hi {{profile.person.name.firstName}}, {% if profile.tier %}gold{% endif %}"
    library["offers"][0]["representations"] = [
        {"placement": "Web banner", "channel": "web", "components": [{"type": "text", "content": greeting}]}]
    project = tmp_path / "project"
    project.mkdir()
    (project / "library.yml").write_text(yaml.safe_dump(library))
    playbook = project / "site.yml"
    playbook.write_text(textwrap.dedent("""\
        - hosts: localhost
          gather_facts: false
          tasks:
            - name: library
              aep.offers.offer_library:
                src: library.yml
        """))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    first = aep.playbook(playbook, cwd=elsewhere)
    assert first.rc == 0 and first.result("library")["summary"]["create"] == 11, first.output
    stored = direct.by_name(OFFER_SCHEMA, "Offer 0")[0]["_instance"]
    assert stored["xdm:representations"][0]["xdm:components"][0]["xdm:content"] == greeting
    before = aep_emulator.stats()
    again = aep.playbook(playbook, cwd=elsewhere)
    assert again.rc == 0 and again.result("library")["changed"] is False, again.output
    assert writes(aep_emulator.stats()) == writes(before)

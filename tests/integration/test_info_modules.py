"""The read-only modules: container_info, offer_library_info (paging, filters, export and re-apply), ims_token."""

import json

from conftest import ORG
from test_offer_instance import writes


def test_container_info_lists_the_prod_container(aep, aep_emulator):
    run = aep.playbook(aep.tasks("- name: containers\n  aep.offers.container_info:\n"))
    assert run.rc == 0, run.output
    result = run.result("containers")
    assert result["changed"] is False
    containers = result["containers"]
    assert [c["container_id"] for c in containers] == [aep_emulator.container_id("prod", ORG)]
    assert containers[0]["container_type"] == "decisioning"
    assert set(containers[0]) == {"container_id", "name", "sandbox", "container_type", "product_contexts"}


def test_container_info_answers_an_empty_list_for_a_sandbox_without_one(aep, aep_emulator):
    aep_emulator.add_sandbox("empty", container=False)
    run = aep.playbook(aep.tasks("- name: containers\n  aep.offers.container_info:\n    sandbox: empty\n"))
    assert run.rc == 0, run.output
    assert run.result("containers")["containers"] == []


def info_task(args, name="info"):
    return "- name: %s\n  aep.offers.offer_library_info: %s\n  register: info\n" % (name, json.dumps(args))


def test_offer_library_info_follows_every_page(aep, aep_emulator, direct):
    ids = set(direct.placement("P%03d" % i) for i in range(250))
    before = aep_emulator.stats()
    run = aep.playbook(aep.tasks(info_task({"kind": "placement"})))
    assert run.rc == 0, run.output
    after = aep_emulator.stats()
    result = run.result("info")
    assert result["count"] == 250 and len(result["objects"]) == 250
    assert set(o["id"] for o in result["objects"]) == ids
    assert after["requests"]["GET"] - before["requests"]["GET"] == 3 + 1  # three list pages + the container discovery
    assert writes(after) == writes(before)
    first = result["objects"][0]
    assert set(first) == {"instance_id", "id", "etag", "options"}
    assert first["options"] == {"name": first["options"]["name"], "channel": "web", "component_type": "text",
                                "content_types": ["text/plain"]}


def test_offer_library_info_filters_order_and_limit(aep, direct):
    for i in range(5):
        direct.placement("F%d" % i, channel="https://ns.adobe.com/xdm/channel-types/" + ("email" if i % 2 else "web"))
    run = aep.playbook(aep.tasks(
        info_task({"kind": "placement", "filters": ["_instance.xdm:channel==https://ns.adobe.com/xdm/channel-types/email"]},
                  name="email"),
        info_task({"kind": "placement", "order_by": "-_instance.xdm:name", "limit": 3}, name="last three"),
        info_task({"kind": "placement", "name": "F2"}, name="by name"),
    ))
    assert run.rc == 0, run.output
    assert sorted(o["options"]["name"] for o in run.result("email")["objects"]) == ["F1", "F3"]
    assert [o["options"]["name"] for o in run.result("last three")["objects"]] == ["F4", "F3", "F2"]
    by_name = run.result("by name")["objects"]
    assert len(by_name) == 1 and by_name[0]["options"]["name"] == "F2"
    by_id = aep.playbook(aep.tasks(info_task({"kind": "placement", "id": by_name[0]["id"]}, name="by id")))
    assert by_id.rc == 0, by_id.output
    assert [o["instance_id"] for o in by_id.result("by id")["objects"]] == [by_name[0]["instance_id"]]


# Every option of every module, so each exported object is applied exactly as exported (an xcore export holds none of
# the options only dps has, so they are omitted).
MODULE_OPTIONS = {
    "placement": ["description", "channel", "component_type", "content_types", "item_count", "allow_duplicate_placements",
                  "return_content", "return_metadata"],
    "collection_qualifier": [],
    "decision_rule": ["description", "condition", "defined_on"],
    "offer_instance": ["status", "representations", "start_date", "end_date", "eligibility_rule", "priority", "capping",
                       "frequency_capping", "tags", "characteristics"],
    "fallback_offer": ["status", "representations", "tags", "characteristics"],
    "offer_collection": ["filter_type", "offers", "qualifiers"],
    "decision": ["status", "start_date", "end_date", "criteria", "fallback"],
}
INFO_KIND = {"offer_instance": "offer"}


def reapply_playbook():
    tasks = []
    for module, options in MODULE_OPTIONS.items():
        kind = INFO_KIND.get(module, module)
        tasks.append("- name: export %s\n  aep.offers.offer_library_info:\n    kind: %s\n    resolve_names: true\n"
                     "  register: export_%s\n" % (kind, kind, kind))
    for module, options in MODULE_OPTIONS.items():
        kind = INFO_KIND.get(module, module)
        lines = ["- name: apply %s" % kind, "  aep.offers.%s:" % module, "    name: \"{{ item.options.name }}\""]
        lines += ["    %s: \"{{ item.options.%s | default(omit) }}\"" % (o, o) for o in options]
        lines += ["  loop: \"{{ export_%s.objects }}\"" % kind, "  register: apply_%s" % kind]
        tasks.append("\n".join(lines) + "\n")
    return tasks


def test_export_then_reapply_changes_nothing(aep, aep_emulator):
    setup = aep.playbook("full_setup.yml")
    assert setup.rc == 0, setup.output
    before = aep_emulator.stats()
    run = aep.playbook(aep.tasks(*reapply_playbook()))
    assert run.rc == 0, run.output
    assert run.totals("changed") == 0, run.output
    assert writes(aep_emulator.stats()) == writes(before)

    counts = {INFO_KIND.get(m, m): run.result("export %s" % INFO_KIND.get(m, m))["count"] for m in MODULE_OPTIONS}
    assert counts == {"placement": 2, "collection_qualifier": 2, "decision_rule": 1, "offer": 2, "fallback_offer": 1,
                      "offer_collection": 2, "decision": 1}
    for kind in counts:
        assert len(run.result("apply %s" % kind)["results"]) == counts[kind]
    offers = {o["options"]["name"]: o["options"] for o in run.result("export offer")["objects"]}
    summer = offers["Summer sale"]
    assert summer["eligibility_rule"] == "Gold members" and summer["tags"] == ["Summer"] and summer["priority"] == 10
    assert summer["representations"] == [{"placement": "Web banner", "channel": "web", "components": [
        {"type": "text", "format": "text/plain", "language": ["en"], "content": "Summer is here"}]}]
    decision = run.result("export decision")["objects"][0]["options"]
    assert decision["fallback"] == "Default banner"
    assert decision["criteria"][0] == {"placements": ["Web banner"], "collection": "Summer offers"}
    rule = run.result("export decision_rule")["objects"][0]["options"]
    assert "{{not templated}}" in rule["condition"]
    collections = {o["options"]["name"]: o["options"] for o in run.result("export offer_collection")["objects"]}
    assert collections["Hand picked"]["filter_type"] == "offers"
    assert sorted(collections["Hand picked"]["offers"]) == ["Loyal summer", "Summer sale"]
    assert collections["Summer offers"] == {"name": "Summer offers", "filter_type": "anyTags", "qualifiers": ["Summer"]}


def test_export_without_resolve_names_keeps_ids(aep):
    setup = aep.playbook("full_setup.yml")
    assert setup.rc == 0, setup.output
    run = aep.playbook(aep.tasks(info_task({"kind": "decision"})))
    assert run.rc == 0, run.output
    options = run.result("info")["objects"][0]["options"]
    assert options["fallback"].startswith("xcore:fallback-offer:")
    assert all(p.startswith("xcore:offer-placement:") for c in options["criteria"] for p in c["placements"])


def test_ims_token_serves_as_access_token_and_stays_hidden(aep, aep_emulator, direct):
    placement = direct.placement("Web banner")
    playbook = aep.write_playbook("token.yml", """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: token
      aep.offers.ims_token:
        client_secret: "{{ secret }}"
        token_cache: false
      register: token
      no_log: true

    - name: offer with the token
      module_defaults:
        group/aep.offers.offer_library:
          access_token: "{{ token.access_token }}"
      aep.offers.offer_instance:
        name: Token offer
        status: approved
        representations:
          - placement: %s
            channel: web
            components: [{type: text, content: hello}]
      register: offer

    - name: leak check
      ansible.builtin.copy:
        content: "{{ token.access_token }}"
        dest: "%s"
      no_log: true
""" % (placement, aep.tmp_path / "token.txt"))
    before = aep_emulator.stats()
    # The secret is not in the environment: the offer task can only use the token.
    run = aep.playbook(playbook, verbosity=3, extra_vars={"secret": aep_emulator.client_secret}, env={"AEP_CLIENT_SECRET": ""})
    token = (aep.tmp_path / "token.txt").read_text() if (aep.tmp_path / "token.txt").exists() else None
    assert run.rc == 0, run.output
    assert token and len(token) > 10
    assert token not in run.output
    assert run.result("offer with the token")["changed"] is True
    assert aep_emulator.stats()["token_requests"] - before["token_requests"] == 1


def test_ims_token_reuses_the_cached_token(aep, aep_emulator):
    play = aep.tasks("- name: token\n  aep.offers.ims_token:\n  register: token\n  no_log: true\n"
                     "- name: keep\n  ansible.builtin.set_fact:\n    seen: \"{{ token.cached }}/{{ token.expires_in is defined }}\"\n")
    before = aep_emulator.stats()
    first = aep.playbook(play)
    second = aep.playbook(play)
    assert first.rc == 0 and second.rc == 0, first.output + second.output
    assert first.result("keep")["ansible_facts"]["seen"] == "False/True"
    assert second.result("keep")["ansible_facts"]["seen"] == "True/False"
    assert first.result("token")["changed"] is False
    assert aep_emulator.stats()["token_requests"] - before["token_requests"] == 1

"""offer_instance against the emulator: the life of an offer, concurrency, faults, tokens and templating."""

import pytest

from conftest import OFFER_SCHEMA


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
def test_lifecycle_create_noop_update_check_diff_absent(aep, direct, aep_emulator):
    web = direct.placement("Web banner")

    first = aep.playbook(aep.tasks(aep.offer_task(offer_args(web))))
    assert first.rc == 0, first.output
    created = first.result("offer")
    assert created["changed"] is True and created["action"] == "create"
    assert created["instance_id"] and created["id"].startswith("xcore:personalized-offer:")
    stored = direct.get(created["instance_id"]).json()
    assert stored["_instance"]["xdm:status"] == "approved"
    assert stored["_instance"]["xdm:representations"][0]["xdm:components"][0]["xdm:content"] == "Here is your first sale offer!"
    assert created["etag"] == stored["repo:etag"]

    # Second run: nothing to change, one read of the offer plus the container discovery, no write.
    before = aep_emulator.stats()
    second = aep.playbook(aep.tasks(aep.offer_task(offer_args(web))))
    after = aep_emulator.stats()
    assert second.rc == 0 and second.totals("changed") == 0, second.output
    assert writes(after) == writes(before)
    assert after["requests"]["GET"] - before["requests"]["GET"] == 2  # container discovery + the offer look-up
    assert second.result("offer")["patch"] == []

    # Update one component: one PATCH, a replace at the precise path, the etag raised by one.
    third = aep.playbook(aep.tasks(aep.offer_task(offer_args(web, content="Now 25% off!"))))
    updated = third.result("offer")
    assert third.rc == 0 and updated["changed"] is True, third.output
    assert updated["patch"] == [{"op": "replace", "path": "/_instance/xdm:representations/0/xdm:components/0/xdm:content",
                                 "value": "Now 25% off!"}]
    assert updated["etag"] == created["etag"] + 1
    assert direct.get(created["instance_id"]).json()["repo:etag"] == updated["etag"]

    # Check mode with diff: reports the change and the patch, writes nothing.
    before = aep_emulator.stats()
    planned = aep.playbook(aep.tasks(aep.offer_task(offer_args(web, content="Maybe 30%?", priority=9))), check=True, diff=True)
    after = aep_emulator.stats()
    plan = planned.result("offer")
    assert planned.rc == 0 and plan["changed"] is True, planned.output
    assert writes(after) == writes(before)
    assert {op["path"] for op in plan["patch"]} == {
        "/_instance/xdm:representations/0/xdm:components/0/xdm:content", "/_instance/xdm:rank/xdm:priority"}
    assert plan["diff"]["before"]["xdm:rank"] == {"xdm:priority": 5}
    assert plan["diff"]["after"]["xdm:rank"] == {"xdm:priority": 9}
    # --diff prints the before/after of the managed fields.
    assert '-        "xdm:priority": 5' in planned.stdout and '+        "xdm:priority": 9' in planned.stdout, planned.stdout
    assert direct.get(created["instance_id"]).json()["_instance"]["xdm:rank"]["xdm:priority"] == 5

    # absent, then absent again.
    gone = aep.playbook(aep.tasks(aep.offer_task({"name": "Summer sale", "state": "absent"})))
    assert gone.rc == 0 and gone.result("offer")["changed"] is True, gone.output
    assert direct.get(created["instance_id"]).status_code == 404
    again = aep.playbook(aep.tasks(aep.offer_task({"name": "Summer sale", "state": "absent"})))
    assert again.rc == 0 and again.result("offer")["changed"] is False, again.output


def test_seed_scenario_adds_a_representation(aep, direct):
    """The seed page's request: a representation for a new placement becomes one `add .../-`."""
    web = direct.placement("Web banner")
    email = direct.placement("Email hero", channel="https://ns.adobe.com/xdm/channel-types/email")
    first = aep.playbook(aep.tasks(aep.offer_task(offer_args(web))))
    assert first.rc == 0, first.output
    etag = first.result("offer")["etag"]
    args = offer_args(web)
    args["representations"].insert(0, {"placement": email, "channel": "email", "components": [{
        "type": "text", "format": "text/plain", "language": ["en"], "content": "Here is your first sale offer!"}]})
    second = aep.playbook(aep.tasks(aep.offer_task(args)))
    result = second.result("offer")
    assert second.rc == 0 and result["changed"] is True, second.output
    assert result["patch"] == [{"op": "add", "path": "/_instance/xdm:representations/-", "value": {
        "xdm:placement": email, "xdm:channel": "https://ns.adobe.com/xdm/channel-types/email",
        "xdm:components": [{
            "@type": "https://ns.adobe.com/experience/offer-management/content-component-text",
            "dc:format": "text/plain", "dc:language": ["en"], "xdm:content": "Here is your first sale offer!"}]}}]
    assert result["etag"] == etag + 1
    # Order alone is no change.
    args["representations"].reverse()
    third = aep.playbook(aep.tasks(aep.offer_task(args)))
    assert third.rc == 0 and third.result("offer")["changed"] is False, third.output


def test_references_by_name_and_tags_as_a_set(aep, direct, aep_emulator):
    direct.placement("Web banner")
    args = offer_args("Web banner")
    first = aep.playbook(aep.tasks(aep.offer_task(args)))
    assert first.rc == 0, first.output
    offer = direct.get(first.result("offer")["instance_id"]).json()
    assert offer["_instance"]["xdm:representations"][0]["xdm:placement"].startswith("xcore:offer-placement:")
    unknown = aep.playbook(aep.tasks(aep.offer_task(offer_args("No such placement"))))
    assert unknown.rc != 0
    message = unknown.result("offer")["msg"]
    assert "representations[].placement" in message and "No such placement" in message


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


def test_retries_after_429_and_503_with_retry_after(aep, direct, aep_emulator):
    web = direct.placement("Web banner")
    first = aep.playbook(aep.tasks(aep.offer_task(offer_args(web))))
    assert first.rc == 0, first.output
    aep_emulator.faults(fail_next=[{"status": 429, "retry_after": 1}, {"status": 503}, {"status": 503, "retry_after": 1}])
    run = aep.playbook(aep.tasks(aep.offer_task(offer_args(web, content="After the storm"))))
    result = run.result("offer")
    assert run.rc == 0 and result["changed"] is True, run.output
    assert result["retries"] == 3
    instance = direct.get(result["instance_id"]).json()
    assert instance["_instance"]["xdm:representations"][0]["xdm:components"][0]["xdm:content"] == "After the storm"


def test_lost_create_answer_makes_no_duplicate(aep, direct, aep_emulator):
    web = direct.placement("Web banner")
    aep_emulator.faults(drop_after_commit_next=1)
    run = aep.playbook(aep.tasks(aep.offer_task(offer_args(web))))
    assert run.rc == 0 and run.result("offer")["changed"] is True, run.output
    assert len(direct.by_name(OFFER_SCHEMA, "Summer sale")) == 1
    rerun = aep.playbook(aep.tasks(aep.offer_task(offer_args(web))))
    assert rerun.rc == 0 and rerun.totals("changed") == 0, rerun.output


def test_lost_patch_answer_is_not_applied_twice(aep, direct, aep_emulator):
    web = direct.placement("Web banner")
    first = aep.playbook(aep.tasks(aep.offer_task(offer_args(web, tags=[]))))
    assert first.rc == 0, first.output
    email = direct.placement("Email hero")
    args = offer_args(web)
    args["representations"].append({"placement": email, "components": [{"type": "text", "content": "x"}]})
    aep_emulator.faults(drop_after_commit_next=1)
    run = aep.playbook(aep.tasks(aep.offer_task(args)))
    assert run.rc == 0 and run.result("offer")["changed"] is True, run.output
    stored = direct.get(first.result("offer")["instance_id"]).json()
    assert [r["xdm:placement"] for r in stored["_instance"]["xdm:representations"]] == [web, email]
    assert stored["repo:etag"] == first.result("offer")["etag"] + 1


def test_one_token_serves_the_play_and_an_expired_token_is_refreshed_once(aep, direct, aep_emulator):
    web = direct.placement("Web banner")
    tasks = [aep.offer_task(offer_args(web, name="Offer %d" % i), name="offer %d" % i) for i in range(3)]
    before = aep_emulator.stats()["token_requests"]
    run = aep.playbook(aep.tasks(*tasks))
    assert run.rc == 0, run.output
    assert aep_emulator.stats()["token_requests"] - before == 1
    aep_emulator.expire_tokens()
    before = aep_emulator.stats()["token_requests"]
    rerun = aep.playbook(aep.tasks(*tasks))
    assert rerun.rc == 0 and rerun.totals("changed") == 0, rerun.output
    assert aep_emulator.stats()["token_requests"] - before == 1
    cache_files = list((aep.tmp_path / "token-cache").glob("*.json"))
    assert len(cache_files) == 1 and cache_files[0].stat().st_mode & 0o777 == 0o600


def test_concurrent_edit_between_read_and_write_survives(aep, direct, aep_emulator):
    """Another user changes another field after our read: 409, re-read, re-plan; both changes are kept."""
    web = direct.placement("Web banner")
    first = aep.playbook(aep.tasks(aep.offer_task(offer_args(web))))
    assert first.rc == 0, first.output
    offer = first.result("offer")
    aep_emulator.mutate(direct.cid, offer["instance_id"],
                          [{"op": "replace", "path": "/_instance/xdm:characteristics", "value": {"owner": "someone else"}}],
                          when="before_next_write")
    run = aep.playbook(aep.tasks(aep.offer_task(offer_args(web, priority=42))))
    result = run.result("offer")
    assert run.rc == 0 and result["changed"] is True, run.output
    assert "changed since it was read (409)" in run.output
    stored = direct.get(offer["instance_id"]).json()
    assert stored["_instance"]["xdm:rank"]["xdm:priority"] == 42
    assert stored["_instance"]["xdm:characteristics"] == {"owner": "someone else"}
    assert stored["repo:etag"] == offer["etag"] + 2 == result["etag"]

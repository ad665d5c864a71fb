"""How one object converges, through each API: references by name, conflicts, lost answers, check mode, errors."""

import pytest

from aep_emulator.testing import ApiClient
from conftest import ORG

TEXT = [{"type": "text", "format": "text/plain", "language": ["en-us"], "content": "Hi"}]
PLACEMENTS = [{"name": "Web banner", "channel": "web", "component_type": "text"},
              {"name": "Email hero", "channel": "email", "component_type": "text"}]
# The same field in each API's names, for another user's patch (the control API writes as the API stores).
FIELDS = {"xcore": {"description": "/_instance/xdm:description", "status": "/_instance/xdm:status"},
          "dps": {"description": "/description", "status": "/status"}}


def other_user(sandbox, result, field, value, when="before_next_write"):
    """Someone else writes ``field`` of the object ``result`` describes, now or just before our next write."""
    emulator = sandbox.emulator
    op = [{"op": "add", "path": FIELDS[sandbox.api][field], "value": value}]
    if sandbox.api == "xcore":
        emulator.mutate(emulator.container_id(sandbox.name, ORG), result["instance_id"], op, when=when)
    else:
        emulator.dps_mutate(result["id"], op, when=when)


def raw_qualifier(sandbox, name):
    """A collection qualifier made without the collection (the API lets several share a name)."""
    direct = ApiClient(sandbox.emulator, org=ORG, sandbox=sandbox.name)
    if sandbox.api == "xcore":
        return direct.created("tag", {"xdm:name": name})["@id"]
    return direct.dps.created("/tags", {"name": name})["id"]


def offer(**options):
    return dict({"name": "Sale", "status": "approved",
                 "representations": [{"placement": "Web banner", "channel": "web", "components": TEXT}]}, **options)


# References by name -------------------------------------------------------------------------------

def test_names_resolve_to_ids_once_per_distinct_name(sandbox):
    sandbox.run("offer_library", placements=PLACEMENTS, collection_qualifiers=[{"name": "vip"}, {"name": "vipp"}, {"name": "gold"}])
    with sandbox.counting() as sent:
        made = sandbox.run("offer_instance", **offer(tags=["vip", "gold", "vip"]))
    # one look-up of the offer, one per distinct name (placement, vip, gold), never per use; the new offer read back
    assert sent.reads == 5 + (1 if sandbox.api == "xcore" else 0)  # xcore also finds the sandbox's container
    options = sandbox.options("offer", "Sale")
    assert sorted(options["tags"]) == ["gold", "vip"] and options["representations"][0]["placement"] == "Web banner"
    assert made["changed"] is True


def test_an_unknown_name_names_the_option_and_nothing_is_written(sandbox):
    sandbox.run("offer_library", placements=PLACEMENTS)
    with sandbox.counting() as sent:
        failed = sandbox.fails("offer_instance", **offer(representations=[{"placement": "Web banne", "components": TEXT}]))
    assert failed["msg"].startswith("representations[].placement: no placement is named 'Web banne' in this sandbox")
    assert failed["option"] == "representations[].placement" and sent.writes == 0


def test_a_name_several_objects_share_asks_for_the_id(sandbox):
    sandbox.run("offer_library", placements=PLACEMENTS)
    first, second = raw_qualifier(sandbox, "vip"), raw_qualifier(sandbox, "vip")
    with sandbox.counting() as sent:
        failed = sandbox.fails("offer_instance", **offer(tags=["vip"]))
    assert "tags[]: 2 collection qualifiers are named 'vip'" in failed["msg"] and sent.writes == 0
    assert sorted(failed["ids"]) == sorted([first, second])
    sandbox.run("offer_instance", **offer(tags=[first]))  # the id chooses one
    assert sandbox.info("offer")[0]["options"]["tags"] == [first]


def test_two_objects_with_the_task_name_are_not_guessed(sandbox):
    first, second = raw_qualifier(sandbox, "vip"), raw_qualifier(sandbox, "vip")
    failed = sandbox.fails("collection_qualifier", name="vip")
    assert "2 collection qualifiers are named 'vip'" in failed["msg"] and "instance_id" in failed["msg"]
    assert len(failed["instance_ids"]) == 2


def test_an_id_of_another_kind_is_refused_before_any_request(aep_emulator, tmp_path):
    from conftest import Sandbox
    xcore = Sandbox(aep_emulator, "xcore", tmp_path)
    with xcore.counting() as sent:
        failed = xcore.fails("offer_instance", **offer(tags=["xcore:offer-placement:1a2b3c"]))
    assert failed["msg"].startswith("tags[]: ") and sent.reads == 0 and sent.writes == 0


def test_the_diff_shows_references_by_name_and_id(sandbox):
    sandbox.run("offer_library", placements=PLACEMENTS)
    made = sandbox.run("offer_instance", **offer())
    plan = sandbox.run("offer_instance", check=True, diff=True, instance_id=made["instance_id"],
                       representations=[{"placement": "Email hero", "channel": "email", "components": TEXT}])
    email = [r for r in sandbox.info("placement") if r["options"]["name"] == "Email hero"][0]["id"]
    after = plan["diff"]["after"]
    rendered = str(after)
    assert "Email hero (%s)" % email in rendered
    assert email in str(plan["patch"]) and "Email hero (" not in str(plan["patch"])  # the patch holds ids


# Updates: If-Match, conflicts --------------------------------------------------------------------

def test_an_update_is_one_minimal_patch_with_the_etag_read(sandbox):
    sandbox.run("offer_library", placements=PLACEMENTS, collection_qualifiers=[{"name": "vip"}, {"name": "gold"}])
    made = sandbox.run("offer_instance", **offer(tags=["vip"], priority=1))
    with sandbox.counting() as sent:
        done = sandbox.run("offer_instance", instance_id=made["instance_id"], priority=3, tags=["vip", "gold"])
    assert sent.writes == 1 and done["action"] == "update" and done["etag"] != made["etag"]
    assert len(done["patch"]) == 2  # the priority, and one tag added: nothing else is sent
    options = sandbox.options("offer", "Sale")
    assert options["priority"] == 3 and sorted(options["tags"]) == ["gold", "vip"] and options["status"] == "approved"


def test_someone_else_writing_in_between_is_read_again_and_kept(sandbox):
    sandbox.run("offer_library", placements=PLACEMENTS)
    made = sandbox.run("placement", name="Side", channel="web", component_type="text")
    other_user(sandbox, made, "description", "theirs")
    with sandbox.counting() as sent:
        done = sandbox.run("placement", name="Side", component_type="html")
    assert sent.writes == 2 and done["changed"] is True
    assert any("changed since it was read (%s)" % (409 if sandbox.api == "xcore" else 412) in w for w in done["warnings"])
    options = sandbox.options("placement", "Side")
    assert options["description"] == "theirs" and options["component_type"] == "html"


def test_conflicts_give_up_after_conflict_retries(sandbox):
    made = sandbox.run("placement", name="Side", channel="web")
    other_user(sandbox, made, "description", "theirs")
    failed = sandbox.fails("placement", name="Side", description="ours", conflict_retries=0)
    assert "kept changing under us: 1 conflicts" in failed["msg"]
    assert sandbox.options("placement", "Side")["description"] == "theirs"


def test_a_failed_update_is_reported_with_the_api_answer(sandbox):
    made = sandbox.run("placement", name="Side", channel="web")
    sandbox.emulator.faults(fail_next=[{"status": 422, "method": "PATCH"}])
    failed = sandbox.fails("placement", instance_id=made["instance_id"], description="x")
    assert failed["status"] == 422 and "HTTP 422" in failed["msg"]


# Creates: lost answers and retries ----------------------------------------------------------------

def test_a_create_whose_answer_was_lost_is_found_not_repeated(sandbox):
    sandbox.emulator.faults(drop_after_commit_next=1)
    made = sandbox.run("collection_qualifier", name="Summer")
    assert made["changed"] is True and made["action"] == "create"
    assert any("exists: using it" in w for w in made["warnings"])
    assert [o["options"]["name"] for o in sandbox.info("collection_qualifier")] == ["Summer"]


def test_a_create_that_failed_is_looked_up_then_tried_again(sandbox):
    sandbox.emulator.faults(fail_next=[{"status": 503, "method": "POST"}])
    with sandbox.counting() as sent:
        made = sandbox.run("collection_qualifier", name="Summer")
    assert made["changed"] is True and sent.by_method["POST"] == 2
    assert len(sandbox.info("collection_qualifier")) == 1


def test_a_refused_create_is_not_tried_again(sandbox):
    sandbox.emulator.faults(fail_next=[{"status": 400, "method": "POST"}])
    with sandbox.counting() as sent:
        failed = sandbox.fails("collection_qualifier", name="Summer")
    assert sent.by_method["POST"] == 1 and failed["status"] == 400


def test_a_create_gives_up_after_retries(sandbox):
    sandbox.emulator.faults(fail_next=[{"status": 502, "method": "POST"}] * 3)
    with sandbox.counting() as sent:
        failed = sandbox.fails("collection_qualifier", name="Summer", retries=2)
    assert sent.by_method["POST"] == 3 and failed["status"] == 502
    assert sandbox.info("collection_qualifier") == []


def test_a_created_object_is_read_back_and_reported_as_stored(sandbox):
    made = sandbox.run("placement", name="Side", channel="web", component_type="text")
    stored = sandbox.info("placement")[0]
    assert made["instance_id"] == stored["instance_id"] and made["id"] == stored["id"] and made["etag"] == stored["etag"]


# Check mode and ids -------------------------------------------------------------------------------

def test_check_mode_plans_a_create_and_writes_nothing(sandbox):
    sandbox.run("offer_library", placements=PLACEMENTS)
    plan = sandbox.run("offer_instance", check=True, diff=True, **offer())
    assert plan["changed"] is True and plan["action"] == "create" and plan["instance_id"] is None
    assert plan["diff"]["before"] == {} and plan["diff"]["after"]
    assert sandbox.info("offer") == []


def test_an_unknown_instance_id_is_not_created(sandbox):
    made = sandbox.run("collection_qualifier", name="Summer")
    sandbox.run("collection_qualifier", instance_id=made["instance_id"], state="absent", confirm="prod")
    with sandbox.counting() as sent:
        failed = sandbox.fails("placement", instance_id=made["instance_id"], description="x")
    assert "has instance_id" in failed["msg"] and "give name instead" in failed["msg"] and sent.writes == 0
    gone = sandbox.run("placement", instance_id=made["instance_id"], state="absent", confirm="prod")
    assert gone["changed"] is False and gone["instance_id"] == made["instance_id"]


def test_dates_in_the_wrong_order_are_refused_before_any_request(sandbox):
    for module, params in (("offer_instance", offer(start_date="2026-09-01T00:00:00Z", end_date="2026-06-01T00:00:00Z")),
                           ("offer_library", {"offers": [offer(start_date="2026-09-01T00:00:00Z",
                                                               end_date="2026-06-01T00:00:00Z")]})):
        with sandbox.counting() as sent:
            failed = sandbox.fails(module, **params)
        assert "end_date" in failed["msg"] and "is before" in failed["msg"]
        assert sent.reads == 0 and sent.writes == 0, (module, sent.by_method)


def test_server_fields_cannot_be_managed(sandbox):
    # xcore's _instance holds its id as @id and no etag (repo:etag is outside it); dps objects hold both
    for name in {"xcore": ["@id"], "dps": ["etag", "id"]}[sandbox.api]:
        failed = sandbox.fails("collection_qualifier", name="Summer", instance={name: "x"})
        assert failed["msg"].startswith("instance: "), (name, failed["msg"])


# Deletes ------------------------------------------------------------------------------------------

def test_a_refused_delete_names_the_objects_that_still_use_it_once(sandbox):
    sandbox.run("offer_library", placements=PLACEMENTS, collection_qualifiers=[{"name": "Summer"}],
                offers=[offer(tags=["Summer"])])
    failed = sandbox.fails("collection_qualifier", name="Summer", state="absent", confirm="prod")
    assert "still used by: personalized offer 'Sale'" in failed["msg"], failed["msg"]
    offer_id = sandbox.info("offer")[0]["id"]
    assert failed["msg"].count(offer_id) == 1, failed["msg"]
    assert failed["used_by"] and failed["status"] == 409


def test_a_delete_after_someone_else_wrote_is_read_again(sandbox):
    made = sandbox.run("placement", name="Side", channel="web")
    other_user(sandbox, made, "description", "theirs")
    with sandbox.counting() as sent:
        gone = sandbox.run("placement", name="Side", state="absent", confirm="prod")
    assert gone["changed"] is True and sent.by_method["DELETE"] == 2
    assert sandbox.info("placement") == []


def test_a_throttled_create_waits_as_told_without_a_look_up(sandbox):
    sandbox.emulator.faults(fail_next=[{"status": 429, "retry_after": 1, "method": "POST"}])
    with sandbox.counting() as sent:
        made = sandbox.run("collection_qualifier", name="Summer")
    assert made["changed"] is True and sent.by_method["POST"] == 2
    assert sent.reads == 2 + (1 if sandbox.api == "xcore" else 0)  # the look-up before, the read back after: none between
    assert any("retrying the create of 'Summer' in 1.0s" in w for w in made["warnings"])


def test_an_object_already_gone_when_deleted_is_deleted(sandbox):
    sandbox.run("placement", name="Side", channel="web")
    sandbox.emulator.faults(fail_next=[{"status": 404, "method": "DELETE"}])
    gone = sandbox.run("placement", name="Side", state="absent", confirm="prod")
    assert gone["changed"] is True and gone["action"] == "delete"


def test_the_write_gate_refuses_in_check_mode(sandbox):
    from ansible_collections.aep.offers.plugins.module_utils._apply import Applier
    from ansible_collections.aep.offers.plugins.module_utils._client import CheckModeWrite
    from ansible_collections.aep.offers.plugins.module_utils._resolve import Known
    from ansible_collections.aep.offers.plugins.module_utils._xcore import XcoreApi
    api = XcoreApi(client=None)
    applier = Applier(api, Known(api), check_mode=True)
    with pytest.raises(CheckModeWrite):
        applier._write("create", api.kind("placement"), {"xdm:name": "x"})  # pylint: disable=protected-access

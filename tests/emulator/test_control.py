"""The /_emulator/ control API: stats, reset, faults and mutate."""

import time

import pytest
import requests

from emulator_helpers import offer


def test_stats_count_api_requests_on_arrival(aep_emulator, api):
    nothing = {"GET": 0, "POST": 0, "PATCH": 0, "PUT": 0, "DELETE": 0}
    assert aep_emulator.stats() == {
        "requests": nothing, "token_requests": 1, "writes": 0,
        "apis": {api: {"requests": nothing, "reads": 0, "writes": 0} for api in ("xcore", "dps")}}
    iid = api.created("tag", {"xdm:name": "t"})["instanceId"]
    api.get(iid)
    api.request("GET", "/", headers={"Authorization": None})  # refused by the gateway: still counted
    api.patch(iid, [{"op": "move", "path": "/_instance/xdm:name", "from": "/x"}])  # 400: counted
    api.patch(iid, [{"op": "replace", "path": "/_instance/xdm:name", "value": "u"}], kind="tag")
    api.request("PUT", f"/{api.cid}/instances/{iid}", headers={"Content-Type": "text/plain"})
    api.request("DELETE", f"/{api.cid}/instances/{iid}")
    requests.get(f"{aep_emulator.url}/elsewhere")  # not an API call
    stats = aep_emulator.stats()
    assert stats["requests"] == {"GET": 2, "POST": 1, "PATCH": 2, "PUT": 1, "DELETE": 1}
    assert stats["writes"] == 3 and stats["token_requests"] == 1
    assert stats["apis"]["xcore"] == {"requests": stats["requests"], "reads": 2, "writes": 3}
    assert stats["apis"]["dps"]["reads"] == 0 and stats["apis"]["dps"]["writes"] == 0


def test_reset_clears_instances_counters_and_faults(aep_emulator, api):
    api.created("tag", {"xdm:name": "t"})
    cid = api.cid
    aep_emulator.faults(latency_ms=5, fail_next=[{"status": 503}])
    aep_emulator.reset()
    assert aep_emulator.stats()["writes"] == 0
    assert aep_emulator._control("GET", "faults") == {"fail_next": [], "drop_after_commit_next": 0, "no_body_next": 0,
                                                      "latency_ms": 0}
    listing = api.list()  # same token, same container, empty library, no injected failure
    assert listing.status_code == 200 and listing.json()["_embedded"]["total"] == 0
    assert api.discover().json()["_embedded"]["https://ns.adobe.com/experience/xcore/container"][0]["instanceId"] == cid


def test_fail_next(aep_emulator, api):
    assert api.cid  # the client finds its container through the control API: no API call
    aep_emulator.faults(fail_next=[{"status": 429, "retry_after": 3}, {"status": 503}])
    first = api.create("tag", {"xdm:name": "t"})
    assert first.status_code == 429 and first.headers["Retry-After"] == "3"
    assert set(first.json()) == {"type", "title", "status", "detail"} and first.json()["status"] == 429
    second = api.list()
    assert second.status_code == 503 and "Retry-After" not in second.headers
    assert api.list().json()["_embedded"]["total"] == 0  # the failed create was not applied
    assert api.create("tag", {"xdm:name": "t"}).status_code == 201
    stats = aep_emulator.stats()
    assert stats["writes"] == 1 and stats["requests"]["POST"] == 2 and stats["requests"]["GET"] == 2  # 503, list


def test_fail_next_is_not_consumed_by_a_refused_request(aep_emulator, api):
    assert api.cid
    aep_emulator.faults(fail_next=[{"status": 500}])
    assert api.request("GET", "/", headers={"x-api-key": None}).status_code == 403
    assert api.list().status_code == 500
    assert api.list().status_code == 200


def test_drop_after_commit(aep_emulator, api):
    iid = api.created("tag", {"xdm:name": "t"})["instanceId"]
    aep_emulator.faults(drop_after_commit_next=2)
    ops = [{"op": "replace", "path": "/_instance/xdm:name", "value": "changed"}]
    with pytest.raises(requests.ConnectionError):
        api.patch(iid, ops, kind="tag", **{"If-Match": "1"})
    # a failed write does not use up the fault...
    assert api.patch(iid, ops, kind="tag", **{"If-Match": "1"}).status_code == 409
    with pytest.raises(requests.ConnectionError):
        api.create("tag", {"xdm:name": "second"})
    # ...and both dropped writes were committed
    assert api.doc(iid)["repo:etag"] == 2 and api.doc(iid)["_instance"]["xdm:name"] == "changed"
    assert api.list().json()["_embedded"]["total"] == 2
    assert aep_emulator.stats()["writes"] == 3
    assert api.create("tag", {"xdm:name": "third"}).status_code == 201


def test_latency(aep_emulator, api):
    aep_emulator.faults(latency_ms=150)
    started = time.monotonic()
    assert api.list().status_code == 200
    assert time.monotonic() - started >= 0.15
    aep_emulator.faults()
    started = time.monotonic()
    api.list()
    assert time.monotonic() - started < 0.15


@pytest.mark.parametrize("faults", [
    {"fail_next": [{"status": 200}]}, {"fail_next": [{"status": "429"}]}, {"fail_next": [{"code": 429}]},
    {"fail_next": {"status": 429}}, {"drop_after_commit_next": -1}, {"latency_ms": "5"}, {"slow": 1},
    {"fail_next": [{"status": 429, "retry_after": -1}]},
])
def test_bad_faults(aep_emulator, faults):
    response = requests.post(f"{aep_emulator.url}/_emulator/faults", json=faults)
    assert response.status_code == 400


def test_mutate(aep_emulator, api):
    created = api.created("personalized-offer", offer())
    iid = created["instanceId"]
    receipt = aep_emulator.mutate(api.cid, iid, [
        {"op": "replace", "path": "/_instance/xdm:status", "value": "approved"}])
    assert receipt["repo:etag"] == 2 and receipt["repo:lastModifiedBy"] == "another-user"
    doc = api.doc(iid)
    assert doc["_instance"]["xdm:status"] == "approved" and doc["repo:lastModifiedBy"] == "another-user"
    assert doc["repo:createdBy"] == created["repo:createdBy"]
    # the client's stale If-Match now conflicts
    stale = api.patch(iid, [{"op": "replace", "path": "/_instance/xdm:name", "value": "x"}], **{"If-Match": "1"})
    assert stale.status_code == 409
    assert aep_emulator.stats()["writes"] == 1  # mutate is not an API write
    # mutate follows the PATCH rules
    bad = requests.post(f"{aep_emulator.url}/_emulator/mutate", json={
        "container_id": api.cid, "instance_id": iid, "patch": [{"op": "replace", "path": "/_instance/@id", "value": "x"}]})
    assert bad.status_code == 422
    missing = requests.post(f"{aep_emulator.url}/_emulator/mutate", json={
        "container_id": api.cid, "instance_id": "nope", "patch": [{"op": "remove", "path": "/_instance/xdm:tags"}]})
    assert missing.status_code == 404


def test_mutate_before_next_write(aep_emulator, api):
    created = api.created("personalized-offer", offer())
    iid = created["instanceId"]
    scheduled = aep_emulator.mutate(api.cid, iid, [
        {"op": "replace", "path": "/_instance/xdm:status", "value": "approved"}], when="before_next_write")
    assert scheduled == {"scheduled": True}
    assert api.doc(iid)["repo:etag"] == 1  # reads do not trigger it
    # The client read etag 1; the other user's edit lands first, so the client's If-Match now conflicts.
    stale = api.patch(iid, [{"op": "replace", "path": "/_instance/xdm:name", "value": "x"}], **{"If-Match": "1"})
    assert stale.status_code == 409
    doc = api.doc(iid)
    assert doc["repo:etag"] == 2 and doc["_instance"]["xdm:status"] == "approved"
    fresh = api.patch(iid, [{"op": "replace", "path": "/_instance/xdm:name", "value": "x"}], **{"If-Match": "2"})
    assert fresh.status_code == 200  # applied once only
    bad_when = requests.post(f"{aep_emulator.url}/_emulator/mutate", json={
        "container_id": api.cid, "instance_id": iid, "patch": [], "when": "later"})
    assert bad_when.status_code == 400


def test_fail_next_for_one_method(aep_emulator, api):
    created = api.created("personalized-offer", offer())
    iid = created["instanceId"]
    aep_emulator.faults(fail_next=[{"status": 422, "method": "DELETE"}])
    assert api.doc(iid)["repo:etag"] == 1  # a GET passes
    refused = api.request("DELETE", f"/{api.cid}/instances/{iid}")
    assert refused.status_code == 422
    assert api.doc(iid)["repo:etag"] == 1  # nothing applied
    bad = requests.post(f"{aep_emulator.url}/_emulator/faults", json={"fail_next": [{"status": 500, "method": "BREW"}]})
    assert bad.status_code == 400


def test_fault_rates_fail_and_drop_a_share_reproducibly(aep_emulator, api):
    created = api.created("personalized-offer", offer())
    iid = created["instanceId"]

    def statuses():
        aep_emulator.faults(fail_rate=0.3, fail_statuses=[503], retry_after=0, seed=11)
        return [api.get(iid).status_code for _ in range(200)]
    first, second = statuses(), statuses()
    assert first == second  # seeded
    failed = first.count(503)
    assert 30 <= failed <= 90 and first.count(200) == 200 - failed
    aep_emulator.faults(drop_rate=1.0)
    import requests as http
    try:
        api.patch(iid, [{"op": "replace", "path": "/_instance/xdm:name", "value": "dropped"}], **{"If-Match": "1"})
        answered = True
    except http.exceptions.ConnectionError:
        answered = False
    aep_emulator.faults()
    assert answered is False
    assert api.doc(iid)["_instance"]["xdm:name"] == "dropped"  # committed, answer lost
    bad = http.post(f"{aep_emulator.url}/_emulator/faults", json={"fail_rate": 1.5})
    assert bad.status_code == 400


# -- the control API over /data/core/dps -----------------------------------------------------------

def test_stats_count_reads_and_writes_per_api(aep_emulator, api):
    api.created("tag", {"xdm:name": "t"})
    tag = api.dps.created("/tags", {"name": "t"})
    api.dps.get(f"/tags/{tag['id']}")
    api.dps.get("/tags")
    api.dps.patch(f"/tags/{tag['id']}", [{"op": "add", "path": "/description", "value": "d"}])
    api.dps.patch(f"/tags/{tag['id']}", [{"op": "move", "path": "/description", "from": "/name"}])  # 400: counted
    api.dps.delete(f"/tags/{tag['id']}")
    stats = aep_emulator.stats()
    assert stats["apis"]["dps"] == {"requests": {"GET": 2, "POST": 1, "PATCH": 2, "PUT": 0, "DELETE": 1},
                                    "reads": 2, "writes": 3}
    assert stats["apis"]["xcore"]["writes"] == 1 and stats["apis"]["xcore"]["reads"] == 0
    assert stats["writes"] == 4 and stats["requests"]["POST"] == 2 and stats["requests"]["GET"] == 2


def test_reset_clears_the_dps_store_too(aep_emulator, api):
    tag = api.dps.created("/tags", {"name": "t"})
    aep_emulator.reset()
    assert api.dps.obj("/tags")["total"] == 0 and api.dps.get(f"/tags/{tag['id']}").status_code == 404
    assert aep_emulator.stats()["apis"]["dps"]["writes"] == 0


def test_fail_next_reaches_dps_and_can_name_an_api(aep_emulator, api):
    aep_emulator.faults(fail_next=[{"status": 503, "retry_after": 2, "api": "dps"}])
    assert api.list().status_code == 200  # xcore passes
    failed = api.dps.create("/tags", {"name": "t"})
    assert failed.status_code == 503 and failed.headers["Retry-After"] == "2" and failed.json()["status"] == 503
    assert api.dps.obj("/tags")["total"] == 0  # nothing applied
    aep_emulator.faults(fail_next=[{"status": 429, "method": "DELETE", "api": "xcore"}, {"status": 500}])
    assert api.dps.get("/tags").status_code == 500  # the unnamed entry takes the first request
    tag = api.dps.created("/tags", {"name": "t"})
    assert api.dps.delete(f"/tags/{tag['id']}").status_code == 200  # not xcore
    assert aep_emulator._control("GET", "faults")["fail_next"] == [{"status": 429, "method": "DELETE", "api": "xcore"}]
    bad = requests.post(f"{aep_emulator.url}/_emulator/faults", json={"fail_next": [{"status": 500, "api": "ods"}]})
    assert bad.status_code == 400


def test_drop_and_rates_reach_dps(aep_emulator, api):
    aep_emulator.faults(drop_after_commit_next=1)
    with pytest.raises(requests.ConnectionError):
        api.dps.create("/tags", {"name": "lost answer"})
    assert [t["name"] for t in api.dps.obj("/tags")["results"]] == ["lost answer"]  # committed

    def statuses():
        aep_emulator.faults(fail_rate=0.3, fail_statuses=[502], seed=5)
        return [api.dps.get("/tags").status_code for _ in range(100)]
    first, second = statuses(), statuses()
    assert first == second and 10 <= first.count(502) <= 50 and set(first) == {200, 502}
    aep_emulator.faults(drop_rate=1.0)
    with pytest.raises(requests.ConnectionError):
        api.dps.create("/tags", {"name": "dropped too"})
    aep_emulator.faults()
    assert api.dps.obj("/tags")["total"] == 2


def test_expired_tokens_are_refused_by_dps(aep_emulator, api):
    assert api.dps.get("/tags").status_code == 200
    aep_emulator.expire_tokens()
    assert api.dps.get("/tags").json() == {"error_code": "401013", "message": "Oauth token is not valid"}
    aep_emulator.reset()
    assert api.dps.get("/tags").status_code == 200

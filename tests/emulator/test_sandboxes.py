"""Containers per (org, sandbox): discovery, isolation, sandboxes without a container."""

from aep_emulator.testing import CONTAINER_KEY, ApiClient


def test_each_sandbox_and_org_has_its_own_container(aep_emulator):
    prod, dev = ApiClient(aep_emulator, sandbox="prod"), ApiClient(aep_emulator, sandbox="dev")
    other_org = ApiClient(aep_emulator, org="OTHER0RG@AdobeOrg", sandbox="prod")
    assert len({prod.cid, dev.cid, other_org.cid}) == 3
    assert aep_emulator.container_id("prod", prod.org) == prod.cid
    assert aep_emulator.container_id("dev", prod.org) == dev.cid
    listed = aep_emulator._control("GET", "containers")
    assert {"sandbox": "dev", "org": prod.org, "container_id": dev.cid} in listed


def test_sandboxes_are_isolated(aep_emulator):
    prod, dev = ApiClient(aep_emulator, sandbox="prod"), ApiClient(aep_emulator, sandbox="dev")
    receipt = prod.created("tag", {"xdm:name": "prod only"})
    assert dev.list().json()["_embedded"]["total"] == 0
    assert prod.list().json()["_embedded"]["total"] == 1
    # dev cannot reach prod's container or instance, even knowing their ids
    assert dev.request("GET", f"/{prod.cid}/instances").status_code == 404
    assert dev.request("GET", f"/{prod.cid}/instances/{receipt['instanceId']}").status_code == 404
    assert dev.get(receipt["instanceId"]).status_code == 404  # its own container, not there
    patch = [{"op": "replace", "path": "/_instance/xdm:name", "value": "x"}]
    assert dev.request("PATCH", f"/{prod.cid}/instances/{receipt['instanceId']}",
                       headers={"Content-Type": "application/json"}, json=patch).status_code == 404
    assert dev.request("DELETE", f"/{prod.cid}/instances/{receipt['instanceId']}").status_code == 404
    assert prod.doc(receipt["instanceId"])["_instance"]["xdm:name"] == "prod only"
    # so is another org with the same sandbox name
    other = ApiClient(aep_emulator, org="OTHER0RG@AdobeOrg")
    assert other.request("GET", f"/{prod.cid}/instances").status_code == 404
    assert other.list().json()["_embedded"]["total"] == 0


def test_unknown_sandbox_has_no_container(aep_emulator):
    api = ApiClient(aep_emulator, sandbox="nosuchsandbox")
    assert api.discover().status_code == 200
    assert api.discover().json()["_embedded"][CONTAINER_KEY] == []
    prod_cid = ApiClient(aep_emulator).cid
    assert api.request("GET", f"/{prod_cid}/instances").status_code == 404
    assert aep_emulator.container_id("nosuchsandbox", api.org) is None


def test_add_sandbox(aep_emulator):
    aep_emulator.add_sandbox("qa")
    aep_emulator.add_sandbox("empty", container=False)
    qa, empty = ApiClient(aep_emulator, sandbox="qa"), ApiClient(aep_emulator, sandbox="empty")
    assert len(qa.discover().json()["_embedded"][CONTAINER_KEY]) == 1
    assert qa.created("tag", {"xdm:name": "qa"})["repo:etag"] == 1
    assert empty.discover().json()["_embedded"][CONTAINER_KEY] == []
    sandboxes = aep_emulator._control("GET", "sandboxes")
    assert {"name": "empty", "container": False} in sandboxes and {"name": "qa", "container": True} in sandboxes
    bad = aep_emulator._http.post(f"{aep_emulator.url}/_emulator/sandboxes", json={"name": "Bad Name"})
    assert bad.status_code == 400

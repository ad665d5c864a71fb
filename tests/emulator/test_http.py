"""HTTP behaviour: keep-alive, x-request-id, 404/405/413, chunked bodies, HEAD."""

import http.client
import uuid

import requests

from emulator_helpers import CREATE_CT, schema


def test_keep_alive_reuses_one_connection(api):
    host, port = api.emulator.url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    headers = api.headers()
    sockets = set()
    for _ in range(5):
        conn.request("GET", f"/data/core/xcore/{api.cid}/instances", headers=headers)
        response = conn.getresponse()
        assert response.status == 200 and response.getheader("Connection") != "close"
        response.read()
        sockets.add(id(conn.sock))
    conn.request("GET", f"/data/core/xcore/{api.cid}/instances/nope", headers=headers)
    response = conn.getresponse()
    assert response.status == 404
    response.read()
    sockets.add(id(conn.sock))
    assert len(sockets) == 1 and conn.sock is not None
    conn.close()


def test_x_request_id(api):
    mine = str(uuid.uuid4())
    assert api.list().headers["x-request-id"]
    assert api.request("GET", "/", headers={"x-request-id": mine}).headers["x-request-id"] == mine
    generated = {api.request("GET", "/").headers["x-request-id"] for _ in range(3)}
    assert len(generated) == 3
    assert api.request("GET", "/", headers={"Authorization": None, "x-request-id": mine}).headers["x-request-id"] == mine
    assert requests.get(f"{api.emulator.url}/nowhere", headers={"x-request-id": mine}).headers["x-request-id"] == mine
    assert requests.get(f"{api.emulator.url}/_emulator/stats").headers["x-request-id"]


def test_unknown_paths_and_methods(api):
    for path in (f"/{api.cid}", f"/{api.cid}/instances/x/y", f"/{api.cid}/queries/core/other", "/nope/instances"):
        response = api.request("GET", path)
        assert response.status_code == 404, path
        assert set(response.json()) == {"type", "title", "status", "detail"}
    outside = requests.get(f"{api.emulator.url}/api/whatever")
    assert outside.status_code == 404 and outside.json()["status"] == 404
    not_allowed = api.request("DELETE", f"/{api.cid}/instances")
    assert not_allowed.status_code == 405 and "POST" in not_allowed.headers["Allow"]
    assert api.request("OPTIONS", f"/{api.cid}/instances").status_code == 405
    assert api.request("POST", f"/{api.cid}/queries/core/search").status_code == 405


def test_body_over_one_mib(api):
    ct = CREATE_CT.format(schema("tag"))
    big = b'{"xdm:name": "' + b"x" * (1024 * 1024) + b'"}'
    response = api.request("POST", f"/{api.cid}/instances", headers={"Content-Type": ct}, data=big)
    assert response.status_code == 413 and response.json()["status"] == 413
    iid = api.created("tag", {"xdm:name": "t"})["instanceId"]
    patch = api.request("PATCH", f"/{api.cid}/instances/{iid}", headers={"Content-Type": "application/json"},
                        data=b"[" + b" " * (1024 * 1024) + b"]")
    assert patch.status_code == 413
    assert api.list().json()["_embedded"]["total"] == 1
    # just under the limit is fine (the server reads it and answers on the same connection)
    fine = b'{"xdm:name": "' + b"x" * (1024 * 1024 - 100) + b'"}'
    assert api.request("POST", f"/{api.cid}/instances", headers={"Content-Type": ct}, data=fine).status_code == 201


def test_chunked_body(api):
    ct = CREATE_CT.format(schema("tag"))
    chunks = (part for part in (b'{"xdm:na', b'me": "chunked"}'))
    response = api.request("POST", f"/{api.cid}/instances", headers={"Content-Type": ct}, data=chunks)
    assert response.status_code == 201, response.text
    assert api.doc(response.json()["instanceId"])["_instance"]["xdm:name"] == "chunked"


def test_head(api):
    iid = api.created("tag", {"xdm:name": "t"})["instanceId"]
    response = api.request("HEAD", f"/{api.cid}/instances/{iid}")
    assert response.status_code == 200 and response.content == b"" and response.headers["ETag"] == '"1"'

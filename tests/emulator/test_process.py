"""The process: CLI, port file, signals, and a restart with --db keeping the library."""

import os
import re
import signal
import subprocess
import sys

import pytest
import requests

from aep_emulator.testing import ApiClient, run_emulator

from emulator_helpers import offer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def start(tmp_path, *args):
    port_file = tmp_path / "port"
    process = subprocess.Popen([sys.executable, "-m", "aep_emulator", "--host", "127.0.0.1", "--port", "0",
                                "--port-file", str(port_file), *args],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    return process, line, port_file


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_cli_port_file_and_clean_shutdown(tmp_path, signum):
    process, line, port_file = start(tmp_path)
    try:
        match = re.fullmatch(r"aep_emulator listening on http://127\.0\.0\.1:(\d+)\n", line)
        assert match, line
        assert port_file.read_text().strip() == match.group(1)
        url = f"http://127.0.0.1:{match.group(1)}"
        assert requests.get(f"{url}/_emulator/stats", timeout=5).status_code == 200
        process.send_signal(signum)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()


def test_cli_options(tmp_path):
    process, line, _ = start(tmp_path, "--clients", "one:s1,two:s2", "--sandboxes", "alpha",
                             "--token-ttl", "60")
    try:
        url = line.strip().rsplit(" ", 1)[1]
        token = requests.post(f"{url}/ims/token/v3", data={
            "grant_type": "client_credentials", "client_id": "two", "client_secret": "s2", "scope": "x"}).json()
        assert token["expires_in"] == 60
        refused = requests.post(f"{url}/ims/token/v3", data={
            "grant_type": "client_credentials", "client_id": "aep-demo-client",
            "client_secret": "aep-demo-secret", "scope": "x"})
        assert refused.status_code == 400
        headers = {"Authorization": f"Bearer {token['access_token']}", "x-api-key": "two",
                   "x-gw-ims-org-id": "ORG", "x-sandbox-name": "prod"}
        key = "https://ns.adobe.com/experience/xcore/container"
        assert requests.get(f"{url}/data/core/xcore/", headers=headers).json()["_embedded"][key] == []
        headers["x-sandbox-name"] = "alpha"
        assert len(requests.get(f"{url}/data/core/xcore/", headers=headers).json()["_embedded"][key]) == 1
    finally:
        process.terminate()
        process.communicate(timeout=10)


def test_cli_rejects_bad_clients(tmp_path):
    result = subprocess.run([sys.executable, "-m", "aep_emulator", "--clients", "nosecret"],
                            cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert result.returncode == 2 and "ID:SECRET" in result.stderr


def test_restart_with_db_keeps_the_library(tmp_path):
    db = tmp_path / "library.sqlite"
    with run_emulator(db=db) as emulator:
        api = ApiClient(emulator)
        cid = api.cid
        kept = api.created("personalized-offer", offer("kept"))
        api.patch(kept["instanceId"], [{"op": "replace", "path": "/_instance/xdm:status", "value": "approved"}])
        gone = api.created("tag", {"xdm:name": "deleted"})
        assert api.request("DELETE", f"/{cid}/instances/{gone['instanceId']}").status_code == 202
        token, before = api.token, api.doc(kept["instanceId"])
        emulator.add_sandbox("qa", container=False)
    with run_emulator(db=db) as emulator:
        api = ApiClient(emulator)
        assert api.cid == cid  # same container id after the restart
        assert api.doc(kept["instanceId"]) == before
        assert api.list().json()["_embedded"]["total"] == 1
        api.token = token  # an issued token survives the restart too
        assert api.discover().status_code == 200
        assert {"name": "qa", "container": False} in emulator._control("GET", "sandboxes")
        assert api.patch(kept["instanceId"], [{"op": "replace", "path": "/_instance/xdm:name", "value": "again"}],
                         **{"If-Match": "2"}).json()["repo:etag"] == 3


def test_restart_with_db_keeps_the_dps_store(tmp_path):
    db = tmp_path / "library.sqlite"
    with run_emulator(db=db) as emulator:
        api = ApiClient(emulator)
        placement = api.dps.created("/placements", {"name": "kept"})["id"]
        offer_id = api.dps.created("/offers?offer-type=personalized", {
            "name": "uses it", "representations": [{"placement": placement, "components": []}]})["id"]
        rule = api.dps.created("/offer-rules", {"name": "r", "definedOn": {"profile": {}}})["id"]
        api.dps.patch(f"/offer-rules/{rule}", [{"op": "add", "path": "/description", "value": "d"}])
        gone = api.dps.created("/tags", {"name": "deleted"})["id"]
        assert api.dps.delete(f"/tags/{gone}").status_code == 200
        before = api.dps.obj(f"/offer-rules/{rule}")
    with run_emulator(db=db) as emulator:
        api = ApiClient(emulator)
        assert api.dps.obj(f"/offer-rules/{rule}") == before
        assert api.dps.obj("/tags")["total"] == 0
        assert api.dps.delete(f"/placements/{placement}").status_code == 409  # the reference survived too
        # definedOn survived although GET never shows it: a test op on it passes
        assert api.dps.patch(f"/offer-rules/{rule}", [{"op": "test", "path": "/definedOn", "value": {"profile": {}}}],
                             **{"If-Match": "2"}).json()["etag"] == 3
        assert api.dps.obj(f"/offers/{offer_id}?offer-type=personalized")["name"] == "uses it"

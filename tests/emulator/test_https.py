"""HTTPS: --tls-cert/--tls-key, a self-signed certificate that clients trust only when told to."""

import os
import subprocess
import sys

import pytest
import requests

from aep_emulator.testing import ApiClient, run_emulator, self_signed_certificate

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture(scope="module")
def tls_emulator(tmp_path_factory):
    cert, key = self_signed_certificate(tmp_path_factory.mktemp("tls"))
    with run_emulator(tls_cert=cert, tls_key=key) as handle:
        yield handle


def test_serves_https_with_the_certificate(tls_emulator):
    assert tls_emulator.url.startswith("https://127.0.0.1:")
    cert = tls_emulator.tls_cert
    token = requests.post(f"{tls_emulator.url}/ims/token/v3", verify=cert, timeout=10, data={
        "grant_type": "client_credentials", "client_id": tls_emulator.client_id,
        "client_secret": tls_emulator.client_secret, "scope": "openid"})
    assert token.status_code == 200
    headers = {"Authorization": "Bearer " + token.json()["access_token"], "x-api-key": tls_emulator.client_id,
               "x-gw-ims-org-id": "ORG@AdobeOrg", "x-sandbox-name": "prod"}
    # localhost is in the certificate too, so hostname checks pass on either name.
    url = tls_emulator.url.replace("127.0.0.1", "localhost")
    found = requests.get(f"{url}/data/core/xcore/", headers=headers, verify=cert, timeout=10)
    assert found.status_code == 200 and found.json()["_embedded"]


def test_self_signed_is_refused_by_default_and_plain_http_gets_nothing(tls_emulator):
    before = tls_emulator.stats()
    with pytest.raises(requests.exceptions.SSLError, match="CERTIFICATE_VERIFY_FAILED"):
        requests.get(f"{tls_emulator.url}/_emulator/stats", timeout=10)
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(tls_emulator.url.replace("https://", "http://") + "/_emulator/stats", timeout=10)
    # Neither reached the application, and neither failed handshake hurt the server.
    assert tls_emulator.stats() == before


def test_cli_prints_https_and_needs_both_files(tmp_path):
    cert, key = self_signed_certificate(tmp_path)
    assert os.stat(key).st_mode & 0o077 == 0
    process = subprocess.Popen([sys.executable, "-m", "aep_emulator", "--port", "0", "--tls-cert", cert,
                                "--tls-key", key], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        assert line.startswith("aep_emulator listening on https://127.0.0.1:"), line
    finally:
        process.terminate()
        process.communicate(timeout=10)
    alone = subprocess.run([sys.executable, "-m", "aep_emulator", "--tls-cert", cert], cwd=ROOT,
                           capture_output=True, text=True, timeout=30)
    assert alone.returncode == 2 and "--tls-key" in alone.stderr


def test_dps_over_https(tls_emulator):
    api = ApiClient(tls_emulator)  # passes the emulator's certificate as the CA bundle
    assert api.base.startswith("https://") and api.dps.base.startswith("https://")
    tag = api.dps.created("/tags", {"name": "over TLS"})
    assert api.dps.obj(f"/tags/{tag['id']}")["name"] == "over TLS"
    assert api.dps.delete(f"/tags/{tag['id']}").status_code == 200

"""TLS against an HTTPS emulator with a self-signed certificate.

Refused by default (a clear message, no traceback), accepted with ``ca_path`` naming the certificate,
and accepted with ``validate_certs: false`` only with a warning.
"""

import json

import pytest

from conftest import Aep
from aep_emulator.testing import run_emulator, self_signed_certificate

VALIDATE_WARNING = "validate_certs is false"


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory):
    cert, key = self_signed_certificate(tmp_path_factory.mktemp("tls"))
    with run_emulator(tls_cert=cert, tls_key=key) as handle:
        yield handle


@pytest.fixture
def tls(tls_server, tmp_path):
    tls_server.reset()
    aep = Aep(tls_server, tmp_path)
    # The system CA bundle must not be what makes the certificate trusted (or refused) here.
    assert aep.env["AEP_API_URL"].startswith("https://")
    return aep


def _run(aep, *tasks, **kwargs):
    text = ["- name: %s\n  aep.offers.%s: %s\n  ignore_errors: true" % (name, module, json.dumps(args))
            for name, module, args in tasks]
    # An ims_token task without no_log returns its token: that is its documented purpose.
    return aep.playbook(aep.tasks(*text), shows_token=any(module == "ims_token" for name, module, args in tasks), **kwargs)


def _warnings(result):
    return " ".join(result.get("warnings", []))


def _refused(run, task):
    result = run.result(task)
    assert result["_status"] == "failed", result
    assert "CERTIFICATE_VERIFY_FAILED" in result["msg"], result["msg"]
    assert "Traceback" not in str(result.get("exception", "")) and "module_stderr" not in result, result
    return result


def test_self_signed_refused_by_default(tls, tls_server):
    run = _run(tls, ("info", "container_info", {"retries": 0}),
               ("offer", "placement", {"name": "Web banner", "channel": "web", "component_type": "text"}),
               ("token", "ims_token", {"retries": 0}), verbosity=3)
    assert "Traceback" not in run.output
    for task in ("info", "offer", "token"):
        _refused(run, task)
    stats = tls_server.stats()
    assert stats["token_requests"] == 0 and sum(stats["requests"].values()) == 0  # no request got through


CLEAR_TLS = [("container_info", {}), ("placement", {"name": "Web banner"}), ("ims_token", {})]


@pytest.mark.parametrize("module,args", CLEAR_TLS)
def test_tls_failure_is_reported_as_a_tls_error(tls, module, args):
    """Not 'unexpected error: SSLError': the failure of the IMS call is an API/auth error saying TLS."""
    run = _run(tls, ("task", module, dict(args, retries=0)))
    message = _refused(run, "task")["msg"]
    assert not message.startswith("unexpected error") and "TLS error" in message, (
        "a TLS failure at IMS must be reported like any other failed call "
        "(TokenSource.fetch / Client.request should wrap requests' errors): %s" % message)


def test_ca_path_trusts_the_certificate(tls, tls_server):
    tls.env["AEP_CA_PATH"] = tls_server.tls_cert
    run = _run(tls, ("info", "container_info", {}),
               ("create", "placement", {"name": "Web banner", "channel": "web", "component_type": "text"}),
               ("again", "placement", {"name": "Web banner", "channel": "web", "component_type": "text"}),
               ("token", "ims_token", {}))
    assert run.rc == 0 and run.totals("ignored") == 0, run.output
    assert len(run.result("info")["containers"]) == 1
    assert run.result("create")["changed"] is True and run.result("again")["changed"] is False
    for task in ("info", "create", "again", "token"):
        assert VALIDATE_WARNING not in _warnings(run.result(task))
    assert tls_server.stats()["writes"] == 1


def test_validate_certs_false_accepts_with_a_warning(tls, tls_server):
    run = _run(tls, ("info", "container_info", {"validate_certs": False}),
               ("create", "placement", {"name": "Web banner", "channel": "web", "component_type": "text",
                                        "validate_certs": False}))
    assert run.rc == 0 and run.totals("ignored") == 0, run.output
    for task in ("info", "create"):
        assert VALIDATE_WARNING in _warnings(run.result(task)), run.result(task)
    assert "[WARNING]: validate_certs is false" in run.output
    assert tls_server.stats()["writes"] == 1


def test_ca_path_that_is_not_the_issuer_is_refused(tls, tmp_path):
    other, _ = self_signed_certificate(tmp_path)  # a different key: not the server's certificate
    run = _run(tls, ("info", "container_info", {"ca_path": other}))
    result = run.result("info")
    assert result["_status"] == "failed" and "CERTIFICATE_VERIFY_FAILED" in result["msg"], result
    assert "Traceback" not in run.output

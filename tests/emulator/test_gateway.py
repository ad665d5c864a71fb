"""IMS token endpoint and the gateway's header checks, in the order the gateway applies them."""

import time

import requests

from aep_emulator.testing import ApiClient, run_emulator


def token_request(emulator, **overrides):
    form = {"grant_type": "client_credentials", "client_id": emulator.client_id,
            "client_secret": emulator.client_secret,
            "scope": "openid,session,AdobeID,read_organizations,additional_info.projectedProductContext"}
    form.update(overrides)
    return requests.post(f"{emulator.url}/ims/token/v3", data={k: v for k, v in form.items() if v is not None})


def test_token_answer_shape(aep_emulator):
    response = token_request(aep_emulator)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in"}
    assert body["token_type"] == "bearer" and body["expires_in"] == 86399
    assert len(body["access_token"]) >= 32
    assert token_request(aep_emulator).json()["access_token"] != body["access_token"]
    assert aep_emulator.stats()["token_requests"] == 2


def test_token_bad_credentials(aep_emulator):
    for overrides in ({"client_secret": "wrong"}, {"client_id": "someone-else"}):
        response = token_request(aep_emulator, **overrides)
        assert response.status_code == 400
        assert response.json()["error"] == "invalid_client"
        assert response.json()["error_description"]


def test_token_bad_requests(aep_emulator):
    assert token_request(aep_emulator, grant_type="password").json()["error"] == "unsupported_grant_type"
    assert token_request(aep_emulator, client_secret=None).json()["error"] == "invalid_request"
    as_json = requests.post(f"{aep_emulator.url}/ims/token/v3", json={
        "grant_type": "client_credentials", "client_id": aep_emulator.client_id,
        "client_secret": aep_emulator.client_secret})
    assert as_json.status_code == 400 and as_json.json()["error"] == "invalid_request"
    assert requests.get(f"{aep_emulator.url}/ims/token/v3").status_code == 405


def expect_gateway(response, status, code):
    assert response.status_code == status, response.text
    assert response.json() == {"error_code": code, "message": response.json()["message"]}


def test_gateway_checks_in_order(api):
    discover = "/?product=acp&property=_instance.containerType==decisioning"
    # Each step fixes the previous header and breaks the next one.
    expect_gateway(api.request("GET", discover, headers={"Authorization": None}), 403, "403010")
    expect_gateway(api.request("GET", discover, headers={"Authorization": "Basic abc"}), 403, "403010")
    expect_gateway(api.request("GET", discover, headers={"Authorization": "Bearer nope",
                                                          "x-api-key": None}), 401, "401013")
    expect_gateway(api.request("GET", discover, headers={"x-api-key": None}), 403, "403000")
    expect_gateway(api.request("GET", discover, headers={"x-api-key": "other-client"}), 403, "403003")
    expect_gateway(api.request("GET", discover, headers={"x-gw-ims-org-id": None}), 400, "400003")
    missing_sandbox = api.request("GET", discover, headers={"x-sandbox-name": None})
    assert missing_sandbox.status_code == 400
    assert missing_sandbox.json()["status"] == 400 and "x-sandbox-name" in missing_sandbox.json()["detail"]
    assert api.discover().status_code == 200


def test_gateway_guards_unknown_paths_too(api):
    expect_gateway(api.request("GET", "/no/such/thing", headers={"Authorization": None}), 403, "403010")
    assert api.request("GET", "/no/such/thing").status_code == 404


def test_api_key_must_be_the_tokens_client():
    clients = {"client-a": "secret-a", "client-b": "secret-b"}
    with run_emulator(clients=clients) as emulator:
        api = ApiClient(emulator)
        expect_gateway(api.request("GET", "/", headers={"x-api-key": "client-b"}), 403, "403003")
        assert api.request("GET", "/", headers={"x-api-key": "client-a"}).status_code == 200


def test_token_expires_after_ttl():
    with run_emulator(token_ttl=1) as emulator:
        api = ApiClient(emulator)
        assert api.discover().status_code == 200
        time.sleep(1.2)
        expect_gateway(api.discover(), 401, "401013")
        api.token = api.new_token()  # no refresh token: ask again
        assert api.discover().status_code == 200


def test_expire_tokens_and_reset(aep_emulator, api):
    assert api.discover().status_code == 200
    aep_emulator.expire_tokens()
    expect_gateway(api.discover(), 401, "401013")
    fresh = ApiClient(aep_emulator)
    assert fresh.discover().status_code == 200
    # reset keeps issued tokens valid, so a client's cached token survives between tests
    aep_emulator.expire_tokens()
    aep_emulator.reset()
    assert api.discover().status_code == 200

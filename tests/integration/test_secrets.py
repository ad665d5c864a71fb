"""client_secret and access tokens never appear in output, results, diffs, errors or beside the token cache."""

import json

import pytest


# In the controller (the default for a local task) and in a module process (forced).
@pytest.mark.parametrize("in_controller", ["true", "false"])
def test_no_secret_in_vvv_output_results_or_cache_neighbours(aep, direct, aep_emulator, in_controller):
    web = direct.placement("Web banner")
    secret = aep_emulator.client_secret
    offer = {"name": "Secret keeper", "status": "approved", "representations": [
        {"placement": web, "components": [{"type": "text", "content": "Hello"}]}]}
    changed = dict(offer, status="draft")
    playbook = aep.tasks(
        aep.offer_task(offer, name="create"),
        aep.offer_task(changed, name="update"),
        aep.offer_task(dict(offer, priority=-1), name="bad input", extra="  ignore_errors: true"),
        aep.offer_task(dict(offer, sandbox="no-such-sandbox"), name="no container", extra="  ignore_errors: true"),
        aep.offer_task(dict(offer, client_secret=secret + "-wrong", token_cache=False), name="bad secret",
                       extra="  ignore_errors: true"),
        aep.offer_task({"name": "Secret keeper", "state": "absent", "confirm": "prod"}, name="delete"),
    )
    env = {"AEP_OFFERS_IN_CONTROLLER": in_controller}
    first = aep.playbook(playbook, verbosity=3, diff=True, env=env)
    assert first.rc == 0, first.output
    planned = aep.playbook(playbook, verbosity=3, diff=True, check=True, env=env)
    assert planned.rc == 0, planned.output

    cache_dir = aep.tmp_path / "token-cache"
    cache_files = list(cache_dir.glob("*.json"))
    assert len(cache_files) == 1
    token = json.loads(cache_files[0].read_text())["access_token"]
    assert len(token) >= 16
    # The module must have used the cached token: the one in the file is what the API saw.
    assert cache_files[0].stat().st_mode & 0o777 == 0o600
    assert cache_dir.stat().st_mode & 0o077 == 0

    for run in (first, planned):
        everything = run.output + json.dumps(run.results)
        for needle in (secret, secret + "-wrong", token):
            assert needle not in everything
        # really ran at -vvv (a line only -vvv prints), where it was asked to
        assert ("runs in the controller" if in_controller == "true" else "runs in a module process") in run.output
    for path in cache_dir.rglob("*"):
        if path.is_file():
            text = path.read_text()
            assert secret not in text
            if path != cache_files[0]:
                assert token not in text

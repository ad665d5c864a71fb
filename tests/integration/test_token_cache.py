"""The token cache file: mode 0600 in a 0700 directory, reused, and refused (with a warning, then
replaced by a new token) when another user can read it or does not belong to us."""

import json
import os
import stat

import pytest

TASK = "- name: info\n  aep.offers.container_info: {}\n"
REFUSED = "Ignoring the token cache file"


def _run(aep):
    run = aep.playbook(aep.tasks(TASK))
    assert run.rc == 0, run.output
    return run


def _cache_file(aep):
    files = list((aep.tmp_path / "token-cache").glob("*.json"))
    assert len(files) == 1, files
    return files[0]


def _warnings(run):
    return " ".join(run.result("info").get("warnings", []))


@pytest.fixture
def cached(aep, aep_emulator):
    """A first run that fetched a token and cached it."""
    _run(aep)
    assert aep_emulator.stats()["token_requests"] == 1
    return _cache_file(aep)


def test_cache_file_is_owner_only_and_reused(aep, aep_emulator, cached):
    assert stat.S_IMODE(cached.stat().st_mode) == 0o600
    assert stat.S_IMODE(cached.parent.stat().st_mode) & 0o077 == 0
    token = json.loads(cached.read_text())["access_token"]
    run = _run(aep)
    assert aep_emulator.stats()["token_requests"] == 1  # the cached token served the second run
    assert REFUSED not in _warnings(run)
    assert json.loads(cached.read_text())["access_token"] == token
    # Nothing else in the cache directory, not even a leftover temporary file.
    assert [p.name for p in cached.parent.iterdir()] == [cached.name]


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660])
def test_cache_file_others_can_read_is_refused_and_replaced(aep, aep_emulator, cached, mode):
    token = json.loads(cached.read_text())["access_token"]
    os.chmod(cached, mode)
    run = _run(aep)
    assert REFUSED in _warnings(run) and str(cached) in _warnings(run)
    assert "[WARNING]: " + REFUSED in run.output
    assert aep_emulator.stats()["token_requests"] == 2  # not used: a new token was fetched
    # ... and stored owner-only again, in place of the refused file.
    replaced = _cache_file(aep)
    assert stat.S_IMODE(replaced.stat().st_mode) == 0o600
    assert json.loads(replaced.read_text())["access_token"] != token
    assert token not in run.output


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_cache_file_of_another_user_is_refused(aep, aep_emulator, cached):
    os.chown(cached, 65534, -1)  # nobody
    run = _run(aep)
    assert REFUSED in _warnings(run)
    assert aep_emulator.stats()["token_requests"] == 2

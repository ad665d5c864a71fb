"""Pytest fixtures, loaded once by the repository's root tests/conftest.py
(`pytest_plugins = ["aep_emulator.pytest_plugin"]`, which pytest honours only in a root conftest).

- aep_emulator_server (session): one emulator for the whole run.
- aep_emulator (function): the same server after reset(), so each test starts empty.
"""

import pytest

from .testing import run_emulator


@pytest.fixture(scope="session")
def aep_emulator_server():
    with run_emulator() as handle:
        yield handle


@pytest.fixture
def aep_emulator(aep_emulator_server):
    aep_emulator_server.reset()
    return aep_emulator_server

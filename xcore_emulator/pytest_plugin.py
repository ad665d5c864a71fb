"""Pytest fixtures: add `pytest_plugins = ["xcore_emulator.pytest_plugin"]` to a conftest.py.

- xcore_emulator_server (session): one emulator for the whole run.
- xcore_emulator (function): the same server after reset(), so each test starts empty.
"""

import pytest

from .testing import run_emulator


@pytest.fixture(scope="session")
def xcore_emulator_server():
    with run_emulator() as handle:
        yield handle


@pytest.fixture
def xcore_emulator(xcore_emulator_server):
    xcore_emulator_server.reset()
    return xcore_emulator_server

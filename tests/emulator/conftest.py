"""The emulator tests' `api` fixture: the shared test client on a freshly reset emulator
(the emulator's fixtures come from the root tests/conftest.py)."""

import pytest

from aep_emulator.testing import ApiClient


@pytest.fixture
def api(aep_emulator):
    return ApiClient(aep_emulator)

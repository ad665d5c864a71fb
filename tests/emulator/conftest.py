"""Load the emulator's pytest plugin and add an `api` client fixture.

The plugin's fixtures are imported rather than named in `pytest_plugins`, which pytest accepts
only in a top-level conftest (this one is not, when the whole tests/ tree is collected).
"""

import pytest

from aep_emulator.pytest_plugin import aep_emulator, aep_emulator_server  # noqa: F401

from emulator_helpers import Api


@pytest.fixture
def api(aep_emulator):  # noqa: F811
    return Api(aep_emulator)

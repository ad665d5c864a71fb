"""Root conftest: loads the emulator's pytest plugin once for every test directory.

`pytest_plugins` is honoured only in a root conftest. Like all of tests/, this file does not ship
(galaxy.yml's manifest); the unit tests run from the checkout, where the emulator package is.
"""

import sys
from pathlib import Path

# The emulator package lives at the repository root, beside tests/ (python -m pytest adds the
# working directory, the pytest script does not).
_ROOT = str(Path(__file__).resolve().parents[1])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)
# Adobe's documented examples (tests/adobe_examples) import as `adobe_examples` in every test directory.
_TESTS = str(Path(__file__).resolve().parent)
if _TESTS not in sys.path:
    sys.path.insert(0, _TESTS)

pytest_plugins = ["aep_emulator.pytest_plugin"]

"""A task run in the controller loads the collection's module_utils with Python's source loader: the first run
keeps their bytecode in __pycache__ beside them, and the next reads it back instead of compiling them again."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = pytest.mark.smoke

GALAXY = str(Path(sys.executable).with_name("ansible-galaxy"))


def test_module_utils_bytecode_is_kept_and_read_back(aep, tmp_path):
    built = subprocess.run([GALAXY, "collection", "build", "--output-path", str(tmp_path / "out"), str(REPO)],
                           capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL)
    assert built.returncode == 0, built.stdout + built.stderr
    tarball = next((tmp_path / "out").glob("aep-offers-*.tar.gz"))
    installed = subprocess.run([GALAXY, "collection", "install", "--offline", "--force", "-p", str(tmp_path / "installed"),
                                str(tarball)], capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    module_utils = sorted((tmp_path / "installed" / "ansible_collections" / "aep" / "offers" / "plugins" / "module_utils").glob("_*.py"))
    kept = dict((Path(importlib.util.cache_from_source(str(source))), source.name) for source in module_utils)
    aep.env.pop("PYTHONDONTWRITEBYTECODE", None)  # Python's default: bytecode is kept
    env = {"ANSIBLE_COLLECTIONS_PATH": str(tmp_path / "installed")}
    playbook = aep.tasks("- aep.offers.collection_qualifier:\n    name: Kept bytecode\n  register: qualifier")

    first = aep.playbook(playbook, env=env)
    assert first.rc == 0 and first.result("aep.offers.collection_qualifier")["changed"], first.output
    assert [name for path, name in kept.items() if not path.is_file()] == []  # every module_utils the task imports
    written = dict((path, os.stat(str(path)).st_mtime_ns) for path in kept)

    again = aep.playbook(playbook, env=env)
    assert again.rc == 0 and not again.result("aep.offers.collection_qualifier")["changed"], again.output
    assert dict((path, os.stat(str(path)).st_mtime_ns) for path in kept) == written  # read back, not written again

"""What `ansible-galaxy collection build` packs (issue 19): the collection, named in galaxy.yml's manifest, and
nothing a user writes into their checkout.

The checkout's tracked files (as they are in the working tree) are copied, a user's files are added beside them,
and the copy is built with the ansible-galaxy of the Python that runs the tests (so `make oldest` checks the oldest
core reads the manifest too). What must ship is derived from the checkout, not listed here.
"""

import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
import yaml

from conftest import REPO

pytestmark = pytest.mark.smoke

# A user's files in their clone: an export (`-e export_dir=library/dev`), their own playbook at the root, and the
# leftovers of Python and editors inside directories that do ship.
USER_FILES = {
    "library/dev/offers.yml": "offers: []\n",
    "site-mine.yml": "- hosts: localhost\n  tasks: []\n",
    "plugins/modules/__pycache__/offer_instance.cpython-313.pyc": "",
    "roles/offer_catalog/tasks/main.yml~": "",
    "playbooks/.site.yml.swp": "",
    "roles/offer_catalog/.cache/notes.yml": "",
}
SHIPPED_DIRECTORIES = ("plugins/", "roles/", "playbooks/", "meta/", "changelogs/")
SHIPPED_FILES = {"README.md", "LICENSE", "requirements.txt", ".ansible-lint"}
REPOSITORY_ONLY = ("tests/", "aep_emulator/", "benchmarks/", "hack/", ".ci/", "Makefile", "docs/emulator.md",
                   "docs/reliability.md", "docs/architecture.md", "requirements-dev.txt", "requirements-demo.txt", "execution-environment.yml")


def tracked_files():
    listed = subprocess.run(["git", "-C", str(REPO), "ls-files", "-z"], capture_output=True, check=True).stdout
    return sorted(name for name in listed.decode().split("\0") if name and (REPO / name).is_file())


def test_tarball_holds_the_collection_and_nothing_a_user_adds(tmp_path):
    checkout = tmp_path / "checkout"
    tracked = tracked_files()
    for name in tracked:
        (checkout / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, checkout / name)
    for name, text in USER_FILES.items():
        (checkout / name).parent.mkdir(parents=True, exist_ok=True)
        (checkout / name).write_text(text)

    built = subprocess.run([str(Path(sys.executable).with_name("ansible-galaxy")), "collection", "build",
                            "--output-path", str(tmp_path / "out"), str(checkout)],
                           capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL)
    assert built.returncode == 0 and not built.stderr.strip(), built.stdout + built.stderr
    version = yaml.safe_load((REPO / "galaxy.yml").read_text())["version"]
    with tarfile.open(tmp_path / "out" / ("aep-offers-%s.tar.gz" % version)) as tarball:
        shipped = sorted(member.name for member in tarball.getmembers() if member.isfile())

    for name in USER_FILES:
        assert name not in shipped, name
    assert set(shipped) - {"MANIFEST.json", "FILES.json"} <= set(tracked), "only tracked files ship"
    must_ship = {name for name in tracked if name.startswith(SHIPPED_DIRECTORIES)} | SHIPPED_FILES
    assert must_ship - set(shipped) == set(), "tracked files of the collection that do not ship"
    assert not [name for name in shipped if name.startswith(REPOSITORY_ONLY)], shipped

    # What the collection is, named by the checkout itself: every module of the action group, every role, playbook
    # and doc fragment (the sets above are derived, so check they are not empty by accident).
    modules = yaml.safe_load((REPO / "meta" / "runtime.yml").read_text())["action_groups"]["offer_library"]
    assert sorted(p.stem for p in (REPO / "plugins" / "modules").glob("*.py")) == sorted(modules)
    expected = ["plugins/modules/%s.py" % m for m in modules]
    expected += [str(p.relative_to(REPO)) for p in (REPO / "plugins" / "doc_fragments").glob("*.py")]
    expected += [str(p.relative_to(REPO)) for p in (REPO / "playbooks").glob("*.yml")]
    expected += [str(p.relative_to(REPO)) for p in (REPO / "roles").glob("*/tasks/main.yml")]
    expected += [str(p.relative_to(REPO)) for p in (REPO / "roles").glob("*/meta/argument_specs.yml")]
    assert len(modules) > 10 and len(expected) > len(modules) + 10, expected
    assert sorted(set(expected) - set(shipped)) == []

# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The unit tests import the collection they sit in (issue 20): from a checkout, without staging it first."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import subprocess
import sys
from pathlib import Path

from ansible_collections.aep.offers.plugins.module_utils import _diff
from ansible_collections.aep.offers.plugins.module_utils._diff import make_patch

ROOT = Path(__file__).resolve().parents[2]


def test_imports_the_files_beside_the_tests():
    assert Path(_diff.__file__).resolve() == ROOT / 'plugins' / 'module_utils' / '_diff.py'
    assert callable(make_patch)


def test_a_stale_staged_copy_is_not_imported(tmp_path):
    """With a stale copy of the collection already on sys.path (PYTHONPATH) and on ANSIBLE_COLLECTIONS_PATH, the
    conftest still makes the import find the files beside the tests."""
    stale = tmp_path / 'ansible_collections' / 'aep' / 'offers' / 'plugins' / 'module_utils'
    stale.mkdir(parents=True)
    (stale / '_diff.py').write_text('STALE = True\n')
    imported = 'from ansible_collections.aep.offers.plugins.module_utils import _diff; print(_diff.__file__)'
    env = {'PATH': '/usr/bin:/bin', 'PYTHONPATH': str(tmp_path), 'ANSIBLE_COLLECTIONS_PATH': str(tmp_path),
           'HOME': str(tmp_path)}
    before = subprocess.run([sys.executable, '-c', imported], cwd=str(tmp_path), env=env, capture_output=True, text=True,
                            check=True)
    assert Path(before.stdout.strip()).resolve() == stale / '_diff.py'  # the stale copy is what Python finds first
    conftest = 'import runpy; runpy.run_path(%r); ' % str(ROOT / 'tests' / 'unit' / 'conftest.py')
    run = subprocess.run([sys.executable, '-c', conftest + imported], cwd=str(tmp_path), env=env, capture_output=True,
                         text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert Path(run.stdout.strip()).resolve() == ROOT / 'plugins' / 'module_utils' / '_diff.py'

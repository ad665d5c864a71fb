# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Makes ``ansible_collections.aep.offers`` importable from the collection these tests sit in.

This file is ``<root>/tests/unit/conftest.py``, where ``<root>`` is the collection: a checkout, or a copy laid
out as ``<dir>/ansible_collections/aep/offers``. A checkout is made importable through a symlink,
``<root>/.build/checkout/ansible_collections/aep/offers`` -> ``<root>`` (.build is not tracked), and the
directory that holds ``ansible_collections`` goes first on sys.path, so the tests import the files beside them,
never a staged copy (tests/unit/test_layout.py checks it). Plain imports need no Ansible collection loader.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import sys
from pathlib import Path

from hypothesis import settings

ROOT = Path(__file__).resolve().parents[2]


def _collections_dir(root):
    """The directory to put on sys.path: the one that holds ``ansible_collections/aep/offers`` -> ``root``."""
    if root.parent.name == 'aep' and root.parent.parent.name == 'ansible_collections' and root.name == 'offers':
        return root.parents[2]
    base = root / '.build' / 'checkout'
    link = base / 'ansible_collections' / 'aep' / 'offers'
    if not (link.is_symlink() and link.resolve() == root):
        link.parent.mkdir(parents=True, exist_ok=True)
        # Relative, so a moved clone keeps a working link; made beside it and renamed over it, so parallel
        # runs never see a missing or half-made link.
        fresh = link.with_name('.offers-%d' % os.getpid())
        fresh.symlink_to(os.path.relpath(str(root), str(link.parent)))
        os.replace(str(fresh), str(link))
    return base


sys.path.insert(0, str(_collections_dir(ROOT)))
# Adobe's documented dps examples (tests/adobe_examples) import as `adobe_examples`.
if str(ROOT / 'tests') not in sys.path:
    sys.path.insert(0, str(ROOT / 'tests'))

# Fast, reproducible property tests that leave no example database behind.
settings.register_profile('aep_offers', max_examples=200, deadline=None, database=None, derandomize=False)
settings.load_profile('aep_offers')

# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Makes ``ansible_collections.aep.offers`` importable when the tests run from a staged collection.

This file lives at ``<root>/ansible_collections/aep/offers/tests/unit/conftest.py``: parents[0] is ``unit``,
[1] ``tests``, [2] ``offers``, [3] ``aep``, [4] ``ansible_collections`` and [5] the directory that holds it.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import importlib.util
import sys
from pathlib import Path

from hypothesis import settings

_HERE = Path(__file__).resolve()
if _HERE.parents[4].name == 'ansible_collections':
    try:
        _FOUND = importlib.util.find_spec('ansible_collections.aep.offers.plugins.module_utils') is not None
    except ImportError:
        _FOUND = False
    if not _FOUND:
        sys.path.insert(0, str(_HERE.parents[5]))
        for _name in [m for m in sys.modules if m == 'ansible_collections' or m.startswith('ansible_collections.')]:
            del sys.modules[_name]

# Adobe's documented dps examples (tests/adobe_examples) import as `adobe_examples`, staged or not.
if str(_HERE.parents[1]) not in sys.path:
    sys.path.insert(0, str(_HERE.parents[1]))

# Fast, reproducible property tests that leave no example database in the staged collection.
settings.register_profile('aep_offers', max_examples=200, deadline=None, database=None, derandomize=False)
settings.load_profile('aep_offers')

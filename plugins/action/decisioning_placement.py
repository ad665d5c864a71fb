# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""aep.offers.decisioning_placement's action plugin: offer_library's (plugins/action/offer_library.py says why a file per module)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.aep.offers.plugins.action.offer_library import ActionModule as _ModuleAction


class ActionModule(_ModuleAction):
    pass

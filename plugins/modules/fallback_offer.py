#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: fallback_offer
short_description: Manage a fallback offer in the Adobe Experience Platform Offer Library
version_added: 0.1.0
description:
  - Converges one fallback offer, the offer a decision proposes when no personalized offer is eligible.
  - Works like M(aep.offers.offer_instance) (identity by O(instance_id) or O(name), only the given
    options managed, minimal JSON Patch with C(If-Match), re-plan on HTTP 409, check and diff mode).
author:
  - aep.offers developers (@aep-offers)
extends_documentation_fragment:
  - aep.offers.connection
  - aep.offers.connection.OBJECT
  - aep.offers.connection.REPRESENTATIONS
options:
  status:
    description:
      - Lifecycle status (C(xdm:status)).
    type: str
    choices: [draft, approved, archived]
  tags:
    description:
      - Collection qualifiers (C(xdm:tags)), as C(@id)s or names; compared as a set.
    type: list
    elements: str
  characteristics:
    description:
      - Key/value characteristics, strings to strings, managed as a whole mapping.
    type: dict
"""

EXAMPLES = r"""
- name: The fallback shown when nothing else is eligible
  aep.offers.fallback_offer:
    name: Default banner
    status: approved
    representations:
      - placement: Web banner
        channel: web
        components:
          - type: text
            format: text/plain
            language: [en]
            content: Discover our latest collection
"""

RETURN = r"""
extends_documentation_fragment:
  - aep.offers.connection.object_return
id:
  sample: xcore:fallback-offer:124e0be5699743d3
fallback_offer:
  description: The fallback offer after the task, as the API stores it; empty after a delete.
  returned: success
  type: dict
"""

from ansible_collections.aep.offers.plugins.module_utils._module import run_object_module


def main():
    run_object_module('fallback_offer')


if __name__ == '__main__':
    main()

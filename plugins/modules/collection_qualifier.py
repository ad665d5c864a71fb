#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: collection_qualifier
short_description: Manage a collection qualifier (tag) in the Adobe Experience Platform Offer Library
version_added: 0.1.0
description:
  - Converges one collection qualifier (Adobe's API calls it a tag), which offers carry and collections match.
  - A qualifier that offers still use may be refused deletion by the API; its message is reported.
  - Works like M(aep.offers.offer_instance) (identity by O(instance_id) or O(name), only the given
    options managed, minimal JSON Patch with C(If-Match), re-plan on HTTP 409, check and diff mode).
author:
  - aep.offers developers (@aep-offers)
extends_documentation_fragment:
  - aep.offers.connection
  - aep.offers.connection.OBJECT
options: {}
"""

EXAMPLES = r"""
- name: A qualifier for summer offers
  aep.offers.collection_qualifier:
    name: Summer
"""

RETURN = r"""
extends_documentation_fragment:
  - aep.offers.connection.object_return
id:
  sample: xcore:tag:124e0be5699743d3
collection_qualifier:
  description: The collection qualifier after the task, as the API stores it; empty after a delete.
  returned: success
  type: dict
"""

from ansible_collections.aep.offers.plugins.module_utils._module import run_object_module


def main():
    run_object_module('collection_qualifier')


if __name__ == '__main__':
    main()

#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: item_collection
short_description: Manage a Decisioning item collection in Adobe Journey Optimizer
version_added: 0.1.0
description:
  - Converges one item collection, the decision items of a catalog that match its constraints
    (C(/item-collections) in the persistence API).
  - Updated with a minimal JSON Patch guarded by C(If-Match), re-planned after HTTP 409 or 412.
author:
  - aep.offers developers (@aep-offers)
extends_documentation_fragment:
  - aep.offers.connection
  - aep.offers.decisioning
options:
  instance_id:
    description:
      - The item collection's id, such as C(dps:item-collection:1bebbf0b7e0f1374), as the API puts in its URLs
        (the RV(instance_id) the module returns).
      - Mutually exclusive with O(name); one of them is required.
      - An item collection given by id is never created; use O(name) for that.
    type: str
  description:
    description:
      - Free text about the collection (C(description)).
    type: str
  catalog_id:
    description:
      - The item catalog the constraints apply to (C(constraints[].itemCatalogId)), set with O(constraints).
      - If not set, the environment variable E(AEP_ITEM_CATALOG_ID) is used; C(module_defaults) works too.
    type: str
  constraints:
    description:
      - The conditions an item must meet to be in the collection, all of them, in order; the whole list is managed.
      - Each is sent as C(constraints[].uiModel), a JSON object written as a string,
        C({"operator":OPERATOR,"value":{"left":ATTRIBUTE,"right":VALUE}}). It is compared as JSON, never
        as text, so a server that writes the same JSON with other spacing or key order makes no change.
    type: list
    elements: dict
    suboptions:
      attribute:
        description:
          - The item attribute compared, as a dotted path, such as V(_experience.decisioning.decisionitem.itemName)
            or a custom attribute V(_acme.colour).
        type: str
        required: true
      operator:
        description:
          - How it is compared, such as V(equals) or V(greater than).
        type: str
        required: true
      value:
        description:
          - What it is compared with (a string, number or boolean).
        type: raw
        required: true
'''

EXAMPLES = r'''
- name: The gold items of the card catalog
  aep.offers.item_collection:
    name: Gold items
    description: Cards whose colour is gold
    catalog_id: 0c6a2f1e-4d3b-4f5a-9e8d-7c6b5a4f3e2d
    constraints:
      - attribute: _acme.colour
        operator: equals
        value: gold
      - attribute: _experience.decisioning.decisionitem.itemPriority
        operator: greater than
        value: 5
'''

RETURN = r'''
changed:
  description: Whether the item collection was (or in check mode would be) created, updated or deleted.
  returned: always
  type: bool
action:
  description: What the task did or, in check mode, would do.
  returned: success
  type: str
  choices: [create, update, delete, none]
  sample: update
instance_id:
  description: The item collection's id; null when it does not exist (or would only be created in check mode).
  returned: success
  type: str
  sample: dps:item-collection:1bebbf0b7e0f1374
id:
  description: The item collection's id, which references to it hold (the same as RV(instance_id) in the persistence API).
  returned: success
  type: str
  sample: dps:item-collection:1bebbf0b7e0f1374
etag:
  description: The item collection's C(etag) after the task (the one read, when nothing was written).
  returned: success
  type: int
  sample: 2
patch:
  description:
    - The JSON Patch operations from the item collection read to the declared state, sent or (in check mode) to be sent.
      Empty for a create or delete.
  returned: success
  type: list
  elements: dict
  sample: [{op: replace, path: /description, value: Gold tier}]
item_collection:
  description: The item collection after the task, as the API shows it; empty after a delete.
  returned: success
  type: dict
retries:
  description: How many HTTP requests were retried (after 429, 5xx or a lost connection).
  returned: success
  type: int
  sample: 0
diff:
  description: With C(--diff), the managed fields before and after, in the persistence API's names.
  returned: when diff mode is on
  type: dict
'''

from ansible_collections.aep.offers.plugins.module_utils._tasks import run_module


def main():
    run_module('item_collection')


if __name__ == '__main__':
    main()

#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: decision_item
short_description: Manage a Decisioning decision item in Adobe Journey Optimizer
version_added: 0.1.0
description:
  - Converges one decision item, an offer of an item catalog with its custom attributes (C(/offer-items) in
    the persistence API). Every call carries the C(x-schema-id) header of O(schema_id); an item belongs to
    the schema it was created with.
  - Its fields live under C(_experience.decisioning) and its custom attributes under C(_<tenant>); it has no
    top-level C(name), so O(name) is C(_experience.decisioning.decisionitem.itemName).
  - Updated with a minimal JSON Patch guarded by C(If-Match), re-planned after HTTP 409 or 412.
author:
  - aep.offers developers (@aep-offers)
extends_documentation_fragment:
  - aep.offers.connection
  - aep.offers.decisioning
options:
  instance_id:
    description:
      - The decision item's id, such as C(dps:14c7468e7f6271ff8023748a1146d11f05f77b7fc1368081:1bebbf0b7e0f1374), as the API puts in its URLs
        (the RV(instance_id) the module returns).
      - Mutually exclusive with O(name); one of them is required.
      - A decision item given by id is never created; use O(name) for that.
    type: str
  description:
    description:
      - Free text about the item (C(_experience.decisioning.decisionitem.itemDescription)).
    type: str
  priority:
    description:
      - The item's priority, 0 or more (C(_experience.decisioning.decisionitem.itemPriority)).
    type: int
  status:
    description:
      - The item's lifecycle status (C(_experience.decisioning.offeritem.lifecycleStatus)), such as V(draft) or V(approved).
    type: str
  start_date:
    description:
      - When the item starts to be offered, RFC 3339 (C(_experience.decisioning.decisionitem.itemCalendarConstraints.startDate)).
    type: str
  end_date:
    description:
      - When the item stops being offered, RFC 3339, not before O(start_date)
        (C(_experience.decisioning.decisionitem.itemCalendarConstraints.endDate)).
    type: str
  eligibility_rule:
    description:
      - The eligibility rule (M(aep.offers.eligibility_rule)) a profile must meet, by name or id
        (C(_experience.decisioning.decisionitem.itemConstraints), with C(profileConstraintType=eligibilityRule)).
      - When not set, the item has no constraint (C(profileConstraintType=none)), and a rule it had is removed.
    type: str
  catalog_id:
    description:
      - The item catalog the item belongs to (C(_experience.decisioning.decisionitem.itemCatalogID)).
      - If not set, the environment variable E(AEP_ITEM_CATALOG_ID) is used; C(module_defaults) works too.
    type: str
  schema_id:
    description:
      - The schema of the item catalog, sent as the C(x-schema-id) header on every call about the item.
      - Required; the task fails naming it before any request when it is missing.
      - If not set, the environment variable E(AEP_ITEM_SCHEMA_ID) is used; C(module_defaults) works too.
    type: str
  tenant:
    description:
      - The tenant whose C(_<tenant>) object holds the custom attributes, such as V(acme) for C(_acme)
        (a leading V(_) is accepted). Required with O(attributes).
      - If not set, the environment variable E(AEP_TENANT) is used; C(module_defaults) works too.
    type: str
  attributes:
    description:
      - Custom attributes, under C(_<tenant>). Managed key by key, like O(instance); a V(null) value removes one.
    type: dict
'''

EXAMPLES = r'''
- name: A gold card for gold members
  aep.offers.decision_item:
    name: Gold card
    description: The gold credit card
    schema_id: https://ns.adobe.com/acme/schemas/2b0c1f0e5d3a4b6c
    catalog_id: 0c6a2f1e-4d3b-4f5a-9e8d-7c6b5a4f3e2d
    tenant: acme
    status: approved
    priority: 10
    eligibility_rule: Gold members
    start_date: "2026-01-01T00:00:00Z"
    end_date: "2026-12-31T23:59:59Z"
    attributes:
      colour: gold
      annualFee: 95

- name: The same, with the catalog settings from module_defaults
  module_defaults:
    aep.offers.decision_item:
      schema_id: https://ns.adobe.com/acme/schemas/2b0c1f0e5d3a4b6c
      catalog_id: 0c6a2f1e-4d3b-4f5a-9e8d-7c6b5a4f3e2d
      tenant: acme
  aep.offers.decision_item:
    name: Gold card
    priority: 20
    eligibility_rule: Gold members
'''

RETURN = r'''
changed:
  description: Whether the decision item was (or in check mode would be) created, updated or deleted.
  returned: always
  type: bool
action:
  description: What the task did or, in check mode, would do.
  returned: success
  type: str
  choices: [create, update, delete, none]
  sample: update
instance_id:
  description: The decision item's id; null when it does not exist (or would only be created in check mode).
  returned: success
  type: str
  sample: dps:14c7468e7f6271ff8023748a1146d11f05f77b7fc1368081:1bebbf0b7e0f1374
id:
  description: The decision item's id, which references to it hold (the same as RV(instance_id) in the persistence API).
  returned: success
  type: str
  sample: dps:14c7468e7f6271ff8023748a1146d11f05f77b7fc1368081:1bebbf0b7e0f1374
etag:
  description: The decision item's C(etag) after the task (the one read, when nothing was written).
  returned: success
  type: int
  sample: 2
patch:
  description:
    - The JSON Patch operations from the decision item read to the declared state, sent or (in check mode) to be sent.
      Empty for a create or delete.
  returned: success
  type: list
  elements: dict
  sample: [{op: replace, path: /description, value: Gold tier}]
decision_item:
  description: The decision item after the task, as the API shows it; empty after a delete.
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
    run_module('decision_item')


if __name__ == '__main__':
    main()

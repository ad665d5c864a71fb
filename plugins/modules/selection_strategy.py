#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: selection_strategy
short_description: Manage a Decisioning selection strategy in Adobe Journey Optimizer
version_added: 0.1.0
description:
  - Converges one selection strategy, which picks items from an item collection for the profiles that
    meet a rule, in static order or ordered by a ranking formula (C(/selection-strategies) in the
    persistence API).
  - Updated with a minimal JSON Patch guarded by C(If-Match), re-planned after HTTP 409 or 412.
author:
  - aep.offers developers (@aep-offers)
extends_documentation_fragment:
  - aep.offers.connection
  - aep.offers.decisioning
options:
  instance_id:
    description:
      - The selection strategy's id, such as C(dps:selection-strategy:1bebbfc9245cb35e), as the API puts in its URLs
        (the RV(instance_id) the module returns).
      - Mutually exclusive with O(name); one of them is required.
      - A selection strategy given by id is never created; use O(name) for that.
    type: str
  description:
    description:
      - Free text about the strategy (C(description)).
    type: str
  collection:
    description:
      - The item collection (M(aep.offers.item_collection)) the items come from, by name or id (C(optionSelection.filter)).
    type: str
  eligibility_rule:
    description:
      - The eligibility rule (M(aep.offers.eligibility_rule)) a profile must meet, by name or id
        (C(profileConstraint), with C(profileConstraintType=eligibilityRule)).
      - When not set, the strategy has no constraint (C(profileConstraintType=none)), and a rule it had is removed.
    type: str
  priority:
    description:
      - The strategy's priority, 0 or more (C(rank.priority)).
    type: int
  ranking_formula:
    description:
      - The ranking formula (M(aep.offers.ranking_formula)) that orders the items, by name or id
        (C(rank.order), with C(orderEvaluationType=scoringFunction) and C(function)).
      - When not set, the items are in static order (C(orderEvaluationType=static)), and a formula it had is removed.
    type: str
'''

EXAMPLES = r'''
- name: Gold items for gold members, best first
  aep.offers.selection_strategy:
    name: Gold for gold members
    description: Gold cards, ranked
    collection: Gold items
    eligibility_rule: Gold members
    ranking_formula: Boosted priority
    priority: 1
'''

RETURN = r'''
changed:
  description: Whether the selection strategy was (or in check mode would be) created, updated or deleted.
  returned: always
  type: bool
action:
  description: What the task did or, in check mode, would do.
  returned: success
  type: str
  choices: [create, update, delete, none]
  sample: update
instance_id:
  description: The selection strategy's id; null when it does not exist (or would only be created in check mode).
  returned: success
  type: str
  sample: dps:selection-strategy:1bebbfc9245cb35e
id:
  description: The selection strategy's id, which references to it hold (the same as RV(instance_id) in the persistence API).
  returned: success
  type: str
  sample: dps:selection-strategy:1bebbfc9245cb35e
etag:
  description: The selection strategy's C(etag) after the task (the one read, when nothing was written).
  returned: success
  type: int
  sample: 2
patch:
  description:
    - The JSON Patch operations from the selection strategy read to the declared state, sent or (in check mode) to be sent.
      Empty for a create or delete.
  returned: success
  type: list
  elements: dict
  sample: [{op: replace, path: /description, value: Gold tier}]
selection_strategy:
  description: The selection strategy after the task, as the API shows it; empty after a delete.
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
    run_module('selection_strategy')


if __name__ == '__main__':
    main()

#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: ranking_formula
short_description: Manage a Decisioning ranking formula in Adobe Journey Optimizer
version_added: 0.1.0
description:
  - Converges one ranking formula, a PQL expression whose value orders the items of a selection strategy
    (C(/ranking-formulas) with C(exdFunction=true) in the persistence API).
  - Updated with C(PUT) of the whole object (the API has no PATCH for it), guarded by C(If-Match). The
    module reads the object, applies the changes of the managed options to what it read, and sends that,
    re-reading and re-planning after HTTP 409 or 412. The result's RV(patch) still shows what differs.
author:
  - aep.offers developers (@aep-offers)
extends_documentation_fragment:
  - aep.offers.connection
  - aep.offers.decisioning
options:
  instance_id:
    description:
      - The ranking formula's id, such as C(dps:ranking-function:1947f5372cc4ed74), as the API puts in its URLs
        (the RV(instance_id) the module returns).
      - Mutually exclusive with O(name); one of them is required.
      - A ranking formula given by id is never created; use O(name) for that.
    type: str
  description:
    description:
      - Free text about the formula (C(description)).
    type: str
  expression:
    description:
      - The formula as PQL text (C(expression.value), sent with C(type=PQL) and C(format=pql/text)).
      - PQL may contain braces; write it C(!unsafe) so Ansible does not template it. Adobe allows 8 KB.
    type: str
  return_type:
    description:
      - The type of the formula's value (C(returnType.type)); V(integer) when not set.
      - The API shows it upper-cased (C(INTEGER)); case is not a difference.
    type: str
  defined_on:
    description:
      - The aliases the expression uses and the schemas they stand for (C(definedOn)), as the API takes it,
        such as C({"offer":{"schema":{"altId":"_experience.offer-management.personalized-offer","version":"0"}}}).
      - Write-only. The API does not show C(definedOn) when read, so it is sent when the formula is created and
        whenever another managed option changes, and is never a reason for a change on its own.
      - As formulas are updated with PUT, which replaces the whole formula, an update from a task without
        O(defined_on) drops the C(definedOn) stored before; give it in every task that manages the formula.
    type: dict
'''

EXAMPLES = r'''
- name: Rank by priority, doubled for boosted items
  aep.offers.ranking_formula:
    name: Boosted priority
    description: Priority, twice for boosted items
    expression: if(offer.rank.priority.isNotNull(), offer.rank.priority, 0) * if(offer.tags.intersects(boosted.tags), 2, 1)
    return_type: integer
    defined_on:
      offer:
        schema:
          altId: _experience.offer-management.personalized-offer
          version: "0"
      boosted:
        schema:
          altId: _xdm.context.foo
          version: "0"
'''

RETURN = r'''
changed:
  description: Whether the ranking formula was (or in check mode would be) created, updated or deleted.
  returned: always
  type: bool
action:
  description: What the task did or, in check mode, would do.
  returned: success
  type: str
  choices: [create, update, delete, none]
  sample: update
instance_id:
  description: The ranking formula's id; null when it does not exist (or would only be created in check mode).
  returned: success
  type: str
  sample: dps:ranking-function:1947f5372cc4ed74
id:
  description: The ranking formula's id, which references to it hold (the same as RV(instance_id) in the persistence API).
  returned: success
  type: str
  sample: dps:ranking-function:1947f5372cc4ed74
etag:
  description: The ranking formula's C(etag) after the task (the one read, when nothing was written).
  returned: success
  type: int
  sample: 2
patch:
  description:
    - The JSON Patch operations from the ranking formula read to the declared state, sent or (in check mode) to be sent.
      Empty for a create or delete.
    - This kind is updated with PUT, not PATCH; the operations say what differs, and the object read with
      them applied is what is sent.
  returned: success
  type: list
  elements: dict
  sample: [{op: replace, path: /description, value: Gold tier}]
ranking_formula:
  description: The ranking formula after the task, as the API shows it; empty after a delete.
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
    run_module('ranking_formula')


if __name__ == '__main__':
    main()

#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: eligibility_rule
short_description: Manage a Decisioning eligibility rule in Adobe Journey Optimizer
version_added: 0.1.0
description:
  - Converges one Decisioning eligibility rule, a PQL condition that decides who may get a decision item or
    a selection strategy's items (C(/offer-rules) with C(exdRule=true) in the persistence API).
  - Decision Management's decision rules (M(aep.offers.decision_rule)) share the endpoint; this module
    sees only eligibility rules, and M(aep.offers.decision_rule) only decision rules, when listing and
    when given an id.
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
      - The eligibility rule's id, such as C(dps:eligibility-rule:19af09a9ae45a8d3), as the API puts in its URLs
        (the RV(instance_id) the module returns).
      - Mutually exclusive with O(name); one of them is required.
      - An eligibility rule given by id is never created; use O(name) for that.
    type: str
  description:
    description:
      - Free text about the rule (C(description)).
    type: str
  condition:
    description:
      - The rule as PQL text (C(condition.value), sent with C(type=PQL) and C(format=pql/text)).
      - PQL may contain braces; write it C(!unsafe) or read it from a file so Ansible does not template it.
      - Adobe allows rules of up to 15 KB.
    type: str
  defined_on:
    description:
      - The schemas the rule is defined on (C(definedOn)), as the API takes it, such as
        C({"":{"schema":{"altId":"_xdm.context.profile","version":"1"},"referencePaths":[...]}}).
      - Compared with what the API shows, as a whole.
      - As rules are updated with PUT, which replaces the whole rule, the C(definedOn) stored before is kept
        by an update from a task without O(defined_on) only because the module sends back what it read.
    type: dict
'''

EXAMPLES = r'''
- name: Gold members
  aep.offers.eligibility_rule:
    name: Gold members
    description: Members of the gold tier
    condition: profile.loyalty.tier = "gold"
    defined_on:
      "":
        schema:
          altId: _xdm.context.profile
          version: "1"
        referencePaths: [loyalty.tier]

- name: Retire an old rule
  aep.offers.eligibility_rule:
    name: Silver members
    state: absent
'''

RETURN = r'''
changed:
  description: Whether the eligibility rule was (or in check mode would be) created, updated or deleted.
  returned: always
  type: bool
action:
  description: What the task did or, in check mode, would do.
  returned: success
  type: str
  choices: [create, update, delete, none]
  sample: update
instance_id:
  description: The eligibility rule's id; null when it does not exist (or would only be created in check mode).
  returned: success
  type: str
  sample: dps:eligibility-rule:19af09a9ae45a8d3
id:
  description: The eligibility rule's id, which references to it hold (the same as RV(instance_id) in the persistence API).
  returned: success
  type: str
  sample: dps:eligibility-rule:19af09a9ae45a8d3
etag:
  description: The eligibility rule's C(etag) after the task (the one read, when nothing was written).
  returned: success
  type: int
  sample: 2
patch:
  description:
    - The JSON Patch operations from the eligibility rule read to the declared state, sent or (in check mode) to be sent.
      Empty for a create or delete.
    - This kind is updated with PUT, not PATCH; the operations say what differs, and the object read with
      them applied is what is sent.
  returned: success
  type: list
  elements: dict
  sample: [{op: replace, path: /description, value: Gold tier}]
eligibility_rule:
  description: The eligibility rule after the task, as the API shows it (with its server-built C(segmentModel)); empty after a delete.
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
    run_module('eligibility_rule')


if __name__ == '__main__':
    main()

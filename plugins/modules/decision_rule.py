#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: decision_rule
short_description: Manage a decision rule (eligibility rule) in the Adobe Experience Platform Offer Library
version_added: 0.1.0
description:
  - Converges one decision rule, a PQL condition that decides who is eligible for an offer.
  - Works like M(aep.offers.offer_instance) (identity by O(instance_id) or O(name), only the given
    options managed, minimal JSON Patch with C(If-Match), re-plan on HTTP 409 (or 412 with O(api=dps)), check and
    diff mode).
author:
  - aep.offers developers (@aep-offers)
extends_documentation_fragment:
  - aep.offers.connection
  - aep.offers.object
options:
  description:
    description:
      - Free text about the rule (C(description), with either API).
    type: str
  condition:
    description:
      - The rule as PQL text (C(xdm:condition.xdm:value), sent with C(xdm:type=PQL) and C(xdm:format=pql/text);
        with O(api=dps), C(condition.value), sent with C(type=PQL) and C(format=pql/text)).
      - PQL may contain braces; write it C(!unsafe) or read it from a file so Ansible does not template it.
      - Adobe allows rules of up to 15 KB.
    type: str
  defined_on:
    description:
      - The profile schema the rule is defined on, and the profile paths its condition reads (C(xdm:definedOn); with
        O(api=dps), C(definedOn)), as the API takes it.
      - With O(api=dps) in the shape Adobe's decision rule pages show, one entry under C(profile),
        C({"profile":{"schema":{"ref":"https://ns.adobe.com/xdm/context/profile_union","version":"1"},"referencePaths":[...]}})
        (the API refuses other fields). See the examples.
      - With O(api=dps) it is write-only, because a dps GET does not show C(definedOn). It is sent when the rule is
        created and along with any other change, but never compared, so changing only O(defined_on) is not a change
        (change another option with it, or delete and recreate the rule), the diff does not show it, and
        M(aep.offers.offer_library_info) cannot export it.
    type: dict
"""

EXAMPLES = r"""
- name: Gold members in the US
  aep.offers.decision_rule:
    name: Gold US members
    description: Loyalty tier gold, living in the US
    condition: !unsafe 'profile.loyalty.tier.equals("gold", false) and profile.homeAddress.countryCode = "US"'

- name: Through dps, with the schema and paths the rule reads (definedOn, as Adobe's pages show it)
  aep.offers.decision_rule:
    api: dps
    name: Joes
    description: First name Joe
    condition: !unsafe 'profile.person.name.firstName.equals("Joe", false)'
    defined_on:
      profile:
        schema:
          ref: https://ns.adobe.com/xdm/context/profile_union
          version: "1"
        referencePaths: [person.name.firstName]
"""

RETURN = r"""
changed:
  description: Whether the decision rule was (or in check mode would be) created, patched or deleted.
  returned: always
  type: bool
action:
  description: What the task did or, in check mode, would do.
  returned: success
  type: str
  choices: [create, update, delete, none]
  sample: update
instance_id:
  description:
    - The decision rule's instance ID, the id in its URL; null when it does not exist (or would only be created in check mode).
    - With O(api=xcore) a UUID; with O(api=dps) the dps C(id), the same value as RV(id).
  returned: success
  type: str
  sample: 0f4bc230-13df-11eb-bc55-c11be7252432
id:
  description:
    - The decision rule's id, which other objects use to refer to it.
    - With O(api=xcore) its C(@id) (C(xcore:eligibility-rule:...)); with O(api=dps) its C(id) (C(dps:eligibility-rule:...)).
  returned: success
  type: str
  sample: xcore:eligibility-rule:124e0be5699743d3
etag:
  description: The decision rule's etag (C(repo:etag); with O(api=dps), C(etag)) after the task (the one read, when nothing was written).
  returned: success
  type: int
  sample: 2
patch:
  description:
    - The JSON Patch operations sent, or in check mode the ones that would be sent. Empty for a create or delete.
    - With O(api=xcore) the paths are under C(/_instance) (C(/_instance/xdm:name)); with O(api=dps) they are
      the object's own (C(/name)).
  returned: success
  type: list
  elements: dict
decision_rule:
  description:
    - The decision rule after the task, as the API stores it; empty after a delete.
    - With O(api=xcore) the instance (C(instanceId), C(repo:*) metadata, C(_instance)); with O(api=dps) the flat
      object (C(id), C(etag), C(created), C(modified), ... and its fields).
  returned: success
  type: dict
retries:
  description: How many HTTP requests were retried (after 429, 5xx or a lost connection).
  returned: success
  type: int
  sample: 0
diff:
  description:
    - With C(--diff), the managed fields before and after, in the API's names.
  returned: when diff mode is on
  type: dict
"""

from ansible_collections.aep.offers.plugins.module_utils._tasks import run_module


def main():
    run_module('decision_rule')


if __name__ == '__main__':
    main()

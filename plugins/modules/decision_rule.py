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
    options managed, minimal JSON Patch with C(If-Match), re-plan on HTTP 409, check and diff mode).
author:
  - aep.offers developers (@aep-offers)
extends_documentation_fragment:
  - aep.offers.connection
  - aep.offers.connection.OBJECT
options:
  description:
    description:
      - Free text about the rule (C(description)).
    type: str
  condition:
    description:
      - The rule as PQL text (C(xdm:condition.xdm:value), sent with C(xdm:type=PQL) and C(xdm:format=pql/text)).
      - PQL may contain braces; write it C(!unsafe) or read it from a file so Ansible does not template it.
      - Adobe allows rules of up to 15 KB.
    type: str
  defined_on:
    description:
      - The profile schema the rule is defined on (C(xdm:definedOn)), as the API takes it.
    type: dict
"""

EXAMPLES = r"""
- name: Gold members in the US
  aep.offers.decision_rule:
    name: Gold US members
    description: Loyalty tier gold, living in the US
    condition: !unsafe 'profile.loyalty.tier.equals("gold", false) and profile.homeAddress.countryCode = "US"'
"""

RETURN = r"""
extends_documentation_fragment:
  - aep.offers.connection.object_return
id:
  sample: xcore:eligibility-rule:124e0be5699743d3
decision_rule:
  description: The decision rule after the task, as the API stores it; empty after a delete.
  returned: success
  type: dict
"""

from ansible_collections.aep.offers.plugins.module_utils._module import run_object_module


def main():
    run_object_module('decision_rule')


if __name__ == '__main__':
    main()

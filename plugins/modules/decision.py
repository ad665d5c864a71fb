#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: decision
short_description: Manage a decision (offer activity) in the Adobe Experience Platform Offer Library
version_added: 0.1.0
description:
  - Converges one decision (Adobe's API calls it an offer activity), for each set of placements the
    collection to choose offers from, optionally narrowed by a decision rule, and a fallback offer.
  - Works like M(aep.offers.offer_instance) (identity by O(instance_id) or O(name), only the given
    options managed, minimal JSON Patch with C(If-Match), re-plan on HTTP 409 (or 412 with O(api=dps)), check and
    diff mode).
author:
  - aep.offers developers (@aep-offers)
extends_documentation_fragment:
  - aep.offers.connection
  - aep.offers.object
options:
  status:
    description:
      - Lifecycle status (C(xdm:status); with O(api=dps), C(status)).
    type: str
    choices: [draft, live, archived]
  start_date:
    description:
      - Start of the decision (C(xdm:startDate); with O(api=dps), C(startDate)), an RFC 3339 date-time,
        compared as an instant.
      - A date that is not RFC 3339, or an O(end_date) before O(start_date), is refused before any request.
    type: str
  end_date:
    description:
      - End of the decision (C(xdm:endDate); with O(api=dps), C(endDate)), an RFC 3339 date-time, not before
        O(start_date).
    type: str
  criteria:
    description:
      - The decision scopes, in order (C(xdm:criteria); with O(api=dps), C(criteria)).
    type: list
    elements: dict
    suboptions:
      placements:
        description:
          - Placements (C(xdm:placements); with O(api=dps), C(placements)), as ids (C(xcore:offer-placement:...)
            with O(api=xcore), C(dps:offer-placement:...) with O(api=dps)) or names; compared as a set.
        type: list
        elements: str
        required: true
      collection:
        description:
          - The collection to choose offers from (C(xdm:optionSelection.xdm:filter); with O(api=dps),
            C(optionSelection.filter)), as its id or name.
        type: str
        required: true
      eligibility_rule:
        description:
          - A decision rule that narrows the offers, as its id or name.
          - With O(api=xcore) stored as C(xdm:selectionConstraint.xdm:eligibilityRule); with O(api=dps) as
            C(profileConstraint.eligibilityRule), sent with C(profileConstraint.profileConstraintType=eligibilityRule).
        type: str
  fallback:
    description:
      - The fallback offer (C(xdm:fallback); with O(api=dps), C(fallback)), as its id or name.
    type: str
"""

EXAMPLES = r"""
- name: The home page decision
  aep.offers.decision:
    name: Home page
    status: live
    start_date: "2026-06-01T00:00:00Z"
    end_date: "2026-12-31T23:59:59Z"
    criteria:
      - placements: [Web banner]
        collection: Summer offers
        eligibility_rule: Gold US members
    fallback: Default banner
"""

RETURN = r"""
changed:
  description: Whether the decision was (or in check mode would be) created, patched or deleted.
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
    - The decision's instance ID, the id in its URL; null when it does not exist (or would only be created in check mode).
    - With O(api=xcore) a UUID; with O(api=dps) the dps C(id), the same value as RV(id).
  returned: success
  type: str
  sample: 0f4bc230-13df-11eb-bc55-c11be7252432
id:
  description:
    - The decision's id, which other objects use to refer to it.
    - With O(api=xcore) its C(@id) (C(xcore:offer-activity:...)); with O(api=dps) its C(id) (C(dps:offer-activity:...)).
  returned: success
  type: str
  sample: xcore:offer-activity:124e0be5699743d3
etag:
  description: The decision's etag (C(repo:etag); with O(api=dps), C(etag)) after the task (the one read, when nothing was written).
  returned: success
  type: int
  sample: 2
patch:
  description:
    - The JSON Patch operations sent, or in check mode the ones that would be sent. Empty for a create or delete.
    - With O(api=xcore) the paths are under C(/_instance) (C(/_instance/xdm:name)); with O(api=dps) they are
      the object's own (C(/name)).
    - References are ids, as sent.
  returned: success
  type: list
  elements: dict
decision:
  description:
    - The decision after the task, as the API stores it; empty after a delete.
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
    - A reference reads C(name (id)) where its name is known.
  returned: when diff mode is on
  type: dict
"""

from ansible_collections.aep.offers.plugins.module_utils._tasks import run_module


def main():
    run_module('decision')


if __name__ == '__main__':
    main()

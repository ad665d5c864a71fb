#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: offer_collection
short_description: Manage a collection (offer filter) in the Adobe Experience Platform Offer Library
version_added: 0.1.0
description:
  - Converges one collection (Adobe's API calls it an offer filter), a fixed list of offers, or the
    offers that carry any or all of a list of collection qualifiers.
  - Works like M(aep.offers.offer_instance) (identity by O(instance_id) or O(name), only the given
    options managed, minimal JSON Patch with C(If-Match), re-plan on HTTP 409 (or 412 with O(api=dps)), check and
    diff mode).
author:
  - aep.offers developers (@aep-offers)
extends_documentation_fragment:
  - aep.offers.connection
  - aep.offers.object
options:
  filter_type:
    description:
      - V(offers) for a fixed list of offers (O(offers)); V(anyTags) or V(allTags) for the offers carrying
        any or all of O(qualifiers).
      - When not given it follows from O(offers) (V(offers)) or O(qualifiers) (V(anyTags)).
      - Stored as C(xdm:filterType) with the value given. With O(api=dps), stored as C(filterType) in dps's
        spelling, V(offers), V(any-tags) or V(all-tags); M(aep.offers.offer_library_info) gives it back as
        V(offers), V(anyTags) or V(allTags) with either API.
    type: str
    choices: [offers, anyTags, allTags]
  offers:
    description:
      - The personalized offers of the collection (C(xdm:ids); with O(api=dps), C(ids)), as ids
        (C(xcore:personalized-offer:...) with O(api=xcore), C(dps:personalized-offer:...) with O(api=dps)) or
        names; compared as a set.
      - Mutually exclusive with O(qualifiers).
    type: list
    elements: str
  qualifiers:
    description:
      - The collection qualifiers the collection matches (C(xdm:ids); with O(api=dps), C(ids)), as ids
        (C(xcore:tag:...) with O(api=xcore), C(dps:tag:...) with O(api=dps)) or names; compared as a set.
      - Mutually exclusive with O(offers).
    type: list
    elements: str
"""

EXAMPLES = r"""
- name: Every summer offer
  aep.offers.offer_collection:
    name: Summer offers
    filter_type: anyTags
    qualifiers: [Summer]

- name: A fixed pick
  aep.offers.offer_collection:
    name: Hand picked
    offers: [Summer sale, Winter sale]
"""

RETURN = r"""
changed:
  description: Whether the collection was (or in check mode would be) created, patched or deleted.
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
    - The collection's instance ID, the id in its URL; null when it does not exist (or would only be created in check mode).
    - With O(api=xcore) a UUID; with O(api=dps) the dps C(id), the same value as RV(id).
  returned: success
  type: str
  sample: 0f4bc230-13df-11eb-bc55-c11be7252432
id:
  description:
    - The collection's id, which other objects use to refer to it.
    - With O(api=xcore) its C(@id) (C(xcore:offer-filter:...)); with O(api=dps) its C(id) (C(dps:offer-filter:...)).
  returned: success
  type: str
  sample: xcore:offer-filter:124e0be5699743d3
etag:
  description: The collection's etag (C(repo:etag); with O(api=dps), C(etag)) after the task (the one read, when nothing was written).
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
collection:
  description:
    - The collection after the task, as the API stores it; empty after a delete.
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
    run_module('offer_collection')


if __name__ == '__main__':
    main()

#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
module: fallback_offer
short_description: Manage a fallback offer in the Adobe Experience Platform Offer Library
version_added: 0.1.0
description:
  - Converges one fallback offer, the offer a decision proposes when no personalized offer is eligible.
  - Works like M(aep.offers.offer_instance) (identity by O(instance_id) or O(name), only the given
    options managed, minimal JSON Patch with C(If-Match), re-plan on HTTP 409 (or 412 with O(api=dps)), check and
    diff mode).
author:
  - aep.offers developers (@aep-offers)
extends_documentation_fragment:
  - aep.offers.connection
  - aep.offers.object
  - aep.offers.representations
options:
  status:
    description:
      - Lifecycle status (C(xdm:status); with O(api=dps), C(status)).
    type: str
    choices: [draft, approved, archived]
  tags:
    description:
      - Collection qualifiers (C(xdm:tags); with O(api=dps), C(tags)), as ids (C(xcore:tag:...) with O(api=xcore),
        C(dps:tag:...) with O(api=dps)) or names; compared as a set; V([]) removes them all.
    type: list
    elements: str
  characteristics:
    description:
      - Key/value characteristics (C(xdm:characteristics); with O(api=dps), C(characteristics)), strings to
        strings, managed as a whole mapping, so keys not given are removed; V({}) removes them all.
    type: dict
"""

EXAMPLES = r"""
- name: The fallback shown when nothing else is eligible
  aep.offers.fallback_offer:
    name: Default banner
    status: approved
    representations:
      - placement: Web banner
        channel: web
        components:
          - type: text
            format: text/plain
            language: [en]
            content: Discover our latest collection
"""

RETURN = r"""
changed:
  description: Whether the fallback offer was (or in check mode would be) created, patched or deleted.
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
    - The fallback offer's instance ID, the id in its URL; null when it does not exist (or would only be created in check mode).
    - With O(api=xcore) a UUID; with O(api=dps) the dps C(id), the same value as RV(id).
  returned: success
  type: str
  sample: 0f4bc230-13df-11eb-bc55-c11be7252432
id:
  description:
    - The fallback offer's id, which other objects use to refer to it.
    - With O(api=xcore) its C(@id) (C(xcore:fallback-offer:...)); with O(api=dps) its C(id) (C(dps:fallback-offer:...)).
  returned: success
  type: str
  sample: xcore:fallback-offer:124e0be5699743d3
etag:
  description: The fallback offer's etag (C(repo:etag); with O(api=dps), C(etag)) after the task (the one read, when nothing was written).
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
fallback_offer:
  description:
    - The fallback offer after the task, as the API stores it; empty after a delete.
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
    run_module('fallback_offer')


if __name__ == '__main__':
    main()

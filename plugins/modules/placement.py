#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: placement
short_description: Manage a placement in the Adobe Experience Platform Offer Library
version_added: 0.1.0
description:
  - Converges one placement (where and in which form offers appear) to the state the task declares.
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
      - Free text about the placement (C(xdm:description); with O(api=dps), C(description)).
    type: str
  channel:
    description:
      - The channel (C(xdm:channel); with O(api=dps), C(channel)), as a full URI or a short name such as V(web),
        V(email) or V(mobile), which becomes C(https://ns.adobe.com/xdm/channel-types/<name>) with either API.
    type: str
  component_type:
    description:
      - The kind of content the placement takes (C(xdm:componentType); with O(api=dps), C(componentType)).
      - With O(api=xcore) it is stored as the URI C(https://ns.adobe.com/experience/offer-management/content-component-<type>).
      - With O(api=dps) it takes the value the offers' components take for the same type, as Adobe's pages show
        C(html) for both, so V(html), V(imagelink), C(component-text) for V(text), C(component-json) for V(json). A
        placement stored with a bare C(text) or C(json) reads as the same type, so it is no change.
    type: str
    choices: [text, html, imagelink, json]
  content_types:
    description:
      - Media types the placement accepts (C(xdm:contentTypes); with O(api=dps), C(contentTypes)), such as
        V(text/plain); compared as a set.
    type: list
    elements: str
  item_count:
    description:
      - How many offers the placement takes (C(itemCount)), 1 to 30 (the decisioning API returns at most 30 per
        placement), checked before any request.
      - Needs O(api=dps); with O(api=xcore), which has no such field, the task fails before any request.
    type: int
  allow_duplicate_placements:
    description:
      - C(allowDuplicatePlacements), as Adobe's placement pages show it (they document no more than its name).
      - Needs O(api=dps); with O(api=xcore), which has no such field, the task fails before any request.
    type: bool
  return_content:
    description:
      - Whether a decision returns the offers' content for this placement (C(returnContent)).
      - Needs O(api=dps); with O(api=xcore), which has no such field, the task fails before any request.
    type: bool
  return_metadata:
    description:
      - Which metadata a decision returns with each offer for this placement (C(returnMetaData)). Only the flags
        given are managed.
      - Needs O(api=dps); with O(api=xcore), which has no such field, the task fails before any request.
    type: dict
    suboptions:
      decision_name:
        description: The decision's name (C(returnMetaData.decisionName)).
        type: bool
      offer_name:
        description: The offer's name (C(returnMetaData.offerName)).
        type: bool
      offer_attributes:
        description: The offer's attributes (C(returnMetaData.offerAttributes)).
        type: bool
      offer_priority:
        description: The offer's priority (C(returnMetaData.offerPriority)).
        type: bool
      placement_name:
        description: The placement's name (C(returnMetaData.placementName)).
        type: bool
      channel_type:
        description: The channel type (C(returnMetaData.channelType)).
        type: bool
      content_type:
        description: The content type (C(returnMetaData.contentType)).
        type: bool
'''

EXAMPLES = r'''
- name: A web banner placement
  aep.offers.placement:
    name: Web banner
    channel: web
    component_type: imagelink
    content_types: [image/png, image/jpeg]
    description: Hero banner on the home page

- name: An email placement with the persistence API's settings
  aep.offers.placement:
    api: dps
    name: Email hero
    channel: email
    component_type: html
    item_count: 1
    allow_duplicate_placements: false
    return_content: true
    return_metadata:
      offer_name: true
      offer_priority: true
'''

RETURN = r'''
changed:
  description: Whether the placement was (or in check mode would be) created, patched or deleted.
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
    - The placement's instance ID, the id in its URL; null when it does not exist (or would only be created in check mode).
    - With O(api=xcore) a UUID; with O(api=dps) the dps C(id), the same value as RV(id).
  returned: success
  type: str
  sample: 0f4bc230-13df-11eb-bc55-c11be7252432
id:
  description:
    - The placement's id, which offers use in their representations.
    - With O(api=xcore) its C(@id) (C(xcore:offer-placement:...)); with O(api=dps) its C(id) (C(dps:offer-placement:...)).
  returned: success
  type: str
  sample: xcore:offer-placement:124e0be5699743d3
etag:
  description: The placement's etag (C(repo:etag); with O(api=dps), C(etag)) after the task (the one read, when nothing was written).
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
placement:
  description:
    - The placement after the task, as the API stores it; empty after a delete.
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
'''

from ansible_collections.aep.offers.plugins.module_utils._tasks import run_module


def main():
    run_module('placement')


if __name__ == '__main__':
    main()

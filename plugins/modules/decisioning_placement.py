#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: decisioning_placement
short_description: Manage a Decisioning placement in Adobe Journey Optimizer
version_added: 0.1.0
description:
  - Converges one Decisioning placement, where in a channel decisioned items appear (C(/exd-placements) in
    the persistence API). Decision Management's placements are M(aep.offers.placement).
  - Updated with C(PUT) of the whole object (the API has no PATCH for it), guarded by C(If-Match). The
    module reads the object, applies the changes of the managed options to what it read, and sends that,
    re-reading and re-planning after HTTP 409 or 412. The result's RV(patch) still shows what differs.
  - The API cannot delete these placements (it has no delete for them), so O(state=absent) fails before any
    request; set O(status), for example V(archived), instead.
author:
  - aep.offers developers (@aep-offers)
extends_documentation_fragment:
  - aep.offers.connection
  - aep.offers.decisioning
options:
  instance_id:
    description:
      - The Decisioning placement's id, such as C(dps:exd-placement:19cb038eca47bead), as the API puts in its URLs
        (the RV(instance_id) the module returns).
      - Mutually exclusive with O(name); one of them is required.
      - A Decisioning placement given by id is never created; use O(name) for that.
    type: str
  state:
    description:
      - V(present) creates or updates the placement.
      - V(absent) never deletes one; the API has no delete for Decisioning placements. The task fails before
        any request, in check mode too and whether or not the placement exists. To retire a placement, set
        O(status), for example V(archived).
    type: str
    choices: [present, absent]
    default: present
  description:
    description:
      - Free text about the placement (C(description)).
    type: str
  channel:
    description:
      - The channel (C(channel)), as a full URI or a short name such as V(web), V(email) or V(code)
        (for C(https://ns.adobe.com/xdm/channel-types/code)).
    type: str
  channel_configuration:
    description:
      - The id of the channel configuration (surface) the placement belongs to (C(channelConfiguration)).
    type: str
  status:
    description:
      - The placement's status (C(status)), such as V(active) or V(archived).
    type: str
'''

EXAMPLES = r'''
- name: A hero banner in the email channel
  aep.offers.decisioning_placement:
    name: Email hero
    description: Top of the newsletter
    channel: email
    channel_configuration: 530b76f9-dcd6-4fd5-8c52-38e29b04a60a
    status: active
'''

RETURN = r'''
changed:
  description: Whether the Decisioning placement was (or in check mode would be) created or updated.
  returned: always
  type: bool
action:
  description: What the task did or, in check mode, would do.
  returned: success
  type: str
  choices: [create, update, none]
  sample: update
instance_id:
  description: The Decisioning placement's id; null when it does not exist (or would only be created in check mode).
  returned: success
  type: str
  sample: dps:exd-placement:19cb038eca47bead
id:
  description: The Decisioning placement's id, which references to it hold (the same as RV(instance_id) in the persistence API).
  returned: success
  type: str
  sample: dps:exd-placement:19cb038eca47bead
etag:
  description: The Decisioning placement's C(etag) after the task (the one read, when nothing was written).
  returned: success
  type: int
  sample: 2
patch:
  description:
    - The JSON Patch operations from the Decisioning placement read to the declared state, sent or (in check mode) to be sent.
      Empty for a create.
    - This kind is updated with PUT, not PATCH; the operations say what differs, and the object read with
      them applied is what is sent.
  returned: success
  type: list
  elements: dict
  sample: [{op: replace, path: /description, value: Gold tier}]
decisioning_placement:
  description: The placement after the task, as the API shows it.
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
    run_module('decisioning_placement')


if __name__ == '__main__':
    main()

# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):
    # aep.offers.object: what every object module (offer_instance, placement, ...) shares: its identity
    # (instance_id or name), state, raw instance fields and conflict retries, and its check and diff attributes.
    DOCUMENTATION = r'''
attributes:
  check_mode:
    support: full
    description: Sends only reads; reports the create, patch or delete that would happen.
  diff_mode:
    support: full
    description: Shows the managed fields before and after.
options:
  instance_id:
    description:
      - The object's instance ID (a UUID), as the API puts in its URLs.
      - Mutually exclusive with O(name); one of them is required.
      - An object given by instance ID is never created; use O(name) for that.
    type: str
  name:
    description:
      - The object's name (C(xdm:name)), which identifies it in the sandbox's container.
      - When no object of this kind has the name, one is created; when several do, the task fails and lists their ids.
      - To rename an object, identify it with O(instance_id) and set C(xdm:name) in O(instance).
    type: str
  state:
    description:
      - V(present) creates or updates the object; V(absent) deletes it (with C(If-Match)). Deleting an
        object that is already gone is not a change.
    type: str
    choices: [present, absent]
    default: present
  instance:
    description:
      - Raw C(_instance) fields for what the typed options do not cover, in the API's names
        (C(xdm:...)). Nested mappings are managed key by key; lists and values as a whole; a V(null)
        value removes the key.
      - A field set both here and by a typed option is refused.
    type: dict
  conflict_retries:
    description:
      - How many times to read again and re-plan after HTTP 409 (someone else wrote in between) before failing.
    type: int
    default: 3
'''

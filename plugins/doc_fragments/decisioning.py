# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):
    # aep.offers.decisioning: what every Decisioning object module (decision_item, item_collection, ...) shares,
    # in place of aep.offers.object: the same name, state and retries, with dps field names, and the note that
    # they always use the persistence API. Each module documents instance_id itself, with an id of its own kind,
    # and decisioning_placement its own state (the API cannot delete placements).
    DOCUMENTATION = r'''
attributes:
  check_mode:
    support: full
    description: Sends only reads; reports the create, update or delete that would happen.
  diff_mode:
    support: full
    description: Shows the managed fields before and after.
options:
  name:
    description:
      - The object's name, which identifies it in the sandbox. Names are compared exactly.
      - When no object of this kind has the name, one is created; when several do, the task fails and lists their ids.
      - To rename an object, identify it with O(instance_id) and set the name field in O(instance).
    type: str
  state:
    description:
      - V(present) creates or updates the object; V(absent) deletes it (with C(If-Match)). Deleting an
        object that is already gone is not a change.
    type: str
    choices: [present, absent]
    default: present
  confirm:
    description:
      - The name of the sandbox, to confirm a delete (C(state=absent)) outside check mode, as Terraform asks before
        it destroys. A delete without it, or with another name, fails before any request; so does a delete whose
        sandbox is not named for the run (O(sandbox), C(module_defaults) or E(AEP_SANDBOX), with no default).
    type: str
  instance:
    description:
      - Raw fields for what the typed options do not cover, in the persistence API's names (such as
        C(description)). Nested mappings are managed key by key; lists and values as a whole; a V(null)
        value removes the key.
      - A field set both here and by a typed option is refused.
    type: dict
  conflict_retries:
    description:
      - How many times to read again and re-plan after HTTP 409 or 412 (someone else wrote in between) before failing.
    type: int
    default: 3
notes:
  - This is a Decisioning object (Adobe Journey Optimizer's current decisioning), which only the persistence
    API (C(/data/core/dps)) holds. The module always uses it; O(api) is accepted and ignored, so that a
    play can set O(api=xcore) for the whole C(aep.offers.offer_library) action group in C(module_defaults)
    and still manage Decisioning objects. O(container_id) is not used.
  - Only the options a task gives are managed; the others are left as they are on the server.
'''

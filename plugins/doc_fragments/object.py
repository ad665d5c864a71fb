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
    description: Shows the managed fields before and after, in the API's names; a reference reads C(name (id)) where its name is known.
options:
  instance_id:
    description:
      - The object's instance ID, as the API puts in its URLs. With O(api=xcore) a UUID such as
        C(0f4bc230-13df-11eb-bc55-c11be7252432); with O(api=dps) the dps C(id), such as
        C(dps:offer-placement:19cb038eca47bead) (the same value as the RV(id) it returns).
      - Mutually exclusive with O(name); one of them is required.
      - An object given by instance ID is never created; use O(name) for that.
    type: str
  name:
    description:
      - The object's name (C(xdm:name); with O(api=dps), C(name)), which identifies it in the sandbox (with
        O(api=xcore), in the sandbox's container).
      - When no object of this kind has the name, one is created; when several do, the task fails and lists their ids.
      - To rename an object, identify it with O(instance_id) and set the name in O(instance) (C(xdm:name); with
        O(api=dps), C(name)).
    type: str
  state:
    description:
      - V(present) creates or updates the object; V(absent) deletes it (with C(If-Match)). Deleting an
        object that is already gone is not a change.
      - When the API refuses the delete, the task fails with the API's message and, when other objects still
        refer to the object, names them.
      - V(absent) needs the sandbox named for the run (O(sandbox), C(module_defaults) or E(AEP_SANDBOX), with no default)
        and, outside check mode, O(confirm) set to its name.
    type: str
    choices: [present, absent]
    default: present
  confirm:
    description:
      - The name of the sandbox, to confirm a delete (O(state=absent)) outside check mode, as Terraform asks before
        it destroys. A delete without it, or with another name, fails before any request.
      - Not needed in check mode, nor with O(state=present).
    type: str
  instance:
    description:
      - Raw fields of the object for what the typed options do not cover, in the API's own names. With
        O(api=xcore), fields of C(_instance) (C(xdm:...)); with O(api=dps), top-level fields of the flat
        object (such as C(description) or C(labels)). Nested mappings are managed key by key; lists and
        values as a whole; a V(null) value removes the key.
      - A field set both here and by a typed option is refused.
      - Fields the server sets are refused. With O(api=xcore), C(@id); with O(api=dps), C(id), C(etag),
        C(created), C(modified), C(createdBy), C(lastModifiedBy) and C(schemas).
    type: dict
  conflict_retries:
    description:
      - How many times to read again and re-plan after someone else wrote in between (HTTP 409; with
        O(api=dps) also HTTP 412, the answer to a stale C(If-Match)) before failing.
    type: int
    default: 3
notes:
  - Options that refer to other objects (placements, collection qualifiers, decision rules, offers, collections,
    fallback offers) take an id or a name. With O(api=xcore) a value starting with C(xcore:) is an id and must be
    the C(@id) of an object of the right kind; with O(api=dps) a value starting with C(dps:) is an id (so is one
    starting with C(xcore:), as a dps list may hold ids made through xcore). Anything else is a name, looked up
    once per task; a name that no object or several objects have fails the task.
'''

#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: offer_library_info
short_description: List objects of the Adobe Experience Platform Offer Library as module options
version_added: 0.1.0
description:
  - Lists the objects of one kind (personalized offers, fallback offers, placements, collection qualifiers,
    decision rules, collections or decisions), following the API's pages to the end.
  - Each object comes back with its identity and its content in the shape the matching module takes as
    input (O(kind=offer) gives the options of M(aep.offers.offer_instance), and so on), so the output can be
    fed back to the modules, for example to copy a setup to another sandbox.
  - The options are the same with O(api=xcore) and O(api=dps), so an export made through one API can be applied
    through the other (references by name, with O(resolve_names=true)). With O(api=dps) a decision rule's
    C(defined_on) is not exported, because a dps GET does not show C(definedOn).
  - Sends only reads to the API. Its one write is O(dest), the library's files where the module runs (the controller
    for a local task).
author:
  - aep.offers developers (@aep-offers)
extends_documentation_fragment:
  - aep.offers.connection
attributes:
  check_mode:
    support: full
    description: Sends only reads, in check mode as in normal mode; in check mode O(dest) is not written, and RV(files)
      says which files would be.
  diff_mode:
    support: none
    description: Changes nothing in the sandbox, so there is nothing to show.
options:
  kind:
    description:
      - The kind of object to list, named like its module.
      - V(offer) for M(aep.offers.offer_instance), V(fallback_offer), V(placement), V(collection_qualifier),
        V(decision_rule), V(offer_collection) and V(decision) for the modules of the same names.
      - The Decisioning kinds V(decision_item), V(item_collection), V(selection_strategy),
        V(ranking_formula), V(eligibility_rule) and V(decisioning_placement), for the modules of the
        same names, are always listed through the persistence API (C(/data/core/dps)), whatever O(api)
        says; V(decision_item) needs O(schema_id).
      - V(library) exports the whole library of the sandbox as RV(library), in the shape
        M(aep.offers.offer_library) takes (its lists as keys, C(placements), C(offers), ...), references by name,
        objects sorted by name, so it can be applied to another sandbox as it is. The Decisioning kinds too with
        O(decisioning=true). O(name), O(id), O(filters), O(order_by) and O(limit) do not apply.
    type: str
    required: true
    choices: [collection_qualifier, decision, decision_item, decision_rule, decisioning_placement, eligibility_rule,
              fallback_offer, item_collection, library, offer, offer_collection, placement, ranking_formula,
              selection_strategy]
  decisioning:
    description:
      - With O(kind=library), also export Journey Optimizer's Decisioning objects (always read through the
        persistence API); decision items need O(schema_id).
    type: bool
    default: false
  name:
    description:
      - Only the objects with this name (C(xdm:name); with O(api=dps), C(name)), as the API's name filter
        matches it (with O(api=dps), the filter V(name==<name>)).
    type: str
  id:
    description:
      - Only the object with this id, its C(@id) with O(api=xcore) or its dps C(id) with O(api=dps).
    type: str
  filters:
    description:
      - Property filters in the API's syntax (C(property) parameters), all of which must match.
      - With O(api=xcore) the fields are paths in the instance, such as V(_instance.xdm:status==approved); with
        O(api=dps) they are the object's own dotted paths, such as V(status==approved) or
        V(rank.priority>=10).
    type: list
    elements: str
  order_by:
    description:
      - Sort order in the API's syntax (the C(orderby) parameter); a leading C(-) sorts descending.
      - With O(api=xcore) such as V(-_instance.xdm:priority) or V(_instance.xdm:name); with O(api=dps) such as
        V(-modified), V(name) or V(-rank.priority).
    type: str
  limit:
    description:
      - At most this many objects. All of them when not set.
    type: int
  resolve_names:
    description:
      - Replace the ids (C(@id)s, or dps ids with O(api=dps)) of referenced objects (placements, collection
        qualifiers, decision rules, offers, collections, fallback offers) by their names, so the options read
        like a playbook written by hand.
      - Costs one paged list per referenced kind. An id whose object is missing, or whose name is not
        unique, stays an id.
    type: bool
    default: false
  schema_id:
    description:
      - With O(kind=decision_item), the schema of the item catalog, sent as the C(x-schema-id) header
        (decision items are listed per schema). Required for that kind; not used for the others.
      - If not set, the environment variable E(AEP_ITEM_SCHEMA_ID) is used.
    type: str
  dest:
    description:
      - With O(kind=library), also write the library to this directory (made when missing), one YAML file per list
        (C(placements.yml), C(offers.yml), ...; C(decision_items.yml) and the other Decisioning lists with
        O(decisioning=true)), the format M(aep.offers.offer_library)'s C(src) and C(ansible.builtin.include_vars) read.
      - A file is written only when its text differs (so the task is V(changed) only then), replaced whole, with mode
        C(0644); other files in the directory are left alone. Strings Ansible would template are tagged C(!unsafe).
      - A relative path is relative to the module's working directory; give an absolute one, as the
        C(aep.offers.sandbox_export) role does.
    type: path
'''

EXAMPLES = r'''
- name: Every approved offer, highest priority first
  aep.offers.offer_library_info:
    kind: offer
    filters:
      - _instance.xdm:status==approved
    order_by: -_instance.xdm:priority
  register: offers

- name: The same through the persistence API (dps), with its field paths
  aep.offers.offer_library_info:
    api: dps
    kind: offer
    filters:
      - status==approved
    order_by: -rank.priority
  register: offers

- name: Export the library of dev to files, then apply them to stage
  block:
    - name: Export it (check_mode false writes the files in a check-mode run too; the sandbox is only read)
      aep.offers.offer_library_info:
        kind: library
        sandbox: dev
        dest: "{{ playbook_dir }}/library/dev"
      check_mode: false

    - name: Apply the export
      aep.offers.offer_library:
        sandbox: stage
        src: "{{ playbook_dir }}/library/dev"

- name: Copy the placements to another sandbox, by name
  block:
    - name: Export them
      aep.offers.offer_library_info:
        kind: placement
        sandbox: dev
        resolve_names: true
      register: exported

    - name: Apply them in staging
      aep.offers.placement:
        sandbox: staging
        name: "{{ item.options.name }}"
        description: "{{ item.options.description | default(omit) }}"
        channel: "{{ item.options.channel | default(omit) }}"
        component_type: "{{ item.options.component_type | default(omit) }}"
        content_types: "{{ item.options.content_types | default(omit) }}"
      loop: "{{ exported.objects }}"
      loop_control:
        label: "{{ item.options.name }}"
'''

RETURN = r'''
objects:
  description: The objects found, in the order the API returned them.
  returned: when O(kind) is not V(library)
  type: list
  elements: dict
  contains:
    instance_id:
      description:
        - The object's instance ID.
        - With O(api=xcore) a UUID; with O(api=dps) the dps C(id), the same value as RV(objects[].id).
      type: str
      sample: 0f4bc230-13df-11eb-bc55-c11be7252432
    id:
      description: The object's C(@id), or with O(api=dps) its C(id) (such as C(dps:offer-placement:19cb038eca47bead)).
      type: str
      sample: xcore:offer-placement:124e0be5699743d3
    etag:
      description: The object's etag (C(repo:etag); with O(api=dps), C(etag)).
      type: int
      sample: 2
    options:
      description:
        - The object's content as the options of the matching module (option names, short channel and
          component type names, the PQL text of a rule); fields the object does not have are left out.
        - The same with either API; a collection's O(aep.offers.offer_collection#module:filter_type) is
          V(offers), V(anyTags) or V(allTags) even though dps stores C(any-tags) and C(all-tags).
        - References are ids (C(@id)s, or dps ids with O(api=dps)), or names with O(resolve_names=true).
      type: dict
      sample:
        name: Web banner
        channel: web
        component_type: text
        content_types: [text/plain]
library:
  description:
    - With O(kind=library), the sandbox's objects by M(aep.offers.offer_library) list, each as the options of its
      module, references by name, sorted by name (and the lists whose order means nothing sorted).
    - Give it to M(aep.offers.offer_library) (or write its lists to files, as the C(aep.offers.sandbox_export) role
      does, and give their directory as C(src)) to converge another sandbox to it.
  returned: when O(kind=library)
  type: dict
  sample:
    placements:
      - {name: Web banner, channel: web, component_type: text, content_types: [text/plain]}
    offers:
      - {name: Summer sale, status: approved, tags: [Summer], representations: [{placement: Web banner}]}
files:
  description: With O(dest), the files written (in check mode, that would be written) because their text differed.
  returned: when O(kind=library)
  type: list
  elements: str
  sample: [/home/me/library/dev/offers.yml]
sandbox:
  description: With O(kind=library), the sandbox read.
  returned: when O(kind=library)
  type: str
  sample: dev
api:
  description: With O(kind=library), the API (or APIs, when Decisioning kinds are read through dps) the library was read through.
  returned: when O(kind=library)
  type: str
  sample: xcore and dps
count:
  description: The number of objects in RV(objects) (with O(kind=library), in RV(library)).
  returned: success
  type: int
  sample: 2
retries:
  description: How many HTTP requests were retried.
  returned: success
  type: int
  sample: 0
'''

from ansible_collections.aep.offers.plugins.module_utils._tasks import run_module


def main():
    run_module('offer_library_info')


if __name__ == '__main__':
    main()

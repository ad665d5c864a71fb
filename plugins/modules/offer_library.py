#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: offer_library
short_description: Converge a whole Offer Library declaration in one task
version_added: 0.1.0
description:
  - Converges lists of placements, collection qualifiers, decision rules, offers, fallback offers,
    collections and decisions in one task, Terraform-style; and of the Decisioning objects (eligibility
    rules, ranking formulas, item collections, Decisioning placements, decision items, selection
    strategies), always through the persistence API.
  - Reads each kind with one paged list (not one read per object), plans every change, then applies
    in dependency order (placements, qualifiers and rules; then offers and fallback offers; then
    collections; then decisions), resolving names across the declaration and the sandbox.
  - Each list takes the same items as the matching single-object module (M(aep.offers.placement),
    M(aep.offers.collection_qualifier), M(aep.offers.decision_rule), M(aep.offers.offer_instance),
    M(aep.offers.fallback_offer), M(aep.offers.offer_collection), M(aep.offers.decision)), with
    C(name) required, and the same semantics (only given options managed, minimal JSON Patch with
    C(If-Match), re-read and re-plan on HTTP 409, or 412 with O(api=dps)). Field names, ids and references
    follow O(api) as those modules document; the items themselves are the same with either API.
  - Before any object is read, every item is checked (options, dates, a date range that ends before it starts,
    the form of ids); the first bad item fails the task. Then, before the first write, every object is planned
    (its own name unique in the sandbox, every reference found in the sandbox or in the declaration). When any
    object cannot be planned, nothing is written and the task fails listing every problem; with
    O(continue_on_error=true) those objects are reported as failed and skipped, and the others are applied.
  - Writes run with bounded concurrency (O(parallel)) over one keep-alive session.
  - In check mode nothing is written and the result is the whole plan, that is what would be created,
    patched with which operations, and deleted. References to objects that would be created show as
    C((known after apply ...)).
  - In the diffs a reference reads C(name (id)) where its name is known; the patches hold the ids.
author:
  - aep.offers developers (@aep-offers)
extends_documentation_fragment:
  - aep.offers.connection
attributes:
  check_mode:
    support: full
    description: Sends only reads; returns the whole plan.
  diff_mode:
    support: full
    description: Shows the managed fields before and after, for each object that changes.
options:
  placements:
    description: Placements, each with the options of M(aep.offers.placement) (C(name) required).
    type: list
    elements: dict
  collection_qualifiers:
    description: Collection qualifiers, each with the options of M(aep.offers.collection_qualifier).
    type: list
    elements: dict
  decision_rules:
    description: Decision rules, each with the options of M(aep.offers.decision_rule).
    type: list
    elements: dict
  offers:
    description: Personalized offers, each with the options of M(aep.offers.offer_instance).
    type: list
    elements: dict
  fallback_offers:
    description: Fallback offers, each with the options of M(aep.offers.fallback_offer).
    type: list
    elements: dict
  collections:
    description: Collections, each with the options of M(aep.offers.offer_collection).
    type: list
    elements: dict
  decisions:
    description: Decisions, each with the options of M(aep.offers.decision).
    type: list
    elements: dict
  eligibility_rules:
    description:
      - Decisioning eligibility rules, each with the options of M(aep.offers.eligibility_rule).
      - This and the other Decisioning lists always go through the persistence API (C(/data/core/dps)),
        whatever O(api) says; with O(api=xcore), the Offer Library lists converge through xcore first, then
        the Decisioning lists through dps (neither refers to the other's objects).
    type: list
    elements: dict
  ranking_formulas:
    description: Decisioning ranking formulas, each with the options of M(aep.offers.ranking_formula).
    type: list
    elements: dict
  item_collections:
    description: Decisioning item collections, each with the options of M(aep.offers.item_collection).
    type: list
    elements: dict
  decisioning_placements:
    description:
      - Decisioning placements, each with the options of M(aep.offers.decisioning_placement).
      - The API cannot delete them, so O(prune) leaves them alone.
    type: list
    elements: dict
  decision_items:
    description:
      - Decisioning decision items, each with the options of M(aep.offers.decision_item), C(schema_id) included
        (the C(AEP_ITEM_SCHEMA_ID), C(AEP_ITEM_CATALOG_ID) and C(AEP_TENANT) environment variables fill
        C(schema_id), C(catalog_id) and C(tenant) when an item does not set them).
      - Items are read, and with O(prune) deleted, per schema among the schemas the items name.
    type: list
    elements: dict
  selection_strategies:
    description: Decisioning selection strategies, each with the options of M(aep.offers.selection_strategy).
    type: list
    elements: dict
  src:
    description:
      - Path to a YAML file (or a JSON file, when the name ends in C(.json)) holding the declaration, a
        mapping whose keys are this module's lists (O(placements), O(offers), ...) and whose values are
        the items those options take. It is read by the module, on the host that runs it (the
        controller, see the notes).
      - Or a directory of such files (C(*.yml), C(*.yaml), C(*.json), not recursive), as the
        C(aep.offers.sandbox_export) role and C(export_sandbox.yml) write them (one list per file); a list given
        by two files is an error.
      - A relative path is found the way M(ansible.builtin.copy) finds its C(src) (an action plugin
        looks it up on the controller), in the role's C(files/) and directory, then the playbook's
        C(files/) and directory; an absolute or C(~) path is used as it is.
      - The lists it holds add to the ones given in the task; a list given in both places is an error.
      - Ansible does not template the file, so personalization syntax such as
        C({{profile.person.name.firstName}}) needs no C(!unsafe) there (a C(!unsafe) tag is accepted and
        changes nothing), and dates stay strings as written.
      - For large libraries this is also faster and lighter than a variable, as Ansible neither loads,
        templates nor copies the items (see the notes).
    type: path
  state:
    description:
      - V(present) creates and updates the declared objects.
      - V(absent) deletes every object the declaration names (by name; the other options of each item are
        checked but not compared), references first (the reverse of the apply order, so decisions before collections
        before offers...). An object already gone is not a change, so a second run changes nothing. Decisioning
        placements are reported as kept (RV(results[].action=keep), with the reason), as the API cannot delete them.
      - A declaration exported by the C(aep.offers.sandbox_export) role removes what it exported.
      - V(absent) needs the sandbox named for the run (no default) and, outside check mode, O(confirm).
    type: str
    choices: [present, absent]
    default: present
  confirm:
    description:
      - The name of the sandbox, to confirm the deletes of O(state=absent) or O(prune) outside check mode, as
        Terraform asks before it destroys. Without it, or with another name, the task fails before any request.
    type: str
  library:
    description:
      - The declaration as one mapping whose keys are this module's lists (O(placements), O(offers), ...), as
        M(aep.offers.offer_library_info) returns it with C(kind=library) and C(ansible.builtin.include_vars) loads
        an export directory with C(name). The roles pass their library this way.
      - The lists it holds add to the ones given in the task and in O(src); a list given in two places is an error.
    type: dict
  prune:
    description:
      - Delete the objects of the kinds this task declares (the lists it gives, even empty) that the
        declaration does not name. Kinds the task does not declare are never touched.
      - Deletes run after the writes, references first (decisions before collections before offers...).
      - Needs the sandbox named for the run (no default) and, outside check mode, O(confirm). Not with O(state=absent).
    type: bool
    default: false
  parallel:
    description:
      - How many writes run at once.
    type: int
    default: 4
  continue_on_error:
    description:
      - Keep converging the next dependency levels after an object failed. Objects of the same level
        are always all attempted, and every failure is reported.
      - The task fails when any object failed, either way.
    type: bool
    default: false
  conflict_retries:
    description:
      - How many times to read an object again and re-plan after HTTP 409 before giving up on it.
    type: int
    default: 3
  planned_names:
    description:
      - Check mode only. Names of objects that earlier tasks of the same run would create (and so do
        not exist yet); a reference to one of them is planned as C((known after apply ...)) instead
        of failing. The C(aep.offers.offer_catalog) role passes what the C(sandbox_setup) role planned.
    type: list
    elements: str
    default: []
notes:
  - The kinds are read whole, so a no-op run of 1,000 offers costs about a dozen requests.
  - "Ansible spends time and memory on every item of a large list variable: it loads it, templates it,
    and copies it into the module's arguments. At 1,000 offers that takes longer than the module's own
    work; a declaration file given as O(src) skips it. See C(benchmarks/README.md) in the source
    repository for measured figures."
requirements:
  - PyYAML for a YAML O(src) (ansible-core already depends on it)
seealso:
  - module: aep.offers.offer_library_info
    description: Exports a library in the shape this module takes.
'''

EXAMPLES = r'''
- name: Converge the whole catalog of a sandbox
  aep.offers.offer_library:
    sandbox: dev
    placements:
      - name: Web banner
        channel: web
        component_type: text
        content_types: [text/plain]
    collection_qualifiers:
      - name: Summer
    offers:
      - name: Summer sale
        status: approved
        tags: [Summer]
        representations:
          - placement: Web banner
            components:
              - type: text
                content: !unsafe "Hi {{profile.person.name.firstName}}"
    collections:
      - name: Summer offers
        qualifiers: [Summer]
    prune: false
  register: library

- name: Converge the declaration kept in a file (not templated; offers, collections, ... as keys)
  aep.offers.offer_library:
    sandbox: dev
    src: "{{ playbook_dir }}/library/dev.yml"

- name: The same declaration through the persistence API (dps), no container
  aep.offers.offer_library:
    api: dps
    sandbox: dev
    src: "{{ playbook_dir }}/library/dev.yml"

- name: Show the plan of a check-mode run
  ansible.builtin.debug:
    msg: "{{ library.plan_text }}: {{ library.results | selectattr('changed') | map(attribute='name') | list }}"

- name: Apply an export of another sandbox (a directory, as export_sandbox.yml writes it)
  aep.offers.offer_library:
    sandbox: stage
    src: library/dev

- name: Remove everything the export declares from the stage sandbox, references first
  aep.offers.offer_library:
    sandbox: stage
    src: library/dev
    state: absent
    confirm: stage
'''

RETURN = r'''
changed:
  description: Whether any object was (or in check mode would be) created, patched or deleted.
  returned: always
  type: bool
summary:
  description: How many objects each action concerned.
  returned: always
  type: dict
  sample: {create: 2, update: 1, delete: 0, none: 997, keep: 0, failed: 0}
plan:
  description: The plan in Terraform's terms, what was (or in check mode would be) created, updated and deleted, and
    how many objects are left as they are.
  returned: success
  type: dict
  sample: {create: 3, update: 1, delete: 0, unchanged: 996}
plan_text:
  description: The plan as one line, naming the sandbox and the API (or APIs, when Decisioning lists go through dps).
  returned: success
  type: str
  sample: "Plan: 3 to create, 1 to update, 0 to delete in sandbox dev through dps"
sandbox:
  description: The sandbox the task acted on.
  returned: success
  type: str
  sample: dev
api:
  description: The API the task asked for (Decisioning lists always go through V(dps)).
  returned: success
  type: str
  sample: dps
results:
  description: One entry per declared (or pruned) object, in the order they were handled.
  returned: always
  type: list
  elements: dict
  contains:
    kind:
      description: The list the object belongs to, such as V(offers).
      type: str
    name:
      description: The object's name.
      type: str
    action:
      description: What was (or would be) done; V(keep) is an object O(state=absent) cannot delete (see RV(results[].msg)).
      type: str
      choices: [create, update, delete, none, keep, failed]
    changed:
      description: Whether this object changed.
      type: bool
    instance_id:
      description:
        - Its instance ID (null for a create planned in check mode).
        - With O(api=xcore) a UUID; with O(api=dps) the dps C(id), the same value as RV(results[].id).
      type: str
    id:
      description: Its C(@id), or with O(api=dps) its C(id) (C(dps:...)).
      type: str
    etag:
      description: Its etag (C(repo:etag); with O(api=dps), C(etag)) after the task.
      type: int
    patch:
      description:
        - The JSON Patch sent, or that would be sent, with the ids of references.
        - Paths are under C(/_instance) with O(api=xcore) and the object's own with O(api=dps).
      type: list
      elements: dict
    msg:
      description: Why the object failed, or was kept.
      type: str
retries:
  description: How many HTTP requests were retried.
  returned: success
  type: int
diff:
  description:
    - With C(--diff), one before/after of the managed fields per object that changes, in the API's names.
    - A reference reads C(name (id)) where its name is known.
  returned: when diff mode is on
  type: list
  elements: dict
'''

from ansible_collections.aep.offers.plugins.module_utils._tasks import run_module


def main():
    run_module('offer_library')


if __name__ == '__main__':
    main()

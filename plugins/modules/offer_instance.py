#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: offer_instance
short_description: Manage a personalized offer in the Adobe Experience Platform Offer Library
version_added: 0.1.0
description:
  - Converges one personalized offer to the state the task declares, like a Terraform resource.
  - Reads the offer (by O(instance_id), or by O(name)), creates it when it is missing, and otherwise
    sends the smallest JSON Patch (C(add), C(replace), C(remove) at precise paths, C(/_instance/xdm:...) with
    O(api=xcore), the object's own such as C(/rank/priority) with O(api=dps)) that makes the fields the task
    gives equal to what it asks, with C(If-Match) set to the etag it read.
  - Only the options a task gives are managed; everything else in the offer, including what the
    server fills in, is left alone. A list that is given is the whole list.
  - When another user changes the offer between the read and the write (HTTP 409; with O(api=dps) also
    HTTP 412), the module reads it again and plans again, so the other change survives, up to
    O(conflict_retries) times.
  - In check mode nothing is written; the result shows whether the offer would change and the
    O(state=present) patch that would be sent. With C(--diff) the managed fields are shown before and after.
author:
  - aep.offers developers (@aep-offers)
extends_documentation_fragment:
  - aep.offers.connection
  - aep.offers.object
  - aep.offers.representations
options:
  status:
    description:
      - Lifecycle status (C(xdm:status); with O(api=dps), C(status)). New offers are V(draft) unless this says
        otherwise.
    type: str
    choices: [draft, approved, archived]
  start_date:
    description:
      - Start of the offer's validity (C(xdm:selectionConstraint.xdm:startDate); with O(api=dps),
        C(selectionConstraint.startDate)), an RFC 3339 date-time such as V(2026-01-01T00:00:00Z). Compared
        as an instant, so a server that rewrites the format does not cause a change.
      - A date that is not RFC 3339, or an O(end_date) before O(start_date), is refused before any request.
    type: str
  end_date:
    description:
      - End of the offer's validity (C(xdm:selectionConstraint.xdm:endDate); with O(api=dps),
        C(selectionConstraint.endDate)), an RFC 3339 date-time, not before O(start_date).
    type: str
  eligibility_rule:
    description:
      - The decision rule that decides who can see the offer (C(xdm:selectionConstraint.xdm:eligibilityRule);
        with O(api=dps), C(selectionConstraint.eligibilityRule)), as its id or its name.
      - With O(api=xcore) the id is the rule's C(@id) (C(xcore:eligibility-rule:...)); with O(api=dps) its dps id
        (C(dps:eligibility-rule:...)). Anything else is looked up as a name.
    type: str
  priority:
    description:
      - The offer's priority (C(xdm:rank.xdm:priority); with O(api=dps), C(rank.priority)), 0 or more. New
        offers get 0 from the server.
    type: int
  capping:
    description:
      - How often the offer may be proposed, across all users (O(capping.global)) and to one profile
        (O(capping.profile)).
      - With O(api=xcore), C(xdm:cappingConstraint) (C(xdm:globalCap), C(xdm:profileCap)); only the caps given are
        managed.
      - With O(api=dps), entries of C(frequencyCappingConstraints), as Adobe's pages show caps,
        C({"scope":"global","limit":<global>,"entity":"offer","enabled":true}), then C({"scope":"profile",...}); never the
        C(cappingConstraint.globalCap) and C(cappingConstraint.profileCap) that XDM marks deprecated.
        C(cappingConstraint) is sent empty (C({})), as Adobe's create example sends it, which also clears those
        deprecated fields where an older client wrote them. The caps given are the whole list, in that order; a cap
        not given is removed. A rerun with the same caps writes nothing.
      - M(aep.offers.offer_library_info) reads dps caps back as O(capping) when it can write them (one enabled
        global cap and/or one enabled profile cap, in that order, with nothing else), so an export from dps applies
        through xcore too; any other caps read back as O(frequency_capping).
      - Not together with O(frequency_capping), as both set the offer's caps (refused before any request).
    type: dict
    suboptions:
      global:
        description:
          - The number of times the offer may be proposed across all users, 0 or more (C(xdm:globalCap); with
            O(api=dps), the C(limit) of the C(scope=global) entry of C(frequencyCappingConstraints)).
        type: int
      profile:
        description:
          - The number of times the offer may be proposed to one profile, 0 or more (C(xdm:profileCap); with
            O(api=dps), the C(limit) of the C(scope=profile) entry of C(frequencyCappingConstraints)).
        type: int
  frequency_capping:
    description:
      - The offer's frequency caps, each with its own scope, dates and repeat (C(frequencyCappingConstraints), each
        entry sent with C(entity=offer)). Needs O(api=dps); with O(api=xcore), which has only O(capping), the task
        fails before any request.
      - The list is the whole list, compared in order (V([]) removes every cap). Within an entry only the fields
        given are managed; O(frequency_capping[].scope) and O(frequency_capping[].enabled) are always given, by
        their defaults, so a rerun against what the server stored writes nothing.
      - Sends C(cappingConstraint) empty (C({})), as O(capping) does. Not together with O(capping) (refused before
        any request).
    type: list
    elements: dict
    suboptions:
      limit:
        description:
          - How many times the offer may be proposed within the cap's scope and period (C(limit)), 0 or more.
        type: int
        required: true
      scope:
        description:
          - Whom the cap counts across (C(scope)), all users (V(global), as Adobe's pages show) or each profile
            (V(profile), as XDM's frequency capping has).
        type: str
        choices: [global, profile]
        default: global
      enabled:
        description:
          - Whether the cap applies (C(enabled)).
        type: bool
        default: true
      start_date:
        description:
          - When the cap starts (C(startDate)), an RFC 3339 date-time, compared as an instant; a date that is not
            RFC 3339 is refused before any request.
        type: str
      end_date:
        description:
          - When the cap ends (C(endDate)), an RFC 3339 date-time not before O(frequency_capping[].start_date)
            (refused before any request).
        type: str
      repeat:
        description:
          - The cap starts again every O(frequency_capping[].repeat.unit_count) O(frequency_capping[].repeat.unit)s
            (C(repeat), sent with C(enabled=true)). A stored repeat that is off (C(enabled=false)) reads back as no
            repeat; without this option the stored repeat is left as it is.
        type: dict
        suboptions:
          unit:
            description:
              - The period's unit (C(repeat.unit)).
            type: str
            required: true
            choices: [day, week, month]
          unit_count:
            description:
              - How many units a period lasts (C(repeat.unitCount)), 1 or more.
            type: int
            required: true
  tags:
    description:
      - Collection qualifiers of the offer (C(xdm:tags); with O(api=dps), C(tags)), as ids or names.
        Compared as a set; V([]) removes them all.
      - With O(api=xcore) an id is a C(@id) (C(xcore:tag:...)); with O(api=dps) a dps id (C(dps:tag:...)).
    type: list
    elements: str
  characteristics:
    description:
      - Key/value characteristics (C(xdm:characteristics); with O(api=dps), C(characteristics)), strings to
        strings. The mapping is managed as a whole, so keys not given are removed; V({}) removes them all.
    type: dict
notes:
  - Content with Adobe personalization syntax such as C({{profile.person.name.firstName}}) must not be
    rendered by Ansible. Mark it C(!unsafe) in YAML, or read it from a file with
    C(lookup('ansible.builtin.file', ...)), whose result Ansible does not template again.
seealso:
  - name: Offer Library API, update a personalized offer
    description: The PATCH request this module sends with O(api=xcore).
    link: https://experienceleague.adobe.com/docs/journey-optimizer/using/offer-decisioniong/api-reference/offer-library-api/offers/update-offer.html
'''

EXAMPLES = r'''
- name: An approved offer with web and email content, managed by name
  aep.offers.offer_instance:
    name: Summer sale 20%
    status: approved
    priority: 10
    start_date: "2026-06-01T00:00:00Z"
    end_date: "2026-08-31T23:59:59Z"
    capping:
      profile: 3
    tags:
      - Summer
    characteristics:
      campaign: summer-2026
    representations:
      - placement: Web banner
        channel: web
        components:
          - type: text
            format: text/plain
            language: [en]
            content: !unsafe "Hello {{profile.person.name.firstName}}, 20% off this summer!"
      - placement: xcore:offer-placement:124e0be5699743d3
        channel: email
        components:
          - type: html
            format: text/html
            language: [en]
            content: "{{ lookup('ansible.builtin.file', 'summer-email.html') }}"
    client_id: "{{ aep_client_id }}"
    client_secret: "{{ aep_client_secret }}"
    org_id: "{{ aep_org_id }}"
    sandbox: "{{ aep_sandbox }}"
  delegate_to: localhost
  register: offer

- name: Connection options once, through the action group
  module_defaults:
    group/aep.offers.offer_library:
      client_id: "{{ aep_client_id }}"
      client_secret: "{{ aep_client_secret }}"
      org_id: "{{ aep_org_id }}"
      sandbox: "{{ aep_sandbox }}"
  block:
    - name: Plan a priority change (run with --check --diff to see the patch)
      aep.offers.offer_instance:
        name: Summer sale 20%
        priority: 20

    - name: Rename the offer, known by its instance id
      aep.offers.offer_instance:
        instance_id: "{{ offer.instance_id }}"
        instance:
          "xdm:name": Summer sale 25%

    - name: Delete it (a delete names the sandbox it deletes in)
      aep.offers.offer_instance:
        name: Summer sale 25%
        state: absent
        confirm: "{{ aep_sandbox }}"

- name: The same through the persistence API (dps); references by name work unchanged
  module_defaults:
    group/aep.offers.offer_library:
      api: dps
      client_id: "{{ aep_client_id }}"
      client_secret: "{{ aep_client_secret }}"
      org_id: "{{ aep_org_id }}"
      sandbox: "{{ aep_sandbox }}"
  block:
    - name: An offer for the web banner, with a rule and a qualifier named
      aep.offers.offer_instance:
        name: Winter sale
        status: approved
        priority: 5
        eligibility_rule: Gold US members
        tags: [Winter]
        capping:              # through dps: two frequencyCappingConstraints entries, global then profile
          global: 10000
          profile: 3
        representations:
          - placement: dps:offer-placement:19cb038eca47bead
            channel: web
            components:
              - type: text
                format: text/plain
                content: Winter sale, 15% off
      register: winter

    - name: Caps with their own period (frequencyCappingConstraints, dps only)
      aep.offers.offer_instance:
        name: Winter sale
        frequency_capping:
          - limit: 1            # once a week per profile, during the sale
            scope: profile
            start_date: "2026-12-01T00:00:00Z"
            end_date: "2027-01-31T23:59:59Z"
            repeat:
              unit: week
              unit_count: 1
          - limit: 50000        # scope global and enabled true by default

    - name: Rename it, known by its dps id (raw fields are dps names)
      aep.offers.offer_instance:
        instance_id: "{{ winter.instance_id }}"
        instance:
          name: Winter sale 2026
'''

RETURN = r'''
changed:
  description: Whether the offer was (or in check mode would be) created, patched or deleted.
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
    - The offer's instance ID, the id in its URL; null when it does not exist (or would only be created in check mode).
    - With O(api=xcore) a UUID; with O(api=dps) the dps C(id), the same value as RV(id).
  returned: success
  type: str
  sample: 0f4bc230-13df-11eb-bc55-c11be7252432
id:
  description:
    - The offer's id, which other objects use to refer to it.
    - With O(api=xcore) its C(@id) (C(xcore:personalized-offer:...)); with O(api=dps) its C(id) (C(dps:personalized-offer:...)).
  returned: success
  type: str
  sample: xcore:personalized-offer:124e181c8b0d7878
etag:
  description: The offer's etag (C(repo:etag); with O(api=dps), C(etag)) after the task (the one read, when nothing was written).
  returned: success
  type: int
  sample: 2
patch:
  description:
    - The JSON Patch operations sent, or in check mode the ones that would be sent. Empty for a create or delete.
    - With O(api=xcore) the paths are under C(/_instance) (C(/_instance/xdm:name)); with O(api=dps) they are
      the object's own (C(/name)).
    - References are ids, as sent. The sample is an O(api=xcore) patch; with O(api=dps) the same operation has
      the path C(/representations/-) and a value with C(placement), C(components), C(type), C(format), ...
  returned: success
  type: list
  elements: dict
  sample:
    - op: add
      path: /_instance/xdm:representations/-
      value:
        xdm:placement: xcore:offer-placement:124e0be5699743d3
        xdm:components:
          - "@type": https://ns.adobe.com/experience/offer-management/content-component-text
            dc:format: text/plain
            dc:language: [en]
            xdm:content: Here is your first sale offer!
offer:
  description:
    - The offer after the task, as the API stores it. With O(api=xcore) the instance (C(instanceId), C(repo:*)
      metadata, C(_instance)), as in the sample; with O(api=dps) the flat object (C(id), C(etag), C(created),
      C(modified), ... and its fields such as C(name), C(status), C(representations)).
    - In check mode, the offer as it would be after the patch. Empty after a delete.
  returned: success
  type: dict
  sample:
    instanceId: 0f4bc230-13df-11eb-bc55-c11be7252432
    repo:etag: 2
    _instance:
      "@id": xcore:personalized-offer:124e181c8b0d7878
      xdm:name: Summer sale 20%
      xdm:status: approved
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
'''

from ansible_collections.aep.offers.plugins.module_utils._tasks import run_module


def main():
    run_module('offer_instance')


if __name__ == '__main__':
    main()

# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Argument specs of each kind's own options, shared by its module and by offer_library's lists.

FOR INTERNAL COLLECTION USE ONLY.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy

_STATUSES = ['draft', 'approved', 'archived']


def representations_spec():
    """Argument spec of ``representations``, shared by personalized and fallback offers."""
    component = dict(
        type=dict(type='str', required=True, choices=['text', 'html', 'imagelink', 'json']),
        format=dict(type='str'),
        language=dict(type='list', elements='str'),
        content=dict(type='str'),
        delivery_url=dict(type='str'),
        link_url=dict(type='str'),
    )
    return dict(type='list', elements='dict', options=dict(
        placement=dict(type='str', required=True),
        channel=dict(type='str'),
        components=dict(type='list', elements='dict', options=component),
    ))


# Per kind key (see _kinds.KINDS): the options, and the constraints between them.
_KIND_SPECS = {
    'placement': dict(
        description=dict(type='str'),
        channel=dict(type='str'),
        component_type=dict(type='str', choices=['text', 'html', 'imagelink', 'json']),
        content_types=dict(type='list', elements='str'),
    ),
    'tag': {},
    'eligibility_rule': dict(
        description=dict(type='str'),
        condition=dict(type='str'),
        defined_on=dict(type='dict'),
    ),
    'fallback_offer': dict(
        status=dict(type='str', choices=_STATUSES),
        representations=representations_spec(),
        tags=dict(type='list', elements='str'),
        characteristics=dict(type='dict'),
    ),
    'offer': dict(
        status=dict(type='str', choices=_STATUSES),
        representations=representations_spec(),
        start_date=dict(type='str'),
        end_date=dict(type='str'),
        eligibility_rule=dict(type='str'),
        priority=dict(type='int'),
        capping=dict(type='dict', options={'global': dict(type='int'), 'profile': dict(type='int')}),
        tags=dict(type='list', elements='str'),
        characteristics=dict(type='dict'),
    ),
    'offer_filter': dict(
        filter_type=dict(type='str', choices=['offers', 'anyTags', 'allTags']),
        offers=dict(type='list', elements='str'),
        qualifiers=dict(type='list', elements='str'),
    ),
    'offer_activity': dict(
        status=dict(type='str', choices=['draft', 'live', 'archived']),
        start_date=dict(type='str'),
        end_date=dict(type='str'),
        criteria=dict(type='list', elements='dict', options=dict(
            placements=dict(type='list', elements='str', required=True),
            collection=dict(type='str', required=True),
            eligibility_rule=dict(type='str'),
        )),
        fallback=dict(type='str'),
    ),
}

_MUTUALLY_EXCLUSIVE = {'offer_filter': [('offers', 'qualifiers')]}


def kind_spec(key):
    """A fresh copy of the kind's own options (AnsibleModule may change the dicts it is given)."""
    return copy.deepcopy(_KIND_SPECS[key])


def kind_constraints(key):
    return dict(mutually_exclusive=list(_MUTUALLY_EXCLUSIVE.get(key, [])))

# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The object kinds, each declared once, in the collection's own terms (no API field names).

FOR INTERNAL COLLECTION USE ONLY. Pure: no I/O, no Ansible.

A kind's declaration holds its names (module, ``offer_library`` section, result key, title), its options
as an argument spec, which options refer to other kinds, and which options are dates. Everything else is
derived from it: module argument specs, ``offer_library``'s sections and apply levels, the info module's
kinds and the export lists. How an option is stored belongs to each API (``_xcore``, ``_dps``).

Ansible's ``env_fallback`` is only named here (it does nothing when imported): an option's ``env`` marker
becomes ``fallback=(env_fallback, [...])`` in ``Kind.argument_spec``.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy

from ansible.module_utils.common.parameters import env_fallback
from ansible_collections.aep.offers.plugins.module_utils._errors import InputError

COMPONENT_TYPES = ['text', 'html', 'imagelink', 'json']
_STATUSES = ['draft', 'approved', 'archived']


class Kind:
    """One kind of object.

    ``options`` is the kind's own argument spec (identity and state options are added by the runner).
    ``refs`` maps an option label (``representations[].placement``) to the key of the kind it names.
    ``dates`` are RFC 3339 options; ``date_ranges`` pairs of them where the first must not be later.
    ``sets`` are the labels of lists whose order means nothing (compared as sets, sorted on export).
    ``apis`` are the APIs that hold the kind, the first one used when the task's ``api`` is not among them
    (Decisioning kinds exist only in dps).
    """

    def __init__(self, key, title, options, module=None, section=None, result_key=None, refs=None, dates=(),
                 date_ranges=(), sets=(), mutually_exclusive=(), checks=(), apis=('xcore', 'dps')):
        self.key = key
        self.title = title
        self.options = options
        self.module = module or key
        self.section = section or key + 's'
        self.result_key = result_key or key
        self.refs = dict(refs or {})
        self.dates = tuple(dates)
        self.date_ranges = tuple(date_ranges)
        self.sets = tuple(sets)
        self.mutually_exclusive = [tuple(group) for group in mutually_exclusive]
        self.apis = tuple(apis)
        self.checks = tuple(checks)  # check(params) raises InputError: what the argument spec cannot say

    def __repr__(self):
        return 'Kind(%r)' % self.key

    def argument_spec(self):
        """A fresh copy of the kind's own options (AnsibleModule may change the dicts it is given)."""
        spec = copy.deepcopy(self.options)
        for rules in spec.values():
            if 'env' in rules:
                rules['fallback'] = (env_fallback, rules.pop('env'))
        return spec

    def api_for(self, requested):
        """The API that serves this kind when the task asks for ``requested``."""
        return requested if requested in self.apis else self.apis[0]

    def constraints(self):
        return dict(mutually_exclusive=list(self.mutually_exclusive))

    def check(self, params):
        for check in self.checks:
            check(params)

    def sorted_sets(self, options):
        """``options`` with the lists whose order means nothing (``sets``) sorted, so exports diff well (in place)."""
        for label in self.sets:
            for container, key in _slots(options, label.replace('[]', '.[]').split('.')):
                if isinstance(container[key], list) and all(isinstance(v, str) for v in container[key]):
                    container[key] = sorted(container[key])
        return options


def _slots(node, parts):
    """(container, key) of each value at a ``sets`` label's path (``[]`` steps into every list element)."""
    head, rest = parts[0], parts[1:]
    if head == '[]':
        for element in node if isinstance(node, list) else []:
            yield from _slots(element, rest)
    elif isinstance(node, dict) and head in node:
        if rest:
            yield from _slots(node[head], rest)
        else:
            yield node, head


# Checks the argument spec cannot express, the same whatever the API -------------------------------

def non_negative(option):
    def check(params):
        if params.get(option) is not None and params[option] < 0:
            raise InputError(option, 'must be 0 or more, got %d' % params[option])
    return check


def _capping(params):
    for name in ('global', 'profile'):
        value = (params.get('capping') or {}).get(name)
        if value is not None and value < 0:
            raise InputError('capping.%s' % name, 'must be 0 or more, got %d' % value)


def _string_values(params):
    for key, item in (params.get('characteristics') or {}).items():
        if not isinstance(item, str):
            raise InputError('characteristics.%s' % key, 'values are strings, got %r' % (item,))


def _check_representations(params):
    """One representation per placement (they are matched by it), components of a known type."""
    seen = set()
    for index, item in enumerate(params.get('representations') or []):
        label = 'representations[%d].placement' % index
        if not item.get('placement'):
            raise InputError(label, 'is required')
        if item['placement'] in seen:
            raise InputError(label, '%r appears twice; representations are matched by placement' % item['placement'])
        seen.add(item['placement'])
        for number, component in enumerate(item.get('components') or []):
            if component.get('type') not in COMPONENT_TYPES:
                raise InputError('representations[%d].components[%d].type' % (index, number), 'must be one of %s, got %r' % (
                    ', '.join(COMPONENT_TYPES), component.get('type')))


def _complete_criteria(params):
    for index, item in enumerate(params.get('criteria') or []):
        if not item.get('placements'):
            raise InputError('criteria[%d].placements' % index, 'needs at least one placement')
        if not item.get('collection'):
            raise InputError('criteria[%d].collection' % index, 'is required')


def collection_filter_type(params):
    """A collection lists offers, or matches qualifiers; the list it is given says which (None: not managed)."""
    given = params.get('filter_type')
    if params.get('offers') is not None:
        if given not in (None, 'offers'):
            raise InputError('filter_type', 'must be offers when offers are given, got %r' % given)
        return 'offers'
    if params.get('qualifiers') is not None:
        if given == 'offers':
            raise InputError('filter_type', 'must be anyTags or allTags when qualifiers are given')
        return given or 'anyTags'
    return given


def _representations():
    component = dict(
        type=dict(type='str', required=True, choices=list(COMPONENT_TYPES)),
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


_OFFER_REFS = {'representations[].placement': 'placement', 'tags[]': 'collection_qualifier'}
_OFFER_SETS = ['tags', 'representations[].components[].language']

PLACEMENT = Kind(
    'placement', 'placement',
    dict(
        description=dict(type='str'),
        channel=dict(type='str'),
        component_type=dict(type='str', choices=list(COMPONENT_TYPES)),
        content_types=dict(type='list', elements='str'),
    ),
    sets=['content_types'],
)

COLLECTION_QUALIFIER = Kind('collection_qualifier', 'collection qualifier', {})

DECISION_RULE = Kind(
    'decision_rule', 'decision rule',
    dict(
        description=dict(type='str'),
        condition=dict(type='str'),
        defined_on=dict(type='dict'),
    ),
)

OFFER = Kind(
    'offer', 'personalized offer',
    dict(
        status=dict(type='str', choices=_STATUSES),
        representations=_representations(),
        start_date=dict(type='str'),
        end_date=dict(type='str'),
        eligibility_rule=dict(type='str'),
        priority=dict(type='int'),
        capping=dict(type='dict', options={'global': dict(type='int'), 'profile': dict(type='int')}),
        tags=dict(type='list', elements='str'),
        characteristics=dict(type='dict'),
    ),
    module='offer_instance',
    refs=dict(_OFFER_REFS, eligibility_rule='decision_rule'),
    dates=['start_date', 'end_date'], date_ranges=[('start_date', 'end_date')],
    sets=_OFFER_SETS,
    checks=[_check_representations, non_negative('priority'), _capping, _string_values],
)

FALLBACK_OFFER = Kind(
    'fallback_offer', 'fallback offer',
    dict(
        status=dict(type='str', choices=_STATUSES),
        representations=_representations(),
        tags=dict(type='list', elements='str'),
        characteristics=dict(type='dict'),
    ),
    refs=_OFFER_REFS,
    sets=_OFFER_SETS,
    checks=[_check_representations, _string_values],
)

OFFER_COLLECTION = Kind(
    'offer_collection', 'collection',
    dict(
        filter_type=dict(type='str', choices=['offers', 'anyTags', 'allTags']),
        offers=dict(type='list', elements='str'),
        qualifiers=dict(type='list', elements='str'),
    ),
    section='collections', result_key='collection',
    refs={'offers[]': 'offer', 'qualifiers[]': 'collection_qualifier'},
    sets=['offers', 'qualifiers'],
    mutually_exclusive=[('offers', 'qualifiers')],
    checks=[collection_filter_type],
)

DECISION = Kind(
    'decision', 'decision',
    dict(
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
    refs={'criteria[].placements': 'placement', 'criteria[].collection': 'offer_collection',
          'criteria[].eligibility_rule': 'decision_rule', 'fallback': 'fallback_offer'},
    dates=['start_date', 'end_date'], date_ranges=[('start_date', 'end_date')],
    sets=['criteria[].placements'],
    checks=[_complete_criteria],
)

# Decisioning (Adobe Journey Optimizer's current decisioning), only in dps ---------------------------

_DPS_ONLY = ('dps',)

ELIGIBILITY_RULE = Kind(
    'eligibility_rule', 'eligibility rule',
    dict(
        description=dict(type='str'),
        condition=dict(type='str'),
        defined_on=dict(type='dict'),
    ),
    apis=_DPS_ONLY,
)

RANKING_FORMULA = Kind(
    'ranking_formula', 'ranking formula',
    dict(
        description=dict(type='str'),
        expression=dict(type='str'),
        return_type=dict(type='str'),
        defined_on=dict(type='dict'),
    ),
    apis=_DPS_ONLY,
)

ITEM_COLLECTION = Kind(
    'item_collection', 'item collection',
    dict(
        description=dict(type='str'),
        catalog_id=dict(type='str', env=['AEP_ITEM_CATALOG_ID']),
        constraints=dict(type='list', elements='dict', options=dict(
            attribute=dict(type='str', required=True),
            operator=dict(type='str', required=True),
            value=dict(type='raw', required=True),
        )),
    ),
    apis=_DPS_ONLY,
)

DECISIONING_PLACEMENT = Kind(
    'decisioning_placement', 'Decisioning placement',
    dict(
        description=dict(type='str'),
        channel=dict(type='str'),
        channel_configuration=dict(type='str'),
        status=dict(type='str'),
    ),
    apis=_DPS_ONLY,
)

DECISION_ITEM = Kind(
    'decision_item', 'decision item',
    dict(
        description=dict(type='str'),
        priority=dict(type='int'),
        status=dict(type='str'),
        start_date=dict(type='str'),
        end_date=dict(type='str'),
        eligibility_rule=dict(type='str'),
        catalog_id=dict(type='str', env=['AEP_ITEM_CATALOG_ID']),
        schema_id=dict(type='str', env=['AEP_ITEM_SCHEMA_ID']),
        tenant=dict(type='str', env=['AEP_TENANT']),
        attributes=dict(type='dict'),
    ),
    refs={'eligibility_rule': 'eligibility_rule'},
    dates=['start_date', 'end_date'], date_ranges=[('start_date', 'end_date')],
    apis=_DPS_ONLY,
    checks=[non_negative('priority')],
)

SELECTION_STRATEGY = Kind(
    'selection_strategy', 'selection strategy',
    dict(
        description=dict(type='str'),
        collection=dict(type='str'),
        eligibility_rule=dict(type='str'),
        priority=dict(type='int'),
        ranking_formula=dict(type='str'),
    ),
    section='selection_strategies',
    refs={'collection': 'item_collection', 'eligibility_rule': 'eligibility_rule', 'ranking_formula': 'ranking_formula'},
    apis=_DPS_ONLY,
    checks=[non_negative('priority')],
)

KINDS = dict((kind.key, kind) for kind in (
    PLACEMENT, COLLECTION_QUALIFIER, DECISION_RULE, OFFER, FALLBACK_OFFER, OFFER_COLLECTION, DECISION,
    ELIGIBILITY_RULE, RANKING_FORMULA, ITEM_COLLECTION, DECISIONING_PLACEMENT, DECISION_ITEM, SELECTION_STRATEGY))


def levels(kinds=None):
    """The kinds in apply order, grouped: each level refers only to kinds of earlier levels (derived from ``refs``).

    Within a level, kinds keep their declaration order.
    """
    kinds = dict(KINDS if kinds is None else kinds)
    placed, result = set(), []
    while len(placed) < len(kinds):
        level = [key for key, kind in kinds.items() if key not in placed
                 and all(ref in placed or ref == key for ref in kind.refs.values())]
        if not level:
            raise ValueError('the kinds refer to each other in a cycle: %s' % ', '.join(sorted(set(kinds) - placed)))
        result.append(level)
        placed.update(level)
    return result


LEVELS = levels()
ORDER = [key for level in LEVELS for key in level]
BY_SECTION = dict((KINDS[key].section, KINDS[key]) for key in ORDER)
SECTIONS = [KINDS[key].section for key in ORDER]

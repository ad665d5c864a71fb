# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""How dps stores the Decisioning kinds (decision items, item collections, selection strategies, ranking
formulas, eligibility rules, Decisioning placements): ``dps-api.md`` sections 4, 5 and 9.

FOR INTERNAL COLLECTION USE ONLY. Pure: no I/O, no Ansible. ``_dps.DpsApi`` serves these mappings; what
sets them apart from the Decision Management kinds is declared per mapping (``_mapping.Mapping``'s
capabilities) and acted on there: updated with PUT, a family flag at a shared endpoint, the ``x-schema-id``
header, fields the server builds, no delete, and values the server writes differently from how they were
sent (``read``).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import json
import re

from ansible_collections.aep.offers.plugins.module_utils import _catalogue as catalogue
from ansible_collections.aep.offers.plugins.module_utils._errors import InputError
from ansible_collections.aep.offers.plugins.module_utils._dps_mapping import CHANNEL_BASE, SCHEMA_KEY, DpsMapping
from ansible_collections.aep.offers.plugins.module_utils._mapping import Field, pql, prefixed

_ITEM = ('_experience', 'decisioning', 'decisionitem')
_TENANT = re.compile(r'^_?([A-Za-z0-9][A-Za-z0-9_]*)\Z')


class DecisionItemMapping(DpsMapping):
    """Decision items also hold custom attributes under one ``_<tenant>`` key, named by the ``tenant`` option."""

    extra_options = ('tenant', 'attributes')

    def desired(self, params):
        if not params.get('schema_id'):
            raise InputError('schema_id', 'is required: the x-schema-id header of every /offer-items call (the schema '
                                          'of the item catalog); set it or AEP_ITEM_SCHEMA_ID')
        body = super(DecisionItemMapping, self).desired(params)
        if params.get('attributes') is not None:
            if not params.get('tenant'):
                raise InputError('tenant', 'is required with attributes (the _<tenant> key that holds them); '
                                           'set it or AEP_TENANT')
            key = tenant_key(params['tenant'])
            if key in body:
                raise InputError('instance', '%r is also set by attributes; set it in one place only' % key)
            body[key] = copy.deepcopy(params['attributes'])
        return body

    def to_options(self, body):
        options = super(DecisionItemMapping, self).to_options(body)
        custom = sorted(key for key in body if key.startswith('_') and key != '_experience' and isinstance(body[key], dict))
        if len(custom) == 1:
            options.update(tenant=custom[0][1:], attributes=copy.deepcopy(body[custom[0]]))
        return options


def tenant_key(value):
    match = _TENANT.match(value)
    if not match or match.group(1) == 'experience':
        raise InputError('tenant', '%r is not a tenant name (letters, digits and _, like acme for _acme)' % (value,))
    return '_' + match.group(1)


# Converters ------------------------------------------------------------------------------------

def _required_text(value, option):
    if not value.strip():
        raise InputError(option, 'must not be empty')
    return value


def _not_blank(shape):
    """A Field's convert and export (``_mapping``'s shared ones) that first refuse a blank value."""
    convert = shape['convert']
    return dict(shape, convert=lambda value, option: convert(_required_text(value, option), option))


_PQL = _not_blank(pql(('type', 'format', 'value')))
_CHANNEL = _not_blank(prefixed(CHANNEL_BASE))


def _profile_constraint(option):
    """The constraint an optional rule sets: that rule, or none (the task declares the whole constraint)."""
    def derive(params):
        rule = params.get(option)
        return {'profileConstraintType': 'eligibilityRule', 'eligibilityRule': rule} if rule is not None else {'profileConstraintType': 'none'}
    return derive


def _rule_of(value, body):
    return value.get('eligibilityRule') if isinstance(value, dict) else None


def _order(params):
    formula = params.get('ranking_formula')
    return {'orderEvaluationType': 'scoringFunction', 'function': formula} if formula is not None else {'orderEvaluationType': 'static'}


def _formula_of(value, body):
    return value.get('function') if isinstance(value, dict) else None


def _return_type(params):
    value = params.get('return_type')
    if value is not None and not value.strip():
        raise InputError('return_type', 'must not be empty')
    return (value or 'integer').lower()


def _lower(value):
    return value.lower() if isinstance(value, str) else value


def canonical_json(value):
    """One text per JSON value: what ``uiModel`` is compared as, so a server that re-serializes it changes nothing."""
    return json.dumps(value, sort_keys=True, separators=(',', ':'))


def _canonical_ui_model(text):
    try:
        return canonical_json(json.loads(text)) if isinstance(text, str) else text
    except ValueError:
        return text  # not JSON: compared as it is


def _canonical_constraints(constraints):
    if not isinstance(constraints, list):
        return constraints
    return [dict(c, uiModel=_canonical_ui_model(c['uiModel'])) if isinstance(c, dict) and 'uiModel' in c else c
            for c in constraints]


def _constraints(params):
    given = params.get('constraints')
    if given is None:
        return None
    if params.get('catalog_id') is not None:
        _required_text(params['catalog_id'], 'catalog_id')
    result = []
    for index, item in enumerate(given):
        label = 'constraints[%d]' % index
        for option in ('attribute', 'operator'):
            if not isinstance(item.get(option), str) or not item[option].strip():
                raise InputError('%s.%s' % (label, option), 'must be a non-empty string')
        if isinstance(item.get('value'), (dict, list)) or item.get('value') is None:
            raise InputError(label + '.value', 'must be a string, a number or a boolean, got %r' % (item.get('value'),))
        constraint = {'uiModel': canonical_json({'operator': item['operator'], 'value': {'left': item['attribute'], 'right': item['value']}})}
        if params.get('catalog_id'):
            constraint['itemCatalogId'] = params['catalog_id']
        result.append(constraint)
    return result


def _export_constraints(value, body):
    result = []
    for constraint in value or []:
        try:
            model = json.loads(constraint.get('uiModel') or '{}')
        except ValueError:
            model = {}
        operand = model.get('value') if isinstance(model.get('value'), dict) else {}
        result.append({'attribute': operand.get('left'), 'operator': model.get('operator'), 'value': operand.get('right')})
    return result


def _catalog_of_constraints(value, body):
    catalogs = set(c.get('itemCatalogId') for c in value or [] if isinstance(c, dict) and c.get('itemCatalogId'))
    return catalogs.pop() if len(catalogs) == 1 else None


def _schema_id(value, option):
    return _required_text(value, option)


# The mappings ----------------------------------------------------------------------------------

KINDS = dict((mapping.key, mapping) for mapping in (
    DpsMapping(
        catalogue.ELIGIBILITY_RULE, '/offer-rules',
        fields=[
            Field('name', ['name']),
            Field('description', ['description']),
            Field('condition', ['condition'], _PQL['convert'], export=_PQL['export']),
            Field('defined_on', ['definedOn']),
        ],
        update='PUT', family=('exdRule', True), built=['segmentModel'],
        write_only=['defined_on'],  # GET does not echo definedOn (dps-api.md section 4, the lookup example)
    ),
    DpsMapping(
        catalogue.RANKING_FORMULA, '/ranking-formulas',
        fields=[
            Field('name', ['name']),
            Field('description', ['description']),
            Field('expression', ['expression'], _PQL['convert'], export=_PQL['export']),
            Field('return_type', ['returnType', 'type'], derive=_return_type),
            Field('defined_on', ['definedOn']),
        ],
        update='PUT', family=('exdFunction', True),
        read=[(('returnType', 'type'), _lower)],  # GET shows INTEGER for the integer sent
        write_only=['defined_on'],  # GET does not echo definedOn (dps-api.md section 4)
    ),
    DpsMapping(
        catalogue.ITEM_COLLECTION, '/item-collections',
        fields=[
            Field('name', ['name']),
            Field('description', ['description']),
            # The catalog id lives in each constraint: set with the constraints, read back from them.
            Field('catalog_id', ['constraints'], derive=lambda params: None, export=_catalog_of_constraints),
            Field('constraints', ['constraints'], derive=_constraints, export=_export_constraints),
        ],
        read=[(('constraints',), _canonical_constraints)],
    ),
    DpsMapping(
        catalogue.DECISIONING_PLACEMENT, '/exd-placements',
        fields=[
            Field('name', ['name']),
            Field('description', ['description']),
            Field('channel', ['channel'], _CHANNEL['convert'], export=_CHANNEL['export']),
            Field('channel_configuration', ['channelConfiguration'], _required_text),
            Field('status', ['status'], _required_text),
        ],
        update='PUT', deletable=False,  # the API has no delete for them (405)
    ),
    DecisionItemMapping(
        catalogue.DECISION_ITEM, '/offer-items',
        fields=[
            Field('name', _ITEM + ('itemName',)),
            Field('description', _ITEM + ('itemDescription',)),
            Field('priority', _ITEM + ('itemPriority',)),
            Field('status', ('_experience', 'decisioning', 'offeritem', 'lifecycleStatus'), _required_text),
            Field('start_date', _ITEM + ('itemCalendarConstraints', 'startDate')),
            Field('end_date', _ITEM + ('itemCalendarConstraints', 'endDate')),
            Field('eligibility_rule', _ITEM + ('itemConstraints',), derive=_profile_constraint('eligibility_rule'), export=_rule_of),
            Field('catalog_id', _ITEM + ('itemCatalogID',), _required_text),
            Field('schema_id', [SCHEMA_KEY], _schema_id),
        ],
        name_path=_ITEM + ('itemName',), schema_header=True,
        wholes=[_ITEM + ('itemConstraints',)],
        refs={'eligibility_rule': _ITEM + ('itemConstraints', 'eligibilityRule')},
    ),
    DpsMapping(
        catalogue.SELECTION_STRATEGY, '/selection-strategies',
        fields=[
            Field('name', ['name']),
            Field('description', ['description']),
            Field('collection', ['optionSelection', 'filter']),
            Field('eligibility_rule', ['profileConstraint'], derive=_profile_constraint('eligibility_rule'), export=_rule_of),
            Field('priority', ['rank', 'priority']),
            Field('ranking_formula', ['rank', 'order'], derive=_order, export=_formula_of),
        ],
        wholes=[('profileConstraint',), ('rank', 'order')],
        refs={'collection': ('optionSelection', 'filter'), 'eligibility_rule': ('profileConstraint', 'eligibilityRule'),
              'ranking_formula': ('rank', 'order', 'function')},
    ),
))

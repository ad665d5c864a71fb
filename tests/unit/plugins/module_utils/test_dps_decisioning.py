# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Decisioning options to dps fields (``_dps_decisioning``): bodies, read normalisation, write-only, PUT plans."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest

from ansible_collections.aep.offers.plugins.module_utils._catalogue import KINDS as CATALOGUE
from ansible_collections.aep.offers.plugins.module_utils._dps import DpsApi
from ansible_collections.aep.offers.plugins.module_utils._dps_mapping import SCHEMA_KEY, belongs
from ansible_collections.aep.offers.plugins.module_utils._errors import InputError
from ansible_collections.aep.offers.plugins.module_utils._resolve import split_references

KINDS = DpsApi.kinds
SCHEMA = 'https://ns.adobe.com/acme/schemas/offer-items'
RULE = 'dps:eligibility-rule:19af09a9ae45a8d3'


def params(key, **given):
    base = dict((option, None) for option in CATALOGUE[key].options)
    base.update(instance=None, name=None)
    base.update(given)
    return base


def test_a_decision_item_sits_under_experience_with_its_attributes_under_the_tenant():
    body = KINDS['decision_item'].desired(params(
        'decision_item', name='Gold card', description='d', priority=2, status='approved', start_date='2026-01-01T00:00:00Z',
        eligibility_rule=RULE, catalog_id='cat-1', schema_id=SCHEMA, tenant='acme', attributes={'colour': 'gold'}))
    assert body == {
        '_experience': {'decisioning': {
            'offeritem': {'lifecycleStatus': 'approved'},
            'decisionitem': {'itemName': 'Gold card', 'itemDescription': 'd', 'itemPriority': 2, 'itemCatalogID': 'cat-1',
                             'itemCalendarConstraints': {'startDate': '2026-01-01T00:00:00Z'},
                             'itemConstraints': {'profileConstraintType': 'eligibilityRule', 'eligibilityRule': RULE}}}},
        '_acme': {'colour': 'gold'},
        SCHEMA_KEY: SCHEMA,
    }
    assert KINDS['decision_item'].name_of(body) == 'Gold card'


def test_an_item_without_a_rule_has_no_constraint_and_the_whole_constraint_is_compared():
    item = KINDS['decision_item']
    desired = item.desired(params('decision_item', name='I', schema_id=SCHEMA))
    constraint = desired['_experience']['decisioning']['decisionitem']['itemConstraints']
    assert constraint == {'profileConstraintType': 'none'}
    stored = item.read({'id': 'dps:x:1', '_experience': {'decisioning': {'decisionitem': {
        'itemName': 'I', 'itemConstraints': {'profileConstraintType': 'eligibilityRule', 'eligibilityRule': RULE}}}}}, SCHEMA)
    path = '/_experience/decisioning/decisionitem/itemConstraints'
    assert item.plan(stored, desired) == [{'op': 'remove', 'path': path + '/eligibilityRule'},
                                          {'op': 'replace', 'path': path + '/profileConstraintType', 'value': 'none'}]


@pytest.mark.parametrize('given, option, words', [
    (dict(schema_id=None), 'schema_id', 'AEP_ITEM_SCHEMA_ID'),
    (dict(attributes={'a': 'b'}), 'tenant', 'required with attributes'),
    (dict(attributes={'a': 'b'}, tenant='acme corp'), 'tenant', 'not a tenant name'),
    (dict(attributes={'a': 'b'}, tenant='_experience'), 'tenant', 'not a tenant name'),
    (dict(priority=-1), 'priority', '0 or more'),
    (dict(start_date='2026-02-01T00:00:00Z', end_date='2026-01-01T00:00:00Z'), 'end_date', 'before'),
])
def test_bad_item_options_name_themselves(given, option, words):
    values = dict(name='I', schema_id=SCHEMA)
    values.update(given)
    with pytest.raises(InputError) as info:
        KINDS['decision_item'].desired(params('decision_item', **values))
    assert info.value.option == option and words in str(info.value)


def test_a_tenant_is_written_with_or_without_its_underscore():
    for tenant in ('acme', '_acme'):
        body = KINDS['decision_item'].desired(params('decision_item', name='I', schema_id=SCHEMA, tenant=tenant, attributes={'a': 1}))
        assert body['_acme'] == {'a': 1}


def test_item_collection_constraints_are_ui_model_json_compared_as_json():
    collection = KINDS['item_collection']
    desired = collection.desired(params('item_collection', name='C', catalog_id='cat-1', constraints=[
        {'attribute': '_acme.colour', 'operator': 'equals', 'value': 'gold'}]))
    [constraint] = desired['constraints']
    assert constraint['itemCatalogId'] == 'cat-1'
    assert json.loads(constraint['uiModel']) == {'operator': 'equals', 'value': {'left': '_acme.colour', 'right': 'gold'}}
    # A server that writes the same JSON with other spacing and key order: no change.
    reserialized = json.dumps(json.loads(constraint['uiModel']), sort_keys=False, indent=1)
    stored = collection.read({'id': 'dps:item-collection:1', 'name': 'C', 'tags': [],
                              'constraints': [{'itemCatalogId': 'cat-1', 'uiModel': reserialized}]})
    assert collection.plan(stored, desired) == []
    assert collection.to_options(stored) == {'name': 'C', 'catalog_id': 'cat-1', 'constraints': [
        {'attribute': '_acme.colour', 'operator': 'equals', 'value': 'gold'}]}
    # Another value is a change.
    desired['constraints'][0]['uiModel'] = desired['constraints'][0]['uiModel'].replace('gold', 'silver')
    assert collection.plan(stored, desired)


@pytest.mark.parametrize('constraint, label', [
    ({'attribute': '', 'operator': 'equals', 'value': 1}, 'constraints[0].attribute'),
    ({'attribute': 'a', 'operator': ' ', 'value': 1}, 'constraints[0].operator'),
    ({'attribute': 'a', 'operator': 'equals', 'value': {'x': 1}}, 'constraints[0].value'),
])
def test_bad_constraints_name_the_item(constraint, label):
    with pytest.raises(InputError) as info:
        KINDS['item_collection'].desired(params('item_collection', name='C', constraints=[constraint]))
    assert info.value.option == label


def test_a_selection_strategy_without_formula_or_rule_is_static_and_unconstrained():
    strategy = KINDS['selection_strategy']
    body = strategy.desired(params('selection_strategy', name='S', collection='Gold items', priority=1))
    assert body == {'name': 'S', 'optionSelection': {'filter': 'Gold items'}, 'profileConstraint': {'profileConstraintType': 'none'},
                    'rank': {'priority': 1, 'order': {'orderEvaluationType': 'static'}}}
    ranked = strategy.desired(params('selection_strategy', name='S', collection='C', eligibility_rule='Gold', ranking_formula='Boost'))
    assert ranked['rank'] == {'order': {'orderEvaluationType': 'scoringFunction', 'function': 'Boost'}}
    assert ranked['profileConstraint'] == {'profileConstraintType': 'eligibilityRule', 'eligibilityRule': 'Gold'}
    api = DpsApi(None)
    assert split_references(api, strategy, ranked) == {
        ('item_collection', 'C'): 'collection', ('eligibility_rule', 'Gold'): 'eligibility_rule', ('ranking_formula', 'Boost'): 'ranking_formula'}
    assert strategy.to_options(ranked) == {'name': 'S', 'collection': 'C', 'eligibility_rule': 'Gold', 'ranking_formula': 'Boost'}


def test_ranking_formula_return_type_defaults_to_integer_and_reads_upper_case_as_the_same():
    formula = KINDS['ranking_formula']
    desired = formula.desired(params('ranking_formula', name='Boost', expression='offer.rank.priority * 2',
                                     defined_on={'offer': {'schema': {'altId': 'x', 'version': '0'}}}))
    assert desired['returnType'] == {'type': 'integer'}
    assert desired['expression'] == {'type': 'PQL', 'format': 'pql/text', 'value': 'offer.rank.priority * 2'}
    stored = formula.read({'id': 'dps:ranking-function:1', 'etag': 1, 'name': 'Boost', 'exdFunction': True,
                           'returnType': {'type': 'INTEGER'}, 'expression': desired['expression']})
    assert formula.plan(stored, desired) == []  # INTEGER is integer; definedOn is not shown, so no change on its own


def test_defined_on_of_a_ranking_formula_rides_along_with_a_change():
    formula = KINDS['ranking_formula']
    desired = formula.desired(params('ranking_formula', name='Boost', expression='1', defined_on={'offer': {'x': 1}}))
    stored = formula.read({'id': 'dps:ranking-function:1', 'etag': 1, 'name': 'Boost', 'exdFunction': True,
                           'returnType': {'type': 'INTEGER'}, 'expression': desired['expression']})
    assert formula.plan(stored, desired) == []
    desired['description'] = 'Boosted'
    assert formula.plan(stored, desired) == [{'op': 'add', 'path': '/description', 'value': 'Boosted'},
                                             {'op': 'add', 'path': '/definedOn', 'value': {'offer': {'x': 1}}}]


def test_an_eligibility_rule_defined_on_is_write_only():
    # A GET of an eligibility rule does not show definedOn (dps-api.md section 4): comparing it would PUT on every run.
    rule = KINDS['eligibility_rule']
    desired = rule.desired(params('eligibility_rule', name='Gold', condition='true', defined_on={'': {'x': 1}}))
    stored = rule.read({'id': RULE, 'etag': 1, 'name': 'Gold', 'exdRule': False, 'condition': desired['condition'],
                        'segmentModel': {'lifecycleState': 'published'}})
    assert rule.plan(stored, desired) == []
    desired['description'] = 'Gold members'
    assert rule.plan(stored, desired) == [{'op': 'add', 'path': '/description', 'value': 'Gold members'},
                                          {'op': 'add', 'path': '/definedOn', 'value': {'': {'x': 1}}}]


@pytest.mark.parametrize('key, option', [('eligibility_rule', 'condition'), ('ranking_formula', 'expression')])
def test_empty_pql_is_refused(key, option):
    with pytest.raises(InputError) as info:
        KINDS[key].desired(params(key, name='X', **{option: '  '}))
    assert info.value.option == option


def test_decisioning_placement_channel_takes_short_names():
    placement = KINDS['decisioning_placement']
    body = placement.desired(params('decisioning_placement', name='P', channel='email', channel_configuration='cfg', status='active'))
    assert body == {'name': 'P', 'channel': 'https://ns.adobe.com/xdm/channel-types/email', 'channelConfiguration': 'cfg', 'status': 'active'}
    assert placement.to_options(body)['channel'] == 'email'
    assert placement.deletable is False and placement.update == 'PUT'


def test_families_tell_rules_apart_in_lists():
    siblings = DpsApi._SIBLINGS['/offer-rules']
    decision_rule, eligibility_rule = KINDS['decision_rule'], KINDS['eligibility_rule']
    assert set(siblings) == {decision_rule, eligibility_rule}
    exd = {'id': RULE, 'exdRule': True}
    legacy = {'id': 'dps:eligibility-rule:2', 'name': 'R'}
    api = DpsApi(None)
    assert api._listed(eligibility_rule, exd) and not api._listed(eligibility_rule, legacy)
    assert api._listed(decision_rule, legacy) and not api._listed(decision_rule, exd)
    assert not belongs(eligibility_rule, {'id': RULE, 'exdRule': False})


@pytest.mark.parametrize('key', sorted(key for key, kind in CATALOGUE.items() if kind.apis == ('dps',)))
def test_decisioning_options_round_trip(key):
    examples = {
        'decision_item': dict(name='I', description='d', priority=1, status='draft', start_date='2026-01-01T00:00:00Z',
                              end_date='2026-12-31T00:00:00Z', eligibility_rule=RULE, catalog_id='cat', schema_id=SCHEMA,
                              tenant='acme', attributes={'colour': 'gold'}),
        'item_collection': dict(name='C', description='d', catalog_id='cat', constraints=[
            {'attribute': 'a', 'operator': 'greater than', 'value': 3}]),
        'selection_strategy': dict(name='S', description='d', collection='dps:item-collection:1', eligibility_rule=RULE,
                                   priority=0, ranking_formula='dps:ranking-function:1'),
        'ranking_formula': dict(name='F', description='d', expression='1', return_type='integer', defined_on={'offer': {}}),
        'eligibility_rule': dict(name='R', description='d', condition='true', defined_on={'': {}}),
        'decisioning_placement': dict(name='P', description='d', channel='web', channel_configuration='cfg', status='active'),
    }
    mapping = KINDS[key]
    assert mapping.to_options(mapping.desired(params(key, **examples[key]))) == examples[key]

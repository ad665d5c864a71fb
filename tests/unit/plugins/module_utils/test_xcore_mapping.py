# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Module options to xcore fields (``_xcore``'s mappings), input validation and reference checks (``_resolve``)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.aep.offers.plugins.module_utils._errors import InputError
from ansible_collections.aep.offers.plugins.module_utils._resolve import split_references, substitute_references
from ansible_collections.aep.offers.plugins.module_utils._xcore import KINDS, XcoreApi

OFFER = KINDS['offer']
API = XcoreApi(None)
check_instance_id = API.check_instance_id

OM = 'https://ns.adobe.com/experience/offer-management/'
PLACEMENT_ID = 'xcore:offer-placement:124e0be5699743d3'


def params(**given):
    """Module params as Ansible passes them: every option present, None when not given."""
    base = dict((f.option, None) for f in OFFER.fields)
    base.update(instance=None, name=None)
    base.update(given)
    return base


# desired() per option ---------------------------------------------------------------------------

@pytest.mark.parametrize('option, value, body', [
    ('name', 'Sale', {'xdm:name': 'Sale'}),
    ('status', 'approved', {'xdm:status': 'approved'}),
    ('start_date', '2026-01-01T00:00:00Z', {'xdm:selectionConstraint': {'xdm:startDate': '2026-01-01T00:00:00Z'}}),
    ('end_date', '2026-01-31T23:59:59.5+01:00', {'xdm:selectionConstraint': {'xdm:endDate': '2026-01-31T23:59:59.5+01:00'}}),
    ('eligibility_rule', 'xcore:eligibility-rule:1', {'xdm:selectionConstraint': {'xdm:eligibilityRule': 'xcore:eligibility-rule:1'}}),
    ('priority', 0, {'xdm:rank': {'xdm:priority': 0}}),
    ('priority', 7, {'xdm:rank': {'xdm:priority': 7}}),
    ('capping', {'global': 10, 'profile': 0}, {'xdm:cappingConstraint': {'xdm:globalCap': 10, 'xdm:profileCap': 0}}),
    ('capping', {'global': 3, 'profile': None}, {'xdm:cappingConstraint': {'xdm:globalCap': 3}}),
    ('tags', ['b', 'xcore:tag:1'], {'xdm:tags': ['b', 'xcore:tag:1']}),
    ('tags', [], {'xdm:tags': []}),
    ('characteristics', {'k': 'v'}, {'xdm:characteristics': {'k': 'v'}}),
    ('characteristics', {}, {'xdm:characteristics': {}}),
])
def test_desired_one_option(option, value, body):
    assert OFFER.desired(params(**{option: value})) == body


def test_desired_nothing_given_is_empty():
    assert OFFER.desired(params()) == {}


def test_desired_representations():
    reps = [
        {'placement': 'web-banner', 'channel': 'web', 'components': [
            {'type': 'text', 'format': 'text/plain', 'language': ['en', 'fr'], 'content': 'Hi',
             'delivery_url': None, 'link_url': None},
            {'type': 'imagelink', 'format': 'image/png', 'language': 'en', 'content': None,
             'delivery_url': 'https://cdn.example/i.png', 'link_url': 'https://example.com'},
        ]},
        {'placement': PLACEMENT_ID, 'channel': 'https://example.com/channels/kiosk', 'components': None},
        {'placement': 'email-body', 'channel': None, 'components': []},
    ]
    assert OFFER.desired(params(representations=reps)) == {'xdm:representations': [
        {'xdm:placement': 'web-banner', 'xdm:channel': 'https://ns.adobe.com/xdm/channel-types/web', 'xdm:components': [
            {'@type': OM + 'content-component-text', 'dc:format': 'text/plain', 'dc:language': ['en', 'fr'], 'xdm:content': 'Hi'},
            {'@type': OM + 'content-component-imagelink', 'dc:format': 'image/png', 'dc:language': ['en'],
             'xdm:deliveryURL': 'https://cdn.example/i.png', 'xdm:linkURL': 'https://example.com'},
        ]},
        {'xdm:placement': PLACEMENT_ID, 'xdm:channel': 'https://example.com/channels/kiosk'},
        {'xdm:placement': 'email-body', 'xdm:components': []},
    ]}


def test_desired_several_options_share_a_parent():
    body = OFFER.desired(params(name='Sale', start_date='2026-01-01T00:00:00Z', end_date='2026-02-01T00:00:00Z',
                                eligibility_rule='adults', priority=2))
    assert body == {'xdm:name': 'Sale', 'xdm:rank': {'xdm:priority': 2}, 'xdm:selectionConstraint': {
        'xdm:startDate': '2026-01-01T00:00:00Z', 'xdm:endDate': '2026-02-01T00:00:00Z', 'xdm:eligibilityRule': 'adults'}}


def test_desired_instance_merges_with_typed_options():
    raw = {'xdm:status': 'draft', 'xdm:selectionConstraint': {'xdm:endDate': None}, 'xdm:custom': {'a': 1}}
    body = OFFER.desired(params(name='Sale', start_date='2026-01-01T00:00:00Z', instance=raw))
    assert body == {'xdm:name': 'Sale', 'xdm:status': 'draft', 'xdm:custom': {'a': 1},
                    'xdm:selectionConstraint': {'xdm:endDate': None, 'xdm:startDate': '2026-01-01T00:00:00Z'}}
    # The caller's dict is not changed.
    assert raw == {'xdm:status': 'draft', 'xdm:selectionConstraint': {'xdm:endDate': None}, 'xdm:custom': {'a': 1}}


# Bad input --------------------------------------------------------------------------------------

@pytest.mark.parametrize('given, option', [
    ({'start_date': '2026-01-01'}, 'start_date'),
    ({'start_date': '2026-01-01 00:00:00Z'}, 'start_date'),
    ({'end_date': '2026-13-01T00:00:00Z'}, 'end_date'),
    ({'end_date': 'tomorrow'}, 'end_date'),
    ({'end_date': '2026-01-01T00:00:00'}, 'end_date'),
    ({'priority': -1}, 'priority'),
    ({'capping': {'global': -1, 'profile': 1}}, 'capping.global'),
    ({'capping': {'global': 1, 'profile': -5}}, 'capping.profile'),
    ({'characteristics': {'size': 3}}, 'characteristics.size'),
    ({'characteristics': {'ok': 'x', 'flag': True}}, 'characteristics.flag'),
    ({'representations': [{'placement': 'a'}, {'placement': 'b'}, {'placement': 'a'}]}, 'representations[2].placement'),
    ({'representations': [{'placement': None}]}, 'representations[0].placement'),
    ({'representations': [{'placement': 'a', 'components': [{'type': 'text'}, {'type': 'video'}]}]},
     'representations[0].components[1].type'),
    ({'instance': {'@id': 'xcore:personalized-offer:1'}}, 'instance'),
    ({'name': 'Sale', 'instance': {'xdm:name': 'Other'}}, 'instance'),
    ({'name': 'Sale', 'instance': {'xdm:name': 'Sale'}}, 'instance'),
    ({'priority': 1, 'instance': {'xdm:rank': {'xdm:priority': 2}}}, 'instance.xdm:rank'),
    ({'start_date': '2026-01-01T00:00:00Z', 'instance': {'xdm:selectionConstraint': {'xdm:startDate': None}}},
     'instance.xdm:selectionConstraint'),
    ({'capping': {'global': 1}, 'instance': {'xdm:cappingConstraint': 5}}, 'instance'),
])
def test_bad_input_names_the_option(given, option):
    with pytest.raises(InputError) as info:
        OFFER.desired(params(**given))
    assert info.value.option == option
    assert str(info.value).startswith(option + ': ')


def test_bad_date_message_shows_the_value():
    with pytest.raises(InputError, match=r"start_date: '2026/01/01' is not an RFC 3339"):
        OFFER.desired(params(start_date='2026/01/01'))


def test_instance_without_conflict_on_sibling_keys():
    body = OFFER.desired(params(priority=1, instance={'xdm:rank': {'xdm:other': 'x'}}))
    assert body == {'xdm:rank': {'xdm:other': 'x', 'xdm:priority': 1}}


# Found by these tests (see the report) ----------------------------------------------------------

@pytest.mark.parametrize('value', [
    '2026-01-01T00:00:00+24:00',    # offset out of range: ValueError escapes instead of InputError
    '2026-01-01T00:00:00-99:00',
    '2026-01-01T00:00:00Z\n',       # '$' also matches before a final newline
    '\u0662\u0660\u0662\u0666-01-01T00:00:00Z',  # Arabic-Indic digits: '\\d' is Unicode-aware
])
def test_malformed_dates_are_input_errors(value):
    with pytest.raises(InputError) as info:
        OFFER.desired(params(start_date=value))
    assert info.value.option == 'start_date'


def test_trailing_newline_is_not_an_instance_id():
    with pytest.raises(InputError):
        check_instance_id('0f4bc230-13df-11eb-bc55-c11be7252432\n')


def test_trailing_newline_is_not_an_at_id():
    with pytest.raises(InputError):
        split_references(API, OFFER, {'xdm:tags': ['xcore:tag:1\n']})


# check_instance_id ------------------------------------------------------------------------------

@pytest.mark.parametrize('value', [None, '0f4bc230-13df-11eb-bc55-c11be7252432', '0F4BC230-13DF-11EB-BC55-C11BE7252432'])
def test_instance_id_ok(value):
    assert check_instance_id(value) is None


@pytest.mark.parametrize('value', ['', 'Sale', '0f4bc230-13df-11eb-bc55-c11be725243', '0f4bc230-13df-11eb-bc55-c11be7252432x',
                                   'xcore:personalized-offer:124e181c8b0d7878', '../0f4bc230-13df-11eb-bc55-c11be7252432',
                                   ' 0f4bc230-13df-11eb-bc55-c11be7252432'])
def test_instance_id_bad(value):
    with pytest.raises(InputError) as info:
        check_instance_id(value)
    assert info.value.option == 'instance_id'


# References -------------------------------------------------------------------------------------

def test_split_references_names_and_ids():
    body = {
        'xdm:representations': [{'xdm:placement': 'web-banner'}, {'xdm:placement': PLACEMENT_ID}, {'xdm:channel': 'x'}],
        'xdm:tags': ['vip', 'xcore:tag:12ab', 'vip'],
        'xdm:selectionConstraint': {'xdm:eligibilityRule': 'adults'},
    }
    assert split_references(API, OFFER, body) == {
        ('placement', 'web-banner'): 'representations[].placement',
        ('collection_qualifier', 'vip'): 'tags[]',
        ('decision_rule', 'adults'): 'eligibility_rule',
    }


def test_split_references_none_when_all_ids():
    body = {'xdm:representations': [{'xdm:placement': PLACEMENT_ID}], 'xdm:tags': ['xcore:tag:1'],
            'xdm:selectionConstraint': {'xdm:eligibilityRule': 'xcore:eligibility-rule:9'}, 'xdm:name': 'xcore:tag:1'}
    assert split_references(API, OFFER, body) == {}


@pytest.mark.parametrize('body, label', [
    ({'xdm:representations': [{'xdm:placement': 'xcore:tag:1'}]}, 'representations[].placement'),
    ({'xdm:representations': [{'xdm:placement': 'xcore:offer-placement:'}]}, 'representations[].placement'),
    ({'xdm:representations': [{'xdm:placement': 'xcore:offer-placement:a b'}]}, 'representations[].placement'),
    ({'xdm:tags': ['xcore:offer-placement:1']}, 'tags[]'),
    ({'xdm:tags': ['']}, 'tags[]'),
    ({'xdm:tags': [5]}, 'tags[]'),
    ({'xdm:selectionConstraint': {'xdm:eligibilityRule': 'xcore:personalized-offer:1'}}, 'eligibility_rule'),
])
def test_split_references_wrong_kind(body, label):
    with pytest.raises(InputError) as info:
        split_references(API, OFFER, body)
    assert info.value.option == label
    assert str(info.value).startswith(label + ': ')


def test_substitute_references():
    body = {'xdm:representations': [{'xdm:placement': 'web'}, {'xdm:placement': PLACEMENT_ID}], 'xdm:tags': ['vip', 'xcore:tag:2']}
    resolved = {('placement', 'web'): 'xcore:offer-placement:1', ('collection_qualifier', 'vip'): 'xcore:tag:1'}
    assert substitute_references(OFFER, body, resolved) == {
        'xdm:representations': [{'xdm:placement': 'xcore:offer-placement:1'}, {'xdm:placement': PLACEMENT_ID}],
        'xdm:tags': ['xcore:tag:1', 'xcore:tag:2']}


def test_kinds_ids_and_schemas():
    for kind in KINDS.values():
        assert kind.schema.startswith(OM) and ';version=' in kind.schema
        assert kind.is_at_id(kind.id_prefix + '124e181c8b0d7878')
        assert not kind.is_at_id(kind.id_prefix)
        others = [k for k in KINDS.values() if k is not kind]
        assert not any(o.is_at_id(kind.id_prefix + 'abc') for o in others)


@pytest.mark.parametrize('key, option, value', [
    ('offer', 'frequency_capping', [{'limit': 1}]),
    ('offer', 'frequency_capping', []),
    ('placement', 'item_count', 5),
    ('placement', 'allow_duplicate_placements', False),
    ('placement', 'return_content', True),
    ('placement', 'return_metadata', {'offer_name': True}),
])
def test_an_option_only_dps_holds_is_refused_naming_api_dps(key, option, value):
    """xcore has no field for them: the task fails before any request, and says which API has one."""
    with pytest.raises(InputError) as info:
        KINDS[key].desired({'name': 'X', 'instance': None, option: value})
    assert info.value.option == option
    assert str(info.value) == '%s: needs api: dps (the xcore API has no field for it); set api: dps or leave %s out' % (
        option, option)

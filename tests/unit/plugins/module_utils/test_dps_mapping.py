# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Module options to dps fields (``_dps``'s mappings): the same options as xcore, other field names."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.aep.offers.plugins.module_utils._catalogue import KINDS as CATALOGUE
from ansible_collections.aep.offers.plugins.module_utils._dps import KINDS, DpsApi
from ansible_collections.aep.offers.plugins.module_utils._errors import InputError
from ansible_collections.aep.offers.plugins.module_utils._resolve import split_references
from ansible_collections.aep.offers.plugins.module_utils._xcore import KINDS as XCORE


def params(key, **given):
    base = dict((option, None) for option in CATALOGUE[key].options)
    base.update(instance=None, name=None)
    base.update(given)
    return base


def test_offer_options_at_unprefixed_paths():
    body = KINDS['offer'].desired(params(
        'offer', name='Sale', status='approved', priority=2, start_date='2026-01-01T00:00:00Z',
        representations=[{'placement': 'Web', 'channel': 'web', 'components': [
            {'type': 'html', 'format': 'text/html', 'language': ['en-us'], 'content': 'Hi', 'delivery_url': None, 'link_url': None}]}]))
    assert body == {'name': 'Sale', 'status': 'approved', 'rank': {'priority': 2},
                    'selectionConstraint': {'startDate': '2026-01-01T00:00:00Z'},
                    'representations': [{'placement': 'Web', 'channel': 'https://ns.adobe.com/xdm/channel-types/web',
                                         'components': [{'type': 'html', 'format': 'text/html', 'language': ['en-us'],
                                                         'content': 'Hi'}]}]}


@pytest.mark.parametrize('key', sorted(key for key, kind in CATALOGUE.items() if 'xcore' in kind.apis))
def test_options_round_trip_like_xcore(key):
    """Whatever the API, exporting what a task sets gives the task's options back."""
    examples = {
        'placement': dict(name='P', description='d', channel='web', component_type='html', content_types=['text/html']),
        'collection_qualifier': dict(name='Q'),
        'decision_rule': dict(name='R', description='d', condition='profile.age > 18'),
        'offer': dict(name='O', status='draft', priority=1, eligibility_rule='dps:eligibility-rule:1', tags=['dps:tag:1'],
                      capping={'global': 3, 'profile': None}, characteristics={'k': 'v'}),
        'fallback_offer': dict(name='F', status='approved', tags=['dps:tag:1']),
        'offer_collection': dict(name='C', qualifiers=['dps:tag:1'], filter_type='allTags'),
        'decision': dict(name='D', status='live', fallback='dps:fallback-offer:1',
                         criteria=[{'placements': ['dps:offer-placement:1'], 'collection': 'dps:offer-filter:1',
                                    'eligibility_rule': 'dps:eligibility-rule:1'}]),
    }
    given = dict((k, v) for k, v in examples[key].items())
    expected = dict(given)
    if 'capping' in expected:
        expected['capping'] = {'global': 3}
    for mapping in (KINDS[key], XCORE[key]):  # options both APIs hold
        exported = mapping.to_options(mapping.desired(params(key, **given)))
        if key == 'offer_collection':
            assert exported.pop('filter_type') == 'allTags'
            expected.pop('filter_type', None)
        assert exported == expected, mapping


def test_a_collection_of_offers_is_stored_with_the_dps_filter_type():
    assert KINDS['offer_collection'].desired(params('offer_collection', name='C', offers=['x']))['filterType'] == 'offers'
    assert KINDS['offer_collection'].desired(params('offer_collection', name='C', qualifiers=['x']))['filterType'] == 'any-tags'


def test_defined_on_is_write_only():
    rule = KINDS['decision_rule']
    desired = rule.desired(params('decision_rule', name='R', condition='true', defined_on={'profile': {'x': 1}}))
    stored = {'id': 'dps:eligibility-rule:1', 'etag': 1, 'name': 'R', 'condition': {'type': 'PQL', 'format': 'pql/text', 'value': 'true'}}
    assert rule.plan(stored, desired) == []  # the server does not show it: no change on its own
    desired['condition']['value'] = 'false'
    assert rule.plan(stored, desired) == [
        {'op': 'replace', 'path': '/condition/value', 'value': 'false'},
        {'op': 'add', 'path': '/definedOn', 'value': {'profile': {'x': 1}}},
    ]


def test_server_fields_cannot_be_managed_raw():
    with pytest.raises(InputError, match='instance: etag is set by the server'):
        KINDS['placement'].desired(params('placement', name='P', instance={'etag': 3}))


def test_references_take_dps_and_xcore_ids_or_names():
    api = DpsApi(None)
    body = {'representations': [{'placement': 'Web'}, {'placement': 'dps:offer-placement:1'}, {'placement': 'xcore:offer-placement:2'}],
            'tags': ['vip']}
    assert split_references(api, KINDS['offer'], body) == {
        ('placement', 'Web'): 'representations[].placement', ('collection_qualifier', 'vip'): 'tags[]'}


def test_options_only_dps_holds_round_trip():
    given = dict(name='P', component_type='text', item_count=3, allow_duplicate_placements=False, return_content=True,
                 return_metadata={'offer_name': True, 'content_type': False})
    placement = KINDS['placement']
    body = placement.desired(params('placement', **given))
    assert body == {'name': 'P', 'componentType': 'component-text', 'itemCount': 3, 'allowDuplicatePlacements': False,
                    'returnContent': True, 'returnMetaData': {'offerName': True, 'contentType': False}}
    assert placement.to_options(body) == given


# Component types: what the pages show, and a stored bare value reads as the same type ------------------------------

@pytest.mark.parametrize('option, stored', [('text', 'component-text'), ('html', 'html'), ('imagelink', 'imagelink'),
                                            ('json', 'component-json')])
def test_component_types_are_sent_as_the_pages_write_them(option, stored):
    offer = KINDS['offer']
    body = offer.desired(params('offer', representations=[{'placement': 'P', 'components': [{'type': option}]}]))
    assert body['representations'][0]['components'][0]['type'] == stored
    assert KINDS['placement'].desired(params('placement', component_type=option))['componentType'] == stored
    for written in set([stored, option]):  # component-text, or text as an older client stored it
        read = offer.read({'representations': [{'placement': 'P', 'components': [{'type': written}]}]})
        assert offer.plan(read, body) == []
        assert offer.to_options(read)['representations'][0]['components'][0]['type'] == option
        placement = KINDS['placement'].read({'componentType': written})
        assert KINDS['placement'].plan(placement, {'componentType': stored}) == []
        assert KINDS['placement'].to_options(placement) == {'component_type': option}


# Caps: frequencyCappingConstraints, never cappingConstraint's deprecated fields ------------------------------------

CAP = {'entity': 'offer', 'enabled': True}


def test_capping_is_written_as_frequency_capping_constraints():
    body = KINDS['offer'].desired(params('offer', capping={'global': 100, 'profile': 3}))
    assert body == {'frequencyCappingConstraints': [dict(CAP, scope='global', limit=100), dict(CAP, scope='profile', limit=3)],
                    'cappingConstraint': {}}
    assert KINDS['offer'].desired(params('offer', capping={'global': None, 'profile': 0})) == {
        'frequencyCappingConstraints': [dict(CAP, scope='profile', limit=0)], 'cappingConstraint': {}}
    assert KINDS['offer'].desired(params('offer', capping={'global': None, 'profile': None})) == {}  # no cap given


def test_frequency_capping_sends_its_defaults_even_when_the_declaration_left_them_out():
    """A declaration read as it is (offer_library's fast path) has None where Ansible would fill the defaults."""
    given = {'limit': 2, 'scope': None, 'enabled': None, 'start_date': '2026-01-01T00:00:00Z', 'end_date': None,
             'repeat': {'unit': 'week', 'unit_count': 1}}
    body = KINDS['offer'].desired(params('offer', frequency_capping=[given, {'limit': 0, 'scope': 'profile', 'enabled': False}]))
    assert body['frequencyCappingConstraints'] == [
        dict(CAP, limit=2, scope='global', startDate='2026-01-01T00:00:00Z', repeat={'enabled': True, 'unit': 'week', 'unitCount': 1}),
        dict(CAP, limit=0, scope='profile', enabled=False)]
    assert body['cappingConstraint'] == {}


def test_a_rerun_against_what_is_stored_plans_nothing_and_unmanaged_entry_fields_stay():
    offer = KINDS['offer']
    desired = offer.desired(params('offer', frequency_capping=[{'limit': 2, 'scope': 'global', 'enabled': True}]))
    stored = {'cappingConstraint': {}, 'frequencyCappingConstraints': [
        dict(CAP, limit=2, scope='global', startDate='2026-01-01T00:00:00.000+00:00', endDate='2026-02-01T00:00:00Z')]}
    assert offer.plan(stored, desired) == []  # the dates the task leaves out are not managed
    cap = {'limit': 2, 'scope': 'global', 'enabled': True, 'start_date': '2026-01-01T00:00:00Z'}
    desired = offer.desired(params('offer', frequency_capping=[cap]))
    assert offer.plan(stored, desired) == []  # a date is compared as an instant
    desired['frequencyCappingConstraints'][0]['limit'] = 3
    assert offer.plan(stored, desired) == [{'op': 'replace', 'path': '/frequencyCappingConstraints/0/limit', 'value': 3}]


def test_caps_are_compared_in_order():
    offer = KINDS['offer']
    stored = {'cappingConstraint': {}, 'frequencyCappingConstraints': [dict(CAP, scope='profile', limit=3),
                                                                       dict(CAP, scope='global', limit=100)]}
    desired = offer.desired(params('offer', capping={'global': 100, 'profile': 3}))
    assert offer.plan(stored, desired) == [
        {'op': 'replace', 'path': '/frequencyCappingConstraints/0/scope', 'value': 'global'},
        {'op': 'replace', 'path': '/frequencyCappingConstraints/0/limit', 'value': 100},
        {'op': 'replace', 'path': '/frequencyCappingConstraints/1/scope', 'value': 'profile'},
        {'op': 'replace', 'path': '/frequencyCappingConstraints/1/limit', 'value': 3}]


def test_caps_declared_clear_the_deprecated_fields_an_older_client_wrote():
    offer = KINDS['offer']
    stored = {'cappingConstraint': {'globalCap': 100, 'profileCap': 3},
              'frequencyCappingConstraints': [dict(CAP, scope='global', limit=100), dict(CAP, scope='profile', limit=3)]}
    assert offer.plan(stored, offer.desired(params('offer', capping={'global': 100, 'profile': 3}))) == [
        {'op': 'remove', 'path': '/cappingConstraint/globalCap'}, {'op': 'remove', 'path': '/cappingConstraint/profileCap'}]
    assert offer.plan(stored, offer.desired(params('offer', priority=1))) == [  # caps not declared: not managed
        {'op': 'add', 'path': '/rank', 'value': {'priority': 1}}]


@pytest.mark.parametrize('caps, options', [
    ([dict(CAP, scope='global', limit=100), dict(CAP, scope='profile', limit=3)], {'capping': {'global': 100, 'profile': 3}}),
    ([dict(CAP, scope='profile', limit=0)], {'capping': {'profile': 0}}),
    ([dict(CAP, scope='profile', limit=3), dict(CAP, scope='global', limit=100)],  # capping writes global first
     {'frequency_capping': [{'limit': 3, 'scope': 'profile', 'enabled': True}, {'limit': 100, 'scope': 'global', 'enabled': True}]}),
    ([dict(CAP, scope='global', limit=1), dict(CAP, scope='global', limit=2)],
     {'frequency_capping': [{'limit': 1, 'scope': 'global', 'enabled': True}, {'limit': 2, 'scope': 'global', 'enabled': True}]}),
    ([dict(CAP, scope='global', limit=1, enabled=False)], {'frequency_capping': [{'limit': 1, 'scope': 'global', 'enabled': False}]}),
    ([dict(CAP, scope='global', limit=1, startDate='2026-01-01T00:00:00Z')],
     {'frequency_capping': [{'limit': 1, 'scope': 'global', 'enabled': True, 'start_date': '2026-01-01T00:00:00Z'}]}),
    ([dict(CAP, scope='global', limit=1, repeat={'enabled': True, 'unit': 'day', 'unitCount': 2})],
     {'frequency_capping': [{'limit': 1, 'scope': 'global', 'enabled': True, 'repeat': {'unit': 'day', 'unit_count': 2}}]}),
    ([dict(CAP, scope='global', limit=1, repeat={'enabled': False, 'unit': 'day', 'unitCount': 2})],  # a repeat that is off
     {'frequency_capping': [{'limit': 1, 'scope': 'global', 'enabled': True}]}),
    ([], {}),  # no cap: nothing to manage
])
def test_caps_read_back_as_capping_where_it_can_write_them_else_as_frequency_capping(caps, options):
    offer = KINDS['offer']
    body = {'cappingConstraint': {}, 'frequencyCappingConstraints': caps}
    assert offer.to_options(body) == options
    if options:  # declared again, nothing to change
        declared = dict(params('offer'), **options)
        assert offer.plan(body, offer.desired(declared)) == []


def test_a_stored_cap_without_enabled_and_entity_gets_them_once():
    """Not as capping writes it, so read back as frequency_capping; declared again, its defaults are given."""
    offer = KINDS['offer']
    body = {'frequencyCappingConstraints': [{'scope': 'global', 'limit': 1}]}
    options = offer.to_options(body)
    assert options == {'frequency_capping': [{'limit': 1, 'scope': 'global'}]}
    desired = offer.desired(dict(params('offer'), **options))
    assert offer.plan(body, desired) == [
        {'op': 'add', 'path': '/frequencyCappingConstraints/0/enabled', 'value': True},
        {'op': 'add', 'path': '/frequencyCappingConstraints/0/entity', 'value': 'offer'},
        {'op': 'add', 'path': '/cappingConstraint', 'value': {}}]


@pytest.mark.parametrize('given, option, words', [
    ({'frequency_capping': [{'limit': -1}]}, 'frequency_capping[0].limit', 'must be 0 or more, got -1'),
    ({'frequency_capping': [{'limit': 1}, {'limit': 1, 'start_date': '2026-01-01'}]}, 'frequency_capping[1].start_date',
     "'2026-01-01' is not an RFC 3339 date-time (like 2026-01-31T23:59:59Z)"),
    ({'frequency_capping': [{'limit': 1, 'start_date': '2026-02-01T00:00:00Z', 'end_date': '2026-01-31T23:59:59+00:00'}]},
     'frequency_capping[0].end_date', 'end_date 2026-01-31T23:59:59+00:00 is before start_date 2026-02-01T00:00:00Z'),
    ({'frequency_capping': [{'limit': 1, 'repeat': {'unit': 'day', 'unit_count': 0}}]}, 'frequency_capping[0].repeat.unit_count',
     'must be 1 or more, got 0'),
    ({'frequency_capping': [{'limit': 1}], 'capping': {'global': 1, 'profile': None}}, 'frequency_capping',
     "cannot be given with capping: both set the offer's caps; give one"),
])
def test_bad_caps_are_refused_before_any_request(given, option, words):
    with pytest.raises(InputError) as info:
        KINDS['offer'].desired(params('offer', **given))
    assert info.value.option == option and str(info.value) == '%s: %s' % (option, words)


@pytest.mark.parametrize('count', [0, 31, -1])
def test_a_placement_item_count_is_1_to_30(count):
    with pytest.raises(InputError, match=r'^item_count: must be 1 to 30, got %d$' % count):
        KINDS['placement'].desired(params('placement', item_count=count))

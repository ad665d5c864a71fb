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
    for mapping in (KINDS[key], XCORE[key]):
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

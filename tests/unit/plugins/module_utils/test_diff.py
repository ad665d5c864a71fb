# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Properties and examples of the minimal JSON Patch builder (``_diff``)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import datetime
import json
import re

import jsonpatch
import pytest
from jsonpointer import JsonPointer
from hypothesis import assume, given, settings, strategies as st

from ansible_collections.aep.offers.plugins.module_utils._diff import (
    ANY, SET, Rules, canonical, make_patch, parse_rfc3339, pointer, project, scalars_equal)
from ansible_collections.aep.offers.plugins.module_utils._xcore import KINDS

OFFER = KINDS['offer']

# The test's own view of the rules: the same declarations, checked by code written here.
SET_PATHS = {('TAGS',), ('REPS', '*', 'LANGS')}
KEYED_PATHS = {('REPS',): 'K'}
WHOLE_PATHS = {('CHAR',)}
DATE_PATHS = {('WHEN',)}
RULES = Rules(lists={('TAGS',): SET, ('REPS',): 'K', ('REPS', ANY, 'LANGS'): SET}, wholes=[('CHAR',)], dates=[('WHEN',)])

POINTER_RE = re.compile(r'^(/([^~/]|~[01])*)*$')
OPS = {'add', 'replace', 'remove'}


# Independent checker ----------------------------------------------------------------------------

def _json(value):
    return json.dumps(value, sort_keys=True)


def _instant(value):
    """A date parser written for the test (datetime.fromisoformat), not the module's own."""
    if not isinstance(value, str) or not re.match(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$', value):
        return None
    return datetime.datetime.fromisoformat(value.replace('Z', '+00:00'))


def same_scalar(left, right, date=False):
    if date and _instant(left) is not None and _instant(right) is not None:
        return _instant(left) == _instant(right)
    return type(left) is type(right) and left == right


def _only_absences(value):
    return isinstance(value, dict) and bool(value) and all(v is None or _only_absences(v) for v in value.values())


def check(doc, desired, path=()):
    """Asserts that ``doc`` satisfies the partial ``desired`` under the test's rules; returns True."""
    where = '/'.join(str(p) for p in path)
    if isinstance(desired, dict):
        assert isinstance(doc, dict), where
        if path in WHOLE_PATHS:
            assert set(doc) == set(k for k, v in desired.items() if v is not None), where
        for key, value in desired.items():
            if value is None:
                assert key not in doc, '%s/%s must be absent' % (where, key)
            elif key not in doc and _only_absences(value) and path + (key,) not in WHOLE_PATHS:
                continue  # "these keys are absent" holds when the whole mapping is absent
            else:
                assert key in doc, '%s/%s missing' % (where, key)
                check(doc[key], value, path + (key,))
    elif isinstance(desired, list):
        assert isinstance(doc, list), where
        if path in SET_PATHS:
            assert set(_json(v) for v in doc) == set(_json(v) for v in desired), where
        elif path in KEYED_PATHS:
            key = KEYED_PATHS[path]
            keys = [d.get(key) for d in desired]
            assert len(doc) == len(desired), where
            for want in desired:
                found = [e for e in doc if isinstance(e, dict) and _json(e.get(key)) == _json(want.get(key))]
                assert len(found) == 1, where
                check(found[0], want, path + ('*',))
            assert len(set(_json(k) for k in keys)) == len(keys)
        else:
            assert len(doc) == len(desired), where
            for item, want in zip(doc, desired):
                check(item, want, path + ('*',))
    else:
        assert same_scalar(doc, desired, path in DATE_PATHS), '%s: %r != %r' % (where, doc, desired)
    return True


def check_ops(ops):
    for op in ops:
        assert op['op'] in OPS
        assert POINTER_RE.match(op['path']), op['path']
        assert ('value' in op) == (op['op'] != 'remove')


def apply(doc, ops):
    return jsonpatch.apply_patch(doc, ops, in_place=False)


def _without_dates(value):
    return dict((k, v) for k, v in value.items() if k != 'WHEN') if isinstance(value, dict) else value


# Strategies -------------------------------------------------------------------------------------

KEYS = st.text(alphabet='a~/', max_size=2)
SCALARS = st.one_of(st.booleans(), st.integers(-2, 2), st.text(alphabet='x~/', max_size=2))
DATES = st.sampled_from(['2026-01-01T00:00:00Z', '2026-01-01T01:00:00+01:00', '2025-12-31T19:00:00.000-05:00',
                         '2026-06-01T00:00:00Z', 'soon', 1])


def values(with_none):
    """Free JSON values (lists ORDERED); ``with_none`` allows None as a dict value (key must be absent)."""
    def extend(children):
        members = st.one_of(children, st.none()) if with_none else children
        return st.lists(children, max_size=3) | st.dictionaries(KEYS, members, max_size=3)
    return st.recursive(SCALARS, extend, max_leaves=6)


SET_ELEMENTS = st.one_of(SCALARS, st.dictionaries(st.sampled_from('ab'), SCALARS, max_size=2))


def unique(elements, size=4):
    return st.lists(elements, max_size=size, unique_by=_json)


def rep(with_none):
    member = st.one_of(values(with_none), st.none()) if with_none else values(False)
    return st.fixed_dictionaries({'K': st.text(alphabet='pq', max_size=2)},
                                 optional={'LANGS': unique(st.sampled_from(['en', 'fr', 'de', 'it'])),
                                           'x': member, 'y~/': member})


def reps(with_none):
    return st.lists(rep(with_none), max_size=4, unique_by=lambda r: r['K'])


def documents(with_none):
    member = st.one_of(values(with_none), st.none()) if with_none else values(False)
    char_value = st.one_of(st.text(alphabet='vw', max_size=2), st.none()) if with_none else st.text(alphabet='vw', max_size=2)
    current_reps = reps(False) if not with_none else reps(True)
    if not with_none:
        # The server may hold odd elements too: a non-dict element of a keyed list is simply not matched.
        current_reps = st.lists(st.one_of(rep(False), SCALARS), max_size=4,
                                unique_by=lambda r: r['K'] if isinstance(r, dict) else _json(r))
    special = st.fixed_dictionaries({}, optional={
        'TAGS': unique(SET_ELEMENTS),
        'REPS': current_reps,
        'ORD': st.lists(values(with_none), max_size=3),
        'CHAR': st.dictionaries(st.sampled_from(['c', 'd', 'e~', 'f/']), char_value, max_size=3),
        'WHEN': DATES,
    })
    free = st.dictionaries(KEYS, member, max_size=4)
    return st.tuples(special, free).map(lambda pair: dict(pair[1], **pair[0]))


CURRENT = documents(False)
DESIRED = documents(True)

FAST = settings(max_examples=200, deadline=None)


# Properties -------------------------------------------------------------------------------------

@FAST
@given(CURRENT, DESIRED)
def test_patch_applies_and_conforms(current, desired):
    ops = make_patch(current, desired, RULES)
    check_ops(ops)
    result = apply(current, ops)
    check(result, desired)
    # Second, different check: the managed projection equals the canonical desired document.
    assert _without_dates(project(result, desired, RULES)) == _without_dates(canonical(desired, RULES))
    assert make_patch(result, desired, RULES) == []


@FAST
@given(CURRENT, DESIRED)
def test_patch_never_touches_unmanaged_keys(current, desired):
    result = apply(current, make_patch(current, desired, RULES))
    for key in set(current) - set(desired):
        assert _json(result[key]) == _json(current[key])


@FAST
@given(CURRENT, DESIRED, st.sampled_from([('_instance',), ('a/b', 'c~d'), ()]))
def test_prefix_is_prepended_escaped(current, desired, prefix):
    plain = make_patch(current, desired, RULES)
    prefixed = make_patch(current, desired, RULES, prefix=prefix)
    head = ''.join('/' + t.replace('~', '~0').replace('/', '~1') for t in prefix)
    assert prefixed == [dict(op, path=head + op['path']) for op in plain]


@FAST
@given(CURRENT)
def test_equal_document_gives_no_ops(current):
    if 'REPS' in current:
        # A desired keyed list holds dicts (the key field is what matches them).
        current['REPS'] = [r for r in current['REPS'] if isinstance(r, dict)]
    assert make_patch(current, copy.deepcopy(current), RULES) == []


@st.composite
def sub_documents(draw, value, path=()):
    """A partial desired document that ``value`` already satisfies (subset of keys, permuted sets, absent keys None)."""
    if isinstance(value, dict):
        keys = sorted(value)
        chosen = keys if path in WHOLE_PATHS else draw(st.lists(st.sampled_from(keys), unique=True)) if keys else []
        result = dict((k, draw(sub_documents(value[k], path + (k,)))) for k in chosen)
        for missing in draw(st.lists(KEYS, max_size=2)):
            if missing not in value:
                result[missing] = None
        return result
    if isinstance(value, list):
        if path in SET_PATHS:
            return draw(st.permutations(value))
        if path in KEYED_PATHS:
            elements = [draw(sub_documents(v, path + ('*',))) if isinstance(v, dict) else v for v in value]
            elements = [dict(e, K=v['K']) for e, v in zip(elements, value) if isinstance(v, dict)]
            return draw(st.permutations(elements))
        return [draw(sub_documents(v, path + ('*',))) for v in value]
    if path in DATE_PATHS and _instant(value) is not None:
        # Any spelling of the same instant.
        return draw(st.sampled_from([value, _instant(value).astimezone(datetime.timezone(datetime.timedelta(hours=2))).isoformat()]))
    return value


@FAST
@given(st.data())
def test_sub_document_gives_no_ops(data):
    current = data.draw(CURRENT)
    # Non-dict elements of the keyed list are dropped by any desired list, so keep only dicts there.
    if 'REPS' in current:
        current['REPS'] = [r for r in current['REPS'] if isinstance(r, dict)]
    desired = data.draw(sub_documents(current))
    assert make_patch(current, desired, RULES) == []


@FAST
@given(CURRENT, st.randoms(use_true_random=False))
def test_permuting_set_and_keyed_lists_gives_no_ops(current, rnd):
    desired = copy.deepcopy(current)
    assume(len(desired.get('TAGS', [])) > 1 or len(desired.get('REPS', [])) > 1)
    if 'REPS' in desired:
        desired['REPS'] = [r for r in desired['REPS'] if isinstance(r, dict)]
        current = dict(current, REPS=copy.deepcopy(desired['REPS']))
        for item in desired['REPS']:
            if 'LANGS' in item:
                rnd.shuffle(item['LANGS'])
        rnd.shuffle(desired['REPS'])
    if 'TAGS' in desired:
        rnd.shuffle(desired['TAGS'])
    assert make_patch(current, desired, RULES) == []


@FAST
@given(st.lists(st.text(max_size=3)))
def test_pointer_round_trips_with_jsonpointer(tokens):
    text = pointer(tokens)
    assert POINTER_RE.match(text)
    # Resolving the pointer in a nested document built from the same tokens finds the leaf.
    doc = leaf = {}
    for token in tokens[:-1]:
        leaf[token] = {}
        leaf = leaf[token]
    if tokens:
        leaf[tokens[-1]] = 'here'
        assert JsonPointer(text).resolve(doc) == 'here'
    else:
        assert text == ''


@FAST
@given(unique(SET_ELEMENTS, 6), unique(SET_ELEMENTS, 6))
def test_set_lists_by_membership(current, desired):
    ops = make_patch({'TAGS': current}, {'TAGS': desired}, RULES)
    result = apply({'TAGS': current}, ops)['TAGS']
    assert sorted(_json(v) for v in result) == sorted(_json(v) for v in desired)
    # Elements both sides share are never touched: only removals of unwanted ones and adds of new ones.
    shared = set(_json(v) for v in current) & set(_json(v) for v in desired)
    assert len([o for o in ops if o['op'] == 'add']) == len(desired) - len(shared)
    assert len([o for o in ops if o['op'] == 'remove']) == len(current) - len(shared)


# Examples ---------------------------------------------------------------------------------------

REP_WEB = {
    'xdm:channel': 'https://ns.adobe.com/xdm/channel-types/web',
    'xdm:placement': 'xcore:offer-placement:124e0be5699743d3',
    'xdm:components': [{
        '@type': 'https://ns.adobe.com/experience/offer-management/content-component-text',
        'dc:format': 'text/plain', 'dc:language': ['en'], 'xdm:content': 'Here is your first sale offer!'}],
}
REP_EMAIL = {
    'xdm:channel': 'https://ns.adobe.com/xdm/channel-types/email',
    'xdm:placement': 'xcore:offer-placement:1250ab2d3e9f2e42',
    'xdm:components': [{
        '@type': 'https://ns.adobe.com/experience/offer-management/content-component-html',
        'dc:format': 'text/html', 'dc:language': ['en', 'fr'], 'xdm:content': '<p>Sale</p>'}],
}


def offer(**fields):
    body = {'@id': 'xcore:personalized-offer:124e181c8b0d7878', 'xdm:name': 'Sale', 'xdm:status': 'approved',
            'xdm:representations': [copy.deepcopy(REP_WEB)], 'xdm:tags': ['xcore:tag:1', 'xcore:tag:2'],
            'xdm:characteristics': {'a': '1', 'b': '2'}, 'xdm:rank': {'xdm:priority': 1},
            'xdm:selectionConstraint': {'xdm:startDate': '2026-01-01T00:00:00Z'}}
    body.update(fields)
    return body


def test_seed_page_second_placement_is_one_add():
    current = offer()
    desired = {'xdm:representations': [copy.deepcopy(REP_WEB), copy.deepcopy(REP_EMAIL)]}
    ops = make_patch(current, desired, OFFER.rules, prefix=('_instance',))
    assert ops == [{'op': 'add', 'path': '/_instance/xdm:representations/-', 'value': REP_EMAIL}]
    # And the same without the envelope.
    assert make_patch(current, desired, OFFER.rules) == [{'op': 'add', 'path': '/xdm:representations/-', 'value': REP_EMAIL}]


def test_representations_matched_by_placement_not_position():
    current = offer(**{'xdm:representations': [copy.deepcopy(REP_WEB), copy.deepcopy(REP_EMAIL)]})
    desired = {'xdm:representations': [copy.deepcopy(REP_EMAIL), copy.deepcopy(REP_WEB)]}
    assert make_patch(current, desired, OFFER.rules) == []
    desired['xdm:representations'][0]['xdm:components'][0]['xdm:content'] = '<p>Big sale</p>'
    assert make_patch(current, desired, OFFER.rules) == [
        {'op': 'replace', 'path': '/xdm:representations/1/xdm:components/0/xdm:content', 'value': '<p>Big sale</p>'}]


def test_languages_are_a_set():
    wanted = copy.deepcopy(REP_EMAIL)
    wanted['xdm:components'][0]['dc:language'] = ['fr', 'en']
    current = offer(**{'xdm:representations': [copy.deepcopy(REP_EMAIL)]})
    assert make_patch(current, {'xdm:representations': [wanted]}, OFFER.rules) == []


def test_tags_are_a_set():
    current = offer()
    assert make_patch(current, {'xdm:tags': ['xcore:tag:2', 'xcore:tag:1', 'xcore:tag:2']}, OFFER.rules) == []
    ops = make_patch(current, {'xdm:tags': ['xcore:tag:3', 'xcore:tag:2']}, OFFER.rules)
    assert ops == [{'op': 'remove', 'path': '/xdm:tags/0'}, {'op': 'add', 'path': '/xdm:tags/-', 'value': 'xcore:tag:3'}]
    assert sorted(apply(current, ops)['xdm:tags']) == ['xcore:tag:2', 'xcore:tag:3']


def test_characteristics_whole_removes_extra_keys():
    current = offer(**{'xdm:characteristics': {'a': '1', 'b': '2', 'c/d': '3'}})
    ops = make_patch(current, {'xdm:characteristics': {'a': '1'}}, OFFER.rules)
    assert sorted(ops, key=lambda o: o['path']) == [{'op': 'remove', 'path': '/xdm:characteristics/b'},
                                                    {'op': 'remove', 'path': '/xdm:characteristics/c~1d'}]
    assert apply(current, ops)['xdm:characteristics'] == {'a': '1'}
    # Other dicts are partial: an extra key in the rank stays.
    current['xdm:rank']['extra'] = 5
    assert make_patch(current, {'xdm:rank': {'xdm:priority': 1}}, OFFER.rules) == []


@pytest.mark.parametrize('stored, asked, same', [
    ('2026-01-01T00:00:00Z', '2026-01-01T01:00:00+01:00', True),
    ('2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00Z', True),
    ('2025-12-31T19:00:00-05:00', '2026-01-01t00:00:00z', True),
    ('2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z', False),
    ('2026-01-01T00:00:00Z', '2026-01-01T00:00:00+01:00', False),
])
def test_dates_compare_as_instants(stored, asked, same):
    current = offer(**{'xdm:selectionConstraint': {'xdm:startDate': stored}})
    ops = make_patch(current, {'xdm:selectionConstraint': {'xdm:startDate': asked}}, OFFER.rules)
    expected = [] if same else [{'op': 'replace', 'path': '/xdm:selectionConstraint/xdm:startDate', 'value': asked}]
    assert ops == expected


def test_dates_only_at_date_paths():
    # The name is not a date field: two spellings of an instant are different names.
    current = offer(**{'xdm:name': '2026-01-01T00:00:00Z'})
    assert make_patch(current, {'xdm:name': '2026-01-01T01:00:00+01:00'}, OFFER.rules) == [
        {'op': 'replace', 'path': '/xdm:name', 'value': '2026-01-01T01:00:00+01:00'}]


@pytest.mark.parametrize('stored, asked', [(1, True), (True, 1), (0, False), (False, 0), ('1', 1), (1, '1'), (None, False)])
def test_bool_int_and_string_are_different(stored, asked):
    assert make_patch({'v': stored}, {'v': asked}) == [{'op': 'replace', 'path': '/v', 'value': asked}]
    assert not scalars_equal(stored, asked)


def test_int_and_float_compare_by_value():
    assert make_patch({'v': 1}, {'v': 1.0}) == []


def test_bool_in_set_is_not_int():
    ops = make_patch({'TAGS': [1, 0]}, {'TAGS': [True, False]}, RULES)
    assert sorted(_json(v) for v in apply({'TAGS': [1, 0]}, ops)['TAGS']) == ['false', 'true']


def test_removing_representations_shifts_indexes():
    reps_now = [dict(copy.deepcopy(REP_WEB), **{'xdm:placement': 'xcore:offer-placement:p%d' % i}) for i in range(5)]
    current = offer(**{'xdm:representations': reps_now})
    keep = [copy.deepcopy(reps_now[i]) for i in (4, 1, 3)]
    keep[2]['xdm:channel'] = 'https://ns.adobe.com/xdm/channel-types/email'  # p3, now at index 1 after removals
    ops = make_patch(current, {'xdm:representations': keep}, OFFER.rules)
    assert [o for o in ops if o['op'] == 'remove'] == [{'op': 'remove', 'path': '/xdm:representations/2'},
                                                       {'op': 'remove', 'path': '/xdm:representations/0'}]
    assert {'op': 'replace', 'path': '/xdm:representations/1/xdm:channel',
            'value': 'https://ns.adobe.com/xdm/channel-types/email'} in ops
    result = apply(current, ops)
    assert [r['xdm:placement'][-2:] for r in result['xdm:representations']] == ['p1', 'p3', 'p4']
    assert result['xdm:representations'][1]['xdm:channel'].endswith('/email')
    assert result['xdm:representations'][0]['xdm:channel'].endswith('/web')
    assert make_patch(result, {'xdm:representations': keep}, OFFER.rules) == []


def test_ordered_list_shrinks_from_the_end():
    current = {'l': [1, 2, 3, 4]}
    ops = make_patch(current, {'l': [1, 5]})
    assert ops == [{'op': 'replace', 'path': '/l/1', 'value': 5}, {'op': 'remove', 'path': '/l/3'},
                   {'op': 'remove', 'path': '/l/2'}]
    assert apply(current, ops) == {'l': [1, 5]}


def test_none_removes_and_is_never_sent():
    current = {'a': 1, 'b': {'c': 2, 'd': 3}}
    ops = make_patch(current, {'a': None, 'b': {'c': None}, 'e': {'f': 1, 'g': None}, 'h': None})
    assert sorted(ops, key=lambda o: o['path']) == [
        {'op': 'remove', 'path': '/a'}, {'op': 'remove', 'path': '/b/c'}, {'op': 'add', 'path': '/e', 'value': {'f': 1}}]


def test_escaped_keys():
    current = {'a/b': {'~c': 1}}
    ops = make_patch(current, {'a/b': {'~c': 2, '~/': 3}})
    assert ops == [{'op': 'replace', 'path': '/a~1b/~0c', 'value': 2}, {'op': 'add', 'path': '/a~1b/~0~1', 'value': 3}]
    assert apply(current, ops) == {'a/b': {'~c': 2, '~/': 3}}


def test_type_change_replaces_whole_value():
    assert make_patch({'a': [1]}, {'a': {'b': None, 'c': 1}}) == [{'op': 'replace', 'path': '/a', 'value': {'c': 1}}]
    assert make_patch({'a': {'b': 1}}, {'a': [1]}) == [{'op': 'replace', 'path': '/a', 'value': [1]}]
    assert make_patch({'a': 'x'}, {'a': 'y'}, prefix=('_instance',)) == [{'op': 'replace', 'path': '/_instance/a', 'value': 'y'}]


@pytest.mark.parametrize('text, instant', [
    ('2026-01-31T23:59:59Z', datetime.datetime(2026, 1, 31, 23, 59, 59, tzinfo=datetime.timezone.utc)),
    ('2026-01-31T23:59:59.5+02:30', datetime.datetime(2026, 1, 31, 21, 29, 59, 500000, tzinfo=datetime.timezone.utc)),
    ('2026-02-30T00:00:00Z', None),
    ('2026-01-31 23:59:59Z', None),
    ('2026-01-31T23:59:59', None),
    (20260131, None),
])
def test_parse_rfc3339(text, instant):
    assert parse_rfc3339(text) == instant


# Found by these tests (see the report): duplicates in a SET or keyed list that is added whole --------

@pytest.mark.parametrize('rules, desired', [
    (RULES, {'TAGS': ['a', 'a']}),
    (RULES, {'REPS': [{'K': 'p', 'x': 1}, {'K': 'p', 'x': 2}]}),
    (OFFER.rules, {'xdm:representations': [{'xdm:placement': 'xcore:offer-placement:p',
                                            'xdm:components': [{'dc:language': ['en', 'en']}]}]}),
])
def test_added_list_with_repeats_is_idempotent(rules, desired):
    """A SET/keyed list sent whole (it did not exist yet) must not need a second patch on the next run."""
    result = apply({}, make_patch({}, desired, rules))
    assert make_patch(result, desired, rules) == []


def test_absent_key_under_absent_parent_needs_no_op():
    """``None`` means "must be absent": a key under a parent that does not exist is absent already."""
    current = offer()
    assert make_patch(current, {'xdm:cappingConstraint': {'xdm:globalCap': None}}, OFFER.rules) == []

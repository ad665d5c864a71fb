# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The action plugin's shortcuts give what Ansible's own functions give: masking skipped only where remove_values
would change nothing, and the printed result jsonify's text."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest
from hypothesis import given, strategies as st

from ansible.module_utils.common.parameters import remove_values

from ansible_collections.aep.offers.plugins.action import offer_library as action

# Short alphabets, so that secrets often occur inside the values (and spell parts of True, None, inf).
TEXT = st.text(alphabet='aeTrFlsNoinf0123 "\\\u00e9\U0001f600*', max_size=8)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-300, 300), st.floats(allow_nan=True, allow_infinity=True), TEXT)
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(TEXT, inner, max_size=4)), max_leaves=12)
SECRETS = st.sets(TEXT, max_size=3)


@given(VALUES, SECRETS)
def test_a_value_said_to_hold_no_secret_is_the_same_after_remove_values(value, secrets):
    if not action._may_hold(value, secrets):
        assert json.dumps(remove_values(value, secrets)) == json.dumps(value)


@pytest.mark.parametrize('value, secret', [
    ({'results': [{'msg': 'token s3cret! expired'}]}, 's3cret!'),
    ({'etag': 12345}, '234'),                             # remove_values reads a number as its digits
    ({'msg': u'caf\u00e9 \U0001f600'}, u'\U0001f600'),     # escaped in JSON, found escaped
    ({'msg': 'say "hi"'}, '"hi"'),
])
def test_a_value_that_holds_a_secret_is_masked(value, secret):
    assert action._may_hold(value, {secret})
    assert remove_values(value, {secret}) != value


@pytest.mark.parametrize('value, secret', [({'results': [{'changed': False}]}, 'als'), ({'results': [None]}, 'one')])
def test_a_secret_in_the_name_of_a_constant_is_looked_for_the_slow_way(value, secret):
    """ansible-core 2.17 reads False as "False" and None as "None", and masks them; JSON spells them otherwise."""
    assert action._may_hold(value, {secret})


def test_a_value_that_is_not_json_is_left_to_remove_values():
    assert action._may_hold({'when': {1, 2}}, {'x'})
    assert action._may_hold({'raw': b'x'}, {'y'})


def test_no_secrets_no_masking():
    assert not action._may_hold({'results': [{'name': 'Offer'}]}, set())
    assert not action._may_hold({'results': [{'name': 'Offer'}]}, {'s3cret'})


@given(VALUES)
def test_the_printed_result_is_jsonifys(value):
    assert action._jsonified(value) == action.jsonify(value)


def test_bytes_are_printed_as_jsonify_prints_them():
    assert action._jsonified({'b': b'caf\xc3\xa9'}) == action.jsonify({'b': b'caf\xc3\xa9'}) == '{"b": "caf\\u00e9"}'


def _kinds(value):
    """The value's shape with each string's type: what wrap_var decides, beyond equality."""
    if isinstance(value, dict):
        return dict((type(key).__name__ + ':' + key, _kinds(item)) for key, item in value.items())
    if isinstance(value, list):
        return [_kinds(item) for item in value]
    return type(value).__name__


@pytest.mark.skipif(action.PROFILED, reason='ansible-core 2.19 and later mark trust with tags, not wrap_var')
@given(VALUES)
def test_the_shared_wrap_is_wrap_vars(value):
    from ansible.utils.unsafe_proxy import wrap_var
    value = json.loads(json.dumps(value))  # parsed JSON, as the result is
    wrapped = action._unsafe(value, {})
    assert wrapped == wrap_var(value)
    assert _kinds(wrapped) == _kinds(wrap_var(value))


@pytest.mark.skipif(action.PROFILED, reason='ansible-core 2.19 and later mark trust with tags, not wrap_var')
def test_equal_strings_share_one_unsafe_copy():
    import pickle
    results = json.loads(json.dumps({'results': [{'action': 'none', 'kind': 'offers', 'name': 'Offer %d' % index}
                                                 for index in range(100)]}))
    wrapped = action._unsafe(results, {})
    assert wrapped['results'][0]['action'] is wrapped['results'][99]['action']
    assert pickle.loads(pickle.dumps(wrapped)) == wrapped
    from ansible.utils.unsafe_proxy import wrap_var
    assert len(pickle.dumps(wrapped)) < len(pickle.dumps(wrap_var(results))) / 2


# Lone surrogates too: the one text a module can print that is not UTF-8.
ODD_TEXT = st.text(alphabet='ab "\\\u00e9\U0001f600\ud800\udfff', max_size=6)
ODD_VALUES = st.recursive(st.one_of(SCALARS, ODD_TEXT), lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(ODD_TEXT, inner, max_size=4)), max_leaves=12)


@pytest.mark.skipif(action.PROFILED, reason='ansible-core 2.19 and later have no _ansible_trusted_utf8')
@given(ODD_VALUES)
def test_a_result_said_to_be_utf8_passes_ansibles_check(value):
    from ansible.plugins.action import _validate_utf8_json
    result = {'changed': False, 'results': value}
    data = json.loads(action._as_the_module_prints(result))
    if data.pop('_ansible_trusted_utf8', False):
        _validate_utf8_json(data)  # raises UnicodeEncodeError on text UTF-8 cannot encode
    assert json.dumps(data) == action._jsonified(result)


@pytest.mark.skipif(action.PROFILED, reason='ansible-core 2.19 and later have no _ansible_trusted_utf8')
def test_only_a_result_that_may_hold_a_surrogate_is_left_to_ansibles_check():
    assert '_ansible_trusted_utf8' in json.loads(action._as_the_module_prints({'results': [{'name': u'Caf\u00e9', 'changed': False}]}))
    assert '_ansible_trusted_utf8' not in json.loads(action._as_the_module_prints({'msg': u'half a pair: \ud800'}))
    assert '_ansible_trusted_utf8' not in json.loads(action._as_the_module_prints({'msg': u'\U0001f600'}))  # a pair: checked too


def test_every_module_util_is_imported_after_those_it_imports():
    """action.MODULE_UTILS: each module after the siblings its top level imports, else the collection loader imports
    them first (compiling them on every run); every module_utils file is in it."""
    import ast
    from pathlib import Path
    package = 'ansible_collections.aep.offers.plugins.module_utils'
    directory = Path(action._client.__file__).parent
    names = sorted(path.stem for path in directory.glob('_*.py'))
    assert sorted(action.MODULE_UTILS) == names
    for position, name in enumerate(action.MODULE_UTILS):
        tree = ast.parse((directory / (name + '.py')).read_text())
        top = [node for statement in tree.body for node in ([statement] if not isinstance(statement, (ast.Try, ast.If))
                                                            else ast.walk(statement))]
        imported = set()
        for node in top:
            if isinstance(node, ast.ImportFrom) and node.module == package:
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and (node.module or '').startswith(package + '.'):
                imported.add(node.module[len(package) + 1:].split('.')[0])
        assert imported <= set(action.MODULE_UTILS[:position]), (name, sorted(imported - set(action.MODULE_UTILS[:position])))

# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""read_declaration: a declaration file (offer_library's src) read as written, or refused with a clear message."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import sys

import pytest

from ansible_collections.aep.offers.plugins.module_utils import _declaration as _bulk
from ansible_collections.aep.offers.plugins.module_utils._declaration import read_declaration
from ansible_collections.aep.offers.plugins.module_utils._errors import InputError


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_yaml_strings_arrive_as_written(tmp_path):
    path = write(tmp_path, 'library.yml', '\n'.join([
        'offers:',
        '  - name: Hi',
        '    start_date: 2026-06-01T00:00:00Z',
        '    representations:',
        '      - placement: Web banner',
        '        components:',
        '          - content: "Hi {{profile.person.name.firstName}}"',
        '          - content: !unsafe "{% if x %}y{% endif %}"',
        '          - content: !unsafe [a, "{{b}}"]',
        'placements: []',
    ]))
    data = read_declaration(path)
    assert data['placements'] == []
    offer = data['offers'][0]
    assert offer['start_date'] == '2026-06-01T00:00:00Z'  # a string, not a datetime
    contents = [c['content'] for c in offer['representations'][0]['components']]
    assert contents == ['Hi {{profile.person.name.firstName}}', '{% if x %}y{% endif %}', ['a', '{{b}}']]


def test_json_by_its_name(tmp_path):
    library = {'offers': [{'name': 'A', 'priority': 3}], 'collections': [{'name': 'C', 'offers': ['A']}]}
    assert read_declaration(write(tmp_path, 'library.json', json.dumps(library))) == library


@pytest.mark.parametrize('name, text, message', [
    ('missing.yml', None, 'src: cannot read {path}: No such file or directory'),
    ('bad.yml', 'offers: [a, b', 'src: {path} is not valid YAML'),
    ('bad.json', '{"offers": [}', 'src: {path} is not valid JSON'),
    ('list.yml', '- name: A', 'src: {path} must hold a mapping of lists (placements, collection_qualifiers, decision_rules,'
                              ' eligibility_rules, ranking_formulas, item_collections, decisioning_placements, offers,'
                              ' fallback_offers, decision_items, selection_strategies, collections, decisions), got list'),
    ('empty.yml', '', 'must hold a mapping of lists'),
    ('unknown.yml', 'offers: []\nofers: []\npersonalized_offers: []',
     'src: {path} has unknown key(s) ofers, personalized_offers; expected some of placements,'),
    ('scalar.yml', 'offers: Summer sale', 'src: {path}: offers must be a list, got str'),
    ('unsafe_tag_elsewhere.yml', 'offers: !vault |\n  abc', 'is not valid YAML'),
])
def test_bad_files_are_refused_naming_the_file(tmp_path, name, text, message):
    path = str(tmp_path / name) if text is None else write(tmp_path, name, text)
    with pytest.raises(InputError) as raised:
        read_declaration(path)
    assert message.format(path=path) in str(raised.value)
    assert raised.value.option == 'src'


# as_declared: the fast path of offer_library's item validation ----------------------------------

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator  # noqa: E402
from hypothesis import given, strategies as st  # noqa: E402

from ansible_collections.aep.offers.plugins.module_utils._declaration import as_declared, validated_items  # noqa: E402
from ansible_collections.aep.offers.plugins.module_utils._catalogue import KINDS  # noqa: E402


def item_spec(key):
    spec = KINDS[key].argument_spec()
    spec.update(name=dict(type='str', required=True), instance=dict(type='dict'))
    return spec


_ODD = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.text(max_size=3), st.just('5'), st.just('yes'),
                 st.lists(st.text(max_size=2), max_size=2), st.dictionaries(st.text(max_size=2), st.text(max_size=2), max_size=2))


def value_for(rules):
    """Mostly well-typed values for one option (sometimes anything), to explore both paths."""
    kind = rules.get('type', 'str')
    if 'choices' in rules:
        good = st.sampled_from(rules['choices'])
    elif kind == 'int':
        good = st.integers(-2, 5)
    elif kind == 'dict' and 'options' in rules:
        good = options_for(rules['options'])
    elif kind == 'dict':
        good = st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=2)
    elif kind == 'list' and rules.get('elements') == 'dict':
        good = st.lists(options_for(rules['options']), max_size=2)
    elif kind == 'list':
        good = st.lists(st.text(max_size=3), max_size=3)
    else:
        good = st.text(max_size=4)
    return st.integers(0, 9).flatmap(lambda n: _ODD if n == 0 else good)


def options_for(spec, required=()):
    return st.fixed_dictionaries(dict((option, value_for(spec[option])) for option in required),
                                 optional=dict((option, value_for(rules)) for option, rules in spec.items() if option not in required))


@given(st.sampled_from(sorted(KINDS)).flatmap(lambda key: st.tuples(st.just(key), options_for(item_spec(key), ['name']))))
def test_the_fast_path_agrees_with_ansible_whenever_it_answers(case):
    key, item = case
    spec = item_spec(key)
    fast = as_declared(spec, item)
    if fast is None:
        return
    checked = ArgumentSpecValidator(spec).validate(item)
    assert checked.error_messages == []
    assert fast == checked.validated_parameters


def test_the_fast_path_leaves_conversions_and_errors_to_ansible():
    spec = item_spec('offer')
    assert as_declared(spec, {'name': 'A', 'priority': '5'}) is None          # Ansible converts '5' to 5
    assert validated_items('offers', [{'name': 'A', 'priority': '5'}])[0]['priority'] == 5
    assert as_declared(spec, {'name': 'A', 'priority': True}) is None
    assert as_declared(spec, {'name': 'A', 'bogus': 1}) is None
    assert as_declared(spec, {'priority': 1}) is None                          # name is required
    with pytest.raises(InputError, match=r'offers\[1\]'):
        validated_items('offers', [{'name': 'A'}, {'name': 'B', 'status': 'nope'}])
    with pytest.raises(InputError, match=r'collections\[0\].*mutually exclusive'):
        validated_items('collections', [{'name': 'C', 'offers': ['a'], 'qualifiers': ['b']}])


def test_only_a_yaml_src_needs_pyyaml(monkeypatch):
    monkeypatch.setattr(_bulk, '_YAML', [])
    monkeypatch.setitem(sys.modules, 'yaml', None)  # as if PyYAML were not installed
    assert _bulk.yaml_import_error('library.json') is None
    assert isinstance(_bulk.yaml_import_error('library.yml'), ImportError)
    monkeypatch.undo()
    assert _bulk.yaml_import_error('library.yml') is None


def test_the_fast_path_fills_defaults_as_ansible_does():
    spec = item_spec('offer')
    item = {'name': 'A', 'frequency_capping': [{'limit': 1}]}
    fast = as_declared(spec, item)
    assert fast is not None and fast['frequency_capping'][0]['enabled'] is True
    assert fast == ArgumentSpecValidator(spec).validate(item).validated_parameters


# The export's files: what written_sections writes, read_declaration reads back as it was -------------------------

from ansible_collections.aep.offers.plugins.module_utils._declaration import write_sections, written_sections  # noqa: E402

_TEXT = st.lists(st.sampled_from(list('ab {}%#:"\'\\\n-é€') + ['{{', '{%', '{#', '}}']), max_size=6).map(''.join)
_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | _TEXT,
                       lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3), max_leaves=12)


@given(st.dictionaries(st.sampled_from(['placements', 'offers', 'decision_items']),
                       st.lists(st.dictionaries(st.sampled_from(['name', 'status', 'priority', 'attributes']), _VALUES,
                                                max_size=4), max_size=3), min_size=1))
def test_an_export_reads_back_as_it_was_written(library):
    import tempfile
    with tempfile.TemporaryDirectory() as directory:
        written = write_sections(directory, written_sections(library, 'dev'), check_mode=False)
        assert sorted(written) == sorted('%s/%s.yml' % (directory, section) for section in library)
        assert read_declaration(directory) == library
        assert write_sections(directory, written_sections(library, 'dev'), check_mode=False) == []  # the same text: no write


def test_strings_ansible_would_template_are_unsafe_for_include_vars(tmp_path):
    from ansible.parsing.yaml.loader import AnsibleLoader
    library = {'offers': [{'name': 'Hi {{profile.person.name.firstName}}', 'status': 'approved', 'priority': 1}]}
    text = written_sections(library, 'dev')['offers.yml']
    assert '"name": !unsafe "Hi {{profile.person.name.firstName}}"' in text and '"status": "approved"' in text
    assert text.index('"name"') < text.index('"priority"') < text.index('"status"')  # the name first, then sorted
    from ansible.parsing.dataloader import DataLoader
    from ansible.template import Templar
    loaded = AnsibleLoader(text).get_single_data()
    assert loaded == library
    assert Templar(loader=DataLoader(), variables={}).template(loaded) == library  # not templated: 'profile' is undefined


def test_only_files_that_differ_are_written_and_check_mode_writes_none(tmp_path):
    directory = tmp_path / 'export'
    files = written_sections({'placements': [{'name': 'Web'}], 'offers': []}, 'dev')
    would = [str(directory / 'offers.yml'), str(directory / 'placements.yml')]
    assert write_sections(str(directory), files, check_mode=True) == would
    assert not directory.exists()
    write_sections(str(directory), files, check_mode=False)
    (directory / 'README.md').write_text('mine')
    changed = written_sections({'placements': [{'name': 'Web'}], 'offers': [{'name': 'Sale'}]}, 'dev')
    assert write_sections(str(directory), changed, check_mode=False) == [str(directory / 'offers.yml')]
    assert sorted(p.name for p in directory.iterdir()) == ['README.md', 'offers.yml', 'placements.yml']
    assert oct(os.stat(str(directory / 'offers.yml')).st_mode & 0o777) == '0o644'


def test_a_directory_that_cannot_be_written_is_an_input_error(tmp_path):
    blocker = tmp_path / 'file'
    blocker.write_text('not a directory')
    with pytest.raises(InputError) as caught:
        write_sections(str(blocker / 'export'), written_sections({'offers': []}, 'dev'), check_mode=False)
    assert str(caught.value).startswith('dest: cannot write ')

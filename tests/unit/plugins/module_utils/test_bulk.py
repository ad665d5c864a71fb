# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""read_declaration: a declaration file (offer_library's src) read as written, or refused with a clear message."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest

from ansible_collections.aep.offers.plugins.module_utils._bulk import read_declaration
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
    ('list.yml', '- name: A', 'src: {path} must hold a mapping of lists (placements, collection_qualifiers, decision_rules, offers,'
                              ' fallback_offers, collections, decisions), got list'),
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

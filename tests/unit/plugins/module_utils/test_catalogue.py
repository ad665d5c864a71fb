# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The kind catalogue: what is derived from it, and that every place that must agree with it does."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ast
from pathlib import Path

import pytest
import yaml

from ansible_collections.aep.offers.plugins.module_utils import _catalogue as catalogue
from ansible_collections.aep.offers.plugins.module_utils._catalogue import KINDS, LEVELS, SECTIONS, Kind, levels
from ansible_collections.aep.offers.plugins.module_utils._errors import InputError
from ansible_collections.aep.offers.plugins.module_utils._dps import DpsApi
from ansible_collections.aep.offers.plugins.module_utils._tasks import TASKS
from ansible_collections.aep.offers.plugins.module_utils._xcore import KINDS as XCORE_KINDS

ROOT = Path(__file__).resolve().parents[4]


def test_levels_come_from_references():
    assert LEVELS == [['placement', 'collection_qualifier', 'decision_rule', 'eligibility_rule', 'ranking_formula',
                       'item_collection', 'decisioning_placement'],
                      ['offer', 'fallback_offer', 'decision_item', 'selection_strategy'],
                      ['offer_collection'], ['decision']]
    position = dict((key, index) for index, level in enumerate(LEVELS) for key in level)
    for kind in KINDS.values():
        for ref in kind.refs.values():
            assert position[ref] < position[kind.key], (kind.key, ref)


def test_a_new_kind_lands_after_what_it_refers_to():
    extra = Kind('widget', 'widget', {}, refs={'offer': 'offer', 'holder': 'decision'})
    assert levels(dict(KINDS, widget=extra))[-1] == ['widget']


def test_a_reference_cycle_is_refused():
    a = Kind('a', 'a', {}, refs={'b': 'b'})
    b = Kind('b', 'b', {}, refs={'a': 'a'})
    with pytest.raises(ValueError, match='cycle'):
        levels({'a': a, 'b': b})


def test_sections_follow_the_apply_order():
    assert SECTIONS == ['placements', 'collection_qualifiers', 'decision_rules', 'eligibility_rules', 'ranking_formulas',
                        'item_collections', 'decisioning_placements', 'offers', 'fallback_offers', 'decision_items',
                        'selection_strategies', 'collections', 'decisions']


def test_decisioning_kinds_live_only_in_dps_and_refer_only_to_each_other():
    decisioning = set(key for key, kind in KINDS.items() if kind.apis == ('dps',))
    assert decisioning == {'decision_item', 'item_collection', 'selection_strategy', 'ranking_formula', 'eligibility_rule',
                           'decisioning_placement'}
    for key in decisioning:
        assert set(KINDS[key].refs.values()) <= decisioning, key
        assert KINDS[key].api_for('xcore') == 'dps' and KINDS[key].api_for('dps') == 'dps'
    assert KINDS['placement'].api_for('xcore') == 'xcore'


def test_env_markers_become_fallbacks():
    spec = KINDS['decision_item'].argument_spec()
    assert spec['schema_id']['fallback'][1] == ['AEP_ITEM_SCHEMA_ID'] and 'env' not in spec['schema_id']
    assert spec['tenant']['fallback'][1] == ['AEP_TENANT']
    assert spec['catalog_id']['fallback'][1] == ['AEP_ITEM_CATALOG_ID']
    assert 'env' in KINDS['decision_item'].options['schema_id']  # the declaration itself is not changed


@pytest.mark.parametrize('key', sorted(KINDS))
def test_every_api_maps_every_option_and_reference(key):
    kind = KINDS[key]
    apis = {'xcore': XCORE_KINDS, 'dps': DpsApi.kinds}
    assert set(apis) >= set(kind.apis)
    for name, kinds in apis.items():
        if name not in kind.apis:
            assert key not in kinds, (name, key)
            continue
        mapping = kinds[key]
        mapped = set(f.option for f in mapping.fields) | set(getattr(mapping, 'extra_options', ()))
        assert mapped == set(kind.options) | {'name'}, name
        assert set(mapping.ref_paths) == set(kind.refs)


def test_a_mapping_must_map_every_reference():
    from ansible_collections.aep.offers.plugins.module_utils._mapping import Field, Mapping
    with pytest.raises(ValueError, match='fallback'):
        Mapping(catalogue.DECISION, [Field('name', ['n'])], ['n'], refs={})


@pytest.mark.parametrize('key', sorted(k for k, kind in KINDS.items() if kind.date_ranges))
def test_a_range_that_ends_before_it_starts_is_refused_naming_both(key):
    params = dict((option, None) for option in KINDS[key].options)
    params.update(name='X', start_date='2026-02-01T00:00:00Z', end_date='2026-01-31T23:59:59+00:00')
    mapping = (XCORE_KINDS if 'xcore' in KINDS[key].apis else DpsApi.kinds)[key]
    if 'schema_id' in KINDS[key].options:
        params['schema_id'] = 'https://ns.adobe.com/acme/schemas/offers'
    with pytest.raises(InputError) as info:
        mapping.desired(params)
    assert info.value.option == 'end_date'
    assert 'start_date' in str(info.value) and '2026-02-01T00:00:00Z' in str(info.value)
    # The same instant written in two zones is a valid (empty) range; one date alone is not checked against the server's.
    params.update(start_date='2026-02-01T01:00:00+01:00', end_date='2026-02-01T00:00:00Z')
    assert mapping.desired(params)
    params.update(start_date=None)
    assert mapping.desired(params)


# Places outside module_utils that must agree with the catalogue ---------------------------------

def test_every_module_is_its_documentation_and_one_call():
    modules = sorted(path.stem for path in (ROOT / 'plugins' / 'modules').glob('*.py'))
    assert modules == sorted(TASKS)
    for name in modules:
        tree = ast.parse((ROOT / 'plugins' / 'modules' / (name + '.py')).read_text())
        [main] = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
        [call] = main.body
        assert call.value.func.id == 'run_module' and ast.literal_eval(call.value.args[0]) == name


def test_each_kind_has_an_object_task_named_for_its_module():
    for kind in KINDS.values():
        spec = TASKS[kind.module].argument_spec()
        assert set(kind.options) < set(spec) and {'name', 'instance_id', 'state', 'api', 'sandbox'} < set(spec)


def test_the_action_group_holds_every_module():
    runtime = yaml.safe_load((ROOT / 'meta' / 'runtime.yml').read_text())
    group = runtime['action_groups']['offer_library']
    assert set(kind.module for kind in KINDS.values()) <= set(group)
    assert group == sorted(group)


def test_the_export_role_lists_every_kind_in_apply_order():
    exported = yaml.safe_load((ROOT / 'roles' / 'sandbox_export' / 'vars' / 'main.yml').read_text())
    kinds = exported['sandbox_export_kinds']
    assert [entry['kind'] for entry in kinds] == [key for level in LEVELS for key in level]
    assert [entry['file'] for entry in kinds] == [KINDS[entry['kind']].section + '.yml' for entry in kinds]
    # Decisioning kinds (the dps-only ones) are marked, and fill offer_catalog's list of the same name.
    for entry in kinds:
        decisioning = 'xcore' not in KINDS[entry['kind']].apis
        assert entry.get('decisioning', False) is decisioning, entry
        if decisioning:
            assert entry['var'] == 'offer_catalog_' + KINDS[entry['kind']].section
    sets = set(option.split('.')[-1] for kind in KINDS.values() for option in kind.sets)
    assert set(exported['sandbox_export_set_lists']) == sets


def _suboptions(spec):
    """``{option: (type, {suboption: ...})}`` of an argument spec, whether a module's (``options``) or a role's."""
    return dict((name, (option.get('type', 'str'), _suboptions(option.get('options') or {})))
                for name, option in spec.items())


def test_offer_catalog_takes_each_decisioning_kind_as_its_module_does():
    roles = yaml.safe_load((ROOT / 'roles' / 'offer_catalog' / 'meta' / 'argument_specs.yml').read_text())
    options = roles['argument_specs']['main']['options']
    decisioning = [kind for kind in KINDS.values() if 'xcore' not in kind.apis]
    assert len(decisioning) == 6
    for kind in decisioning:
        listed = options['offer_catalog_' + kind.section]
        assert (listed['type'], listed['elements'], listed['default']) == ('list', 'dict', [])
        assert _suboptions(listed['options']) == _suboptions(dict(kind.options, name=dict(type='str'))), kind.key
        assert listed['options']['name']['required'] is True

# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The kind catalogue: what is derived from it, and that every place that must agree with it does."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ast
import importlib
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
        assert mapped | set(mapping.unmapped) == set(kind.options) | {'name'}, name
        assert not mapped & set(mapping.unmapped)
        assert set(mapping.ref_paths) == set(kind.refs)
    # What one API has no field for, the other has: an option is never unmapped everywhere.
    assert not set.intersection(*[set(apis[name][key].unmapped) for name in kind.apis])


def test_what_only_dps_holds_is_declared_unmapped_in_xcore():
    assert {key: sorted(mapping.unmapped) for key, mapping in XCORE_KINDS.items() if mapping.unmapped} == {
        'offer': ['frequency_capping'],
        'placement': ['allow_duplicate_placements', 'item_count', 'return_content', 'return_metadata']}
    assert not any(mapping.unmapped for mapping in DpsApi.kinds.values())


def test_an_option_without_a_field_must_be_declared_unmapped():
    from ansible_collections.aep.offers.plugins.module_utils._mapping import Field, Mapping
    with pytest.raises(ValueError, match='placement: options without a field differ from those declared unmapped: channel'):
        Mapping(catalogue.PLACEMENT, [Field(option, [option]) for option in catalogue.PLACEMENT.options if option != 'channel'],
                ['name'])


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


def test_every_module_has_an_action_plugin_file_that_is_offer_librarys():
    """A file under each module's name (not meta/runtime.yml routing): ansible-playbook then loads the action plugin in
    its own process, so the worker forked for each task inherits its imports, and ansible-lint sees no redirect."""
    runtime = yaml.safe_load((ROOT / 'meta' / 'runtime.yml').read_text())
    assert 'plugin_routing' not in runtime
    actions = ROOT / 'plugins' / 'action'
    assert sorted(path.stem for path in actions.glob('*.py')) == sorted(TASKS) == sorted(runtime['action_groups']['offer_library'])
    base = importlib.import_module('ansible_collections.aep.offers.plugins.action.offer_library').ActionModule
    for name in set(TASKS) - {'offer_library'}:
        module = importlib.import_module('ansible_collections.aep.offers.plugins.action.' + name)
        assert issubclass(module.ActionModule, base) and module.ActionModule.run is base.run, name
        assert not [key for key in vars(module.ActionModule) if not key.startswith('_')], name


def test_a_new_kind_touches_no_role():
    """The roles hand a library to offer_library (and read one with offer_library_info): no role restates a kind,
    so a kind added to the catalogue needs no role change. Checked against the catalogue: no role option, variable or
    task names a kind's list or an object module."""
    sections = set(kind.section for kind in KINDS.values())
    modules = set(kind.module for kind in KINDS.values())
    for role in sorted((ROOT / 'roles').iterdir()):
        options = yaml.safe_load((role / 'meta' / 'argument_specs.yml').read_text())['argument_specs']['main']['options']
        defaults = yaml.safe_load((role / 'defaults' / 'main.yml').read_text()) or {}
        for name in list(options) + list(defaults):
            assert not any(name.endswith('_' + section) for section in sections), (role.name, name)
        tasks = yaml.safe_load((role / 'tasks' / 'main.yml').read_text())
        used = set(key.split('.')[-1] for task in _tasks_of(tasks) for key in task if key.startswith('aep.offers.'))
        assert not used & modules, (role.name, used & modules)
        assert used <= {'offer_library', 'offer_library_info', 'container_info'}, (role.name, used)


def _tasks_of(tasks):
    for task in tasks or []:
        yield task
        for key in ('block', 'rescue', 'always'):
            yield from _tasks_of(task.get(key))

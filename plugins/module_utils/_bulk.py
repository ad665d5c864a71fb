# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Converge a whole declared library in one task, Terraform-style: read each kind once, plan, apply in order.

FOR INTERNAL COLLECTION USE ONLY. Knows nothing about Ansible. Each object's write goes through the
single-object ``Engine`` (If-Match, 409 re-read and re-plan, lost-create look-up), so both paths behave alike.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import json
from concurrent.futures import ThreadPoolExecutor

try:
    import yaml
    HAS_YAML = True
    YAML_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - reported by the module through missing_required_lib
    HAS_YAML = False
    YAML_IMPORT_ERROR = exc

from ansible_collections.aep.offers.plugins.module_utils._client import ApiError
from ansible_collections.aep.offers.plugins.module_utils._engine import Engine, EngineError
from ansible_collections.aep.offers.plugins.module_utils._kinds import KINDS, InputError, split_references, substitute_references

# The declaration's lists, by kind key, and the order writes must follow (a level refers only to earlier ones).
SECTIONS = [
    ('placements', 'placement'), ('collection_qualifiers', 'tag'), ('decision_rules', 'eligibility_rule'),
    ('offers', 'offer'), ('fallback_offers', 'fallback_offer'), ('collections', 'offer_filter'), ('decisions', 'offer_activity'),
]
LEVELS = [['placement', 'tag', 'eligibility_rule'], ['offer', 'fallback_offer'], ['offer_filter'], ['offer_activity']]
SECTION_OF = dict((key, section) for section, key in SECTIONS)


if HAS_YAML:
    class _DeclarationLoader(getattr(yaml, 'CSafeLoader', yaml.SafeLoader)):
        """Safe YAML in which strings stay as written: dates are not converted, Ansible's !unsafe is a no-op."""

    def _as_written(loader, node):
        if isinstance(node, yaml.ScalarNode):
            return loader.construct_scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return loader.construct_sequence(node, deep=True)
        return loader.construct_mapping(node, deep=True)

    _DeclarationLoader.add_constructor('!unsafe', _as_written)
    _DeclarationLoader.add_constructor('tag:yaml.org,2002:timestamp', _as_written)


def read_declaration(path):
    """Reads a declaration file (YAML, or JSON when it ends in .json) into ``{list option: [items]}``.

    Ansible never templates it, which is why large libraries load faster this way and why Adobe's
    ``{{profile...}}`` syntax needs no ``!unsafe`` in it.
    """
    try:
        with open(path, 'rb') as handle:
            text = handle.read()
    except (IOError, OSError) as exc:
        raise InputError('src', 'cannot read %s: %s' % (path, exc.strerror or exc))
    as_json = path.endswith('.json')
    try:
        data = json.loads(text.decode('utf-8')) if as_json else yaml.load(text, Loader=_DeclarationLoader)
    except (ValueError, yaml.YAMLError) as exc:
        raise InputError('src', '%s is not valid %s: %s' % (path, 'JSON' if as_json else 'YAML', exc))
    if not isinstance(data, dict):
        raise InputError('src', '%s must hold a mapping of lists (%s), got %s' % (
            path, ', '.join(section for section, key in SECTIONS), type(data).__name__))
    unknown = sorted(str(key) for key in data if key not in SECTION_OF.values())
    if unknown:
        raise InputError('src', '%s has unknown key(s) %s; expected some of %s' % (
            path, ', '.join(unknown), ', '.join(section for section, key in SECTIONS)))
    for section, items in data.items():
        if not isinstance(items, list):
            raise InputError('src', '%s: %s must be a list, got %s' % (path, section, type(items).__name__))
    return data


def desired_items(declaration):
    """Validates every declared object (pure) and returns ``{kind key: [(label, name, desired body)]}``."""
    result = {}
    for section, key in SECTIONS:
        items = declaration.get(section)
        if items is None:
            continue
        seen = set()
        result[key] = []
        for index, params in enumerate(items):
            label = '%s[%d]' % (section, index)
            name = params.get('name')
            if name in seen:
                raise InputError(label + '.name', '%r is declared twice' % name)
            seen.add(name)
            try:
                body = KINDS[key].desired(params)
            except InputError as exc:
                raise InputError('%s.%s' % (label, exc.option) if exc.option else label, str(exc).split(': ', 1)[-1])
            try:
                split_references(KINDS[key], body)
            except InputError as exc:
                raise InputError('%s.%s' % (label, exc.option), str(exc).split(': ', 1)[-1])
            result[key].append((label, name, body))
    return result


class Library:
    def __init__(self, api, check_mode=False, parallel=4, conflict_retries=3, create_retries=3, continue_on_error=False, warn=None,
                 planned_names=()):
        self.api = api
        self.planned_names = set(planned_names)  # check mode: created by earlier tasks of the same run
        self.check_mode = check_mode
        self.parallel = max(1, parallel)
        self.continue_on_error = continue_on_error
        self.engines = dict((key, Engine(api, kind, check_mode=check_mode, conflict_retries=conflict_retries,
                                         create_retries=create_retries, warn=warn, read_back=False))
                            for key, kind in KINDS.items())
        self.records = {}   # kind key -> {name: [records]}, one paged list per kind
        self.known = {}     # (kind key, name) -> @id

    def _read(self, key):
        if key not in self.records:
            by_name = {}
            for record in self.api.list(KINDS[key]):
                by_name.setdefault(record.body.get('xdm:name'), []).append(record)
            self.records[key] = by_name
            for name, records in by_name.items():
                if len(records) == 1:
                    self.known[(key, name)] = records[0].at_id
        return self.records[key]

    def converge(self, declaration, prune=False):
        items = desired_items(declaration)
        for key, entries in items.items():
            self._read(key)
            for label, name, body in entries:
                for ref_key, ref_name in split_references(KINDS[key], body):
                    self._read(ref_key)
        declared = set((key, name) for key, entries in items.items() for label, name, body in entries)
        results, failed = [], False
        for level in LEVELS:
            work = []
            for key in level:
                for label, name, body in items.get(key, []):
                    work.append((key, label, name, body))
            level_results = self._run(work, declared)
            results.extend(level_results)
            failed = failed or any(r.get('failed') for r in level_results)
            if failed and not self.continue_on_error:
                break
        if prune and not (failed and not self.continue_on_error):
            results.extend(self._prune(items))
        return results

    def _run(self, work, declared):
        """Plans each object of one level, then applies the writes with bounded concurrency."""
        outcomes = self._call_all([self._plan(key, label, name, body, declared) for key, label, name, body in work])
        for outcome in outcomes:
            if outcome.get('action') == 'create' and outcome.get('id'):
                self.known[(outcome['key'], outcome['name'])] = outcome['id']
        return [dict((k, v) for k, v in o.items() if k != 'key') for o in outcomes]

    def _plan(self, key, label, name, body, declared):
        """Returns a function that converges one object and reports it (never raises)."""
        kind, engine = KINDS[key], self.engines[key]
        base = dict(kind=SECTION_OF[key], name=name, key=key)

        def failure(exc):
            text = str(exc)
            return dict(base, failed=True, changed=False, action='failed',
                        msg=text if text.startswith(label) else '%s (%s): %s' % (label, name, text))
        try:
            desired = self._resolve(kind, body, label, declared)
            matches = self.records[key].get(name, [])
            if len(matches) > 1:
                raise EngineError('%d %ss are named %r: %s' % (
                    len(matches), kind.title, name, ', '.join(r.instance_id for r in matches)))
        except (EngineError, InputError) as exc:
            return lambda error=exc: failure(error)
        record = matches[0] if matches else None

        def converge():
            try:
                result = engine.update(record, desired) if record else engine.create(desired)
            except (ApiError, EngineError) as exc:
                return failure(getattr(exc, 'message', None) or exc)
            summary = dict((k, result[k]) for k in ('changed', 'action', 'instance_id', 'id', 'etag', 'patch'))
            if result['changed']:
                summary['diff'] = dict(result['diff'], before_header='%s/%s' % (SECTION_OF[key], name),
                                       after_header='%s/%s' % (SECTION_OF[key], name))
            return dict(base, **summary)
        return converge

    def _resolve(self, kind, body, label, declared):
        """``body`` with its names replaced by @ids (a copy: the declaration itself stays as given)."""
        names = split_references(kind, body)
        if not names:
            return body
        resolved = {}
        for (ref_key, ref_name), option in names.items():
            if (ref_key, ref_name) in self.known:
                resolved[(ref_key, ref_name)] = self.known[(ref_key, ref_name)]
            elif self.check_mode and ((ref_key, ref_name) in declared or ref_name in self.planned_names):
                resolved[(ref_key, ref_name)] = '(known after apply: %s %s)' % (KINDS[ref_key].title, ref_name)
            elif (ref_key, ref_name) in declared:
                raise EngineError('%s.%s: the %s %r it refers to was not created' % (label, option, KINDS[ref_key].title, ref_name))
            elif len(self.records.get(ref_key, {}).get(ref_name, [])) > 1:
                raise EngineError('%s.%s: several %ss are named %r; use the @id' % (label, option, KINDS[ref_key].title, ref_name))
            else:
                raise EngineError('%s.%s: no %s is named %r in this sandbox or in the declaration' % (
                    label, option, KINDS[ref_key].title, ref_name))
        return substitute_references(kind, copy.deepcopy(body), resolved)

    def _prune(self, items):
        """Deletes objects of the declared kinds that the declaration does not name, references first."""
        results = []
        for level in reversed(LEVELS):
            tasks = []
            for key in level:
                if key not in items:
                    continue
                named = set(name for label, name, body in items[key])
                for name, records in sorted(self.records[key].items(), key=lambda item: str(item[0])):
                    if name not in named:
                        tasks.extend(self._delete_task(key, name, record) for record in records)
            results.extend(self._call_all(tasks))
        return results

    def _call_all(self, tasks):
        """Runs the tasks of one level, ``parallel`` at a time (check mode only reads: no need)."""
        if self.check_mode or self.parallel == 1 or len(tasks) < 2:
            return [task() for task in tasks]
        with ThreadPoolExecutor(max_workers=self.parallel) as pool:
            return list(pool.map(lambda task: task(), tasks))

    def _delete_task(self, key, name, record):
        def delete():
            base = dict(kind=SECTION_OF[key], name=name, instance_id=record.instance_id, id=record.at_id, patch=[])
            try:
                result = self.engines[key].delete(record)
            except (ApiError, EngineError) as exc:
                return dict(base, failed=True, changed=False, action='failed', msg=str(exc))
            return dict(base, changed=result['changed'], action='delete', etag=None)
        return delete

# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Converge a whole declared library in one task, Terraform-style: read each kind once, plan, apply in order.

FOR INTERNAL COLLECTION USE ONLY. Knows nothing about Ansible but its argument-spec validator. Each object's write goes through the
single-object ``Engine`` (If-Match, 409 re-read and re-plan, lost-create look-up), so both paths behave alike.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import json

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.aep.offers.plugins.module_utils._catalogue import BY_SECTION, KINDS, LEVELS, SECTIONS
from ansible_collections.aep.offers.plugins.module_utils._client import ApiError
from ansible_collections.aep.offers.plugins.module_utils._engine import Engine
from ansible_collections.aep.offers.plugins.module_utils._errors import EngineError, InputError
from ansible_collections.aep.offers.plugins.module_utils._resolve import Resolver, ambiguous, split_references, substitute_references


_YAML = []  # (yaml, the declaration loader), made for the first YAML file: a JSON src never imports PyYAML


def _yaml():
    if not _YAML:
        import yaml

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
        _YAML.extend((yaml, _DeclarationLoader))
    return _YAML


def yaml_import_error(path):
    """None when the declaration file ``path`` can be read (it is JSON, or PyYAML imports), else PyYAML's ImportError
    (the module reports it through missing_required_lib)."""
    if _is_json(path):
        return None
    try:
        _yaml()
    except ImportError as exc:
        return exc
    return None


def _is_json(path):
    return path.endswith('.json')


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
    as_json = _is_json(path)
    yaml, loader = (None, None) if as_json else _yaml()
    try:
        data = json.loads(text.decode('utf-8')) if as_json else yaml.load(text, Loader=loader)
    except (ValueError, yaml.YAMLError if yaml else ValueError) as exc:
        raise InputError('src', '%s is not valid %s: %s' % (path, 'JSON' if as_json else 'YAML', exc))
    if not isinstance(data, dict):
        raise InputError('src', '%s must hold a mapping of lists (%s), got %s' % (path, ', '.join(SECTIONS), type(data).__name__))
    unknown = sorted(str(key) for key in data if key not in BY_SECTION)
    if unknown:
        raise InputError('src', '%s has unknown key(s) %s; expected some of %s' % (path, ', '.join(unknown), ', '.join(SECTIONS)))
    for section, items in data.items():
        if not isinstance(items, list):
            raise InputError('src', '%s: %s must be a list, got %s' % (path, section, type(items).__name__))
    return data


def validated_items(section, items):
    """Each item is checked against its kind's argument spec, so errors name the list and the item."""
    kind = BY_SECTION[section]
    spec = kind.argument_spec()
    spec.update(name=dict(type='str', required=True), instance=dict(type='dict'))
    validator = ArgumentSpecValidator(spec, **kind.constraints())
    exclusive = kind.constraints()['mutually_exclusive']
    result = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise InputError('%s[%d]' % (section, index), 'must be a mapping of options, got %r' % (item,))
        exact = as_declared(spec, item)
        if exact is not None and not any(sum(item.get(o) is not None for o in group) > 1 for group in exclusive):
            result.append(exact)
            continue
        checked = validator.validate(item)
        if checked.error_messages:
            raise InputError('%s[%d]' % (section, index), '; '.join(checked.error_messages))
        result.append(checked.validated_parameters)
    return result


_EXACT_TYPES = {'str': (str,), 'int': (int,), 'dict': (dict,), 'list': (list,)}


def as_declared(spec, item):
    """``item`` with every option of ``spec`` present (None when not given) when every value already has exactly its
    declared type, choice and suboptions; else None, and Ansible's validator decides (converting, or refusing).

    Ansible's ArgumentSpecValidator costs about 0.4 ms an item, most of a large library's no-op run; items read
    from YAML or JSON nearly always have their types already, and then it would return them unchanged.
    """
    if not isinstance(item, dict) or any(key not in spec for key in item):
        return None
    result = {}
    for option, rules in spec.items():
        value = item.get(option)
        if value is None:
            if rules.get('required') or 'fallback' in rules or option in item:
                return None  # Ansible fills it from the environment, or refuses an explicit null for some options (choices)
            result[option] = None
            continue
        kind = rules.get('type', 'str')
        if kind not in _EXACT_TYPES or not isinstance(value, _EXACT_TYPES[kind]) or isinstance(value, bool):
            return None
        if 'choices' in rules and value not in rules['choices']:
            return None
        if kind == 'list':
            value = _exact_elements(rules, value)
            if value is None:
                return None
        elif kind == 'dict' and 'options' in rules:
            value = as_declared(rules['options'], value)
            if value is None:
                return None
        result[option] = value
    return result


def _exact_elements(rules, values):
    elements = rules.get('elements')
    if elements == 'str':
        return values if all(isinstance(v, str) for v in values) else None
    if elements == 'dict' and 'options' in rules:
        checked = [as_declared(rules['options'], v) for v in values]
        return None if any(c is None for c in checked) else checked
    return None


def desired_items(api, declaration):
    """Validates every declared object (pure) and returns ``{kind key: [(label, name, desired body)]}``."""
    result = {}
    for section in SECTIONS:
        items = declaration.get(section)
        if items is None:
            continue
        kind = api.kind(BY_SECTION[section].key)
        seen = set()
        result[kind.key] = []
        for index, params in enumerate(items):
            label = '%s[%d]' % (section, index)
            name = params.get('name')
            if name in seen:
                raise InputError(label + '.name', '%r is declared twice' % name)
            seen.add(name)
            try:
                body = kind.desired(params)
                split_references(api, kind, body)
            except InputError as exc:
                raise InputError('%s.%s' % (label, exc.option) if exc.option else label, str(exc).split(': ', 1)[-1])
            result[kind.key].append((label, name, body))
    return result


class Library:
    def __init__(self, api, check_mode=False, parallel=4, conflict_retries=3, create_retries=3, continue_on_error=False, warn=None,
                 planned_names=()):
        self.api = api
        self.planned_names = set(planned_names)  # check mode: created by earlier tasks of the same run
        self.check_mode = check_mode
        self.parallel = max(1, parallel)
        self.continue_on_error = continue_on_error
        self.resolver = Resolver(api)
        self._names = {}  # id(declared body) -> the names it refers to
        self.engines = dict((key, Engine(api, key, check_mode=check_mode, conflict_retries=conflict_retries,
                                         create_retries=create_retries, warn=warn, read_back=False, resolver=self.resolver))
                            for key in KINDS if key in api.kinds)

    def converge(self, declaration, prune=False):
        items = desired_items(self.api, declaration)
        for key, entries in items.items():
            self.resolver.index(key)
            for label, name, body in entries:
                for ref_key, ref_name in self._references(self.api.kind(key), body):
                    self.resolver.index(ref_key)
        declared = set((key, name) for key, entries in items.items() for label, name, body in entries)
        unplannable = self._unplannable(items, declared)
        if unplannable and not self.continue_on_error:
            raise EngineError('%d of %d objects cannot be planned, so nothing was written: %s' % (
                len(unplannable), len(declared), '; '.join(unplannable.values())), problems=list(unplannable.values()))
        results, failed = [], False
        for level in LEVELS:
            work, level_results = [], []
            for key in level:
                for label, name, body in items.get(key, []):
                    if (key, name) in unplannable:
                        level_results.append(self._failure(key, name, 'skipped: ' + unplannable[(key, name)]))
                    else:
                        work.append((key, label, name, body))
            level_results.extend(self._run(work, declared))
            results.extend(level_results)
            failed = failed or any(r.get('failed') for r in level_results)
            if failed and not self.continue_on_error:
                break
        if prune and not (failed and not self.continue_on_error):
            results.extend(self._prune(items))
        return results

    def _unplannable(self, items, declared):
        """Every object that cannot be planned, with why: found before the first write (``{(key, name): message}``)."""
        problems = {}
        for level in LEVELS:
            for key in level:
                for label, name, body in items.get(key, []):
                    try:
                        self._own_record(key, name)
                        self._resolve(self.api.kind(key), body, label, declared, planning=True)
                    except EngineError as exc:
                        problems[(key, name)] = self._message(label, name, exc)
        return problems

    def _own_record(self, key, name):
        matches = self.resolver.index(key).get(name, [])
        if len(matches) > 1:
            raise ambiguous(self.api.kind(key), name, matches, 'give them distinct names first', by_instance_id=True)
        return matches[0] if matches else None

    def _run(self, work, declared):
        """Plans each object of one level, then applies the writes with bounded concurrency.

        An object that needs no write is reported at once: a thread per no-op would cost more than the object.
        """
        plans = [self._plan(key, label, name, body, declared) for key, label, name, body in work]
        outcomes = [None if writes else report() for writes, report in plans]
        written = iter(self._call_all([report for writes, report in plans if writes]))
        outcomes = [outcome if outcome is not None else next(written) for outcome in outcomes]
        for outcome in outcomes:
            if outcome.get('action') == 'create' and outcome.get('id'):
                self.resolver.learn(outcome['key'], outcome['name'], outcome['id'])
        return [dict((k, v) for k, v in o.items() if k != 'key') for o in outcomes]

    @staticmethod
    def _message(label, name, exc):
        text = getattr(exc, 'message', None) or str(exc)
        return text if text.startswith(label) else '%s (%s): %s' % (label, name, text)

    def _failure(self, key, name, message):
        return dict(kind=KINDS[key].section, name=name, key=key, failed=True, changed=False, action='failed', msg=message)

    def _plan(self, key, label, name, body, declared):
        """Returns (whether it writes, a function that converges one object and reports it, never raising)."""
        kind, engine = self.api.kind(key), self.engines[key]
        try:
            desired = self._resolve(kind, body, label, declared)
            record = self._own_record(key, name)
        except (EngineError, InputError) as exc:
            return False, lambda error=exc: self._failure(key, name, self._message(label, name, error))

        def summary(result):
            found = dict((k, result[k]) for k in ('changed', 'action', 'instance_id', 'id', 'etag', 'patch'))
            if result['changed']:
                header = '%s/%s' % (kind.kind.section, name)
                found['diff'] = dict(result['diff'], before_header=header, after_header=header)
            return dict(kind=kind.kind.section, name=name, key=key, **found)

        def converge():
            try:
                return summary(engine.update(record, desired) if record else engine.create(desired))
            except (ApiError, EngineError) as exc:
                return self._failure(key, name, self._message(label, name, exc))
        if record is not None and not kind.plan(record.body, desired):
            return False, lambda: summary(engine.report('none', False, record))
        return True, converge

    def _references(self, kind, body):
        """The names ``body`` refers to, found once per declared object (planning and applying both ask)."""
        if id(body) not in self._names:
            self._names[id(body)] = split_references(self.api, kind, body)
        return self._names[id(body)]

    def _resolve(self, kind, body, label, declared, planning=False):
        """``body`` with its names replaced by ids (a copy: the declaration itself stays as given).

        While ``planning``, a name the declaration creates is fine; when applying, it must have been created.
        """
        names = self._references(kind, body)
        if not names:
            return body
        resolved = {}
        for (ref_key, ref_name), option in names.items():
            ref_kind = self.api.kind(ref_key)
            if (ref_key, ref_name) in self.resolver.ids:
                resolved[(ref_key, ref_name)] = self.resolver.ids[(ref_key, ref_name)]
            elif (self.check_mode or planning) and ((ref_key, ref_name) in declared or ref_name in self.planned_names):
                resolved[(ref_key, ref_name)] = '(known after apply: %s %s)' % (ref_kind.title, ref_name)
            elif (ref_key, ref_name) in declared:
                raise EngineError('%s.%s: the %s %r it refers to was not created' % (label, option, ref_kind.title, ref_name))
            elif len(self.resolver.index(ref_key).get(ref_name, [])) > 1:
                raise EngineError('%s.%s: several %ss are named %r; use the %s' % (
                    label, option, ref_kind.title, ref_name, self.api.id_name))
            else:
                raise EngineError('%s.%s: no %s is named %r in this sandbox or in the declaration' % (
                    label, option, ref_kind.title, ref_name))
        return substitute_references(kind, copy.deepcopy(body), resolved)

    def _prune(self, items):
        """Deletes objects of the declared kinds that the declaration does not name, references first."""
        results = []
        for level in reversed(LEVELS):
            tasks = []
            for key in level:
                if key not in items or not getattr(self.api.kind(key), 'deletable', True):
                    continue  # undeclared kinds are left alone, and so are kinds the API cannot delete
                named = set(name for label, name, body in items[key])
                for name, records in sorted(self.resolver.index(key).items(), key=lambda item: str(item[0])):
                    if name not in named:
                        tasks.extend(self._delete_task(key, name, record) for record in records)
            results.extend(self._call_all(tasks))
        return results

    def _call_all(self, tasks):
        """Runs the tasks of one level, ``parallel`` at a time (check mode only reads: no need)."""
        if self.check_mode or self.parallel == 1 or len(tasks) < 2:
            return [task() for task in tasks]
        from concurrent.futures import ThreadPoolExecutor  # here: a run without writes never needs it
        with ThreadPoolExecutor(max_workers=self.parallel) as pool:
            return list(pool.map(lambda task: task(), tasks))

    def _delete_task(self, key, name, record):
        def delete():
            base = dict(kind=KINDS[key].section, name=name, instance_id=record.instance_id, id=record.at_id, patch=[])
            try:
                result = self.engines[key].delete(record)
            except (ApiError, EngineError) as exc:
                return dict(base, failed=True, changed=False, action='failed', msg=str(exc))
            return dict(base, changed=result['changed'], action='delete', etag=None)
        return delete

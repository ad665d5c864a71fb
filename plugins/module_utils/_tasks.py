# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Every module's task, once: its argument spec, its constraints and what it does with a module object.

FOR INTERNAL COLLECTION USE ONLY.

A module process runs a task with ``run_module(name)`` (``AepModule``: Ansible's own checks); the controller's
action plugin runs the same ``Task.run`` with a module object of its own. Either way the task sees ``params``,
``check_mode``, ``_diff``, ``warn``, ``fail_json``, ``exit_json`` and the connection's methods (``_module.Connection``).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import os

from ansible.module_utils.basic import env_fallback, missing_required_lib

from ansible_collections.aep.offers.plugins.module_utils._catalogue import BY_SECTION, KINDS, ORDER, SECTIONS
from ansible_collections.aep.offers.plugins.module_utils._errors import InputError
from ansible_collections.aep.offers.plugins.module_utils._module import AepModule, api_choice, connection_argument_spec


class Task:
    """One module's task. ``options`` returns its own options (the connection's are added); ``run(module)`` does it."""

    def __init__(self, name, options, run, mutually_exclusive=(), required_one_of=(), required_if=()):
        self.name = name
        self._options = options
        self.run = run
        self._constraints = dict(mutually_exclusive=list(mutually_exclusive), required_one_of=list(required_one_of),
                                 required_if=list(required_if))

    def argument_spec(self):
        """A fresh copy of the whole argument spec (Ansible may change the dicts it is given)."""
        spec = connection_argument_spec()
        spec.update(copy.deepcopy(self._options()))
        return spec

    def constraints(self):
        constraints = copy.deepcopy(self._constraints)
        constraints['required_one_of'].append(('client_secret', 'access_token'))
        return constraints


def run_module(name):
    """The module process: Ansible checks the arguments, then the task runs."""
    task = TASKS[name]
    task.run(AepModule(task.argument_spec(), **task.constraints()))


# Object modules: one per catalogue kind ----------------------------------------------------------

def object_options(kind):
    """Identity and state options shared by the object modules, plus the kind's own options."""
    spec = dict(
        instance_id=dict(type='str'),
        name=dict(type='str'),
        state=dict(type='str', default='present', choices=['present', 'absent']),
        instance=dict(type='dict'),
        conflict_retries=dict(type='int', default=3),
        confirm=dict(type='str'),
    )
    spec.update(kind.argument_spec())
    return spec


def _run_object(key, module):
    """An object module's task: one object, converged as a library of one."""
    from ansible_collections.aep.offers.plugins.module_utils._library import Library, items_of
    kind, p = KINDS[key], module.params
    try:
        if p['conflict_retries'] < 0:
            raise InputError('conflict_retries', 'must be 0 or more, got %d' % p['conflict_retries'])
        api = module.api(prepare=False, **api_choice(kind.api_for(p['api']), [p.get('schema_id')]))
        api.check_instance_id(p['instance_id'])
        if p['state'] == 'absent' and not api.kind(key).deletable:
            raise InputError('state', 'the API cannot delete a %s (it has no delete for them); set its status instead' % kind.title)
        module.check_deletes(p['state'] == 'absent')
        items = items_of(api, key, [p], p['state'])
        api.prepare(p['sandbox'])
        library = Library(api, check_mode=module.check_mode, parallel=1, conflict_retries=p['conflict_retries'],
                          create_retries=p['retries'], warn=module.warn, one_by_one=True, read_back=True)
        [outcome] = library.converge(items, p['state'])
        if outcome.failed:
            raise outcome.error
    except Exception as exc:  # pylint: disable=broad-except
        module.fail_from(exc)
    result = outcome.result
    diff = result.pop('diff')
    if module._diff:
        result['diff'] = diff
    result['retries'] = module.retry_count
    module.exit_json(**result)


def _object_task(kind):
    return Task(kind.module, lambda: object_options(kind), lambda module: _run_object(kind.key, module),
                mutually_exclusive=[('instance_id', 'name')] + kind.constraints()['mutually_exclusive'],
                required_one_of=[('instance_id', 'name')])


# offer_library ----------------------------------------------------------------------------------

LIBRARY_ACTIONS = ('create', 'update', 'delete', 'none', 'keep', 'failed')


def _library_options():
    spec = dict((section, dict(type='list', elements='dict')) for section in SECTIONS)
    spec.update(
        state=dict(type='str', default='present', choices=['present', 'absent']),
        confirm=dict(type='str'),
        prune=dict(type='bool', default=False),
        parallel=dict(type='int', default=4),
        continue_on_error=dict(type='bool', default=False),
        conflict_retries=dict(type='int', default=3),
        planned_names=dict(type='list', elements='str', default=[]),
        src=dict(type='path'),
        library=dict(type='dict'),
    )
    return spec


def by_api(declaration, requested):
    """The declaration split by the API that holds each list: Decisioning lists go to dps whatever ``api`` says.

    The kinds of one API never refer to the other's, so each part converges on its own; the requested API's first.
    """
    parts = {}
    for section in SECTIONS:
        if section in declaration:
            parts.setdefault(BY_SECTION[section].api_for(requested), {})[section] = declaration[section]
    return sorted(parts.items(), key=lambda part: part[0] != requested) or [(requested, {})]


def _item_schemas(part):
    """The x-schema-id values the declared decision items use, in order; AEP_ITEM_SCHEMA_ID's when they name none
    (an empty list pruned still needs one to list the items)."""
    found = []
    for section, items in part.items():
        if 'schema_id' in BY_SECTION[section].options:
            for item in items:
                if item.get('schema_id') and item['schema_id'] not in found:
                    found.append(item['schema_id'])
    return found or [os.environ.get('AEP_ITEM_SCHEMA_ID')]


def _run_library(module):
    from ansible_collections.aep.offers.plugins.module_utils import _declaration
    from ansible_collections.aep.offers.plugins.module_utils._library import Library, items_of
    p = module.params
    yaml_error = _declaration.yaml_import_error(p['src']) if p['src'] else None
    if yaml_error is not None:
        module.fail_json(msg=missing_required_lib('PyYAML'), exception=str(yaml_error))
    try:
        for option in ('parallel', 'conflict_retries'):
            if p[option] < (1 if option == 'parallel' else 0):
                raise InputError(option, 'must be %s, got %d' % ('at least 1' if option == 'parallel' else '0 or more', p[option]))
        if p['prune'] and p['state'] == 'absent':
            raise InputError('prune', 'deletes what the declaration does not name; with state: absent everything it names is '
                                      'deleted: use one or the other')
        module.check_deletes(p['prune'] or p['state'] == 'absent')
        declared = dict((section, p[section]) for section in SECTIONS if p[section] is not None)
        given = [('library', _declaration.checked_declaration(p['library'], 'library'))] if p['library'] else []
        if p['src']:
            given.append(('src %s' % p['src'], _declaration.read_declaration(p['src'])))
        origin = dict((section, 'the task') for section in declared)
        for where, lists in given:
            for section, items in lists.items():
                if section in declared:
                    raise InputError(section, 'is given both in %s and in %s; give it in one place' % (origin[section], where))
                declared[section], origin[section] = items, where
        declaration = dict((section, _declaration.validated_items(section, declared[section]))
                           for section in SECTIONS if section in declared)
        # Every item is checked before the first request (xcore's container discovery included).
        parts = []
        for api_name, part in by_api(declaration, p['api']):
            api = module.api(prepare=False, **api_choice(api_name, _item_schemas(part)))
            items = []
            for section, entries in part.items():
                items.extend(items_of(api, BY_SECTION[section].key, entries, p['state'],
                                      label_of=lambda index, section=section: '%s[%d]' % (section, index)))
            parts.append((api, [BY_SECTION[section].key for section in part], items))
        outcomes = []
        for api, keys, items in parts:
            api.prepare(p['sandbox'])
            library = Library(api, check_mode=module.check_mode, parallel=p['parallel'],
                              conflict_retries=p['conflict_retries'], create_retries=p['retries'],
                              continue_on_error=p['continue_on_error'], warn=module.warn, planned_names=p['planned_names'])
            outcomes.extend(library.converge(items, p['state'], prune_keys=keys if p['prune'] else ()))
            if any(outcome.failed for outcome in outcomes) and not p['continue_on_error']:
                break
    except Exception as exc:  # pylint: disable=broad-except
        module.fail_from(exc)
    results = [_summary(outcome) for outcome in outcomes]
    diffs = [r.pop('diff') for r in results if 'diff' in r]
    summary = dict((action, sum(1 for r in results if r['action'] == action)) for action in LIBRARY_ACTIONS)
    plan = dict(create=summary['create'], update=summary['update'], delete=summary['delete'],
                unchanged=summary['none'] + summary['keep'])
    apis = [api.name for api, keys, items in parts]
    outcome = dict(changed=any(r['changed'] for r in results), summary=summary, results=results, retries=module.retry_count,
                   plan=plan, sandbox=p['sandbox'], api=p['api'],
                   plan_text='Plan: %d to create, %d to update, %d to delete in sandbox %s through %s' % (
                       plan['create'], plan['update'], plan['delete'], p['sandbox'], ' and '.join(apis)))
    if module._diff:
        outcome['diff'] = diffs
    failures = [r['msg'] for r in results if r.get('failed')]
    if failures:
        module.fail_json(msg='%d of %d objects failed: %s' % (len(failures), len(results), '; '.join(failures)), **outcome)
    module.exit_json(**outcome)


def _summary(outcome):
    """One object of offer_library's ``results``."""
    from ansible_collections.aep.offers.plugins.module_utils._library import message
    step = outcome.step
    base = dict(kind=KINDS[step.key].section, name=step.name)
    if outcome.failed:  # a step that could not be planned was skipped (continue_on_error); others failed applying
        return dict(base, failed=True, changed=False, action='failed',
                    msg=('skipped: ' if step.action == 'failed' else '') + message(step, outcome.error))
    result = outcome.result
    found = dict((k, result[k]) for k in ('changed', 'action', 'instance_id', 'id', 'etag', 'patch'))
    if step.action == 'delete':
        found['patch'] = []
    elif step.action == 'keep':
        found['msg'] = result['msg']
    elif result['changed']:
        header = '%s/%s' % (base['kind'], step.name)
        found['diff'] = dict(result['diff'], before_header=header, after_header=header)
    return dict(base, **found)


# offer_library_info -----------------------------------------------------------------------------

def _info_options():
    return dict(
        kind=dict(type='str', required=True, choices=sorted(KINDS) + ['library']),
        decisioning=dict(type='bool', default=False),
        name=dict(type='str'),
        id=dict(type='str'),
        filters=dict(type='list', elements='str'),
        order_by=dict(type='str'),
        limit=dict(type='int'),
        resolve_names=dict(type='bool', default=False),
        schema_id=dict(type='str', fallback=(env_fallback, ['AEP_ITEM_SCHEMA_ID'])),
        dest=dict(type='path'),
    )


def _run_info(module):
    from ansible_collections.aep.offers.plugins.module_utils._client import ApiError
    from ansible_collections.aep.offers.plugins.module_utils._resolve import Reader, name_references
    p = module.params
    if p['limit'] is not None and p['limit'] < 1:
        module.fail_json(msg='limit: must be at least 1, got %d' % p['limit'])
    if p['kind'] == 'library':
        _export_library(module)
    if p['dest'] is not None:
        module.fail_json(msg='dest: only with kind: library, which writes the whole library there')
    try:
        api = module.api(**api_choice(KINDS[p['kind']].api_for(p['api']), [p['schema_id']]))
        kind = api.kind(p['kind'])
        records = list(api.list(kind, name=p['name'], at_id=p['id'], properties=p['filters'] or (), order_by=p['order_by'],
                                limit=None if p['name'] is not None else p['limit']))
        if p['name'] is not None:  # the API's name filter may match loosely, or not at all (dps, a name with a comma)
            records = [record for record in records if kind.name_of(record.body) == p['name']][:p['limit']]
        names = {}
        if p['resolve_names'] and records:
            reader = Reader(api)
            names = reader.names(reader.referenced_kinds(kind, [record.body for record in records]))
    except ApiError as exc:
        if exc.status == 400 and p['filters']:
            module.fail_from(ApiError(exc.method, exc.path, exc.status, title='filters: the API refused a filter',
                                      detail=exc.detail, request_id=exc.request_id))
        module.fail_from(exc)
    except Exception as exc:  # pylint: disable=broad-except
        module.fail_from(exc)
    objects = []
    for record in records:
        body = name_references(kind, copy.deepcopy(record.body), names) if names else record.body
        objects.append(dict(instance_id=record.instance_id, id=record.at_id, etag=record.etag, options=kind.to_options(body)))
    module.exit_json(changed=False, objects=objects, count=len(objects), retries=module.retry_count)


def _export_library(module):
    """``offer_library_info`` with ``kind: library``: every kind, as ``offer_library`` takes it (and ``sandbox_export``
    writes it): ``{list: [options]}``, references by name, objects sorted by name, unordered lists sorted; with ``dest``,
    written there as ``offer_library``'s ``src`` reads it."""
    from ansible_collections.aep.offers.plugins.module_utils import _declaration
    from ansible_collections.aep.offers.plugins.module_utils._resolve import Reader, name_references
    p = module.params
    keys = [key for key in ORDER if p['decisioning'] or 'xcore' in KINDS[key].apis]  # xcore-less kinds: Decisioning
    for option in ('name', 'id', 'filters', 'order_by', 'limit'):
        if p[option] is not None:
            module.fail_json(msg='%s: not with kind: library, which exports every object' % option)
    if 'decision_item' in keys and not p['schema_id']:
        module.fail_json(msg='schema_id: is required to export decision items (decisioning: true): the x-schema-id of '
                             'every /offer-items call; set it or AEP_ITEM_SCHEMA_ID')
    library, readers = {}, {}
    try:
        for key in keys:
            api_name = KINDS[key].api_for(p['api'])
            if api_name not in readers:
                readers[api_name] = Reader(module.api(**api_choice(api_name, [p['schema_id']])))
            reader = readers[api_name]
            kind = reader.api.kind(key)
            records = [record for name, found in sorted(reader.kind_whole(key).items(), key=lambda item: str(item[0]))
                       for record in found]
            names = reader.names(reader.referenced_kinds(kind, [record.body for record in records])) if records else {}
            library[KINDS[key].section] = [
                KINDS[key].sorted_sets(kind.to_options(name_references(kind, copy.deepcopy(record.body), names)))
                for record in records]
        # the only write of this module: files where it runs, never the sandbox
        files = _declaration.write_sections(p['dest'], _declaration.written_sections(library, p['sandbox']),
                                            module.check_mode) if p['dest'] else []
    except Exception as exc:  # pylint: disable=broad-except
        module.fail_from(exc)
    module.exit_json(changed=bool(files), files=files, library=library, count=sum(len(items) for items in library.values()),
                     sandbox=p['sandbox'], api=' and '.join(sorted(readers)), retries=module.retry_count)


# container_info and ims_token --------------------------------------------------------------------

def _run_containers(module):
    try:
        found = module.api(prepare=False).discover_containers()
        if found is None:
            module.exit_json(changed=False, containers=[], api=module.params['api'], retries=module.retry_count,
                             msg='the %s API has no containers: there is nothing to discover, and container_id is not used'
                             % module.params['api'])
        # The same choice the other modules make: a container of another sandbox is not this sandbox's.
        containers = [c for c in found if c['sandbox'] in (None, module.params['sandbox'])]
    except Exception as exc:  # pylint: disable=broad-except
        module.fail_from(exc)
    module.exit_json(changed=False, containers=containers, api=module.params['api'], retries=module.retry_count)


def _run_token(module):
    p = module.params
    if not p['client_secret']:
        module.fail_json(msg='client_secret is required to obtain an access token from IMS')
    try:
        token, expires_in, cached = module.token_source().obtain()
    except Exception as exc:  # pylint: disable=broad-except
        module.fail_from(exc)
    if cached:
        module.exit_json(changed=False, access_token=token, cached=True)
    module.exit_json(changed=False, access_token=token, expires_in=expires_in, cached=False)


TASKS = dict((task.name, task) for task in [_object_task(kind) for kind in KINDS.values()] + [
    Task('offer_library', _library_options, _run_library),
    Task('offer_library_info', _info_options, _run_info, required_if=[('kind', 'decision_item', ('schema_id',))]),
    Task('container_info', dict, _run_containers),
    Task('ims_token', dict, _run_token),
])

# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Converge one object to its desired state: find, plan, write (through one gate), report.

FOR INTERNAL COLLECTION USE ONLY. Knows nothing about Ansible; talks to the API only through the seam (``_api``).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import time

from ansible_collections.aep.offers.plugins.module_utils._catalogue import KINDS
from ansible_collections.aep.offers.plugins.module_utils._client import RETRY_STATUSES, ApiError, CheckModeWrite
from ansible_collections.aep.offers.plugins.module_utils._diff import payload, project
from ansible_collections.aep.offers.plugins.module_utils._errors import EngineError, InputError
from ansible_collections.aep.offers.plugins.module_utils._module import api_choice
from ansible_collections.aep.offers.plugins.module_utils._resolve import Resolver, ambiguous, named


class Engine:
    """Converges objects of one kind. Every write goes through ``_write``, which refuses in check mode."""

    def __init__(self, api, key, check_mode=False, conflict_retries=3, create_retries=3, warn=None, sleep=time.sleep,
                 read_back=True, resolver=None):
        self.api = api
        self.kind = api.kind(key)
        self.read_back = read_back  # read a new object back (and converge what the server changed); bulk runs skip it
        self.check_mode = check_mode
        self.conflict_retries = conflict_retries
        self.create_retries = create_retries
        self.resolver = resolver or Resolver(api)
        self._warn = warn or (lambda message: None)
        self._sleep = sleep

    # Finding ------------------------------------------------------------------------------------
    def find(self, instance_id=None, name=None):
        if instance_id:
            return self.api.get(self.kind, instance_id)
        matches = named(self.api, self.kind, name)
        if len(matches) > 1:
            raise ambiguous(self.kind, name, matches, 'use instance_id to choose one', by_instance_id=True)
        return matches[0] if matches else None

    # The one write gate -------------------------------------------------------------------------
    def _write(self, action, *args):
        if self.check_mode:
            raise CheckModeWrite('%s of a %s attempted in check mode' % (action, self.kind.title))  # the client refuses too
        return getattr(self.api, action)(self.kind, *args)

    # present ------------------------------------------------------------------------------------
    def present(self, desired, instance_id=None, name=None):
        desired = self.resolver.resolve(self.kind, copy.deepcopy(desired))
        record = self.find(instance_id, name)
        if record is None:
            if instance_id:
                raise EngineError('no %s has instance_id %s in this sandbox; give name instead of instance_id to create one'
                                  % (self.kind.title, instance_id))
            return self.create(desired)
        return self.update(record, desired)

    def update(self, record, desired, action='update', changed=False, before=None):
        before = project(record.body, self.kind.comparable(desired), self.kind.rules) if before is None else before
        for attempt in range(self.conflict_retries + 1):
            ops = self.kind.plan(record.body, desired)
            if not ops:
                return self.report(action if changed else 'none', changed, record, before=before,
                                   after=None if changed else before, desired=desired)
            if self.check_mode:
                return self.report(action, True, self.api.applied(record, ops), before=before, ops=ops, desired=desired)
            try:
                receipt = self._write('patch', record, ops)
            except ApiError as exc:
                if not self.api.is_conflict(exc) or attempt == self.conflict_retries:
                    if self.api.is_conflict(exc):
                        raise EngineError('%s %s kept changing under us: %d conflicts (%s) in a row; giving up' % (
                            self.kind.title, record.instance_id, attempt + 1, exc.status), **exc.as_dict())
                    raise
                # Someone else wrote in between (or our own write whose answer was lost): read again and
                # plan again, so their change survives. The object differs from what we first read either way.
                changed = True
                self._warn('%s %s changed since it was read (%s); reading it again' % (self.kind.title, record.instance_id, exc.status))
                record = self.api.get(self.kind, record.instance_id)
                if record is None:
                    raise EngineError('%s was deleted by someone else while being updated' % self.kind.title)
                continue
            return self.report(action, True, self.api.applied(record, ops, receipt), before=before, ops=ops, desired=desired)
        raise AssertionError('unreachable')  # pragma: no cover

    def create(self, desired):
        body = payload(desired, self.kind.rules)
        name = self.kind.name_of(body)
        if name is None:
            raise EngineError('a new %s needs a name' % self.kind.title)
        if self.check_mode:
            return self.report('create', True, after=body, described=self.api.describe_body(body))
        receipt = self._create_once(body, name)
        if receipt is not None and not self.read_back:
            return self.report('create', True, receipt, after=body, described=receipt.document)
        record = self.api.get(self.kind, receipt.instance_id) if receipt is not None else self.find(name=name)
        if record is None:
            raise EngineError('the new %s %r was created but cannot be read back' % (self.kind.title, name))
        # Server defaults fill what we left out; a field it changed from what we sent is converged now.
        return self.update(record, desired, action='create', changed=True, before={})

    def _create_once(self, body, name):
        """POSTs at most once per attempt; after a failure without a clear refusal, looks the name up before trying again."""
        for attempt in range(self.create_retries + 1):
            try:
                return self._write('create', body)
            except ApiError as exc:
                retryable = not exc.answered or exc.status in RETRY_STATUSES
                if not retryable or attempt == self.create_retries:
                    raise
                if exc.status != 429:
                    # The create may have happened even though its answer was lost or an error.
                    if self.find(name=name) is not None:
                        self._warn('the create of %r failed (%s) but the %s exists: using it' % (name, exc.message, self.kind.title))
                        return None
                delay = exc.retry_after if exc.retry_after is not None else min(30.0, 0.5 * (2 ** attempt))
                self._warn('retrying the create of %r in %.1fs after: %s' % (name, delay, exc.message))
                self._sleep(delay)
        raise AssertionError('unreachable')  # pragma: no cover

    # absent -------------------------------------------------------------------------------------
    def absent(self, instance_id=None, name=None):
        record = self.find(instance_id, name)
        if record is None:
            return self.report('none', False, ids=(instance_id, None))
        return self.delete(record)

    def delete(self, record):
        result = self.report('delete', True, record, before=record.body, etag=None)
        if self.check_mode:
            return result
        for attempt in range(self.conflict_retries + 1):
            try:
                self._write('delete', record)
                return result
            except ApiError as exc:
                if exc.status == 404:
                    return result  # gone already (a repeated delete after a lost answer, or another user)
                if not self.api.is_conflict(exc) or attempt == self.conflict_retries:
                    self._explain_refused_delete(record, exc)
                current = self.api.get(self.kind, record.instance_id)
                if current is None:
                    return result
                if current.etag == record.etag:
                    self._explain_refused_delete(record, exc)  # not a stale etag: the API refuses the delete itself
                record = current
        raise AssertionError('unreachable')  # pragma: no cover

    def _explain_refused_delete(self, record, exc):
        """A refused delete is most often an object still in use: name the objects that refer to it."""
        if not exc.answered or exc.status >= 500:
            raise exc
        users = []
        for other_key, other in self.api.kinds.items():
            if self.kind.key not in other.kind.refs.values():
                continue
            try:
                others = list(self.api.list(other))
            except InputError:
                continue  # a kind this task cannot list (decision items without a schema): the API's message still names them
            for user in others:
                if any(container[key] == record.at_id and ref_key == self.kind.key
                       for container, key, ref_key, label in other.references(user.body)):
                    users.append('%s %r (%s)' % (other.title, other.name_of(user.body), user.at_id))
        message = 'the API refused to delete %s %r (%s): %s' % (
            self.kind.title, self.kind.name_of(record.body), record.at_id, exc.message)
        if users:
            message += '. It is still used by: %s; remove those references first' % ', '.join(users)
        raise EngineError(message, used_by=users, **exc.as_dict())

    # The one result shape -----------------------------------------------------------------------
    def report(self, action, changed, record=None, ids=(None, None), etag=False, ops=(), before=None, after=None,
               desired=None, described=None):
        """The result of one object. ``after`` defaults to the managed fields of ``record``; ``described`` to it whole."""
        if record is not None:
            ids = (record.instance_id, record.at_id)
            if after is None and desired is not None:
                after = project(record.body, self.kind.comparable(desired), self.kind.rules)
            if described is None and action != 'delete':
                described = self.api.describe(record)
        return {
            'changed': changed,
            'action': action,
            'instance_id': ids[0],
            'id': ids[1],
            'etag': (record.etag if record is not None else None) if etag is False else etag,
            'patch': self.api.envelope(list(ops)),
            'diff': dict(before=self.resolver.readable(self.kind, before or {}), after=self.resolver.readable(self.kind, after or {})),
            self.kind.result_key: described if described is not None else {},
        }


def run_object(key, module):
    """The whole life of an object module's task: validate, converge through the engine, report."""
    p = module.params
    try:
        if p['conflict_retries'] < 0:
            raise InputError('conflict_retries', 'must be 0 or more, got %d' % p['conflict_retries'])
        module_kind = KINDS[key]
        api = module.api(prepare=False, **api_choice(module_kind.api_for(p['api']), [p.get('schema_id')]))
        api.check_instance_id(p['instance_id'])
        kind = api.kind(key)
        if p['state'] == 'absent' and not getattr(kind, 'deletable', True):
            raise InputError('state', 'the API cannot delete a %s (it has no delete for them); set its status instead' % module_kind.title)
        desired = kind.desired(p) if p['state'] == 'present' else None
        api.prepare(p['sandbox'])
        engine = Engine(api, key, check_mode=module.check_mode, conflict_retries=p['conflict_retries'],
                        create_retries=p['retries'], warn=module.warn)
        if p['state'] == 'present':
            result = engine.present(desired, instance_id=p['instance_id'], name=p['name'])
        else:
            result = engine.absent(instance_id=p['instance_id'], name=p['name'])
    except Exception as exc:  # pylint: disable=broad-except
        module.fail_from(exc)
    diff = result.pop('diff')
    if module._diff:
        result['diff'] = diff
    result['retries'] = module.retry_count
    module.exit_json(**result)

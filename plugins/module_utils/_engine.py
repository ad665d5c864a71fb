# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Converge one object to its desired state: find, plan, write (through one gate), report.

FOR INTERNAL COLLECTION USE ONLY. Knows nothing about Ansible; talks to the API through ``_api``.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import time

try:
    import jsonpatch
    HAS_JSONPATCH = True
    JSONPATCH_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - reported by the module through missing_required_lib
    HAS_JSONPATCH = False
    JSONPATCH_IMPORT_ERROR = exc

from ansible_collections.aep.offers.plugins.module_utils._client import ApiError, RETRY_STATUSES
from ansible_collections.aep.offers.plugins.module_utils._diff import make_patch, payload, project
from ansible_collections.aep.offers.plugins.module_utils._kinds import KINDS, reference_slots, split_references, substitute_references


class EngineError(Exception):
    """The desired state cannot be reached; ``details`` go into the module's failure result."""

    def __init__(self, message, **details):
        self.details = details
        super(EngineError, self).__init__(message)


class References:
    """Turns names into @ids, asking the API at most once per distinct (kind, name) in this task."""

    def __init__(self, api):
        self.api = api
        self._resolved = {}

    def resolve(self, kind, body):
        for (ref_key, name), label in sorted(split_references(kind, body).items()):
            if (ref_key, name) not in self._resolved:
                self._resolved[(ref_key, name)] = self._lookup(KINDS[ref_key], name, label)
        return substitute_references(kind, body, self._resolved)

    def _lookup(self, ref_kind, name, label):
        matches = [r for r in self.api.list(ref_kind, name=name) if r.body.get('xdm:name') == name]
        if not matches:
            raise EngineError('%s: no %s is named %r in this sandbox' % (label, ref_kind.title, name), option=label, name=name)
        if len(matches) > 1:
            raise EngineError('%s: %d %ss are named %r (%s); use the @id' % (
                label, len(matches), ref_kind.title, name, ', '.join(m.at_id for m in matches)), option=label, name=name)
        return matches[0].at_id


class Engine:
    """Converges objects of one kind. Every write goes through ``_write``, which refuses in check mode."""

    def __init__(self, api, kind, check_mode=False, conflict_retries=3, create_retries=3, warn=None, sleep=time.sleep,
                 read_back=True):
        self.api = api
        self.read_back = read_back  # read a new object back (and converge what the server changed); bulk runs skip it
        self.kind = kind
        self.check_mode = check_mode
        self.conflict_retries = conflict_retries
        self.create_retries = create_retries
        self.references = References(api)
        self._warn = warn or (lambda message: None)
        self._sleep = sleep

    # Finding ------------------------------------------------------------------------------------
    def find(self, instance_id=None, name=None):
        if instance_id:
            return self.api.get(self.kind, instance_id)
        matches = [r for r in self.api.list(self.kind, name=name) if r.body.get('xdm:name') == name]
        if len(matches) > 1:
            raise EngineError('%d %ss are named %r: %s; use instance_id to choose one' % (
                len(matches), self.kind.title, name, ', '.join(r.instance_id for r in matches)),
                instance_ids=[r.instance_id for r in matches])
        return matches[0] if matches else None

    # The one write gate -------------------------------------------------------------------------
    def _write(self, action, *args):
        if self.check_mode:
            raise AssertionError('write attempted in check mode')  # the client refuses too
        return getattr(self.api, action)(self.kind, *args)

    # present ------------------------------------------------------------------------------------
    def present(self, desired, instance_id=None, name=None):
        desired = self.references.resolve(self.kind, copy.deepcopy(desired))
        record = self.find(instance_id, name)
        if record is None:
            if instance_id:
                raise EngineError('no %s has instance_id %s in this container; give name instead of instance_id to create one'
                                  % (self.kind.title, instance_id))
            return self.create(desired)
        return self.update(record, desired)

    def update(self, record, desired, action='update', changed=False, before=None):
        before = project(record.body, desired, self.kind.rules) if before is None else before
        for attempt in range(self.conflict_retries + 1):
            ops = make_patch(record.body, desired, self.kind.rules)
            if not ops:
                return self._result(record, desired, before, changed=changed, action=action if changed else 'none', ops=[],
                                    after=None if changed else before)
            if self.check_mode:
                planned = self._apply_locally(record, ops)
                return self._result(planned, desired, before, changed=True, action=action, ops=ops)
            try:
                receipt = self._write('patch', record, ops)
            except ApiError as exc:
                if exc.status != 409 or attempt == self.conflict_retries:
                    if exc.status == 409:
                        raise EngineError('%s %s kept changing under us: %d conflicts (409) in a row; giving up' % (
                            self.kind.title, record.instance_id, attempt + 1), **exc.as_dict())
                    raise
                # Someone else wrote in between (or our own write whose answer was lost): read again and
                # plan again, so their change survives. The object differs from what we first read either way.
                changed = True
                self._warn('%s %s changed since it was read (409); reading it again' % (self.kind.title, record.instance_id))
                record = self.api.get(self.kind, record.instance_id)
                if record is None:
                    raise EngineError('%s was deleted by someone else while being updated' % self.kind.title)
                continue
            record = self._apply_locally(record, ops, receipt)
            return self._result(record, desired, before, changed=True, action=action, ops=ops)
        raise AssertionError('unreachable')  # pragma: no cover

    def _apply_locally(self, record, ops, receipt=None):
        """The record after ``ops`` (and the receipt's metadata), without another read."""
        document = jsonpatch.apply_patch(record.document, self.api.envelope(ops))
        if receipt is not None:
            document.update((k, v) for k, v in receipt.document.items() if k.startswith('repo:'))
        return self.api.record(document)

    def create(self, desired):
        body = payload(desired, self.kind.rules)
        if 'xdm:name' not in body:
            raise EngineError('a new %s needs a name' % self.kind.title)
        before = {}
        if self.check_mode:
            return dict(changed=True, action='create', instance_id=None, id=None, etag=None, patch=[],
                        diff=dict(before=before, after=body), **{self.kind.result_key: {'_instance': body}})
        receipt = self._create_once(body)
        if receipt is not None and not self.read_back:
            return dict(changed=True, action='create', instance_id=receipt.instance_id, id=receipt.at_id, etag=receipt.etag,
                        patch=[], diff=dict(before=before, after=body), **{self.kind.result_key: receipt.document})
        record = self.api.get(self.kind, receipt.instance_id) if receipt is not None else self.find(name=body['xdm:name'])
        if record is None:
            raise EngineError('the new %s %r was created but cannot be read back' % (self.kind.title, body['xdm:name']))
        # Server defaults fill what we left out; a field it changed from what we sent is converged now.
        return self.update(record, desired, action='create', changed=True, before=before)

    def _create_once(self, body):
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
                    if self.find(name=body['xdm:name']) is not None:
                        self._warn('the create of %r failed (%s) but the %s exists: using it' % (
                            body['xdm:name'], exc.message, self.kind.title))
                        return None
                delay = exc.retry_after if exc.retry_after is not None else min(30.0, 0.5 * (2 ** attempt))
                self._warn('retrying the create of %r in %.1fs after: %s' % (body['xdm:name'], delay, exc.message))
                self._sleep(delay)
        raise AssertionError('unreachable')  # pragma: no cover

    # absent -------------------------------------------------------------------------------------
    def absent(self, instance_id=None, name=None):
        record = self.find(instance_id, name)
        if record is None:
            return dict(changed=False, action='none', instance_id=instance_id, id=None, etag=None, patch=[],
                        diff=dict(before={}, after={}), **{self.kind.result_key: {}})
        return self.delete(record)

    def delete(self, record):
        before = record.body
        result = dict(changed=True, action='delete', instance_id=record.instance_id, id=record.at_id, etag=None, patch=[],
                      diff=dict(before=before, after={}), **{self.kind.result_key: {}})
        if self.check_mode:
            return result
        for attempt in range(self.conflict_retries + 1):
            try:
                self._write('delete', record)
                return result
            except ApiError as exc:
                if exc.status == 404:
                    return result  # gone already (a repeated delete after a lost answer, or another user)
                if exc.status != 409 or attempt == self.conflict_retries:
                    self._explain_refused_delete(record, exc)
                record = self.api.get(self.kind, record.instance_id)
                if record is None:
                    return result
        raise AssertionError('unreachable')  # pragma: no cover

    def _explain_refused_delete(self, record, exc):
        """A refused delete is most often an object still in use: name the objects that refer to it."""
        if not exc.answered or exc.status >= 500:
            raise exc
        users = []
        for kind in KINDS.values():
            if not any(ref_key == self.kind.key or callable(ref_key) for ref_key, label in kind.refs.values()):
                continue
            for other in self.api.list(kind):
                if any(container[key] == record.at_id and ref_kind is self.kind
                       for container, key, ref_kind, label in reference_slots(kind, other.body)):
                    users.append('%s %r (%s)' % (kind.title, other.body.get('xdm:name'), other.at_id))
        message = 'the API refused to delete %s %r (%s): %s' % (
            self.kind.title, record.body.get('xdm:name'), record.at_id, exc.message)
        if users:
            message += '. It is still used by: %s; remove those references first' % ', '.join(users)
        raise EngineError(message, used_by=users, **exc.as_dict())

    # results ------------------------------------------------------------------------------------
    def _result(self, record, desired, before, changed, action, ops, after=None):
        return {
            'changed': changed,
            'action': action,
            'instance_id': record.instance_id,
            'id': record.at_id,
            'etag': record.etag,
            'patch': self.api.envelope(ops),
            'diff': dict(before=before, after=project(record.body, desired, self.kind.rules) if after is None else after),
            self.kind.result_key: self.api.describe(record),
        }

# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The applier: carries out one planned step and reports it. Every write goes through ``_write``, which refuses in
check mode; updates and deletes carry ``If-Match`` and are planned again when someone else wrote in between; a create
whose answer was lost is looked up by name before it is tried again.

FOR INTERNAL COLLECTION USE ONLY. Knows nothing about Ansible; talks to the API only through the seam (``_api``).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import time

from ansible_collections.aep.offers.plugins.module_utils._client import ApiError, CheckModeWrite
from ansible_collections.aep.offers.plugins.module_utils._diff import payload, project
from ansible_collections.aep.offers.plugins.module_utils._errors import EngineError, InputError
from ansible_collections.aep.offers.plugins.module_utils._resolve import named


class Applier:
    """Applies steps of one API. ``read_back``: a created object is read again and what the server changed is
    converged (the object modules); a library trusts the receipt. ``brief``: an unchanged object is reported without
    its diff and its described body (offer_library's results show neither; working them out is most of a no-op)."""

    def __init__(self, api, known, check_mode=False, conflict_retries=3, create_retries=3, warn=None, sleep=time.sleep,
                 read_back=False, brief=False):
        self.api = api
        self.brief = brief
        self.known = known
        self.check_mode = check_mode
        self.conflict_retries = conflict_retries
        self.create_retries = create_retries
        self.read_back = read_back
        self._warn = warn or (lambda message: None)
        self._sleep = sleep

    def apply(self, step):
        """The step carried out (in check mode: described), as the object modules report it."""
        return getattr(self, '_' + step.action)(step)

    # The one write gate -------------------------------------------------------------------------
    def _write(self, action, kind, *args):
        if self.check_mode:
            raise CheckModeWrite('%s of a %s attempted in check mode' % (action, kind.title))  # the client refuses too
        return getattr(self.api, action)(kind, *args)

    # Each action --------------------------------------------------------------------------------
    def _none(self, step):
        kind = self.api.kind(step.key)
        if step.record is None:
            return self.report(kind, 'none', False, ids=(step.item.instance_id if step.item else None, None))
        if step.desired is None:  # absent, and nothing to delete
            return self.report(kind, 'none', False, step.record)
        if self.brief:
            return self.report(kind, 'none', False, step.record, described={})
        before = project(step.record.body, kind.comparable(step.desired), kind.rules)
        return self.report(kind, 'none', False, step.record, before=before, after=before)

    def _keep(self, step):
        result = self.report(self.api.kind(step.key), 'keep', False, step.record, etag=step.record.etag)
        result['msg'] = step.reason
        return result

    def _update(self, step, action='update', changed=False, before=None):
        kind, record, desired = self.api.kind(step.key), step.record, step.desired
        before = project(record.body, kind.comparable(desired), kind.rules) if before is None else before
        ops = step.ops
        for attempt in range(self.conflict_retries + 1):
            if not ops:
                return self.report(kind, action if changed else 'none', changed, record, before=before,
                                   after=None if changed else before, desired=desired)
            if self.check_mode:
                return self.report(kind, action, True, self.api.applied(record, ops), before=before, ops=ops, desired=desired)
            self._warn_unseen(kind, desired, step.name)
            try:
                receipt = self._write('patch', kind, record, ops)
            except ApiError as exc:
                if not exc.conflict or attempt == self.conflict_retries:
                    if exc.conflict:
                        raise EngineError('%s %s kept changing under us: %d conflicts (%s) in a row; giving up' % (
                            kind.title, record.instance_id, attempt + 1, exc.status), **exc.as_dict())
                    raise
                # Someone else wrote in between (or our own write whose answer was lost): read again and
                # plan again, so their change survives. The object differs from what we first read either way.
                changed = True
                self._warn('%s %s changed since it was read (%s); reading it again' % (kind.title, record.instance_id, exc.status))
                record = self.api.get(kind, record.instance_id)
                if record is None:
                    raise EngineError('%s was deleted by someone else while being updated' % kind.title)
                ops = kind.plan(record.body, desired)
                continue
            return self.report(kind, action, True, self.api.applied(record, ops, receipt), before=before, ops=ops, desired=desired)
        raise AssertionError('unreachable')  # pragma: no cover

    def _warn_unseen(self, kind, desired, name):
        """A PUT replaces the whole object; a write-only field the task does not declare cannot be kept (it is never
        read), so say so rather than drop it in silence."""
        if kind.update != 'PUT':
            return
        for option, path in zip(kind.write_only_options, kind.write_only):
            if path[0] not in desired:
                self._warn('%s %r is updated with PUT, which replaces the whole object, and the API does not show its %s: '
                           'the task declares no %s, so none is sent (one it had is gone); declare %s on every task of it '
                           'to keep it' % (kind.title, name, '.'.join(path), option, option))

    def _create(self, step):
        kind = self.api.kind(step.key)
        body = payload(step.desired, kind.rules)
        if self.check_mode:
            return self.report(kind, 'create', True, after=body, described=self.api.describe_body(body))
        receipt = self._create_once(kind, body, step.name)
        if receipt is not None and not self.read_back:
            return self.report(kind, 'create', True, receipt, after=body, described=receipt.document)
        record = self.api.get(kind, receipt.instance_id) if receipt is not None else self._found(kind, step.name)
        if record is None:
            raise EngineError('the new %s %r was created but cannot be read back' % (kind.title, step.name))
        # Server defaults fill what we left out; a field it changed from what we sent is converged now.
        step = type(step)(step.key, step.name, 'update', step.item, record, step.desired, kind.plan(record.body, step.desired))
        return self._update(step, action='create', changed=True, before={})

    def _found(self, kind, name):
        matches = named(self.api, kind, name)
        return matches[0] if len(matches) == 1 else None

    def _create_once(self, kind, body, name):
        """POSTs at most once per attempt; after a failure without a clear refusal, looks the name up before trying again."""
        for attempt in range(self.create_retries + 1):
            try:
                return self._write('create', kind, body)
            except ApiError as exc:
                if not exc.retryable or attempt == self.create_retries:
                    raise
                if exc.status != 429:
                    # The create may have happened even though its answer was lost or an error.
                    if self._found(kind, name) is not None:
                        self._warn('the create of %r failed (%s) but the %s exists: using it' % (name, exc.message, kind.title))
                        return None
                delay = exc.retry_after if exc.retry_after is not None else min(30.0, 0.5 * (2 ** attempt))
                self._warn('retrying the create of %r in %.1fs after: %s' % (name, delay, exc.message))
                self._sleep(delay)
        raise AssertionError('unreachable')  # pragma: no cover

    def _delete(self, step):
        kind, record = self.api.kind(step.key), step.record
        result = self.report(kind, 'delete', True, record, before=record.body, etag=None)
        if self.check_mode:
            return result
        for attempt in range(self.conflict_retries + 1):
            try:
                self._write('delete', kind, record)
                return result
            except ApiError as exc:
                if exc.gone:
                    return result  # gone already (a repeated delete after a lost answer, or another user)
                if not exc.conflict or attempt == self.conflict_retries:
                    self._explain_refused_delete(kind, record, exc)
                current = self.api.get(kind, record.instance_id)
                if current is None:
                    return result
                if current.etag == record.etag:
                    self._explain_refused_delete(kind, record, exc)  # not a stale etag: the API refuses the delete itself
                record = current
        raise AssertionError('unreachable')  # pragma: no cover

    def _explain_refused_delete(self, kind, record, exc):
        """A refused delete is most often an object still in use: name the objects that refer to it, once."""
        if not exc.answered or exc.status >= 500:
            raise exc
        users, unlisted = [], False
        for other in self.api.kinds.values():
            if kind.key not in other.kind.refs.values():
                continue
            try:
                others = list(self.api.list(other))
            except InputError:
                unlisted = True  # a kind this task cannot list (decision items without a schema): the API's message names them
                continue
            for user in others:
                if any(container[key] == record.at_id and ref_key == kind.key
                       for container, key, ref_key, label in other.references(user.body)):
                    users.append('%s %r (%s)' % (other.title, other.name_of(user.body), user.at_id))
        what = '%s %r (%s)' % (kind.title, kind.name_of(record.body), record.at_id)
        if users and not unlisted:  # the API's own words (in ``detail``) would list them a second time
            message = 'the API refused to delete %s (HTTP %s): it is still used by: %s; remove those references first' % (
                what, exc.status, ', '.join(users))
        elif users:  # some users could not be listed: the API's words may name more of them
            message = 'the API refused to delete %s: %s. It is still used by: %s (and maybe others the API names); remove ' \
                      'those references first' % (what, exc.message, ', '.join(users))
        else:
            message = 'the API refused to delete %s: %s' % (what, exc.message)
        raise EngineError(message, used_by=users, **exc.as_dict())

    # The one result shape -----------------------------------------------------------------------
    def report(self, kind, action, changed, record=None, ids=(None, None), etag=False, ops=(), before=None, after=None,
               desired=None, described=None):
        """The result of one object. ``after`` defaults to the managed fields of ``record``; ``described`` to it whole."""
        if record is not None:
            ids = (record.instance_id, record.at_id)
            if after is None and desired is not None:
                after = project(record.body, kind.comparable(desired), kind.rules)
            if described is None and action != 'delete':
                described = self.api.describe(record)
        return {
            'changed': changed,
            'action': action,
            'instance_id': ids[0],
            'id': ids[1],
            'etag': (record.etag if record is not None else None) if etag is False else etag,
            'patch': self.api.envelope(list(ops)),
            'diff': dict(before=self.known.readable(kind, before or {}), after=self.known.readable(kind, after or {})),
            kind.result_key: described if described is not None else {},
        }

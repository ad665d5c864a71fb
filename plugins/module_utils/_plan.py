# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The planner: what is known of the sandbox + what is declared -> what to do to each object. Pure.

FOR INTERNAL COLLECTION USE ONLY. No I/O: the records were read before (``_resolve.Reader``), the writes happen
after (``_apply.Applier``). One object (an object module's task) is planned exactly as a library of one.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy

from ansible_collections.aep.offers.plugins.module_utils._catalogue import LEVELS
from ansible_collections.aep.offers.plugins.module_utils._errors import EngineError
from ansible_collections.aep.offers.plugins.module_utils._resolve import ambiguous, placeholder, substitute_references

WRITES = ('create', 'update', 'delete')


class Item:
    """One declared object: its kind, where it was declared (``label``), its name and/or instance id, and what it
    should be (``desired``, references by name or id, as ``_mapping.Mapping.desired`` makes it), or None: absent.

    ``references`` are the names the body refers to, ``{(kind key, name): option label}`` (``_resolve.split_references``).
    """

    def __init__(self, key, label, name=None, instance_id=None, desired=None, references=None):
        self.key = key
        self.label = label
        self.name = name
        self.instance_id = instance_id
        self.desired = desired
        self.references = dict(references or {})

    def __repr__(self):
        return 'Item(%r, %r)' % (self.key, self.name or self.instance_id)


class Step:
    """What the plan does to one object: ``action`` is create, update, delete, none (nothing to do), keep (an object
    that cannot be deleted, with the ``reason``) or failed (it cannot be planned: ``problem`` says why).

    ``desired`` has its references as ids, or as placeholders for objects the plan creates; ``ops`` are the
    operations of an update, relative to the body. ``item`` is None for an object that prune deletes.
    """

    def __init__(self, key, name, action, item=None, record=None, desired=None, ops=(), problem=None, reason=None,
                 waiting=()):
        self.key = key
        self.name = name
        self.action = action
        self.item = item
        self.record = record
        self.desired = desired
        self.ops = list(ops)
        self.problem = problem
        self.reason = reason
        self.waiting = frozenset(waiting)  # (kind key, name) of references to objects the plan creates

    @property
    def writes(self):
        return self.action in WRITES

    def __repr__(self):
        return 'Step(%s %s %r)' % (self.action, self.key, self.name)


class Plan:
    """The steps in the order they are applied: waves of steps that can run together (a level of kinds that refer
    only to earlier ones; deletes in the reverse order, references first)."""

    def __init__(self, waves):
        self.waves = [wave for wave in waves if wave]

    @property
    def steps(self):
        return [step for wave in self.waves for step in wave]

    @property
    def problems(self):
        return [step for step in self.steps if step.action == 'failed']


class Planner:
    """Plans declared objects against what is ``known`` (``_resolve.Known``) of the sandbox.

    ``planned`` are names that earlier tasks of a check-mode run would create; ``where`` ends the message of a
    reference found nowhere; ``ambiguity_hint`` tells the user what to do when several objects have a task's name.
    """

    def __init__(self, api, known, planned=(), where='in this sandbox', ambiguity_hint='give them distinct names first'):
        self.api = api
        self.known = known
        self.planned = set(planned)
        self.where = where
        self.ambiguity_hint = ambiguity_hint

    # Each object's own record ---------------------------------------------------------------------
    def own_record(self, item):
        """The item's record (None: there is none); EngineError when it cannot be told."""
        kind = self.api.kind(item.key)
        if item.instance_id:
            record = self.known.by_instance.get((item.key, item.instance_id))
            if record is None and item.desired is not None:
                raise EngineError('no %s has instance_id %s in this sandbox; give name instead of instance_id to create one'
                                  % (kind.title, item.instance_id))
            return record
        records = self.known.named(item.key, item.name)
        if len(records) > 1:
            raise ambiguous(kind, item.name, records, self.ambiguity_hint, by_instance_id=True)
        return records[0] if records else None

    # present (and prune) ------------------------------------------------------------------------
    def present(self, items, prune_keys=()):
        """Every item planned to be as declared; with ``prune_keys``, the undeclared objects of those kinds deleted."""
        records, problems = {}, {}
        for item in items:
            try:
                records[id(item)] = self.own_record(item)
            except EngineError as exc:
                problems[id(item)] = exc
        creating = set((item.key, item.name) for item in items if id(item) not in problems and records[id(item)] is None)
        by_key = {}
        for item in items:
            if id(item) in problems:
                step = Step(item.key, item.name, 'failed', item, problem=problems[id(item)])
            else:
                step = self.step(item, records[id(item)], creating)
            by_key.setdefault(item.key, []).append(step)
        waves = [[step for key in level for step in by_key.get(key, [])] for level in LEVELS]
        if prune_keys:
            declared = set((item.key, item.name) for item in items)
            waves.extend(self._deletes(
                [(key, name, record, None) for key in prune_keys for name, found in sorted(self.known.every(key).items(), key=_by_name)
                 for record in found if (key, name) not in declared], quiet=True))
        return Plan(waves)

    def step(self, item, record, creating=()):
        """One present item's step: its references resolved (ids, or placeholders for what the plan creates)."""
        kind = self.api.kind(item.key)
        try:
            resolved = dict(((ref_key, name), self.known.reference(ref_key, name, _where(item, label), creating, self.planned,
                                                                   self.where))
                            for (ref_key, name), label in sorted(item.references.items()))
        except EngineError as exc:
            return Step(item.key, item.name, 'failed', item, record, problem=exc)
        waiting = [ref for ref, value in resolved.items() if value == placeholder(self.api.kind(ref[0]), ref[1])]
        desired = substitute_references(kind, copy.deepcopy(item.desired), resolved) if resolved else item.desired
        name = item.name if item.name is not None else (kind.name_of(record.body) if record is not None else None)
        if record is None:
            if kind.name_of(desired) is None:
                return Step(item.key, name, 'failed', item, problem=EngineError('a new %s needs a name' % kind.title))
            return Step(item.key, name, 'create', item, desired=desired, waiting=waiting)
        ops = kind.plan(record.body, desired)
        return Step(item.key, name, 'update' if ops else 'none', item, record, desired, ops, waiting=waiting)

    def replan(self, step):
        """A step that waited for objects the plan creates, planned again once they exist; failed for each that was
        not created (its own create failed, or was skipped)."""
        for ref_key, name in sorted(step.waiting):
            if (ref_key, name) not in self.known.ids:
                label = _where(step.item, step.item.references[(ref_key, name)])
                return Step(step.key, step.name, 'failed', step.item, step.record, problem=EngineError(
                    '%s: the %s %r it refers to was not created' % (label, self.api.kind(ref_key).title, name)))
        return self.step(step.item, step.record)

    # absent -------------------------------------------------------------------------------------
    def absent(self, items):
        """Every item planned to be gone, references first."""
        failed, found = [], []
        for item in items:
            try:
                found.append((item.key, item.name, self.own_record(item), item))
            except EngineError as exc:
                failed.append(Step(item.key, item.name, 'failed', item, problem=exc))
        return Plan([failed] + self._deletes(found))

    def _deletes(self, found, quiet=False):
        """Delete steps for ``(kind key, name, record, item)``, in waves, references first; ``quiet`` (prune) leaves out
        the kinds that cannot be deleted."""
        by_key = {}
        for key, name, record, item in found:
            kind = self.api.kind(key)
            if name is None and record is not None:
                name = kind.name_of(record.body)
            if record is None:
                step = Step(key, name, 'none', item)
            elif not kind.deletable:
                if quiet:
                    continue
                step = Step(key, name, 'keep', item, record, reason='the API cannot delete %ss (it has no delete for them); '
                                                                    'set its status instead' % kind.title)
            else:
                step = Step(key, name, 'delete', item, record)
            by_key.setdefault(key, []).append(step)
        return [[step for key in level for step in by_key.get(key, [])] for level in reversed(LEVELS)]


def _where(item, label):
    """An option's label within the declaration: ``offers[3].tags[]`` (an object module's task: ``tags[]``)."""
    return '%s.%s' % (item.label, label) if item.label else label


def _by_name(entry):
    return str(entry[0])

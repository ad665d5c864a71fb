# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Converge declared objects, Terraform-style: read what the plan needs, plan every object, then apply in waves.

FOR INTERNAL COLLECTION USE ONLY. Knows nothing about Ansible. The one convergence path: ``offer_library`` runs it
over a whole declaration, each object module over a library of one (read by name rather than whole kinds, and a
created object read back).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.aep.offers.plugins.module_utils._apply import Applier
from ansible_collections.aep.offers.plugins.module_utils._client import ApiError, CheckModeWrite
from ansible_collections.aep.offers.plugins.module_utils._errors import EngineError, InputError
from ansible_collections.aep.offers.plugins.module_utils._plan import Item, Planner
from ansible_collections.aep.offers.plugins.module_utils._resolve import Known, Reader, split_references


class Outcome:
    """What happened to one object: the planned ``step`` and its ``result`` (the object modules' result), or the
    ``error`` that stopped it."""

    def __init__(self, step, result=None, error=None):
        self.step = step
        self.result = result
        self.error = error

    @property
    def failed(self):
        return self.error is not None


def items_of(api, key, declared, state='present', label_of=lambda index: None):
    """``Item``s of one kind from validated options (pure: every check before any request). ``label_of(index)`` is
    where an item was declared (``offers[3]``), None for an object module's task."""
    kind = api.kind(key)
    result, seen = [], set()
    for index, params in enumerate(declared):
        label = label_of(index)
        name = params.get('name')
        if label is not None and name in seen:
            raise InputError(label + '.name', '%r is declared twice' % name)
        seen.add(name)
        try:
            desired = kind.desired(params) if state == 'present' else None
            references = split_references(api, kind, desired) if desired is not None else {}
        except InputError as exc:
            if label is None:
                raise
            raise InputError('%s.%s' % (label, exc.option) if exc.option else label, str(exc).split(': ', 1)[-1])
        result.append(Item(key, label, name, params.get('instance_id'), desired, references))
    return result


class Library:
    """Converges declared ``Item``s of one API.

    ``one_by_one``: look each name up (an object module) instead of reading each kind whole with one paged list;
    ``read_back``: read a created object again and converge what the server changed. ``planned_names`` are names
    earlier tasks of a check-mode run would create (references to them are planned, not refused).
    """

    def __init__(self, api, check_mode=False, parallel=4, conflict_retries=3, create_retries=3, continue_on_error=False,
                 warn=None, planned_names=(), one_by_one=False, read_back=False):
        self.api = api
        self.check_mode = check_mode
        self.parallel = max(1, parallel)
        self.continue_on_error = continue_on_error
        self.one_by_one = one_by_one
        self.known = Known(api)
        self.reader = Reader(api, self.known)
        self.planner = Planner(api, self.known, planned=planned_names if check_mode else (),
                               where='in this sandbox' if one_by_one else 'in this sandbox or in the declaration',
                               ambiguity_hint='use instance_id to choose one' if one_by_one else 'give them distinct names first')
        self.applier = Applier(api, self.known, check_mode=check_mode, conflict_retries=conflict_retries,
                               create_retries=create_retries, warn=warn, read_back=read_back,
                               brief=not one_by_one)

    # Reading what the plan needs ------------------------------------------------------------------
    def read(self, items, whole_keys=()):
        for key in whole_keys:
            self.reader.kind_whole(key)
        for item in items:
            if item.instance_id:
                self.reader.instance(item.key, item.instance_id)
            else:
                self._name(item.key, item.name)
            for ref_key, name in item.references:
                self._name(ref_key, name)

    def _name(self, key, name):
        return self.reader.name(key, name) if self.one_by_one else self.reader.kind_whole(key).get(name, [])

    # Planning -----------------------------------------------------------------------------------
    def plan(self, items, state='present', prune_keys=()):
        """Reads what is needed and plans every object; nothing is written. ``prune_keys``: the kinds whose undeclared
        objects are deleted (present), or read whole."""
        self.read(items, prune_keys)
        return self.planner.present(items, prune_keys) if state == 'present' else self.planner.absent(items)

    def converge(self, items, state='present', prune_keys=()):
        """Plans, then applies wave by wave; returns an ``Outcome`` per object. When an object cannot be planned,
        nothing is written (unless ``continue_on_error``): the error names every problem."""
        plan = self.plan(items, state, prune_keys)
        problems = plan.problems
        if problems and not self.continue_on_error:
            if self.one_by_one:
                raise problems[0].problem
            messages = [message(step, step.problem) for step in problems]
            raise EngineError('%d of %d objects cannot be planned, so nothing was written: %s' % (
                len(problems), len(plan.steps), '; '.join(messages)), problems=messages)
        outcomes = []
        for wave in plan.waves:
            done = self._apply(wave)
            outcomes.extend(done)
            if any(outcome.failed for outcome in done) and not self.continue_on_error:
                break
        return outcomes

    # Applying -----------------------------------------------------------------------------------
    def _apply(self, wave):
        """One wave: steps that waited for objects the plan creates are planned again; those without a write are
        reported at once (a thread per no-op would cost more than the object), the writes run ``parallel`` at a time."""
        if not self.check_mode:
            wave = [self.planner.replan(step) if step.waiting else step for step in wave]
        outcomes = [None if step.writes else self._run(step) for step in wave]
        written = iter(self._run_all([step for step in wave if step.writes]))
        outcomes = [outcome if outcome is not None else next(written) for outcome in outcomes]
        for outcome in outcomes:
            if outcome.step.action == 'create' and not outcome.failed and outcome.result.get('id'):
                self.known.learn(outcome.step.key, outcome.step.name, outcome.result['id'])
        return outcomes

    def _run(self, step):
        if step.action == 'failed':
            return Outcome(step, error=step.problem)
        try:
            return Outcome(step, self.applier.apply(step))
        except (ApiError, EngineError, InputError, CheckModeWrite) as exc:
            return Outcome(step, error=exc)

    def _run_all(self, steps):
        if self.check_mode or self.parallel == 1 or len(steps) < 2:
            return [self._run(step) for step in steps]
        from concurrent.futures import ThreadPoolExecutor  # here: a run without writes never needs it
        with ThreadPoolExecutor(max_workers=self.parallel) as pool:
            return list(pool.map(self._run, steps))


def message(step, error):
    """An object's error, prefixed with where it was declared unless it already says."""
    text = getattr(error, 'message', None) or str(error)
    label = step.item.label if step.item is not None else None
    if label is None or text.startswith(label):
        return text
    return '%s (%s): %s' % (label, step.name, text)

# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Names and ids: what a task knows of the sandbox (``Known``, pure), how it comes to know it (``Reader``, the
reads), and the one policy that turns a reference name into an id.

FOR INTERNAL COLLECTION USE ONLY. Talks to the API only through the seam (``_api.Api``).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy

from ansible_collections.aep.offers.plugins.module_utils._errors import EngineError, InputError


def split_references(api, kind, body):
    """Checks reference formats (pure); returns ``{(referenced kind key, name): option label}`` for the names to look up."""
    names = {}
    for container, key, ref_key, label in kind.references(body):
        value = container[key]
        if not isinstance(value, str) or not value:
            raise InputError(label, 'must be a %s %s or name, got %r' % (api.kind(ref_key).title, api.id_name, value))
        if not api.is_reference_id(ref_key, value, label):
            names.setdefault((ref_key, value), label)
    return names


def substitute_references(kind, body, resolved):
    """Replaces the names in ``body``'s references with the ids in ``resolved[(kind key, name)]``."""
    for container, key, ref_key, label in kind.references(body):
        if (ref_key, container[key]) in resolved:
            container[key] = resolved[(ref_key, container[key])]
    return body


def name_references(kind, body, names):
    """Replaces the ids of ``body``'s references with ``names[(kind key, id)]``; an id without a known name stays."""
    for container, key, ref_key, label in kind.references(body):
        name = names.get((ref_key, container[key]))
        if name is not None:
            container[key] = name
    return body


def named(api, kind, name):
    """The records of ``kind`` whose name is exactly ``name`` (the API's name filter may match loosely)."""
    return [record for record in api.list(kind, name=name) if kind.name_of(record.body) == name]


def ambiguous(kind, name, records, hint, label=None, by_instance_id=False):
    """The error for a name that several objects share: it lists their ids (or their instance ids, to choose by)."""
    ids = [(record.instance_id if by_instance_id else record.at_id) or record.instance_id for record in records]
    details = dict(name=name, ids=ids, instance_ids=[record.instance_id for record in records])
    if label:
        details['option'] = label
    message = '%d %ss are named %r: %s; %s' % (len(records), kind.title, name, ', '.join(ids), hint)
    return EngineError((label + ': ' + message) if label else message, **details)


def placeholder(kind, name):
    """What a reference to an object that is planned but not created yet shows in a plan."""
    return '(known after apply: %s %s)' % (kind.title, name)


class Known:
    """What a task knows of the sandbox: the records it read, by kind and name and by instance id, and the ids of
    the objects it created. Pure: the ``Reader`` fills it, the planner and the reports read it."""

    def __init__(self, api):
        self.api = api
        self.by_name = {}      # kind key -> {name: [records]}, of the names read (every name, for kinds read whole)
        self.whole = set()     # kind keys read whole (a name absent from by_name is absent from the sandbox)
        self.by_instance = {}  # (kind key, instance id) -> record, or None when there is none
        self.ids = {}          # (kind key, name) -> id, of names that one object has (found or created)
        self.names = {}        # (kind key, id) -> name: the reverse of ids

    def add(self, key, name, records):
        self.by_name.setdefault(key, {})[name] = list(records)
        if len(records) == 1 and name is not None:
            self.learn(key, name, records[0].at_id)

    def learn(self, key, name, at_id):
        """An object of kind ``key`` named ``name`` has the id ``at_id`` (read, or created by the task)."""
        self.ids[(key, name)] = at_id
        self.names[(key, at_id)] = name

    def named(self, key, name):
        return self.by_name.get(key, {}).get(name, [])

    def every(self, key):
        """``{name: [records]}`` of a kind read whole."""
        return self.by_name.get(key, {})

    def reference(self, key, name, label, creating=(), planned=(), where='in this sandbox'):
        """The id a reference by name stands for: the one object with that name, else a placeholder when the task (or,
        in check mode, an earlier task: ``planned``) creates it; EngineError when none or several have it."""
        kind = self.api.kind(key)
        if (key, name) in self.ids:
            return self.ids[(key, name)]
        records = self.named(key, name)
        if len(records) > 1:
            raise ambiguous(kind, name, records, 'use the %s' % self.api.id_name, label)
        if (key, name) in creating or name in planned:
            return placeholder(kind, name)
        raise EngineError('%s: no %s is named %r %s' % (label, kind.title, name, where), option=label, name=name)

    def readable(self, kind, body):
        """A copy of ``body`` whose reference ids read ``name (id)`` where the name is known: for diffs, not for the API."""
        if not any(self.names.get((ref_key, container[key])) for container, key, ref_key, label in kind.references(body)):
            return body
        body = copy.deepcopy(body)
        for container, key, ref_key, label in kind.references(body):
            name = self.names.get((ref_key, container[key]))
            if name:
                container[key] = '%s (%s)' % (name, container[key])
        return body


class Reader:
    """Reads what a plan needs into ``Known``: a kind whole (one paged list) or a name at a time, and objects by id.
    Each kind, name and id is read once per task."""

    def __init__(self, api, known=None):
        self.api = api
        self.known = known or Known(api)

    def kind_whole(self, key):
        known = self.known
        if key not in known.whole:
            kind = self.api.kind(key)
            by_name = {}
            for record in self.api.list(kind):
                by_name.setdefault(kind.name_of(record.body), []).append(record)
            known.by_name[key] = {}
            for name, records in by_name.items():
                known.add(key, name, records)
            known.whole.add(key)
        return known.every(key)

    def name(self, key, name):
        known = self.known
        if key not in known.whole and name not in known.by_name.get(key, {}):
            known.add(key, name, named(self.api, self.api.kind(key), name))
        return known.named(key, name)

    def instance(self, key, instance_id):
        known = self.known
        if (key, instance_id) not in known.by_instance:
            known.by_instance[(key, instance_id)] = self.api.get(self.api.kind(key), instance_id)
        return known.by_instance[(key, instance_id)]

    def names(self, keys):
        """``{(kind key, id): name}`` for every object of the given kinds whose name no other object of its kind has."""
        result = {}
        for key in sorted(keys):
            for name, records in self.kind_whole(key).items():
                if len(records) == 1 and name and records[0].at_id:
                    result[(key, records[0].at_id)] = name
        return result

    def referenced_kinds(self, kind, bodies):
        return set(ref_key for body in bodies for container, key, ref_key, label in kind.references(body))

# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Names and ids: the one place that turns reference names into ids, and ids back into names.

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


class Resolver:
    """Turns names into ids for one task, asking the API at most once per (kind, name), or once per kind once
    that kind has been listed whole (``index``)."""

    def __init__(self, api):
        self.api = api
        self.indexes = {}  # kind key -> {name: [records]}, one paged list per kind
        self.ids = {}      # (kind key, name) -> id, of names found exactly once
        self._known = {}   # (kind key, id) -> name: the reverse of ids

    def index(self, key):
        """All records of one kind by name: one paged list, kept for the task."""
        if key not in self.indexes:
            kind = self.api.kind(key)
            by_name = {}
            for record in self.api.list(kind):
                by_name.setdefault(kind.name_of(record.body), []).append(record)
            self.indexes[key] = by_name
            for name, records in by_name.items():
                if len(records) == 1 and name is not None:
                    self._remember(key, name, records[0].at_id)
        return self.indexes[key]

    def learn(self, key, name, at_id):
        """Records an object made during the task, so that later references to its name resolve to it."""
        self._remember(key, name, at_id)

    def _remember(self, key, name, at_id):
        self.ids[(key, name)] = at_id
        self._known[(key, at_id)] = name

    def id_of(self, key, name, label):
        """The id of the one object of kind ``key`` named ``name``; EngineError when none or several have that name."""
        if (key, name) in self.ids:
            return self.ids[(key, name)]
        kind = self.api.kind(key)
        records = self.indexes[key].get(name, []) if key in self.indexes else named(self.api, kind, name)
        if not records:
            raise EngineError('%s: no %s is named %r in this sandbox' % (label, kind.title, name), option=label, name=name)
        if len(records) > 1:
            raise ambiguous(kind, name, records, 'use the %s' % self.api.id_name, label)
        self._remember(key, name, records[0].at_id)
        return self.ids[(key, name)]

    def resolve(self, kind, body):
        """``body`` with every reference name replaced by its id (in place)."""
        resolved = dict(((ref_key, name), self.id_of(ref_key, name, label))
                        for (ref_key, name), label in sorted(split_references(self.api, kind, body).items()))
        return substitute_references(kind, body, resolved)

    def names(self, keys):
        """``{(kind key, id): name}`` for every object of the given kinds whose name no other object of its kind has."""
        result = {}
        for key in sorted(keys):
            for name, records in self.index(key).items():
                if len(records) == 1 and name and records[0].at_id:
                    result[(key, records[0].at_id)] = name
        return result

    def readable(self, kind, body):
        """A copy of ``body`` whose reference ids read ``name (id)`` where the name is known: for diffs, not for the API."""
        if not any(self._known.get((ref_key, container[key])) for container, key, ref_key, label in kind.references(body)):
            return body
        body = copy.deepcopy(body)
        for container, key, ref_key, label in kind.references(body):
            name = self._known.get((ref_key, container[key]))
            if name:
                container[key] = '%s (%s)' % (name, container[key])
        return body

    def referenced_kinds(self, kind, bodies):
        return set(ref_key for body in bodies for container, key, ref_key, label in kind.references(body))

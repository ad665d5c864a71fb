# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pure functions: compare a partial desired document with the current one, build a minimal JSON Patch.

FOR INTERNAL COLLECTION USE ONLY. Nothing here does I/O or knows about Ansible.

The desired document is partial: a dict manages only the keys it names (unless its path is declared
``WHOLE``), a list is always the whole list, compared by the rule declared for its path:
``ORDERED`` (by position, the default), ``SET`` (order and repeats ignored) or a key name (the list's
elements are matched by that key, order ignored). Paths in ``rules`` are tuples of keys, with ``*`` for
"any list element". A desired value of ``None`` inside a dict means "this key must be absent".
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime
import functools
import json
import re

ORDERED = 'ordered'
SET = 'set'
WHOLE = 'whole'
DATE = 'date'
ANY = '*'

_RFC3339 = re.compile(r'^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})\Z')


def escape_pointer_token(token):
    """RFC 6901: ``~`` becomes ``~0`` and ``/`` becomes ``~1``, in that order."""
    return str(token).replace('~', '~0').replace('/', '~1')


def pointer(tokens):
    return ''.join('/' + escape_pointer_token(t) for t in tokens)


def parse_rfc3339(value):
    """Returns an aware datetime for an RFC 3339 date-time string, or None when it is not one."""
    if not isinstance(value, str):
        return None
    match = _RFC3339.match(value)
    if not match:
        return None
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    fraction = match.group(7) or ''
    microsecond = int((fraction[1:] + '000000')[:6]) if fraction else 0
    zone = match.group(8).upper()
    try:
        if zone == 'Z':
            tzinfo = datetime.timezone.utc
        else:
            sign = 1 if zone[0] == '+' else -1
            tzinfo = datetime.timezone(sign * datetime.timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6])))
        return datetime.datetime(year, month, day, hour, minute, second, microsecond, tzinfo=tzinfo)
    except ValueError:  # an impossible day, or an offset of 24 hours or more
        return None


class Rules:
    """How to compare the values found at each path of a kind's documents."""

    def __init__(self, lists=None, wholes=(), dates=()):
        self.lists = dict(lists or {})
        self.wholes = set(wholes)
        self.dates = set(dates)

    @staticmethod
    @functools.lru_cache(maxsize=4096)  # a kind has a few hundred distinct paths; asked once per value compared
    def _generic(path):
        return tuple(ANY if isinstance(t, int) else t for t in path)

    def list_rule(self, path):
        return self.lists.get(self._generic(path), ORDERED)

    def is_whole(self, path):
        return self._generic(path) in self.wholes

    def is_date(self, path):
        return self._generic(path) in self.dates


NO_RULES = Rules()


def _canonical(value):
    return json.dumps(value, sort_keys=True, separators=(',', ':'))


def _marker(value):
    """What tells a list element (or its key) from the others: a string is itself, anything else its canonical JSON.

    As the canonical JSON of a string but without a json.dumps per element, the cost of large no-op runs (the tuple
    keeps a string apart from JSON text that reads the same). Only for sets and dict keys; ``_canonical`` sorts.
    """
    return value if isinstance(value, str) else ('json', _canonical(value))


def scalars_equal(current, desired, is_date=False):
    """Equality that does not confuse True with 1, and compares dates as instants."""
    if is_date:
        left, right = parse_rfc3339(current), parse_rfc3339(desired)
        if left is not None and right is not None:
            return left == right
    if isinstance(current, bool) or isinstance(desired, bool):
        return current is desired
    if isinstance(current, (int, float)) and isinstance(desired, (int, float)):
        return current == desired
    return type(current) is type(desired) and current == desired


def make_patch(current, desired, rules=NO_RULES, prefix=()):
    """Returns the add/replace/remove operations that turn ``current`` into a document conforming to ``desired``.

    ``prefix`` is prepended to every path (the API's envelope, e.g. ``('_instance',)``).
    """
    ops = []
    _diff_value(current, desired, (), rules, list(prefix), ops)
    return ops


def conforms(current, desired, rules=NO_RULES):
    return not make_patch(current, desired, rules)


def _diff_value(current, desired, path, rules, prefix, ops):
    if isinstance(desired, dict):
        if not isinstance(current, dict):
            ops.append(_op('replace', prefix + list(path), payload(desired, rules, path)))
        else:
            _diff_dict(current, desired, path, rules, prefix, ops)
    elif isinstance(desired, list):
        if not isinstance(current, list):
            ops.append(_op('replace', prefix + list(path), payload(desired, rules, path)))
        else:
            _diff_list(current, desired, path, rules, prefix, ops)
    elif type(current) is type(desired) and current == desired:
        return  # the same scalar, whatever the path's rule: most values of a no-op, so before the date check
    elif not scalars_equal(current, desired, rules.is_date(path)):
        ops.append(_op('replace', prefix + list(path), desired))


_SCALARS = frozenset((str, int, float, bool))


def _diff_dict(current, desired, path, rules, prefix, ops):
    if rules.is_whole(path):
        for key in sorted(set(current) - set(desired), key=str):
            ops.append(_op('remove', prefix + list(path + (key,))))
    for key, value in desired.items():
        if type(value) in _SCALARS and key in current and type(current[key]) is type(value) and current[key] == value:
            continue  # the same scalar, whatever the path's rule: most values of a no-op, compared without a path
        child = path + (key,)
        if value is None or is_vacuous(value, rules, child):
            if value is None and key in current:
                ops.append(_op('remove', prefix + list(child)))
            elif key in current:
                _diff_value(current[key], value, child, rules, prefix, ops)
        elif key not in current:
            ops.append(_op('add', prefix + list(child), payload(value, rules, child)))
        else:
            _diff_value(current[key], value, child, rules, prefix, ops)


def _diff_list(current, desired, path, rules, prefix, ops):
    rule = rules.list_rule(path)
    base = prefix + list(path)
    if rule == ORDERED:
        for index, value in enumerate(desired[:len(current)]):
            _diff_value(current[index], value, path + (index,), rules, prefix, ops)
        # Remove from the end so earlier indexes stay valid.
        for index in range(len(current) - 1, len(desired) - 1, -1):
            ops.append(_op('remove', base + [index]))
        for index, value in enumerate(desired[len(current):], len(current)):
            ops.append(_op('add', base + ['-'], payload(value, rules, path + (index,))))
        return
    if rule == SET:
        wanted = set(_marker(v) for v in desired)
        keep, seen = [], set()
        for index, value in enumerate(current):
            canon = _marker(value)
            keep.append(canon in wanted and canon not in seen)
            seen.add(canon)
        for index in range(len(current) - 1, -1, -1):
            if not keep[index]:
                ops.append(_op('remove', base + [index]))
        present = set(_marker(v) for v, k in zip(current, keep) if k)
        for value in _unique(desired):
            if _marker(value) not in present:
                ops.append(_op('add', base + ['-'], payload(value, rules, path + (0,))))
        return
    _diff_keyed_list(current, desired, path, rule, rules, prefix, ops)


def _diff_keyed_list(current, desired, path, key, rules, prefix, ops):
    """Elements are matched by ``key``: removed ones go first (from the end), matched ones are diffed, new ones appended."""
    base = prefix + list(path)
    desired_by_key = {}
    for value in desired:
        desired_by_key.setdefault(_marker(_key_of(value, key)), value)
    kept, seen = [], set()
    for index, value in enumerate(current):
        marker = _marker(_key_of(value, key))
        if marker in desired_by_key and marker not in seen:
            kept.append((index, marker))
            seen.add(marker)
        else:
            kept.append((index, None))
    for index, marker in reversed(kept):
        if marker is None:
            ops.append(_op('remove', base + [index]))
    position = 0
    for index, marker in kept:
        if marker is None:
            continue
        _diff_value(current[index], desired_by_key[marker], path + (position,), rules, prefix, ops)
        position += 1
    for marker, value in desired_by_key.items():
        if marker not in seen:
            ops.append(_op('add', base + ['-'], payload(value, rules, path + (0,))))


def _unique(values):
    seen, result = set(), []
    for value in values:
        canon = _marker(value)
        if canon not in seen:
            seen.add(canon)
            result.append(value)
    return result


def _op(op, tokens, value=None):
    result = {'op': op, 'path': pointer(tokens)}
    if op != 'remove':
        result['value'] = value
    return result


def is_vacuous(value, rules=NO_RULES, path=()):
    """A partial dict that only says "absent" (all its values None or vacuous): nothing to send.

    A WHOLE dict is a value: ``{'c': None}`` there means "the empty mapping".
    """
    return (isinstance(value, dict) and bool(value) and not rules.is_whole(path)
            and all(v is None or is_vacuous(v, rules, path + (k,)) for k, v in value.items()))


def payload(value, rules=NO_RULES, path=()):
    """What to send for a desired value: no ``None``s or vacuous dicts, unordered lists without repeats.

    Without the de-duplication a list sent whole would differ from itself on the next run.
    """
    if isinstance(value, dict):
        return dict((k, payload(v, rules, path + (k,))) for k, v in value.items()
                    if v is not None and not is_vacuous(v, rules, path + (k,)))
    if isinstance(value, list):
        rule = rules.list_rule(path)
        if rule == SET:
            value = _unique(value)
        elif rule != ORDERED:
            value = _first_per_key(value, rule)
        return [payload(v, rules, path + (0,)) for v in value]
    return value


def _first_per_key(values, key):
    seen, result = set(), []
    for value in values:
        marker = _marker(_key_of(value, key))
        if marker not in seen:
            seen.add(marker)
            result.append(value)
    return result


def _key_of(element, key):
    return element.get(key) if isinstance(element, dict) else element


def project(current, desired, rules=NO_RULES, path=()):
    """The part of ``current`` that ``desired`` manages, in a canonical form (for diffs and tests)."""
    if isinstance(desired, dict):
        if not isinstance(current, dict):
            return current
        keys = set(desired) | (set(current) if rules.is_whole(path) else set())
        result = {}
        for key in keys:
            if key in current:
                value = project(current[key], desired.get(key), rules, path + (key,))
                # What a vacuous desired value manages is gone: nothing left to show.
                if not (value == {} and is_vacuous(desired.get(key), rules, path + (key,))):
                    result[key] = value
        return result
    if isinstance(desired, list) and isinstance(current, list):
        shapes = [_element_shape(desired, index, value, rules, path) for index, value in enumerate(current)]
        return _canonical_list([project(v, s, rules, path + (0,)) for v, s in zip(current, shapes)], rules, path)
    return current


def canonical(desired, rules=NO_RULES, path=()):
    """``desired`` without ``None`` keys, with unordered lists in a stable order (for diffs and tests)."""
    if isinstance(desired, dict):
        return dict((k, canonical(v, rules, path + (k,))) for k, v in desired.items()
                    if v is not None and not is_vacuous(v, rules, path + (k,)))
    if isinstance(desired, list):
        return _canonical_list([canonical(v, rules, path + (0,)) for v in desired], rules, path)
    return desired


def _element_shape(desired, index, current_element, rules, path):
    """The desired element that ``current_element`` is compared with, or None (compared whole)."""
    rule = rules.list_rule(path)
    if rule == SET:
        return None
    if rule == ORDERED:
        return desired[index] if index < len(desired) else None
    if not isinstance(current_element, dict):
        return None
    for value in desired:
        if _marker(value.get(rule)) == _marker(current_element.get(rule)):
            return value
    return None


def _canonical_list(values, rules, path):
    rule = rules.list_rule(path)
    if rule == ORDERED:
        return values
    if rule == SET:
        return sorted(_unique(values), key=_canonical)
    return sorted(values, key=lambda v: _canonical(v.get(rule)) if isinstance(v, dict) else '')

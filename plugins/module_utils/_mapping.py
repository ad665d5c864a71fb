# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""How one API stores one kind: module options to body fields and back, list rules, reference paths.

FOR INTERNAL COLLECTION USE ONLY. Pure: no I/O, no Ansible. Each API implementation (``_xcore``) builds
one ``Mapping`` per catalogue kind; nothing here knows any API's field names.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy

from ansible_collections.aep.offers.plugins.module_utils._errors import InputError
from ansible_collections.aep.offers.plugins.module_utils._diff import ANY, Rules, make_patch, parse_rfc3339, pointer


class Field:
    """One module option stored at ``path`` inside the body; ``convert`` maps the option's value.

    ``derive`` computes the value from all the params, when it depends on other options; ``export``
    is the reverse of ``convert``: export(api value, whole body) gives the option's value, None to leave it out.
    ``also`` holds constant fields ``{path: value}`` that the API wants beside this one when it is set.
    """

    def __init__(self, option, path, convert=None, derive=None, export=None, also=None):
        self.option = option
        self.path = tuple(path)
        self.convert = convert
        self.derive = derive
        self.export = export
        self.also = dict(also or {})

    def put(self, body, value, label):
        set_path(body, self.path, self.convert(value, label) if self.convert else value)
        for path, constant in self.also.items():
            set_path(body, path, copy.deepcopy(constant))  # each body its own: a constant dict is never shared

    def take(self, body):
        """The option's value from ``body``, or None when the body does not hold it."""
        found, value = get_path(body, self.path)
        if not found or value is None:
            return None
        return self.export(value, body) if self.export else copy.deepcopy(value)


class Nested:
    """Converts a dict option, or each dict of a list option (``many``), field by field like a Mapping.

    Used as a Field's ``convert`` (and its ``export``): the fields of the items are declared, not coded.
    """

    def __init__(self, fields, many=False):
        self.fields = list(fields)
        self.many = many

    def __call__(self, value, option):
        if not self.many:
            return self._to_api(value, option)
        return [self._to_api(item, '%s[%d]' % (option, index)) for index, item in enumerate(value)]

    def _to_api(self, item, label):
        body = {}
        for field in self.fields:
            if item.get(field.option) is not None:
                field.put(body, item[field.option], '%s.%s' % (label, field.option))
        return body

    def export(self, value, body=None):
        if not self.many:
            return options_of(self.fields, value) or None
        return [options_of(self.fields, item) for item in value or []]


def options_of(fields, body):
    """The options that ``fields`` find in ``body``; absent ones are left out."""
    options = {}
    for field in fields:
        value = field.take(body)
        if value is not None:
            options[field.option] = value
    return options


def nested(fields, many=False):
    """A Field's convert and export for a dict option (``many``: a list of dicts), from the items' fields."""
    shape = Nested(fields, many)
    return dict(convert=shape, export=shape.export)


class Mapping:
    """A catalogue kind as one API stores it, and what that API offers for it.

    ``refs`` maps each of the kind's reference labels to the body path that holds it (``ANY`` for list
    items), or to ``(path, when)`` where ``when(body)`` says whether the slot holds that label's kind.
    ``server_fields`` are top-level body keys the server owns, refused in the raw ``instance`` option.
    ``write_only`` options are stored by the API but not read back: sent on create and along with any other
    change, never a change on their own.

    Capabilities, declared here and read by the API implementation and the library (never probed):
    ``update`` is how an object changes (``PATCH`` with operations, or ``PUT`` of the whole object);
    ``deletable`` is false when the API has no delete for the kind; ``family`` is the ``(field, value)`` that
    tells this kind from another at the same endpoint (sent on every write, filtered on in lists);
    ``schema_header`` says every call carries the object's schema as a header; ``built`` are top-level
    fields the server builds (never sent back); ``read`` maps a body path (``ANY`` for list items) to a function
    that writes a read value the way the collection sends it, so that the server's own spelling is no change.
    ``dates`` are body paths (``ANY`` for list items) compared as instants, beside those of the kind's date options.
    ``unmapped`` are the kind's options this API has no field for (the other API's only): a task that gives one fails
    before any request, saying which API it needs. Every other option must have its Field.
    """

    api_name = None  # the API whose mapping this is, in messages
    extra_options = ()  # options the mapping handles itself (in ``desired`` and ``to_options``), not as a Field

    def __init__(self, kind, fields, name_path, refs=None, lists=None, wholes=(), server_fields=(), write_only=(),
                 update='PATCH', deletable=True, family=None, schema_header=False, built=(), read=(), dates=(), unmapped=()):
        self.kind = kind
        self.key = kind.key
        self.title = kind.title
        self.result_key = kind.result_key
        self.fields = list(fields)
        self.name_path = tuple(name_path)
        self.server_fields = tuple(server_fields)
        self.ref_paths = dict((label, spec if isinstance(spec, tuple) and callable(spec[-1]) else (spec, None))
                              for label, spec in (refs or {}).items())
        missing = set(kind.refs) ^ set(self.ref_paths)
        if missing:
            raise ValueError('%s: references declared and mapped differ: %s' % (kind.key, ', '.join(sorted(missing))))
        by_option = dict((f.option, f) for f in self.fields)
        self.rules = Rules(lists=lists, wholes=wholes,
                           dates=[by_option[option].path for option in kind.dates] + [tuple(path) for path in dates])
        self.write_only = [by_option[option].path for option in write_only]
        self.write_only_options = tuple(write_only)
        self.update = update
        self.deletable = deletable
        self.family = family
        self.schema_header = schema_header
        self.built = tuple(built)
        self.read_rules = list(read)
        self.unmapped = tuple(unmapped)
        missing = set(option for option in kind.options if option not in by_option and option not in self.extra_options)
        if missing != set(self.unmapped):
            raise ValueError('%s: options without a field differ from those declared unmapped: %s' % (
                kind.key, ', '.join(sorted(missing ^ set(self.unmapped)))))

    def __repr__(self):
        return 'Mapping(%r)' % self.key

    def comparable(self, desired):
        """``desired`` without the write-only fields, which the API does not show and so cannot be compared."""
        if not self.write_only or not any(get_path(desired, path)[0] for path in self.write_only):
            return desired
        result = copy.deepcopy(desired)
        for path in self.write_only:
            found, parent = get_path(result, path[:-1])
            if found and isinstance(parent, dict):
                parent.pop(path[-1], None)
        return result

    def plan(self, current, desired):
        """The JSON Patch from ``current`` to ``desired``; write-only fields ride along with any other change."""
        ops = make_patch(current, self.comparable(desired), self.rules)
        if ops:
            for path in self.write_only:
                found, value = get_path(desired, path)
                if found and value is not None:
                    ops.append({'op': 'add', 'path': pointer(path), 'value': copy.deepcopy(value)})
        return ops

    def name_of(self, body):
        return get_path(body, self.name_path)[1]

    def read(self, document, schema_id=None):
        """The body to compare and plan against: ``document`` with the ``read`` rules applied (and its schema)."""
        body = document
        for path, normalise in self.read_rules:
            body = rewritten(body, tuple(path), normalise)
        return body

    def desired(self, params):
        """The partial body the task asks for: only the options it gave, plus its raw ``instance``."""
        for option in self.unmapped:
            if params.get(option) is not None:
                raise InputError(option, 'needs api: %s (the %s API has no field for it); set api: %s or leave %s out' % (
                    self._other_api(), self.api_name, self._other_api(), option))
        self.check_dates(params)
        self.kind.check(params)
        body = {}
        for field in self.fields:
            value = field.derive(params) if field.derive else params.get(field.option)
            if value is not None:
                field.put(body, value, field.option)
        raw = params.get('instance')
        if raw:
            for key in self.server_fields:
                if key in raw:
                    raise InputError('instance', '%s is set by the server and cannot be managed' % key)
            body = _merge(raw, body, 'instance')
        return body

    def _other_api(self):
        return 'dps' if self.api_name != 'dps' else 'xcore'

    def check_dates(self, params):
        """Dates must be RFC 3339, and a range must not end before it starts: both found before any request."""
        instants = {}
        for option in self.kind.dates:
            value = params.get(option)
            if value is None:
                continue
            instants[option] = parse_rfc3339(value)
            if instants[option] is None:
                raise InputError(option, '%r is not an RFC 3339 date-time (like 2026-01-31T23:59:59Z)' % (value,))
        for start, end in self.kind.date_ranges:
            if start in instants and end in instants and instants[end] < instants[start]:
                raise InputError(end, '%s %s is before %s %s' % (end, params[end], start, params[start]))

    def to_options(self, body):
        """The body as this kind's module options (the reverse of ``desired``); absent fields are left out."""
        return options_of(self.fields, body)

    def references(self, body):
        """Yields (container, key, referenced kind key, option label) for every reference the body holds."""
        for label, (path, when) in self.ref_paths.items():
            if when is not None and not when(body):
                continue
            for container, key in walk(body, path):
                yield container, key, self.kind.refs[label], label


def get_path(body, path):
    node = body
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return False, None
        node = node[key]
    return True, node


def set_path(body, path, value):
    node = body
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value


def walk(node, pattern):
    """Yields (container, key) for every place in ``node`` that matches ``pattern`` (``ANY`` matches list items)."""
    if not pattern:
        return
    head, rest = pattern[0], pattern[1:]
    if head == ANY:
        if isinstance(node, list):
            for index in range(len(node)):
                if rest:
                    yield from walk(node[index], rest)
                else:
                    yield node, index
    elif isinstance(node, dict) and head in node:
        if rest:
            yield from walk(node[head], rest)
        else:
            yield node, head


def rewritten(node, pattern, change):
    """``node`` with ``change`` applied to every non-null value ``pattern`` matches (``ANY`` matches list items). The
    containers on the way are copies; the rest is shared, so a read costs its rules, not a deep copy of the object."""
    if not pattern:
        return change(node) if node is not None else node
    head, rest = pattern[0], pattern[1:]
    if head == ANY:
        return [rewritten(value, rest, change) for value in node] if isinstance(node, list) else node
    if not isinstance(node, dict) or head not in node:
        return node
    return dict(node, **{head: rewritten(node[head], rest, change)})


def _merge(raw, typed, label):
    """Typed options over the raw ``instance`` dict; the same field set by both is a conflict, not a silent choice."""
    result = dict(raw)
    for key, value in typed.items():
        if key not in raw:
            result[key] = value
        elif isinstance(value, dict) and isinstance(raw[key], dict):
            result[key] = _merge(raw[key], value, '%s.%s' % (label, key))
        else:
            raise InputError(label, '%r is also set by a typed option; set it in one place only' % key)
    return result


# Value converters that are the same for every API --------------------------------------------------

def as_list(value, option=None):
    return list(value)


def as_list_of(value, option=None):
    """A list, from a list or a single string (an option that takes either)."""
    return [value] if isinstance(value, str) else list(value)


def pql(names):
    """A PQL text option as the API's condition object, whose field names are ``names`` (type, format, value)."""
    type_, format_, value_ = names

    def convert(value, option):
        return {type_: 'PQL', format_: 'pql/text', value_: value}

    def export(value, body):
        return value.get(value_) if isinstance(value, dict) else value
    return dict(convert=convert, export=export)


def enum(values):
    """An option whose values the API writes differently: ``values`` maps each option value to the API's."""
    reverse = dict((api, option) for option, api in values.items())
    return dict(convert=lambda value, option: values.get(value, value), export=lambda value, body: reverse.get(value, value))


def prefixed(prefix):
    """An option given as a short name or a full URI, stored as the URI ``prefix + name``; exported short again."""
    def convert(value, option):
        return value if ':' in value else prefix + value

    def export(value, body):
        return value[len(prefix):] if isinstance(value, str) and value.startswith(prefix) and value != prefix else value
    return dict(convert=convert, export=export)

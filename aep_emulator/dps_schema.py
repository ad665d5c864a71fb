"""Body schemas for the dps kinds that can also say which field paths they know.

A kind's schema checks a body (an unknown field is refused, naming it) and lists its field paths:
dotted, list elements written `[]`, e.g. `representations[].components[].type`. The paths are what
tests compare with Adobe's examples (tests/adobe_examples), so that the emulator accepts exactly the
documented fields plus the undocumented ones docs/emulator.md lists.

Path patterns may hold wildcards: `<alias>`, `<key>` and `<tenant>` stand for one free key (a map's
key, a custom-attribute object's key), `**` for any paths below (free-form content).
"""

import re

from .errors import bad_request

ANY_BELOW = "**"


def join(prefix, name):
    return f"{prefix}.{name}" if prefix else name


def _pointer(where, name):
    return f"{where}/{name}"


class Spec:
    """A node of a body: check(value, where) raises a 400 or 422 ApiError; paths(prefix) lists the
    paths below the node (not the node's own)."""

    def check(self, value, where):
        raise NotImplementedError

    def paths(self, prefix):
        return ()


class Leaf(Spec):
    """A value checked by a function of (value, where), e.g. kinds.string()."""

    def __init__(self, check=None):
        self._check = check

    def check(self, value, where):
        if self._check is not None:
            self._check(value, where)


class Arr(Spec):
    def __init__(self, item):
        self.item = item

    def check(self, value, where):
        if not isinstance(value, list):
            raise _invalid(where, "must be an array")
        for index, element in enumerate(value):
            self.item.check(element, _pointer(where, index))

    def paths(self, prefix):
        return self.item.paths(prefix + "[]")


class Free(Spec):
    """An object whose content is free (a tenant's custom attributes)."""

    def check(self, value, where):
        if not isinstance(value, dict):
            raise _invalid(where, "must be an object")

    def paths(self, prefix):
        return (join(prefix, ANY_BELOW),)


class Keys:
    """Free keys of an object: `label` in paths, `pattern` the keys it takes, `spec` their values."""

    def __init__(self, label, spec, pattern=r"^.*$", unlike=()):
        self.label, self.spec = label, spec
        self.pattern = re.compile(pattern, re.S)
        self.unlike = tuple(unlike)

    def takes(self, key):
        return key not in self.unlike and bool(self.pattern.match(key))


class Obj(Spec):
    """An object: `fields` a client may send, `server` fields the server sets (shown by GET or in a
    receipt, refused in a body as read-only), `keys` free keys (Keys), `required` field names."""

    def __init__(self, fields=None, server=None, keys=None, required=(), unknown="is not a property of this schema"):
        self.fields = dict(fields or {})
        self.server = dict(server or {})
        self.keys = keys
        self.required = tuple(required)
        self.unknown = unknown

    def check(self, value, where):
        if not isinstance(value, dict):
            raise _invalid(where, "must be an object")
        for name in self.required:
            if name not in value:
                raise _invalid(_pointer(where, name), "is required")
        for name, element in value.items():
            if name in self.fields:
                self.fields[name].check(element, _pointer(where, name))
            elif name in self.server:
                raise bad_request(f"{_pointer(where, name)}: is set by the server", "read-only")
            elif self.keys is not None and self.keys.takes(name):
                self.keys.spec.check(element, _pointer(where, name))
            else:
                raise _invalid(_pointer(where, name), self.unknown)

    def paths(self, prefix):
        for name, spec in list(self.fields.items()) + list(self.server.items()):
            path = join(prefix, name)
            yield path
            yield from spec.paths(path)
        if self.keys is not None:
            path = join(prefix, self.keys.label)
            yield path
            yield from self.keys.spec.paths(path)


def shape(tree):
    """A structure-only spec from a nested description (dict: object, [x]: array of x, None: a
    value): for what the server builds, whose paths matter but which a client never sends."""
    if isinstance(tree, dict):
        return Obj({name: shape(sub) for name, sub in tree.items()})
    if isinstance(tree, list):
        return Arr(shape(tree[0])) if tree else Arr(Leaf())
    return Leaf()


def _invalid(where, message):
    return bad_request(f"{where or '/'}: {message}", "schema-validation")


def path_matches(pattern, path, wildcards):
    """Whether a concrete `path` fits `pattern`: segments equal, `<...>` segments taking what
    wildcards[label](segment) accepts, `**` taking any rest."""
    want, got = pattern.split("."), path.split(".")
    for index, segment in enumerate(want):
        if segment == ANY_BELOW:
            return len(got) > index
        if index >= len(got):
            return False
        if segment in wildcards:
            if not wildcards[segment](got[index]):
                return False
        elif segment != got[index]:
            return False
    return len(got) == len(want)

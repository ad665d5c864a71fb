"""JSON Patch for PATCH, with the rules both APIs share and the ones that differ.

Both: a non-empty array of RFC 6902 operations, checked before anything is applied, applied all or
nothing on a copy, validated afterwards. xcore: only add/replace/remove, only paths under
/_instance/ (never @id), refusals 400 or 422 as the page says. dps: add/replace/remove/copy/test on
un-prefixed paths, server fields read-only, and every refusal a 400.
"""

import copy

import jsonpatch
import jsonpointer

from .errors import bad_request, parse_json, unprocessable

XCORE_OPS = ("add", "replace", "remove")
DPS_OPS = ("add", "replace", "remove", "copy", "test")


class PatchFailed(Exception):
    """An operation that cannot be applied to the document (the caller picks the status)."""


def _pointer_parts(i, name, text):
    try:
        return jsonpointer.JsonPointer(text).parts
    except jsonpointer.JsonPointerException as exc:
        raise bad_request(f"Operation {i}: invalid JSON Pointer in '{name}' {text!r}: {exc}",
                          "invalid-pointer") from None


def check_ops(ops, allowed):
    """The operations as [(op, path parts)], malformed ones refused with 400; members RFC 6902 does
    not define for an op are dropped (the library ignores them anyway)."""
    if not isinstance(ops, list) or not ops:
        raise bad_request("A PATCH body is a non-empty JSON Patch array", "invalid-patch")
    checked = []
    for i, op in enumerate(ops):
        if not isinstance(op, dict):
            raise bad_request(f"Operation {i} is not an object", "invalid-patch")
        if op.get("op") not in allowed:
            raise bad_request(f"Operation {i}: 'op' must be one of {', '.join(allowed)}", "invalid-patch")
        if not isinstance(op.get("path"), str):
            raise bad_request(f"Operation {i}: 'path' must be a string", "invalid-patch")
        if op["op"] in ("add", "replace", "test") and "value" not in op:
            raise bad_request(f"Operation {i}: '{op['op']}' needs a 'value'", "invalid-patch")
        members = ("op", "path", "value")
        if op["op"] == "copy":
            if not isinstance(op.get("from"), str):
                raise bad_request(f"Operation {i}: 'copy' needs a 'from' string", "invalid-patch")
            _pointer_parts(i, "from", op["from"])
            members = ("op", "path", "from")
        parts = _pointer_parts(i, "path", op["path"])
        checked.append(({k: op[k] for k in members if k in op}, parts))
    return checked


def apply_ops(document, ops):
    """A patched deep copy of `document`; PatchFailed names the first operation that cannot apply."""
    document = copy.deepcopy(document)
    for i, op in enumerate(ops):
        try:
            document = jsonpatch.JsonPatch([op]).apply(document, in_place=True)
        except (jsonpatch.JsonPatchException, jsonpointer.JsonPointerException,
                TypeError, KeyError, IndexError, ValueError) as exc:
            reason = str(exc).split(" in {")[0][:200]  # the library quotes the whole document
            raise PatchFailed(f"Operation {i} ({op['op']} {op['path']}) cannot be applied: {reason}") from None
    return document


# -- xcore ------------------------------------------------------------------------------------------

def parse_patch(data):
    """The checked list of operations in an xcore PATCH body (400/422 on anything malformed)."""
    return check_patch(parse_json(data))


def check_patch(ops):
    checked = check_ops(ops, XCORE_OPS)
    for i, (op, parts) in enumerate(checked):
        if len(parts) < 2 or parts[0] != "_instance" or parts[1] == "@id":
            raise unprocessable(f"Operation {i}: {op['path']!r} is read-only; only fields under "
                                "/_instance/ other than @id can be changed", "read-only")
    return [op for op, _ in checked]


def apply_patch(instance, ops, kind):
    """The patched copy of `instance` (the _instance object), validated; the input is not changed."""
    try:
        patched = apply_ops({"_instance": instance}, ops)["_instance"]
    except PatchFailed as exc:
        raise unprocessable(str(exc), "patch-conflict") from None
    kind.validate(patched)
    return patched

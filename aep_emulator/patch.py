"""JSON Patch for PATCH: the page's stricter rules on top of the jsonpatch library.

Only add/replace/remove, only paths under /_instance/ (never @id), applied all or nothing and
validated against the kind's schema afterwards.
"""

import copy

import jsonpatch
import jsonpointer

from .errors import bad_request, parse_json, unprocessable

OPS = ("add", "replace", "remove")


def parse_patch(data):
    """The checked list of operations in a PATCH body (400/422 on anything malformed)."""
    return check_patch(parse_json(data))


def check_patch(ops):
    if not isinstance(ops, list) or not ops:
        raise bad_request("A PATCH body is a non-empty JSON Patch array", "invalid-patch")
    for i, op in enumerate(ops):
        if not isinstance(op, dict):
            raise bad_request(f"Operation {i} is not an object", "invalid-patch")
        if op.get("op") not in OPS:
            raise bad_request(f"Operation {i}: 'op' must be one of add, replace, remove", "invalid-patch")
        if not isinstance(op.get("path"), str):
            raise bad_request(f"Operation {i}: 'path' must be a string", "invalid-patch")
        if op["op"] != "remove" and "value" not in op:
            raise bad_request(f"Operation {i}: '{op['op']}' needs a 'value'", "invalid-patch")
        try:
            parts = jsonpointer.JsonPointer(op["path"]).parts
        except jsonpointer.JsonPointerException as exc:
            raise bad_request(f"Operation {i}: invalid JSON Pointer {op['path']!r}: {exc}",
                              "invalid-pointer") from None
        if len(parts) < 2 or parts[0] != "_instance" or parts[1] == "@id":
            raise unprocessable(f"Operation {i}: {op['path']!r} is read-only; only fields under "
                                "/_instance/ other than @id can be changed", "read-only")
    # Keep only the members RFC 6902 defines for these ops; the library ignores the rest anyway.
    return [{k: op[k] for k in ("op", "path", "value") if k in op} for op in ops]


def apply_patch(instance, ops, kind):
    """The patched copy of `instance` (the _instance object), validated; the input is not changed."""
    document = {"_instance": copy.deepcopy(instance)}
    for i, op in enumerate(ops):
        try:
            jsonpatch.JsonPatch([op]).apply(document, in_place=True)
        except (jsonpatch.JsonPatchException, jsonpointer.JsonPointerException,
                TypeError, KeyError, IndexError, ValueError) as exc:
            reason = str(exc).split(" in {")[0][:200]  # the library quotes the whole document
            raise unprocessable(f"Operation {i} ({op['op']} {op['path']}) cannot be applied: {reason}",
                                "patch-conflict") from None
    patched = document["_instance"]
    kind.validate(patched)
    return patched

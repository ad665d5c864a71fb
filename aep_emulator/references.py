"""Referential integrity, shared by both APIs: which fields hold references, and who refers to an id.

A kind lists its reference fields as path patterns: tuples of keys, with ANY standing for every
element of an array, e.g. ("xdm:criteria", ANY, "xdm:placements", ANY). A DELETE of an object whose
id another object holds in such a field is refused with 409 naming the referrers.
"""

from .errors import in_use

ANY = "*"


def values_at(node, pattern):
    """Every value found at `pattern` inside `node`."""
    if not pattern:
        yield node
        return
    head, rest = pattern[0], pattern[1:]
    if head == ANY:
        if isinstance(node, list):
            for element in node:
                yield from values_at(element, rest)
    elif isinstance(node, dict) and head in node:
        yield from values_at(node[head], rest)


def refers_to(document, patterns, target):
    return any(value == target for pattern in patterns for value in values_at(document, pattern))


def refuse_if_referred(target, candidates):
    """`candidates` are (referrer id, document, its reference patterns) whose text mentions the
    target (a cheap pre-filter); raise 409 when any of them really holds it in a reference field."""
    referrers = sorted(ref_id for ref_id, document, patterns in candidates
                       if ref_id != target and refers_to(document, patterns, target))
    if referrers:
        raise in_use(target, referrers)

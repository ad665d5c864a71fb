"""dps list parameters: property ([!]field[op]value, repeated or comma-separated, AND-ed), orderby,
limit, start; and the hrefs of _links, relative to /data/core/dps.

Expressions share xcore's PropertyFilter (== != < <= > >= and ~, a case-insensitive full-match
regex; arrays match on any element). dps adds a bare `field` (present and not null) and a leading
`!` that negates an expression.
"""

import re
from urllib.parse import quote, urlencode

from .errors import bad_request
from .query import _PROPERTY, _MISSING, PropertyFilter, _path, _single, _sort_key, check_params, resolve

DEFAULT_LIMIT = 50  # the exd-placements list's self href: orderby=-modified&limit=50
MAX_LIMIT = 100
DEFAULT_ORDER = "-modified"
LIST_PARAMS = ("property", "orderby", "limit", "start")
_FIELD = re.compile(r"^[^=!<>~]+$")


class Presence:
    """A bare `field`: true when the field is there and not null."""

    def __init__(self, field):
        self.parts = _path(field, "property")

    def matches(self, doc):
        return resolve(doc, self.parts) not in (_MISSING, None)


class Negation:
    def __init__(self, inner):
        self.inner = inner

    def matches(self, doc):
        return not self.inner.matches(doc)


def parse_property(expression):
    negate = expression.startswith("!")
    body = expression[1:] if negate else expression
    if not body.strip():
        raise bad_request(f"Invalid property expression {expression!r}", "invalid-query")
    if _PROPERTY.match(body):
        inner = PropertyFilter(body)
    elif _FIELD.match(body):
        inner = Presence(body)
    else:
        raise bad_request(f"Invalid property expression {expression!r}: expected [!]field[op]value "
                          "with op one of == != <= >= < > ~, or [!]field", "invalid-query")
    return Negation(inner) if negate else inner


class DpsQuery:
    def __init__(self, args, path, extra=()):
        check_params(args, LIST_PARAMS + tuple(extra))
        self.args, self.path = args, path
        self.filters = [parse_property(expression) for value in args.getlist("property")
                        for expression in value.split(",")]
        order = ",".join(args.getlist("orderby")) or DEFAULT_ORDER
        self.order = []
        for field in order.split(","):
            field = field.strip()
            self.order.append((_path(field.lstrip("+-"), "orderby"), field.startswith("-")))
        self.limit = min(self._integer("limit", DEFAULT_LIMIT, 1), MAX_LIMIT)
        self.start = self._integer("start", 0, 0)

    def _integer(self, name, default, minimum):
        raw = _single(self.args, name)
        if raw is None:
            return default
        if not re.fullmatch(r"[0-9]{1,12}", raw) or int(raw) < minimum:
            raise bad_request(f"{name!r} must be an integer >= {minimum}", "invalid-query")
        return int(raw)

    def select(self, views):
        """The matching views, sorted by orderby, then by id so that pages never overlap."""
        found = [v for v in views if all(f.matches(v) for f in self.filters)]
        found.sort(key=lambda v: v["id"])
        for parts, descending in reversed(self.order):  # stable sorts, last key first
            found.sort(key=lambda v: _sort_key(resolve(v, parts)), reverse=descending)
        return found

    def page(self, views):
        """The list answer: {results, count, total, _links} with self, and next/prev where they exist."""
        found = self.select(views)
        results = found[self.start:self.start + self.limit]
        links = {"self": self._link(self.start)}
        if self.start + len(results) < len(found):
            links["next"] = self._link(self.start + len(results))
        if self.start > 0:
            links["prev"] = self._link(max(0, self.start - self.limit))
        return {"results": results, "count": len(results), "total": len(found), "_links": links}

    def _link(self, start):
        items = [(k, v) for k, v in self.args.items(multi=True) if k != "start"]
        # The self href of a bare list shows the server's defaults (dps-api.md §2).
        if "orderby" not in self.args:
            items.append(("orderby", DEFAULT_ORDER))
        if "limit" not in self.args:
            items.append(("limit", str(DEFAULT_LIMIT)))
        if start:
            items.append(("start", str(start)))
        return {"href": f"{self.path}?{urlencode(items, quote_via=quote, safe=':/;,=~!')}",
                "type": "application/json"}

"""List, search and discovery parameters: schema, name, id, property, orderby, limit, start, q."""

import json
import re
from urllib.parse import quote, urlencode

from .errors import bad_request
from .kinds import kind_for_schema, schema_base

DEFAULT_LIMIT = 25
MAX_LIMIT = 100
LIST_PARAMS = ("schema", "name", "id", "property", "orderby", "limit", "start")
SEARCH_PARAMS = LIST_PARAMS + ("q",)
DISCOVERY_PARAMS = ("product", "property")
# The human-readable fields that `q` searches.
TEXT_FIELDS = ("xdm:name", "xdm:description", "description")

_PROPERTY = re.compile(r"^([^=!<>~]+)(==|!=|<=|>=|<|>|~)(.*)$", re.DOTALL)
_MISSING = object()


def resolve(doc, parts):
    """The value at a dotted path such as _instance.xdm:rank.xdm:priority, or _MISSING."""
    for part in parts:
        if not isinstance(doc, dict) or part not in doc:
            return _MISSING
        doc = doc[part]
    return doc


def _path(text, what):
    parts = text.strip().split(".")
    if not all(parts):
        raise bad_request(f"Invalid {what} field {text!r}", "invalid-query")
    return parts


def _text(value):
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(value, sort_keys=True)


class PropertyFilter:
    """`path op value`; ~ is a case-insensitive full-match regex. Arrays match on any element."""

    def __init__(self, expression):
        match = _PROPERTY.match(expression)
        if not match:
            raise bad_request(f"Invalid property filter {expression!r}: expected path op value "
                              "with op one of == != < <= > >= ~", "invalid-query")
        self.parts = _path(match.group(1), "property")
        self.op, self.value = match.group(2), match.group(3)
        self.regex = None
        if self.op == "~":
            try:
                self.regex = re.compile(self.value, re.IGNORECASE)
            except re.error as exc:
                raise bad_request(f"Invalid regular expression {self.value!r}: {exc}",
                                  "invalid-query") from None

    def matches(self, doc):
        field = resolve(doc, self.parts)
        if field is _MISSING or field is None:
            return self.op == "!="
        if isinstance(field, list):
            if self.op == "!=":
                return not any(self._test(e, "==") for e in field)
            return any(self._test(e, self.op) for e in field)
        return self._test(field, self.op)

    def _test(self, field, op):
        if op == "~":
            return self.regex.fullmatch(_text(field)) is not None
        if isinstance(field, (int, float)) and not isinstance(field, bool):
            try:
                left, right = field, float(self.value)
            except ValueError:
                return op == "!="
        else:
            left, right = _text(field), self.value
        return {"==": left == right, "!=": left != right, "<": left < right,
                "<=": left <= right, ">": left > right, ">=": left >= right}[op]


def _sort_key(value):
    # Missing first, then numbers, then strings, then anything else: a total order over JSON.
    if value is _MISSING or value is None:
        return (0, 0)
    if isinstance(value, bool):
        return (1, int(value))
    if isinstance(value, (int, float)):
        return (1, value)
    if isinstance(value, str):
        return (2, value)
    return (3, json.dumps(value, sort_keys=True))


def _single(args, name):
    values = args.getlist(name)
    if len(values) > 1:
        raise bad_request(f"Query parameter {name!r} may be given only once", "invalid-query")
    return values[0] if values else None


def check_params(args, allowed):
    unknown = sorted(set(args.keys()) - set(allowed))
    if unknown:
        raise bad_request(f"Unknown query parameter(s): {', '.join(unknown)}; "
                          f"supported: {', '.join(allowed)}", "invalid-query")


class Query:
    def __init__(self, args, allowed=LIST_PARAMS):
        check_params(args, allowed)
        self.args = args
        schema = _single(args, "schema")
        self.base = None
        if schema is not None:
            if kind_for_schema(schema) is None:
                raise bad_request(f"Unknown schema {schema!r}", "unknown-schema")
            self.base = schema_base(schema)
        self.name = _single(args, "name")
        self.at_id = _single(args, "id")
        if self.name is not None and self.at_id is not None:
            raise bad_request("'name' and 'id' cannot be combined", "invalid-query")
        self.filters = [PropertyFilter(p) for p in args.getlist("property")]
        self.order = []
        orderby = _single(args, "orderby")
        for field in (orderby.split(",") if orderby else []):
            field = field.strip()
            descending = field.startswith("-")
            self.order.append((_path(field.lstrip("+-"), "orderby"), descending))
        self.limit = min(self._integer("limit", DEFAULT_LIMIT, 1), MAX_LIMIT)
        self.start = self._integer("start", 0, 0)
        q = _single(args, "q")
        self.terms = []
        if q is not None:
            q = q.strip().lower()
            # A quoted q is one phrase; otherwise every word must occur.
            self.terms = [q[1:-1]] if len(q) > 1 and q[0] == q[-1] == '"' else q.split()

    def _integer(self, name, default, minimum):
        raw = _single(self.args, name)
        if raw is None:
            return default
        if not re.fullmatch(r"[0-9]{1,12}", raw) or int(raw) < minimum:
            raise bad_request(f"{name!r} must be an integer >= {minimum}", "invalid-query")
        return int(raw)

    @property
    def needs_scan(self):
        """False when SQL alone can answer (default order, no property or text filter)."""
        return bool(self.filters or self.terms or
                    (self.order and self.order != [(["instanceId"], False)]))

    def select(self, texts):
        """The matching stored documents, sorted; only sort keys are kept for the documents
        outside the answer, so a scan of 10,000 offers does not hold 10,000 parsed trees."""
        entries = []
        for text in texts:
            doc = json.loads(text)
            if all(f.matches(doc) for f in self.filters) and self._has_terms(doc):
                entries.append(([_sort_key(resolve(doc, parts)) for parts, _ in self.order], text))
        for i in reversed(range(len(self.order))):  # stable sorts, last key first
            entries.sort(key=lambda entry: entry[0][i], reverse=self.order[i][1])
        return [text for _, text in entries]

    def _has_terms(self, doc):
        if not self.terms:
            return True
        instance = doc.get("_instance", {})
        text = "\n".join(str(instance.get(f, "")) for f in TEXT_FIELDS).lower()
        return all(term in text for term in self.terms)

    def href(self, path, start=None):
        items = [(k, v) for k, v in self.args.items(multi=True) if k != "start"]
        if start:
            items.append(("start", str(start)))
        query = urlencode(items, quote_via=quote, safe=":/;,=~!")
        return f"{path}?{query}" if query else path


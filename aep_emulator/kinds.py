"""The seven Offer Library object kinds: schemas, @id prefixes, defaults and field validation.

The field lists follow docs/offer-library-api.md. Unknown fields are rejected (422): a stand-in
that silently keeps a misspelt field would let a client believe it manages something it does not.
"""

import copy
import re
from datetime import datetime

from .errors import unprocessable
from .references import ANY

NS = "https://ns.adobe.com/experience/offer-management/"
COMPONENT_TYPES = tuple(NS + "content-component-" + t for t in ("text", "html", "imagelink", "json"))


def schema_base(schema):
    """Schemas are compared without their ';version=' part (the server may store a newer one)."""
    return schema.split(";", 1)[0].strip()


# -- a tiny validator: each spec is a callable check(value, where) that raises on failure ----------

def _fail(where, message):
    raise unprocessable(f"{where}: {message}", "schema-validation")


def string(max_bytes=None, nonempty=False):
    def check(value, where):
        if not isinstance(value, str):
            _fail(where, "must be a string")
        if nonempty and not value.strip():
            _fail(where, "must not be empty")
        if max_bytes is not None and len(value.encode("utf-8", "surrogatepass")) > max_bytes:
            _fail(where, f"must be at most {max_bytes} bytes")
    return check


def enum(*values):
    def check(value, where):
        if value not in values or not isinstance(value, str):
            _fail(where, f"must be one of {', '.join(values)}")
    return check


def integer(minimum=0):
    def check(value, where):
        # bool is an int in Python but not in JSON.
        if isinstance(value, bool) or not isinstance(value, int):
            _fail(where, "must be an integer")
        if value < minimum:
            _fail(where, f"must be >= {minimum}")
    return check


_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def date_time(value, where):
    if not isinstance(value, str) or not _RFC3339.match(value):
        _fail(where, "must be an RFC 3339 date-time such as 2024-01-31T23:59:59Z")
    try:
        datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    except ValueError:
        _fail(where, "is not a valid date-time")


def ref(*kind_names):
    """A reference to another object by its @id, e.g. xcore:offer-placement:124e0be5699743d3."""
    patterns = [re.compile("^" + re.escape(PREFIXES[k]) + "[0-9a-f]+$") for k in kind_names]

    def check(value, where):
        if not isinstance(value, str) or not any(p.match(value) for p in patterns):
            wanted = " or ".join(PREFIXES[k] + "<hex>" for k in kind_names)
            _fail(where, f"must be an @id of the form {wanted}")
    return check


def array(item):
    def check(value, where):
        if not isinstance(value, list):
            _fail(where, "must be an array")
        for i, element in enumerate(value):
            item(element, f"{where}/{i}")
    return check


def obj(fields=None, required=(), values=None):
    """An object with known fields; `values` is the check for free-form keys (a string map)."""
    fields = fields or {}

    def check(value, where):
        if not isinstance(value, dict):
            _fail(where, "must be an object")
        for name in required:
            if name not in value:
                _fail(f"{where}/{name}", "is required")
        for name, element in value.items():
            if name in fields:
                fields[name](element, f"{where}/{name}")
            elif values is not None:
                values(element, f"{where}/{name}")
            else:
                _fail(f"{where}/{name}", "is not a property of this schema")
    return check


def any_object(value, where):
    if not isinstance(value, dict):
        _fail(where, "must be an object")


# -- the kinds ------------------------------------------------------------------------------------

PREFIXES = {
    "personalized-offer": "xcore:personalized-offer:",
    "fallback-offer": "xcore:fallback-offer:",
    "offer-placement": "xcore:offer-placement:",
    "offer-filter": "xcore:offer-filter:",
    "tag": "xcore:tag:",
    "eligibility-rule": "xcore:eligibility-rule:",
    "offer-activity": "xcore:offer-activity:",
}

_COMPONENT = obj({
    "@type": enum(*COMPONENT_TYPES),
    "dc:format": string(),
    "dc:language": array(string()),
    "xdm:content": string(),
    "xdm:deliveryURL": string(),
    "xdm:linkURL": string(),
    "repo:id": string(),
    "repo:name": string(),
}, required=("@type",))

_REPRESENTATION = obj({
    "xdm:channel": string(nonempty=True),
    "xdm:placement": ref("offer-placement"),
    "xdm:components": array(_COMPONENT),
}, required=("xdm:placement", "xdm:components"))

_OFFER_COMMON = {
    "xdm:name": string(nonempty=True),
    "xdm:status": enum("draft", "approved", "archived"),
    "xdm:representations": array(_REPRESENTATION),
    "xdm:tags": array(ref("tag")),
    "xdm:characteristics": obj(values=string()),
}

FIELDS = {
    "personalized-offer": dict(_OFFER_COMMON, **{
        "xdm:selectionConstraint": obj({
            "xdm:startDate": date_time,
            "xdm:endDate": date_time,
            "xdm:eligibilityRule": ref("eligibility-rule"),
        }),
        "xdm:rank": obj({"xdm:priority": integer(0)}),
        "xdm:cappingConstraint": obj({"xdm:globalCap": integer(0), "xdm:profileCap": integer(0)}),
    }),
    "fallback-offer": dict(_OFFER_COMMON),
    "offer-placement": {
        "xdm:name": string(nonempty=True),
        "xdm:description": string(),
        "xdm:channel": string(nonempty=True),
        "xdm:componentType": enum(*COMPONENT_TYPES),
        "xdm:contentTypes": array(string()),
    },
    "offer-filter": {
        "xdm:name": string(nonempty=True),
        "xdm:filterType": enum("offers", "anyTags", "allTags"),
        "xdm:ids": array(ref("personalized-offer", "tag")),
    },
    "tag": {"xdm:name": string(nonempty=True)},
    "eligibility-rule": {
        "xdm:name": string(nonempty=True),
        "description": string(),
        "xdm:condition": obj({
            "xdm:type": enum("PQL"),
            "xdm:format": enum("pql/text"),
            "xdm:value": string(max_bytes=15 * 1024, nonempty=True),  # PQL rules up to 15 KB
        }, required=("xdm:type", "xdm:format", "xdm:value")),
        "xdm:definedOn": any_object,
    },
    "offer-activity": {
        "xdm:name": string(nonempty=True),
        "xdm:status": enum("draft", "live", "archived"),
        "xdm:startDate": date_time,
        "xdm:endDate": date_time,
        "xdm:criteria": array(obj({
            "xdm:placements": array(ref("offer-placement")),
            "xdm:rank": any_object,
            # Decision: the page lists no rule here; Adobe's decision docs narrow a scope with one.
            "xdm:selectionConstraint": obj({"xdm:eligibilityRule": ref("eligibility-rule")}),
            "xdm:optionSelection": obj({"xdm:filter": ref("offer-filter")}, required=("xdm:filter",)),
        }, required=("xdm:placements", "xdm:optionSelection"))),
        "xdm:fallback": ref("fallback-offer"),
    },
}


# The fields that hold another object's @id (as the collection's plugins/module_utils/_kinds.py refs).
_REPRESENTATION_REFS = (("xdm:representations", ANY, "xdm:placement"), ("xdm:tags", ANY))
REFERENCES = {
    "personalized-offer": _REPRESENTATION_REFS + (("xdm:selectionConstraint", "xdm:eligibilityRule"),),
    "fallback-offer": _REPRESENTATION_REFS,
    "offer-placement": (),
    "offer-filter": (("xdm:ids", ANY),),
    "tag": (),
    "eligibility-rule": (),
    "offer-activity": (("xdm:criteria", ANY, "xdm:placements", ANY),
                       ("xdm:criteria", ANY, "xdm:optionSelection", "xdm:filter"),
                       ("xdm:criteria", ANY, "xdm:selectionConstraint", "xdm:eligibilityRule"),
                       ("xdm:fallback",)),
}


def _check_filter_ids(instance):
    # A collection lists offers, or tags it matches; never a mix.
    wanted = {"offers": "personalized-offer", "anyTags": "tag", "allTags": "tag"}.get(
        instance.get("xdm:filterType"))
    if wanted:
        array(ref(wanted))(instance.get("xdm:ids", []), "/_instance/xdm:ids")


class Kind:
    def __init__(self, name, version, stored_version=None, defaults=None):
        self.name = name
        self.base = NS + name
        self.schema = f"{self.base};version={version}"
        # The page: "a fallback offer asked as 0.1 came back as 0.5".
        self.stored_schema = f"{self.base};version={stored_version or version}"
        self.prefix = PREFIXES[name]
        self.defaults = defaults or {}
        self.references = REFERENCES[name]
        fields = dict(FIELDS[name], **{"@id": ref(name)})
        self._check = obj(fields, required=("@id", "xdm:name"))

    def apply_defaults(self, instance):
        for key, value in self.defaults.items():
            instance.setdefault(key, copy.deepcopy(value))

    def validate(self, instance):
        self._check(instance, "/_instance")
        if self.name == "offer-filter":
            _check_filter_ids(instance)


KINDS = [
    Kind("personalized-offer", "0.5", defaults={
        "xdm:status": "draft", "xdm:rank": {"xdm:priority": 0},
        "xdm:tags": [], "xdm:characteristics": {},
    }),
    Kind("fallback-offer", "0.1", stored_version="0.5"),
    Kind("offer-placement", "0.4"),
    Kind("offer-filter", "0.1"),
    Kind("tag", "0.1"),
    Kind("eligibility-rule", "0.3"),
    Kind("offer-activity", "0.5"),
]
BY_BASE = {kind.base: kind for kind in KINDS}
BY_NAME = {kind.name: kind for kind in KINDS}


def kind_for_schema(schema):
    """The kind for a schema URI (any version), or None."""
    return BY_BASE.get(schema_base(schema or ""))

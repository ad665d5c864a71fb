"""The /data/core/dps kinds (dps-api.md §3-§5): endpoints, id slugs, schemas, fields, references,
how each is updated, and what a GET adds or hides.

Each kind accepts exactly the field paths Adobe's pages show for it (in a request or an answer),
plus the few undocumented ones named in UNDOCUMENTED with their reason (docs/emulator.md lists
them). Any other field is refused with a 400 that names it, so that a misspelt or invented field
never looks managed. Fields the server sets (stamps, receipt fields, what GET adds) are known but
refused in a body as read-only. `DpsKind.paths()` lists every known path; the tests hold it equal
to Adobe's examples (tests/adobe_examples) plus UNDOCUMENTED.

The pages document no required field and almost no enumeration or default; the emulator requires
only a name (a decision item's itemName) on create and PATCH, checks types, and checks the few
enumerations the pages (and XDM, for capping scopes) give.
"""

import copy
import json
import re
import uuid

from .dps_schema import Arr, Free, Keys, Leaf, Obj, shape
from .errors import ApiError, bad_request
from .kinds import date_time, enum, integer, string, unprocessable
from .references import ANY

OM = "https://ns.adobe.com/experience/offer-management/"
# Set by the server; never accepted in a body (except `id` on PUT, equal to the path's).
SERVER_FIELDS = ("id", "etag", "created", "modified", "createdBy", "lastModifiedBy", "schemas",
                 "sandboxId", "createdDate", "lastModifiedDate", "createdByClientId",
                 "lastModifiedByClientId", "datasetId")
# What a GET shows first, and what a write's receipt holds (dps-api.md §2).
STAMPS = ("created", "modified", "etag", "schemas", "createdBy", "lastModifiedBy", "id")
RECEIPT_FIELDS = ("etag", "createdBy", "lastModifiedBy", "id", "sandboxId", "createdDate",
                  "lastModifiedDate", "createdByClientId", "lastModifiedByClientId")

# Component types: the pages show html, imagelink and component-text; component-json is our
# decision for JSON content (no page shows one), named like component-text. The bare `text` that
# older clients sent is refused: no page shows it.
COMPONENT_TYPES = ("html", "imagelink", "component-text", "component-json")
FILTER_TYPES = ("offers", "any-tags", "all-tags")  # all-tags: ours (the pages show the other two)

# Undocumented but accepted, per kind: path -> reason (docs/emulator.md, "The persistence API").
_TAGS = ("tags", "a collection qualifier's ids: the tag page says its id is used \"to create collections and "
         "personalized offers\", and xcore holds them as xdm:tags; no dps page shows the field")
_CHARACTERISTICS = ("characteristics", "xcore's xdm:characteristics (string keys and values); no dps page shows "
                    "where they go")
_LINK_URL = ("representations[].components[].linkURL", "xcore's xdm:linkURL, where an imagelink component leads; "
             "no dps page shows it")
UNDOCUMENTED = {
    "personalized-offer": dict([
        _TAGS, _CHARACTERISTICS, ("characteristics.<key>", _CHARACTERISTICS[1]),
        ("selectionConstraint.eligibilityRule", "the decision rule an offer requires, with profileConstraintType "
         "eligibilityRule: the pattern decision items document (itemConstraints.eligibilityRule)"),
        ("representations[].components[].deliveryURL", "the fallback offer pages show it in the same "
         "representation shape (an imagelink component's image)"),
        _LINK_URL]),
    "fallback-offer": dict([
        _TAGS, _CHARACTERISTICS, ("characteristics.<key>", _CHARACTERISTICS[1]),
        ("representations[].components[].language", "the personalized offer pages show it in the same "
         "representation shape"),
        _LINK_URL]),
    "placement": {"contentTypes": "xcore's xdm:contentTypes (the media types a placement takes); no dps page "
                                  "shows the field"},
    "decision": {"criteria[].profileConstraint.eligibilityRule": "a rule narrowing one criterion, with "
                 "profileConstraintType eligibilityRule: the pattern selection strategies document "
                 "(profileConstraint.eligibilityRule)"},
}
# Undocumented values accepted at a documented path: kind -> path -> value -> reason.
UNDOCUMENTED_VALUES = {
    "collection": {"filterType": {"all-tags": "xcore's allTags (every qualifier must match), written like the "
                                              "documented any-tags"}},
    "personalized-offer": {"representations[].components[].type": {
        "component-json": "JSON content, which no page shows; named like the documented component-text"}},
    "fallback-offer": {"representations[].components[].type": {
        "component-json": "JSON content, which no page shows; named like the documented component-text"}},
}


def boolean(value, where):
    if not isinstance(value, bool):
        raise unprocessable(f"{where}: must be true or false", "schema-validation")


def int_range(minimum, maximum):
    at_least = integer(minimum)

    def check(value, where):
        at_least(value, where)
        if value > maximum:
            raise unprocessable(f"{where}: must be <= {maximum}", "schema-validation")
    return check


def ui_model(value, where):
    """An item collection constraint's uiModel: a JSON object, written as a string."""
    string()(value, where)
    try:
        parsed = json.loads(value)
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict):
        raise unprocessable(f"{where}: must be a JSON object written as a string", "schema-validation")


def L(check=None):
    return Leaf(check)


STR, TEXT, DATE, BOOL, PRIORITY = L(string()), L(string(nonempty=True)), L(date_time), L(boolean), L(integer(0))
STRINGS = Arr(STR)


def pql(max_bytes):
    return Obj({"type": L(enum("PQL")), "format": L(enum("pql/text")),
                "value": L(string(max_bytes=max_bytes, nonempty=True))}, required=("type", "format", "value"))


def defined_on(*schema_fields, reference_paths=True):
    """definedOn: one entry per alias the expression uses (the pages show profile, offer, boosted,
    xEvent and ""), each with the schema fields the kind's pages show."""
    entry = {"schema": Obj({name: STR for name in schema_fields})}
    if reference_paths:
        entry["referencePaths"] = STRINGS
    return Obj(keys=Keys("<alias>", Obj(entry)))


def _component(*extra):
    fields = {"type": L(enum(*COMPONENT_TYPES)), "format": STR, "content": STR}
    fields.update({name: {"language": STRINGS, "deliveryURL": STR, "linkURL": STR}[name] for name in extra})
    return Obj(fields)


def _representation(component):
    return Obj({"channel": TEXT, "placement": TEXT, "components": Arr(component)}, required=("placement",))


_SELECTION_CONSTRAINT = {"startDate": DATE, "endDate": DATE, "profileConstraintType": STR}
_FREQUENCY_CAP = Obj({
    "enabled": BOOL, "limit": L(integer(0)), "startDate": DATE, "endDate": DATE,
    # scope: the page shows global; XDM's frequency capping also has profile.
    "scope": L(enum("global", "profile")), "entity": L(enum("offer")),
    "repeat": Obj({"enabled": BOOL, "unit": L(enum("day", "week", "month")), "unitCount": L(integer(1))}),
})
_CHARACTERISTICS_MAP = Obj(keys=Keys("<key>", STR))


def _offer(representation, selection_constraint, **fields):
    return dict({"name": TEXT, "description": STR, "status": TEXT,
                 "representations": Arr(representation), "selectionConstraint": Obj(selection_constraint),
                 "rank": Obj({"priority": PRIORITY}), "tags": STRINGS, "characteristics": _CHARACTERISTICS_MAP},
                **fields)


_OFFER_REFS = (("representations", ANY, "placement"), ("tags", ANY),
               ("selectionConstraint", "eligibilityRule"))
_PROFILE_CONSTRAINT = {"profileConstraintType": STR, "eligibilityRule": STR}

# The segment model an eligibility rule's GET shows (the lookup and list pages); the server builds it.
SEGMENT_MODEL = shape({
    "lifecycleState": None,
    "expression": {
        "isValid": None, "logicalOperator": None,
        "profileAttributesContainer": {
            "exclude": None, "logicalOperator": None, "itemType": None,
            "items": [{"comparisonType": None, "component": {"id": None, "__entity__": None, "type": None},
                       "isCaseSensitive": None, "isPlaceholder": None, "originalLocation": None, "value": None,
                       "itemType": None}]},
        "xEventAttributesContainer": {"exclude": None, "items": None, "logicalOperator": None, "itemType": None},
        "itemType": None},
    "isMissingAnsibleModel": None, "relationalExpression": None, "deprecated": {"status": None, "reason": None},
    "description": None,
    "evaluationInfo": {"batch": {"enabled": None}, "continuous": {"enabled": None}, "synchronous": {"enabled": None}},
    "labels": None, "tags": None, "canHaveFolder": None, "mergePolicyId": None, "name": None, "namespace": None,
    "estimates": [{"previewId": None, "addressabilityText": None, "color": None, "state": None,
                   "estimateData": {"previewId": None, "estimatedSize": None, "totalRows": None, "percent": None,
                                    "standardError": None, "confidenceInterval": None, "state": None,
                                    "profilesReadSoFar": None, "numRowsToRead": None}}],
})


class DpsKind:
    """One dps kind. `flag` tells two kinds at one endpoint apart: (field, value) on the body."""

    def __init__(self, name, endpoint, slug, schema, fields, update="PATCH", references=(),
                 hidden=(), deletable=True, offer_type=None, flag=None, name_path=("name",),
                 built=None, keys=None, receipt_extra=(), unknown="is not a property of this schema"):
        self.name, self.endpoint, self.slug, self.schema = name, endpoint, slug, schema
        self.update = update  # PATCH (JSON Patch) or PUT (the whole object)
        self.references = references
        self.hidden = hidden  # stored, never echoed by GET
        self.deletable = deletable
        self.offer_type = offer_type
        self.flag = flag
        self.name_path = name_path
        self.receipt_extra = tuple(receipt_extra)  # server fields an update's receipt adds
        server = {field: L() for field in STAMPS + RECEIPT_FIELDS + self.receipt_extra
                  if field != "schemas" or schema}
        server.update(built or {})
        self.body = Obj(fields, server=server, keys=keys, unknown=unknown)
        self.undocumented = UNDOCUMENTED.get(name, {})
        self.undocumented_values = UNDOCUMENTED_VALUES.get(name, {})

    @property
    def methods(self):
        """The methods of one object, for 405's Allow."""
        return ("GET", self.update) + (("DELETE",) if self.deletable else ())

    def paths(self):
        """Every field path this kind knows: what a client may send and what the server shows."""
        return sorted(set(self.body.paths("")))

    def validate(self, fields, named=True):
        """Check a body; dps refuses bad bodies with 400 (the pages show no other status).
        `named`: the name must be there (on create and after a PATCH; not on PUT, whose
        exd-placement example sends none)."""
        try:
            self.body.check(fields, "")
        except ApiError as exc:
            if exc.status == 400:
                raise
            raise bad_request(exc.detail, "schema-validation") from None
        if named and not _has_text(fields, self.name_path):
            raise bad_request(f"/{'/'.join(self.name_path)}: is required", "schema-validation")

    def view(self, doc, single=True):
        """The object as GET shows it (`single`: a lookup, else a list's element): server stamps,
        schemas, then the fields minus hidden ones."""
        shown = {"created": doc["created"], "modified": doc["modified"], "etag": doc["etag"]}
        if self.schema:
            shown["schemas"] = [self.schema]
        shown.update(createdBy=doc["createdBy"], lastModifiedBy=doc["lastModifiedBy"], id=doc["id"])
        fields = {k: copy.deepcopy(v) for k, v in doc["fields"].items() if k not in self.hidden}
        shown.update(self.decorate(fields, doc, single))
        return shown

    def decorate(self, fields, doc, single):
        return fields


def _has_text(fields, path):
    for key in path:
        if not isinstance(fields, dict) or key not in fields:
            return False
        fields = fields[key]
    return isinstance(fields, str) and bool(fields.strip())


class RankingFormula(DpsKind):
    def decorate(self, fields, doc, single):
        # The lookup page shows the return type upper-cased ("integer" is sent, "INTEGER" read).
        # Its exdFunction is true on a lookup as in a list (unlike an eligibility rule's exdRule).
        return_type = fields.get("returnType")
        if isinstance(return_type, dict) and isinstance(return_type.get("type"), str):
            return_type["type"] = return_type["type"].upper()
        return fields


class EligibilityRule(DpsKind):
    def decorate(self, fields, doc, single):
        # The lookup page shows exdRule false for a rule its list page shows with exdRule true
        # (found with property=exdRule==true): lists keep true, a single GET shows false.
        shown = dict(fields)
        shown["exdRule"] = not single
        shown["segmentModel"] = self.segment_model(fields, doc)
        return shown

    @staticmethod
    def segment_model(fields, doc):
        """A server-built segment model in the pages' shape. Its content is ours: the condition is
        not parsed into rule items (the containers stay empty)."""
        return {
            "lifecycleState": "published",
            "expression": {
                "isValid": True, "logicalOperator": "and",
                "profileAttributesContainer": {"exclude": False, "items": [], "logicalOperator": "and",
                                               "itemType": "segmentContainer"},
                "xEventAttributesContainer": {"exclude": False, "items": [], "logicalOperator": "then",
                                              "itemType": "eventTypeCardContainer"},
                "itemType": "segmentDefinition"},
            "isMissingAnsibleModel": False, "relationalExpression": False,
            "deprecated": {"status": False, "reason": ""},
            "description": fields.get("description", ""),
            "evaluationInfo": {"batch": {"enabled": True}, "continuous": {"enabled": False},
                               "synchronous": {"enabled": False}},
            "labels": [], "tags": [], "canHaveFolder": True,
            "mergePolicyId": str(uuid.uuid5(uuid.UUID(doc["sandboxId"]), "default merge policy")),
            "name": fields.get("name"), "namespace": "ups",
        }


class DecisionItem(DpsKind):
    def decorate(self, fields, doc, single):
        decisioning = fields.setdefault("_experience", {}).setdefault("decisioning", {})
        item = decisioning.setdefault("decisionitem", {})
        item["itemID"] = doc["id"]
        item.setdefault("itemLabels", [])
        item.setdefault("itemTags", [])
        offer_item = decisioning.setdefault("offeritem", {})
        offer_item["fCapConstraintsLastIndex"] = 0  # as every lookup example shows
        offer_item.setdefault("frequencyCappingConstraints", [])
        return fields


class ItemCollection(DpsKind):
    def decorate(self, fields, doc, single):
        fields.setdefault("tags", [])
        return fields


_CUSTOM_KEY = r"^_[A-Za-z0-9][A-Za-z0-9_]*$"
_DECISION_ITEM = {"_experience": Obj({"decisioning": Obj({
    "offeritem": Obj({"lifecycleStatus": TEXT},
                     server={"fCapConstraintsLastIndex": L(), "frequencyCappingConstraints": Arr(L())}),
    "decisionitem": Obj({
        "itemCalendarConstraints": Obj({"startDate": DATE, "endDate": DATE}),
        "itemCatalogID": STR, "itemConstraints": Obj(_PROFILE_CONSTRAINT),
        "itemDescription": STR, "itemName": TEXT, "itemPriority": PRIORITY,
    }, server={"itemID": L(), "itemLabels": Arr(L()), "itemTags": Arr(L())}),
})})}

ITEM_NAME = ("_experience", "decisioning", "decisionitem", "itemName")
_RULE = {"name": TEXT, "description": STR, "condition": pql(15 * 1024)}

KINDS = [
    DpsKind("personalized-offer", "offers", "personalized-offer", OM + "personalized-offer;version=0.15",
            _offer(_representation(_component("language", "deliveryURL", "linkURL")),
                   dict(_SELECTION_CONSTRAINT, eligibilityRule=STR),
                   # cappingConstraint: the pages send {} (caps go in frequencyCappingConstraints).
                   cappingConstraint=Obj(), frequencyCappingConstraints=Arr(_FREQUENCY_CAP)),
            references=_OFFER_REFS, offer_type="personalized"),
    DpsKind("fallback-offer", "offers", "fallback-offer", OM + "fallback-offer;version=0.8",
            _offer(_representation(_component("language", "deliveryURL", "linkURL")), _SELECTION_CONSTRAINT,
                   labels=STRINGS),
            references=_OFFER_REFS, offer_type="fallback", receipt_extra=("datasetId",)),
    DpsKind("placement", "placements", "offer-placement", OM + "offer-placement;version=0.5", {
        "name": TEXT, "description": STR, "componentType": STR, "channel": STR,
        "itemCount": L(int_range(1, 30)), "allowDuplicatePlacements": BOOL, "returnContent": BOOL,
        "returnMetaData": Obj({name: BOOL for name in ("decisionName", "offerName", "offerAttributes", "offerPriority",
                                                       "placementName", "channelType", "contentType")}),
        "contentTypes": STRINGS}),
    DpsKind("collection", "offer-collections", "offer-filter", OM + "offer-filter;version=0.4", {
        # description: the update page patches /description.
        "name": TEXT, "description": STR, "filterType": L(enum(*FILTER_TYPES)), "ids": STRINGS,
        "labels": STRINGS}, references=(("ids", ANY),)),
    DpsKind("tag", "tags", "tag", OM + "tag;version=0.1", {"name": TEXT, "description": STR}),
    DpsKind("decision-rule", "offer-rules", "eligibility-rule", OM + "eligibility-rule;version=0.3",
            dict(_RULE, definedOn=defined_on("ref", "version")), hidden=("definedOn",)),
    DpsKind("decision", "offer-decisions", "offer-activity", OM + "offer-activity;version=0.8", {
        "name": TEXT, "description": STR, "status": TEXT, "startDate": DATE, "endDate": DATE, "fallback": STR,
        "criteria": Arr(Obj({
            "placements": STRINGS,
            "rank": Obj({"priority": PRIORITY, "order": Obj({"orderEvaluationType": STR, "rankingStrategy": STR})}),
            "profileConstraint": Obj(_PROFILE_CONSTRAINT),
            "optionSelection": Obj({"filter": STR}),
        }))}, references=(("fallback",), ("criteria", ANY, "placements", ANY),
                          ("criteria", ANY, "optionSelection", "filter"),
                          ("criteria", ANY, "profileConstraint", "eligibilityRule"))),
    # -- Decisioning --
    # Slug: the pages' one real item id has a 48-hex middle part; dps-api.md §9 gives the emulator
    # dps:<kind-slug>:<16 hex> for every kind, so items take their endpoint's name.
    DecisionItem("decision-item", "offer-items", "offer-item", None, _DECISION_ITEM, name_path=ITEM_NAME,
                 keys=Keys("<tenant>", Free(), _CUSTOM_KEY, unlike=("_experience",)),
                 unknown="is not a property of a decision item; custom attributes go under a `_<tenant>` object",
                 references=(ITEM_NAME[:-1] + ("itemConstraints", "eligibilityRule"),)),
    ItemCollection("item-collection", "item-collections", "item-collection",
                   "https://ns.adobe.com/experience/decisioning/item-collection;version=1.2", {
                       "name": TEXT, "description": STR, "tags": STRINGS,
                       "constraints": Arr(Obj({"itemCatalogId": STR, "uiModel": L(ui_model)}))}),
    DpsKind("selection-strategy", "selection-strategies", "selection-strategy",
            OM + "selection-strategy;version=0.2", {
                "name": TEXT, "description": STR,
                "rank": Obj({"priority": PRIORITY, "order": Obj({"orderEvaluationType": STR, "function": STR})}),
                "profileConstraint": Obj(_PROFILE_CONSTRAINT), "optionSelection": Obj({"filter": STR})},
            references=(("profileConstraint", "eligibilityRule"), ("optionSelection", "filter"),
                        ("rank", "order", "function"))),
    RankingFormula("ranking-formula", "ranking-formulas", "ranking-function", OM + "ranking-function", {
        "name": TEXT, "description": STR, "exdFunction": BOOL, "isPure": BOOL,
        "returnType": Obj({"type": TEXT}), "expression": pql(8 * 1024),
        "definedOn": defined_on("altId", "version", reference_paths=False)},
        update="PUT", hidden=("definedOn",)),
    EligibilityRule("eligibility-rule", "offer-rules", "eligibility-rule", OM + "eligibility-rule",
                    dict(_RULE, exdRule=BOOL, definedOn=defined_on("altId", "version")),
                    built={"segmentModel": SEGMENT_MODEL}, update="PUT", flag=("exdRule", True)),
    DpsKind("exd-placement", "exd-placements", "exd-placement", "exd-placement", {
        "name": TEXT, "description": STR, "channel": STR, "tags": STRINGS, "channelConfiguration": STR,
        "status": STR}, update="PUT", deletable=False),
]
BY_NAME = {kind.name: kind for kind in KINDS}
ENDPOINTS = {}
for _kind in KINDS:
    ENDPOINTS.setdefault(_kind.endpoint, []).append(_kind)
OFFER_TYPES = {kind.offer_type: kind for kind in KINDS if kind.offer_type}
# What a path pattern's wildcards take (dps_schema.path_matches).
WILDCARDS = {"<alias>": lambda key: True, "<key>": lambda key: True,
             "<tenant>": lambda key: key != "_experience" and bool(re.match(_CUSTOM_KEY, key))}


def kind_for_body(endpoint, body):
    """The kind a POST to `endpoint` creates: at /offer-rules, exdRule: true makes a Decisioning rule."""
    kinds = ENDPOINTS[endpoint]
    for kind in kinds:
        if kind.flag and body.get(kind.flag[0]) is kind.flag[1]:
            return kind
    return next(kind for kind in kinds if not kind.flag)


def endpoint_methods(endpoint):
    """The methods one object of `endpoint` may take (a union where two kinds share it)."""
    methods = []
    for kind in ENDPOINTS[endpoint]:
        methods += [m for m in kind.methods if m not in methods]
    return methods

"""Adobe's own dps examples (tests/adobe_examples) as the collection's contract, for each of the 13 dps kinds.

(a) What a documented GET shows, read by the kind's dps mapping and declared again as its options (references as the
    ids they hold), plans no operation: no perpetual change from what GET hides (definedOn), spells otherwise
    (INTEGER, a bare component type), flags otherwise (exdRule false on a lookup) or adds (server fields).
(b) What the collection sends for the options that express the documented create example, and for every option a
    kind has, holds only field paths Adobe's pages show for that kind, plus the emulator's list of undocumented but
    accepted ones (imported from the emulator: one list), and at enumerated paths only documented or listed values.
(c) That the emulator answers each documented request with the documented status is tests/emulator/test_adobe_examples.py.
"""

import copy

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

import adobe_examples
from adobe_examples import TENANT, documented_paths, load, paths_of, real
from aep_emulator.dps_kinds import OFFER_TYPES, UNDOCUMENTED, UNDOCUMENTED_VALUES, WILDCARDS, kind_for_body
from aep_emulator.dps_schema import path_matches

from ansible_collections.aep.offers.plugins.module_utils._catalogue import KINDS as CATALOGUE
from ansible_collections.aep.offers.plugins.module_utils._dps import DpsApi
from ansible_collections.aep.offers.plugins.module_utils._dps_mapping import SCHEMA_KEY

API = DpsApi(None, item_schemas=["https://ns.adobe.com/aeptenant/schemas/4a3c8f0e1b2d4e5f"])
SCHEMA = API.item_schemas[0]
# The collection's kind of each documented kind.
KIND = dict(zip(adobe_examples.KINDS, [
    "offer", "fallback_offer", "placement", "offer_collection", "collection_qualifier", "decision_rule", "decision",
    "decision_item", "item_collection", "selection_strategy", "ranking_formula", "eligibility_rule",
    "decisioning_placement"]))


def emulator_kind(kind):
    """The emulator's kind of a documented kind (its endpoint, offer type or family flag)."""
    data = load(kind)
    endpoint, _, query = data["endpoint"].lstrip("/").partition("?")
    if query:
        return OFFER_TYPES[query.split("=", 1)[1]]
    return kind_for_body(endpoint, data["examples"]["create"]["request"])


def mapping(kind):
    return API.kind(KIND[kind])


def declared(key, options):
    """Options as a module (or offer_library) hands them over: Ansible's validator fills what was left out."""
    spec = CATALOGUE[key].argument_spec()
    spec.update(name=dict(type="str"), instance=dict(type="dict"))
    result = ArgumentSpecValidator(spec, **CATALOGUE[key].constraints()).validate(options)
    assert not result.error_messages, result.error_messages
    return result.validated_parameters


def read(kind, document):
    return API.record(mapping(kind), real(copy.deepcopy(document)), SCHEMA if mapping(kind).schema_header else None)


def shown(kind):
    """Every object a documented GET shows: the lookup, and each result of the list."""
    examples = load(kind)["examples"]
    return [examples["lookup"]["response"]] + examples["list"]["results"]


# (a) a documented GET, declared again, is no change -------------------------------------------------------------

@pytest.mark.parametrize("kind", adobe_examples.KINDS)
def test_a_documented_get_declared_again_plans_nothing(kind):
    kind_mapping = mapping(kind)
    for document in shown(kind):
        record = read(kind, document)
        options = kind_mapping.to_options(record.body)
        assert options.get("name") or kind == "decisioning_placement", options  # an exd placement may have no name
        desired = kind_mapping.desired(declared(kind_mapping.key, options))
        assert kind_mapping.plan(record.body, desired) == [], (document["id"], options)


@pytest.mark.parametrize("kind", ["decision_rule", "ranking_formula", "eligibility_rule"])
def test_a_declared_defined_on_that_get_hides_is_no_change_on_its_own(kind):
    """definedOn is write-only: sent with the documented create (or PUT) body, never shown by the documented GET."""
    examples = load(kind)["examples"]
    defined_on = next(example["request"]["definedOn"] for example in (examples["create"], examples["update"])
                      if isinstance(example.get("request"), dict) and "definedOn" in example["request"])
    kind_mapping = mapping(kind)
    for document in shown(kind):
        assert "definedOn" not in document
        record = read(kind, document)
        options = dict(kind_mapping.to_options(record.body), defined_on=defined_on)
        desired = kind_mapping.desired(declared(kind_mapping.key, options))
        assert desired["definedOn"] == defined_on and kind_mapping.plan(record.body, desired) == []


def test_the_documented_eligibility_rule_lookup_shows_exd_rule_false_and_is_still_no_change():
    document = load("eligibility_rule")["examples"]["lookup"]["response"]
    assert document["exdRule"] is False  # the page's own lookup; its list shows the same rule with true
    kind_mapping = mapping("eligibility_rule")
    record = read("eligibility_rule", document)
    desired = kind_mapping.desired(declared("eligibility_rule", kind_mapping.to_options(record.body)))
    assert "exdRule" not in desired and kind_mapping.plan(record.body, desired) == []
    assert API._sent(kind_mapping, desired)[0]["exdRule"] is True  # every write says what it is


def test_the_documented_caps_read_back_as_frequency_capping_and_a_disabled_repeat_is_no_repeat():
    document = load("personalized_offer")["examples"]["lookup"]["response"]
    options = mapping("personalized_offer").to_options(read("personalized_offer", document).body)
    assert options["frequency_capping"] == [{"limit": 1, "scope": "global", "enabled": False,
                                             "start_date": "2023-05-15T14:25:49.622+00:00",
                                             "end_date": "2023-05-25T14:25:49.622+00:00"}]
    assert "capping" not in options


def test_a_component_type_written_bare_reads_as_the_same_type():
    document = copy.deepcopy(load("fallback_offer")["examples"]["list"]["results"][1])
    assert document["representations"][0]["components"][0]["type"] == "component-text"
    kind_mapping = mapping("fallback_offer")
    desired = kind_mapping.desired(declared("fallback_offer", kind_mapping.to_options(read("fallback_offer", document).body)))
    assert desired["representations"][0]["components"][0]["type"] == "component-text"
    document["representations"][0]["components"][0]["type"] = "text"  # as an older client may have stored it
    assert kind_mapping.plan(read("fallback_offer", document).body, desired) == []


# (b) what is sent, only documented (or listed) paths and values -------------------------------------------------

def sent_paths(kind, desired):
    """The field paths of the body a write sends (the family flag in, the schema header out), placeholders as the
    pages write them."""
    body, _ = API._sent(mapping(kind), desired)
    body = dict((("_<imsOrg>" if key == TENANT else key), value) for key, value in body.items())
    return paths_of(body)


# A decision item's custom attributes are free below the tenant's key ("The `_<imsOrg>` node houses custom decision
# items attributes", the decision item pages).
FREE = {"decision_item": {"_<imsOrg>.**"}}


def assert_documented(kind, desired):
    emulated = emulator_kind(kind)
    allowed = documented_paths(kind) | set(UNDOCUMENTED.get(emulated.name, {})) | FREE.get(kind, set())
    undocumented = sorted(path for path in sent_paths(kind, desired)
                          if not any(path_matches(pattern, path, WILDCARDS) for pattern in allowed))
    assert not undocumented, "sent but shown by no page and not listed as undocumented: %s" % undocumented
    for path, listed in UNDOCUMENTED_VALUES.get(emulated.name, {}).items():
        values = set(values_at(API._sent(mapping(kind), desired)[0], path))
        # Seen in any kind's examples: both offer types document the same representation shape.
        seen = set(value for other in adobe_examples.KINDS
                   for example in [load(other)["examples"]["create"]["request"]] + shown(other)
                   for value in values_at(example, path))
        assert values <= seen | set(listed), (path, sorted(values - seen - set(listed)))


def values_at(value, path):
    """The values at a dotted path (``[]``: every element) of a body."""
    head, _, rest = path.partition(".")
    many = head.endswith("[]")
    key = head[:-2] if many else head
    if not isinstance(value, dict) or key not in value:
        return []
    found = value[key] if many else [value[key]]
    if not isinstance(found, list):
        return []
    if not rest:
        return found
    return [deeper for element in found for deeper in values_at(element, rest)]


@pytest.mark.parametrize("kind", adobe_examples.KINDS)
def test_the_options_of_the_documented_create_send_only_documented_fields(kind):
    kind_mapping = mapping(kind)
    request = real(load(kind)["examples"]["create"]["request"])
    as_read = kind_mapping.read(request, SCHEMA if kind_mapping.schema_header else None)
    options = kind_mapping.to_options(as_read)
    desired = kind_mapping.desired(declared(kind_mapping.key, options))
    assert kind_mapping.plan(as_read, desired) == []  # the options express the example: it already is what they ask
    assert_documented(kind, desired)


RULE, PLACEMENT, TAG = "dps:eligibility-rule:19af09a9ae45a8d3", "dps:offer-placement:19cb038eca47bead", "dps:tag:0123456789abcdef"
TEXT = {"type": "text", "format": "text/plain", "language": ["en-us"], "content": "Hi"}
COMPONENTS = [TEXT, {"type": "html", "format": "text/html", "content": "<p>Hi</p>"},
              {"type": "imagelink", "format": "image/png", "delivery_url": "https://x/a.png", "link_url": "https://x/"},
              {"type": "json", "format": "application/json", "content": "{}"}]
REPRESENTATIONS = [{"placement": PLACEMENT, "channel": "web", "components": COMPONENTS}]
# Every option of every kind, in documented shapes (definedOn as each kind's pages show it).
EVERY_OPTION = {
    "personalized_offer": [
        dict(name="O", status="approved", representations=REPRESENTATIONS, start_date="2026-01-01T00:00:00Z",
             end_date="2026-12-31T00:00:00Z", eligibility_rule=RULE, priority=3, capping={"global": 100, "profile": 3},
             tags=[TAG], characteristics={"tier": "gold"}),
        dict(name="O", frequency_capping=[
            {"limit": 5, "scope": "profile", "enabled": False, "start_date": "2026-01-01T00:00:00Z",
             "end_date": "2026-02-01T00:00:00Z", "repeat": {"unit": "week", "unit_count": 2}}, {"limit": 0}]),
    ],
    "fallback_offer": [dict(name="F", status="approved", representations=REPRESENTATIONS, tags=[TAG],
                            characteristics={"tier": "gold"})],
    "placement": [dict(name="P", description="d", channel="web", component_type=component_type, content_types=["text/plain"],
                       item_count=30, allow_duplicate_placements=True, return_content=False,
                       return_metadata=dict(decision_name=True, offer_name=True, offer_attributes=False, offer_priority=True,
                                            placement_name=False, channel_type=True, content_type=True))
                  for component_type in ("text", "html", "imagelink", "json")],
    "collection": [dict(name="C", qualifiers=[TAG], filter_type="allTags"),
                   dict(name="C", offers=["dps:personalized-offer:0123456789abcdef"])],
    "collection_qualifier": [dict(name="Q")],
    "decision_rule": [dict(name="R", description="d", condition='profile.person.name.firstName.equals("Joe", false)',
                           defined_on={"profile": {"schema": {"ref": "https://ns.adobe.com/xdm/context/profile_union",
                                                              "version": "1"},
                                                   "referencePaths": ["person.name.firstName"]}})],
    "decision": [dict(name="D", status="live", start_date="2026-01-01T00:00:00Z", end_date="2026-02-01T00:00:00Z",
                      fallback="dps:fallback-offer:0123456789abcdef",
                      criteria=[{"placements": [PLACEMENT], "collection": "dps:offer-filter:0123456789abcdef",
                                 "eligibility_rule": RULE}])],
    "decision_item": [dict(name="I", description="d", priority=1, status="approved", start_date="2026-01-01T00:00:00Z",
                           end_date="2026-02-01T00:00:00Z", eligibility_rule=RULE, catalog_id="itemCatalog1234",
                           schema_id=SCHEMA, tenant="aeptenant", attributes={"colour": "gold"}),
                      dict(name="I", schema_id=SCHEMA)],
    "item_collection": [dict(name="IC", description="d", catalog_id="itemCatalog1234",
                             constraints=[{"attribute": "_aeptenant.colour", "operator": "equals", "value": "gold"}])],
    "selection_strategy": [dict(name="S", description="d", collection="dps:item-collection:0123456789abcdef",
                                eligibility_rule=RULE, priority=1, ranking_formula="dps:ranking-function:0123456789abcdef"),
                           dict(name="S", collection="dps:item-collection:0123456789abcdef")],
    "ranking_formula": [dict(name="F", description="d", expression="offer.rank.priority * 2", return_type="integer",
                             defined_on={"offer": {"schema": {"altId": "_experience.offer-management.personalized-offer",
                                                              "version": "0"}}})],
    "eligibility_rule": [dict(name="E", description="d", condition='homeAddress.stateProvince.equals("CA", false)',
                              defined_on={"": {"schema": {"altId": "_xdm.context.profile", "version": "1"},
                                               "referencePaths": ["homeAddress.stateProvince"]}})],
    "decisioning_placement": [dict(name="XP", description="d", channel="email",
                                   channel_configuration="530b76f9-dcd6-4fd5-8c52-38e29b04a60a", status="active")],
}


def test_every_option_of_every_kind_is_in_the_table():
    assert sorted(EVERY_OPTION) == sorted(adobe_examples.KINDS)
    for kind, declarations in EVERY_OPTION.items():
        given = set(option for options in declarations for option in options)
        assert given == set(CATALOGUE[KIND[kind]].options) | {"name"}, (kind, set(CATALOGUE[KIND[kind]].options) - given)


@pytest.mark.parametrize("kind, index", [(kind, index) for kind, declarations in sorted(EVERY_OPTION.items())
                                         for index in range(len(declarations))])
def test_every_option_sends_only_documented_fields(kind, index):
    kind_mapping = mapping(kind)
    desired = kind_mapping.desired(declared(kind_mapping.key, EVERY_OPTION[kind][index]))
    assert_documented(kind, desired)
    assert SCHEMA_KEY not in API._sent(kind_mapping, desired)[0]

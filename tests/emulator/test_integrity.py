"""Referential integrity in both APIs: DELETE of an object another one still refers to answers 409
naming the referrers; once the reference is gone, the delete goes through."""

import pytest

from dps_samples import ITEM_HEADERS, create, create_item
from emulator_helpers import offer

COMPONENT = {"@type": "https://ns.adobe.com/experience/offer-management/content-component-text", "xdm:content": "x"}


def refused(response, *referrers):
    assert response.status_code == 409, response.text
    answer = response.json()
    assert set(answer) == {"type", "title", "status", "detail"} and answer["status"] == 409
    assert answer["type"].endswith("in-use")
    for referrer in referrers:
        assert referrer in answer["detail"], (referrer, answer["detail"])
    return answer


# -- xcore ------------------------------------------------------------------------------------------

def xcore_library(api):
    """One object of every kind, each reference field in use; {name: (instanceId, @id)}."""
    made = {}

    def make(name, kind, instance):
        receipt = api.created(kind, instance)
        made[name] = (receipt["instanceId"], receipt["@id"])
        return receipt["@id"]
    placement = make("placement", "offer-placement", {"xdm:name": "P"})
    tag = make("tag", "tag", {"xdm:name": "T"})
    rule = make("rule", "eligibility-rule", {"xdm:name": "R", "xdm:condition": {
        "xdm:type": "PQL", "xdm:format": "pql/text", "xdm:value": "true"}})
    representation = {"xdm:placement": placement, "xdm:components": [COMPONENT]}
    personalized = make("offer", "personalized-offer", offer(**{
        "xdm:representations": [representation], "xdm:tags": [tag],
        "xdm:selectionConstraint": {"xdm:eligibilityRule": rule}}))
    fallback = make("fallback", "fallback-offer", {"xdm:name": "F", "xdm:representations": [representation]})
    collection = make("collection", "offer-filter", {"xdm:name": "C", "xdm:filterType": "offers",
                                                      "xdm:ids": [personalized]})
    make("decision", "offer-activity", {"xdm:name": "D", "xdm:fallback": fallback, "xdm:criteria": [{
        "xdm:placements": [placement], "xdm:optionSelection": {"xdm:filter": collection},
        "xdm:selectionConstraint": {"xdm:eligibilityRule": rule}}]})
    return made


@pytest.mark.parametrize("target, referrers", [
    ("placement", ["offer", "fallback", "decision"]),
    ("tag", ["offer"]),
    ("rule", ["offer", "decision"]),
    ("offer", ["collection"]),
    ("fallback", ["decision"]),
    ("collection", ["decision"]),
])
def test_xcore_delete_of_an_object_in_use_is_409_naming_its_users(api, target, referrers):
    made = xcore_library(api)
    iid, at_id = made[target]
    answer = refused(api.delete(iid), *[made[r][1] for r in referrers])
    others = set(made) - set(referrers) - {target}
    assert not any(made[o][1] in answer["detail"] for o in others)
    assert api.doc(iid)["repo:etag"] == 1  # still there


def test_xcore_deletes_in_dependency_order_go_through(api):
    made = xcore_library(api)
    for name in ("decision", "collection", "offer", "fallback", "rule", "tag", "placement"):
        response = api.delete(made[name][0])
        assert response.status_code == 202, (name, response.text)
    assert api.list().json()["_embedded"]["total"] == 0


def test_xcore_reference_removed_by_a_patch_frees_the_target(api):
    made = xcore_library(api)
    refused(api.delete(made["tag"][0]), made["offer"][1])
    assert api.patch(made["offer"][0], [{"op": "replace", "path": "/_instance/xdm:tags", "value": []}]).status_code == 200
    assert api.delete(made["tag"][0]).status_code == 202


def test_xcore_the_id_elsewhere_in_text_is_no_reference(api):
    tag = api.created("tag", {"xdm:name": "T"})
    api.created("tag", {"xdm:name": tag["@id"]})  # the id as a name, not in a reference field
    assert api.delete(tag["instanceId"]).status_code == 202


def test_xcore_if_match_is_checked_before_integrity(api):
    made = xcore_library(api)
    assert api.delete(made["tag"][0], **{"If-Match": "7"}).status_code == 409
    assert api.delete(made["tag"][0], **{"If-Match": "7"}).json()["type"].endswith("etag-mismatch")


# -- dps --------------------------------------------------------------------------------------------

def dps_library(api):
    """Every reference field of both families in use; {name: (id, path)}."""
    made = {"placement": create(api, "placement"), "tag": create(api, "tag"),
            "decision-rule": create(api, "decision-rule"), "eligibility-rule": create(api, "eligibility-rule"),
            "ranking-formula": create(api, "ranking-formula")}
    ids = {name: value[0] for name, value in made.items()}
    representations = [{"placement": ids["placement"], "components": [{"type": "html", "content": "x"}]}]
    made["offer"] = create(api, "personalized-offer", representations=representations, tags=[ids["tag"]],
                           selectionConstraint={"profileConstraintType": "eligibilityRule",
                                                "eligibilityRule": ids["decision-rule"]})
    made["fallback"] = create(api, "fallback-offer", representations=representations)
    made["collection"] = create(api, "collection", filterType="offers", ids=[made["offer"][0]])
    made["decision"] = create(api, "decision", fallback=made["fallback"][0], criteria=[{
        "placements": [ids["placement"]], "optionSelection": {"filter": made["collection"][0]},
        "profileConstraint": {"profileConstraintType": "eligibilityRule", "eligibilityRule": ids["decision-rule"]}}])
    made["item"] = create_item(api, itemConstraints={"profileConstraintType": "eligibilityRule",
                                                     "eligibilityRule": ids["eligibility-rule"]})
    made["item-collection"] = create(api, "item-collection")
    made["strategy"] = create(api, "selection-strategy", optionSelection={"filter": made["item-collection"][0]},
                              profileConstraint={"profileConstraintType": "eligibilityRule",
                                                 "eligibilityRule": ids["eligibility-rule"]},
                              rank={"priority": 1, "order": {"orderEvaluationType": "scoringFunction",
                                                             "function": ids["ranking-formula"]}})
    return made


@pytest.mark.parametrize("target, referrers", [
    ("placement", ["offer", "fallback", "decision"]),
    ("tag", ["offer"]),
    ("decision-rule", ["offer", "decision"]),
    ("offer", ["collection"]),
    ("fallback", ["decision"]),
    ("collection", ["decision"]),
    ("eligibility-rule", ["item", "strategy"]),
    ("ranking-formula", ["strategy"]),
    ("item-collection", ["strategy"]),
])
def test_dps_delete_of_an_object_in_use_is_409_naming_its_users(api, target, referrers):
    made = dps_library(api)
    object_id, one = made[target]
    answer = refused(api.dps.delete(one), *[made[r][0] for r in referrers])
    others = set(made) - set(referrers) - {target}
    assert not any(made[o][0] in answer["detail"] for o in others)
    assert api.dps.obj(one)["etag"] == 1


def test_dps_deletes_in_dependency_order_go_through(aep_emulator, api):
    made = dps_library(api)
    order = ("decision", "collection", "offer", "fallback", "decision-rule", "tag", "placement",
             "strategy", "item", "item-collection", "eligibility-rule", "ranking-formula")
    for name in order:
        headers = ITEM_HEADERS if name == "item" else {}
        response = api.dps.delete(made[name][1], **headers)
        assert response.status_code == 200, (name, response.text)
    assert aep_emulator.stats()["apis"]["dps"]["writes"] == 2 * len(order)


def test_dps_reference_removed_by_a_patch_frees_the_target(api):
    made = dps_library(api)
    refused(api.dps.delete(made["tag"][1]), made["offer"][0])
    assert api.dps.patch(made["offer"][1], [{"op": "remove", "path": "/tags/0"}]).status_code == 200
    assert api.dps.delete(made["tag"][1]).status_code == 200


def test_dps_412_comes_before_409_and_other_sandboxes_do_not_count(aep_emulator, api):
    from aep_emulator.testing import ApiClient
    made = dps_library(api)
    stale = api.dps.delete(made["tag"][1], **{"If-Match": "5"})
    assert stale.status_code == 412
    tag_id = made["tag"][0]
    dev = ApiClient(aep_emulator, sandbox="dev")
    dev_tag, dev_path = create(dev, "tag")
    create(dev, "personalized-offer", tags=[tag_id])  # a dev offer naming the prod tag's id
    assert dev.dps.delete(dev_path).status_code == 200
    refused(api.dps.delete(made["tag"][1]), made["offer"][0])  # only prod's own offer is named


def test_the_two_apis_do_not_refer_to_each_other(api):
    placement = api.created("offer-placement", {"xdm:name": "P"})
    create(api, "personalized-offer", representations=[{"placement": placement["@id"], "components": []}])
    assert api.delete(placement["instanceId"]).status_code == 202

"""dps lists: {results, count, total, _links}, paging past 250 objects, limits, property filters
([!]field[op]value, repeated and comma-separated) and orderby on dotted paths."""

from urllib.parse import urlencode

import pytest

from dps_samples import ITEM_HEADERS, body, create, create_item


def offers(api, n, offer_type="personalized"):
    kind = "personalized-offer" if offer_type == "personalized" else "fallback-offer"
    return [create(api, kind, name=f"Offer {i:03d}", rank={"priority": i % 10},
                   status=["draft", "approved"][i % 2])[0] for i in range(n)]


def test_paging_past_250_objects(api):
    ids = offers(api, 260)
    offers(api, 3, "fallback")
    first = api.dps.obj("/offers?offer-type=personalized&orderby=-modified&limit=100")
    assert first["_links"]["self"]["href"] == "/offers?offer-type=personalized&orderby=-modified&limit=100"
    assert first["_links"]["self"]["type"] == "application/json" and "prev" not in first["_links"]
    pages = api.dps.pages("/offers?offer-type=personalized&orderby=-modified&limit=100")
    assert [p["count"] for p in pages] == [100, 100, 60] and {p["total"] for p in pages} == {260}
    assert "next" not in pages[-1]["_links"] and all("next" in p["_links"] for p in pages[:-1])
    seen = [o["id"] for p in pages for o in p["results"]]
    assert sorted(seen) == sorted(ids) and len(set(seen)) == 260  # none twice, none missing
    modified = [o["modified"] for p in pages for o in p["results"]]
    assert modified == sorted(modified, reverse=True)
    for page in pages[1:]:  # hrefs relative to the base, with the query the client asked for
        for link in ("self", "next"):
            if link in page["_links"]:
                href = page["_links"][link]["href"]
                assert href.startswith("/offers?offer-type=personalized&orderby=-modified&limit=100&start="), href
    # prev goes back a page
    back = api.dps.obj(pages[2]["_links"]["prev"]["href"])
    assert [o["id"] for o in back["results"]] == [o["id"] for o in pages[1]["results"]]


def test_default_page_50_cap_100_and_bad_limits(api):
    for i in range(120):
        api.dps.created("/tags", {"name": f"t{i:03d}"})
    bare = api.dps.obj("/tags")
    assert bare["count"] == 50 and bare["total"] == 120
    assert bare["_links"]["self"]["href"] == "/tags?orderby=-modified&limit=50"  # the server's defaults
    assert [p["count"] for p in api.dps.pages("/tags")] == [50, 50, 20]
    capped = api.dps.obj("/tags?limit=1000")
    assert capped["count"] == 100 and "next" in capped["_links"]
    exact = api.dps.obj("/tags?limit=100&start=20")
    assert exact["count"] == 100 and "next" not in exact["_links"]  # no next once nothing remains
    for bad in ("0", "-1", "ten", "1.5"):
        assert api.dps.get(f"/tags?limit={bad}").status_code == 400
    assert api.dps.get("/tags?start=x").status_code == 400
    assert api.dps.obj("/tags?start=500") == {"results": [], "count": 0, "total": 120, "_links": {
        "self": {"href": "/tags?orderby=-modified&limit=50&start=500", "type": "application/json"},
        "prev": {"href": "/tags?orderby=-modified&limit=50&start=450", "type": "application/json"}}}


@pytest.fixture
def three(api):
    create(api, "personalized-offer", name="alpha", status="draft", rank={"priority": 0}, tags=["dps:tag:aaaa"],
           description="first")
    create(api, "personalized-offer", name="Beta", status="approved", rank={"priority": 5})
    create(api, "personalized-offer", name="gamma, the third", status="approved", rank={"priority": 10},
           tags=["dps:tag:bbbb", "dps:tag:aaaa"])
    return api


@pytest.mark.parametrize("expressions, expected", [
    (["status==approved"], {"Beta", "gamma, the third"}),
    (["status!=approved"], {"alpha"}),
    (["!status==approved"], {"alpha"}),
    (["rank.priority>0"], {"Beta", "gamma, the third"}),
    (["rank.priority>=5"], {"Beta", "gamma, the third"}),
    (["rank.priority<5"], {"alpha"}),
    (["rank.priority<=5"], {"alpha", "Beta"}),
    (["name~b.*"], {"Beta"}),  # full match, case-insensitive
    (["name~.*a"], {"alpha", "Beta"}),
    (["id~dps:personalized-offer:.*"], {"alpha", "Beta", "gamma, the third"}),
    (["tags==dps:tag:aaaa"], {"alpha", "gamma, the third"}),  # any element of an array
    (["description"], {"alpha"}),  # a bare field: present
    (["!description"], {"Beta", "gamma, the third"}),
    (["status==approved", "rank.priority<10"], {"Beta"}),  # repeated: AND
    (["status==approved,rank.priority<10"], {"Beta"}),  # comma-separated: AND
    (["name==alpha"], {"alpha"}),
    (["name==Alpha"], set()),  # == is exact
    (["nothing==x"], set()),
    (["schemas==https://ns.adobe.com/experience/offer-management/personalized-offer;version=0.15"],
     {"alpha", "Beta", "gamma, the third"}),
])
def test_property_filters(three, expressions, expected):
    query = urlencode([("offer-type", "personalized")] + [("property", e) for e in expressions])
    found = three.dps.obj(f"/offers?{query}")
    assert {o["name"] for o in found["results"]} == expected
    assert found["total"] == len(expected)


def test_a_name_with_a_comma_cannot_be_filtered_exactly(three):
    # dps-api.md §9: the comma separates expressions, so this is name==gamma AND " the third".
    found = three.dps.obj("/offers?" + urlencode({"offer-type": "personalized", "property": "name==gamma, the third"}))
    assert found["total"] == 0


@pytest.mark.parametrize("expression", ["", "!", "==x", "name~(unclosed", "a..b==1"])
def test_bad_property_expressions(api, expression):
    response = api.dps.get("/tags?" + urlencode({"property": expression}))
    assert response.status_code == 400, response.text


def test_orderby(three):
    def names(orderby):
        return [o["name"] for o in three.dps.obj("/offers?" + urlencode(
            {"offer-type": "personalized", "orderby": orderby}))["results"]]
    assert names("name") == ["Beta", "alpha", "gamma, the third"]
    assert names("-name") == ["gamma, the third", "alpha", "Beta"]
    assert names("-rank.priority") == ["gamma, the third", "Beta", "alpha"]
    assert names("status,-rank.priority") == ["gamma, the third", "Beta", "alpha"]
    assert names("-modified") == ["gamma, the third", "Beta", "alpha"]
    assert names("id") == sorted(names("id"), key=lambda n: {o["name"]: o["id"] for o in three.dps.obj(
        "/offers?offer-type=personalized")["results"]}[n])
    assert three.dps.get("/offers?offer-type=personalized&orderby=rank..priority").status_code == 400


def test_rule_and_formula_families_are_told_apart_by_their_flag(api):
    decision_rule, _ = create(api, "decision-rule")
    eligibility_rule, _ = create(api, "eligibility-rule")
    create(api, "ranking-formula")
    assert {r["id"] for r in api.dps.obj("/offer-rules")["results"]} == {decision_rule, eligibility_rule}
    assert [r["id"] for r in api.dps.obj("/offer-rules?property=exdRule%3D%3Dtrue")["results"]] == [eligibility_rule]
    assert [r["id"] for r in api.dps.obj("/offer-rules?property=exdRule!%3Dtrue")["results"]] == [decision_rule]
    assert api.dps.obj("/ranking-formulas?property=exdFunction%3D%3Dtrue")["total"] == 1


def test_exd_placements_filter_by_status_channel_and_configuration(api):
    create(api, "exd-placement")
    create(api, "exd-placement", status="archived", channel="https://ns.adobe.com/xdm/channel-types/web")
    assert api.dps.obj("/exd-placements?property=status==active")["total"] == 1
    assert api.dps.obj("/exd-placements?" + urlencode(
        {"property": "channel==https://ns.adobe.com/xdm/channel-types/web"}))["total"] == 1
    assert api.dps.obj("/exd-placements?" + urlencode(
        {"property": "channelConfiguration==" + body("exd-placement")["channelConfiguration"]}))["total"] == 2


def test_decision_items_filter_by_the_item_name_path(api):
    wanted, _ = create_item(api, "Gold card")
    create_item(api, "Silver card")
    path = "_experience.decisioning.decisionitem.itemName"
    found = api.dps.obj("/offer-items?" + urlencode({"property": f"{path}==Gold card"}), **ITEM_HEADERS)
    assert [i["id"] for i in found["results"]] == [wanted]
    # Items have no top-level name, so a name filter finds none; the server-added itemID is filterable.
    assert api.dps.obj("/offer-items?property=name==Gold card", **ITEM_HEADERS)["total"] == 0
    by_id = api.dps.obj("/offer-items?" + urlencode(
        {"property": f"_experience.decisioning.decisionitem.itemID=={wanted}"}), **ITEM_HEADERS)
    assert by_id["total"] == 1
    ordered = api.dps.obj(f"/offer-items?orderby={path}", **ITEM_HEADERS)["results"]
    assert [i["_experience"]["decisioning"]["decisionitem"]["itemName"] for i in ordered] == ["Gold card", "Silver card"]

"""List and search: schema, name, id, property, orderby, limit, paging, q; discovery."""

from urllib.parse import urlencode

import pytest

from emulator_helpers import CONTAINER_KEY, offer, schema


def follow(api, first):
    """Every page from `first` on, following _links.next.href (relative to the xcore base)."""
    pages = [first]
    while "next" in pages[-1]["_links"]:
        response = api.request("GET", pages[-1]["_links"]["next"]["href"])
        assert response.status_code == 200, response.text
        pages.append(response.json())
    return pages


def create_offers(api, n):
    ids = []
    for i in range(n):
        ids.append(api.created("personalized-offer", offer(f"Offer {i:03d}", **{
            "xdm:rank": {"xdm:priority": i % 10},
            "xdm:status": ["draft", "approved", "archived"][i % 3]}))["instanceId"])
    return ids


def test_paging_across_250_objects(api):
    ids = create_offers(api, 250)
    api.created("tag", {"xdm:name": "not an offer"})
    first = api.list(schema=schema("personalized-offer"), limit=100).json()
    pages = follow(api, first)
    assert [p["_embedded"]["count"] for p in pages] == [100, 100, 50]
    assert all(p["_embedded"]["total"] == 250 for p in pages)
    assert all(p["containerId"] == api.cid for p in pages)
    seen = [doc["instanceId"] for p in pages for doc in p["_embedded"]["results"]]
    assert seen == sorted(ids)  # default order is instanceId, no duplicates, none missing
    assert all("schema=" in p["_links"]["self"]["href"] for p in pages)


def test_limit_is_capped_and_defaults(api):
    create_offers(api, 130)
    assert api.list(limit=1000).json()["_embedded"]["count"] == 100
    default = api.list().json()
    assert default["_embedded"]["count"] == 25 and default["_embedded"]["total"] == 130
    pages = follow(api, default)
    assert len(pages) == 6 and sum(p["_embedded"]["count"] for p in pages) == 130
    for bad in ("0", "-1", "ten", "1.5"):
        assert api.list(limit=bad).status_code == 400


def test_paging_with_orderby_and_filters(api):
    create_offers(api, 60)
    first = api.list(orderby="-_instance.xdm:rank.xdm:priority,_instance.xdm:name", limit=7,
                     property="_instance.xdm:status!=archived").json()
    docs = [d for p in follow(api, first) for d in p["_embedded"]["results"]]
    assert len(docs) == 40
    keys = [(-d["_instance"]["xdm:rank"]["xdm:priority"], d["_instance"]["xdm:name"]) for d in docs]
    assert keys == sorted(keys)


def test_schema_filter_ignores_version(api):
    api.created("fallback-offer", offer("Fallback"))
    api.created("tag", {"xdm:name": "t"})
    for asked in ("https://ns.adobe.com/experience/offer-management/fallback-offer;version=0.1",
                  "https://ns.adobe.com/experience/offer-management/fallback-offer;version=0.5",
                  "https://ns.adobe.com/experience/offer-management/fallback-offer"):
        body = api.list(schema=asked).json()
        assert [d["_instance"]["xdm:name"] for d in body["_embedded"]["results"]] == ["Fallback"]
    assert api.list().json()["_embedded"]["total"] == 2
    assert api.list(schema="https://ns.adobe.com/experience/offer-management/nothing;version=1").status_code == 400


def test_name_and_id(api):
    a = api.created("tag", {"xdm:name": "Holiday"})
    api.created("tag", {"xdm:name": "holiday"})
    by_name = api.list(name="Holiday").json()["_embedded"]["results"]
    assert [d["instanceId"] for d in by_name] == [a["instanceId"]]  # exact and case-sensitive
    by_id = api.list(id=a["@id"]).json()["_embedded"]["results"]
    assert [d["instanceId"] for d in by_id] == [a["instanceId"]]
    assert api.list(name="Holi").json()["_embedded"]["total"] == 0
    assert api.list(name="Holiday", id=a["@id"]).status_code == 400


@pytest.mark.parametrize("expression, expected", [
    ("_instance.xdm:status==approved", {"b"}),
    ("_instance.xdm:status!=approved", {"a", "c"}),
    ("_instance.xdm:rank.xdm:priority>1", {"c"}),
    ("_instance.xdm:rank.xdm:priority>=1", {"b", "c"}),
    ("_instance.xdm:rank.xdm:priority<1", {"a"}),
    ("_instance.xdm:rank.xdm:priority<=1", {"a", "b"}),
    ("_instance.xdm:name~B", {"b"}),
    ("_instance.xdm:name~[ab]", {"a", "b"}),
    ("_instance.xdm:name~b.*", {"b"}),
    ("_instance.xdm:tags==xcore:tag:aaaa", {"a", "c"}),
    ("_instance.xdm:tags!=xcore:tag:aaaa", {"b"}),
    ("_instance.xdm:nothing==x", set()),
    ("repo:etag==1", {"a", "b", "c"}),
])
def test_property_filters(api, expression, expected):
    api.created("personalized-offer", offer("a", **{"xdm:rank": {"xdm:priority": 0}, "xdm:tags": ["xcore:tag:aaaa"]}))
    api.created("personalized-offer", offer("b", **{"xdm:status": "approved", "xdm:rank": {"xdm:priority": 1}}))
    api.created("personalized-offer", offer("c", **{"xdm:rank": {"xdm:priority": 2},
                                                    "xdm:tags": ["xcore:tag:bbbb", "xcore:tag:aaaa"]}))
    body = api.list(property=expression).json()
    assert {d["_instance"]["xdm:name"] for d in body["_embedded"]["results"]} == expected


def test_property_filters_are_anded(api):
    api.created("personalized-offer", offer("a", **{"xdm:status": "approved"}))
    api.created("personalized-offer", offer("b", **{"xdm:status": "approved", "xdm:rank": {"xdm:priority": 3}}))
    response = api.request("GET", f"/{api.cid}/instances?" + urlencode(
        [("property", "_instance.xdm:status==approved"), ("property", "_instance.xdm:rank.xdm:priority>0")]))
    assert [d["_instance"]["xdm:name"] for d in response.json()["_embedded"]["results"]] == ["b"]


@pytest.mark.parametrize("params", [
    {"property": "_instance.xdm:status"}, {"property": "=approved"}, {"property": "a=b"},
    {"property": "_instance.xdm:name~(unclosed"}, {"orderby": "_instance..x"}, {"start": "x"},
    {"filter": "x"}, {"q": "x"},  # q belongs to search, not list
])
def test_bad_query_parameters(api, params):
    response = api.list(**params)
    assert response.status_code == 400, response.text
    assert response.json()["status"] == 400


def test_search(api):
    api.created("personalized-offer", offer("Summer sale"))
    api.created("personalized-offer", offer("Winter Sale"))
    api.created("tag", {"xdm:name": "sale tag"})
    api.created("offer-placement", {"xdm:name": "Other", "xdm:description": "a summer thing"})

    def names(**params):
        response = api.list("queries/core/search", **params)
        assert response.status_code == 200, response.text
        return sorted(d["_instance"]["xdm:name"] for d in response.json()["_embedded"]["results"])

    assert names(q="sale") == ["Summer sale", "Winter Sale", "sale tag"]
    assert names(q="sale", schema=schema("personalized-offer")) == ["Summer sale", "Winter Sale"]
    assert names(q="summer") == ["Other", "Summer sale"]
    assert names(q="summer sale") == ["Summer sale"]
    assert names(q='"winter sale"') == ["Winter Sale"]
    assert names(q="sale", orderby="-_instance.xdm:name", limit="1") == ["sale tag"]
    assert names(property="_instance.xdm:name~.*sale") == ["Summer sale", "Winter Sale"]  # full match
    assert names(property="_instance.xdm:name~.*SALE.*") == ["Summer sale", "Winter Sale", "sale tag"]
    paged = api.list("queries/core/search", q="sale", limit="2").json()
    assert "/queries/core/search?" in paged["_links"]["next"]["href"]
    assert len(follow(api, paged)) == 2


def test_discovery(api):
    body = api.discover().json()
    containers = body["_embedded"][CONTAINER_KEY]
    assert len(containers) == 1
    container = containers[0]
    assert container["_instance"]["containerType"] == "decisioning"
    assert container["_instance"]["parentName"] == "prod"
    assert container["productContexts"] == ["acp"]
    assert {"repo:etag", "repo:createdDate", "repo:lastModifiedDate", "schemas"} <= set(container)
    assert api.request("GET", "/?product=ajo").json()["_embedded"][CONTAINER_KEY] == []
    assert api.request("GET", "/?property=_instance.containerType==other").json()["_embedded"][CONTAINER_KEY] == []
    assert api.request("GET", "/").json()["_embedded"][CONTAINER_KEY] == containers
    assert api.request("GET", "/?limit=x").status_code == 400

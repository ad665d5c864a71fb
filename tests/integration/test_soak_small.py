"""A small fault soak in make test (benchmarks/soak.py runs the large one): nothing lost, nothing doubled."""

import json

from test_offer_library import run
from test_offer_instance import writes

OM = "https://ns.adobe.com/experience/offer-management/"


def library(shift):
    return {
        "placements": [{"name": "P%d" % i, "channel": "web", "component_type": "text"} for i in range(2)],
        "collection_qualifiers": [{"name": "Q%d" % i} for i in range(2)],
        "decision_rules": [{"name": "R0", "condition": "profile.age > 18"}],
        "offers": [{"name": "Soak %02d" % i, "priority": (i + shift) % 100, "tags": ["Q%d" % (i % 2)], "eligibility_rule": "R0",
                    "representations": [{"placement": "P%d" % (i % 2), "components": [{"type": "text", "content": "s%d" % i}]}]}
                   for i in range(15)],
    }


def test_offer_library_under_faults_loses_and_doubles_nothing(aep, direct, aep_emulator):
    aep_emulator.faults(fail_rate=0.2, fail_statuses=[429, 500, 502, 503], retry_after=0, drop_rate=0.1, seed=3)
    first = run(aep, library(0), extra={"retries": 8})
    update = run(aep, library(1), extra={"retries": 8})
    aep_emulator.faults()
    assert first.rc == 0, first.output
    assert update.rc == 0, update.output
    assert first.result("library")["retries"] + update.result("library")["retries"] > 0  # the faults did bite
    offers = direct.http.get(direct.instances_url, params={"schema": OM + "personalized-offer;version=0.5", "limit": 100}).json()
    stored = dict((d["_instance"]["xdm:name"], d["_instance"]) for d in offers["_embedded"]["results"])
    assert len(offers["_embedded"]["results"]) == len(stored) == 15  # no duplicates
    assert all(stored["Soak %02d" % i]["xdm:rank"]["xdm:priority"] == (i + 1) % 100 for i in range(15))  # no lost update
    for schema in ("offer-placement;version=0.4", "tag;version=0.1", "eligibility-rule;version=0.3"):
        listed = direct.http.get(direct.instances_url, params={"schema": OM + schema}).json()["_embedded"]["results"]
        names = [d["_instance"]["xdm:name"] for d in listed]
        assert len(names) == len(set(names)), json.dumps(names)
    before = aep_emulator.stats()
    rerun = run(aep, library(1))
    assert rerun.rc == 0 and rerun.result("library")["changed"] is False, rerun.output
    assert writes(aep_emulator.stats()) == writes(before)


def test_offer_library_under_faults_through_dps(aep, direct, aep_emulator):
    """The same soak through the persistence API: 412s, 5xx, lost answers; nothing lost, nothing doubled."""
    dps = {"AEP_OFFERS_API": "dps"}
    aep_emulator.faults(fail_rate=0.2, fail_statuses=[429, 500, 502, 503], retry_after=0, drop_rate=0.1, seed=5)
    first = run(aep, library(0), extra={"retries": 8}, env=dps)
    update = run(aep, library(1), extra={"retries": 8}, env=dps)
    aep_emulator.faults()
    assert first.rc == 0, first.output
    assert update.rc == 0, update.output
    assert first.result("library")["retries"] + update.result("library")["retries"] > 0  # the faults did bite
    stored = direct.dps.all("/offers?offer-type=personalized&limit=100")
    by_name = dict((o["name"], o) for o in stored)
    assert len(stored) == len(by_name) == 15  # no duplicates
    assert all(by_name["Soak %02d" % i]["rank"]["priority"] == (i + 1) % 100 for i in range(15))  # no lost update
    for path in ("/placements", "/tags", "/offer-rules"):
        names = [o["name"] for o in direct.dps.all(path)]
        assert len(names) == len(set(names)), json.dumps(names)
    before = aep_emulator.stats()
    rerun = run(aep, library(1), env=dps)
    assert rerun.rc == 0 and rerun.result("library")["changed"] is False, rerun.output
    assert writes(aep_emulator.stats()) == writes(before)

"""Eight writers on one object with If-Match, in each API: one winner per etag, no lost update."""

import threading
from collections import defaultdict

from aep_emulator.testing import ApiClient

THREADS = 8
UPDATES_PER_THREAD = 10


def test_eight_threads_patching_one_instance(aep_emulator):
    owner = ApiClient(aep_emulator)
    created = owner.created("personalized-offer", {"xdm:name": "contended"})
    iid = created["instanceId"]
    attempts = defaultdict(list)  # If-Match etag -> statuses answered
    lock = threading.Lock()
    errors = []
    start = threading.Barrier(THREADS)

    def writer(n):
        api = ApiClient(aep_emulator)
        api._cid = owner.cid
        start.wait()
        done = 0
        try:
            while done < UPDATES_PER_THREAD:
                etag = api.doc(iid)["repo:etag"]
                response = api.patch(iid, [{"op": "add", "path": f"/_instance/xdm:characteristics/w{n}-{done}",
                                            "value": str(etag)}], **{"If-Match": f'"{etag}"'})
                with lock:
                    attempts[etag].append(response.status_code)
                assert response.status_code in (200, 409), response.text
                if response.status_code == 200:
                    assert response.json()["repo:etag"] == etag + 1
                    done += 1
        except Exception as exc:  # surfaced below; a thread's assert would otherwise vanish
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors

    total = THREADS * UPDATES_PER_THREAD
    assert sorted(attempts) == list(range(1, total + 1))
    for etag, statuses in attempts.items():
        assert statuses.count(200) == 1, (etag, statuses)  # exactly one winner per etag
        assert set(statuses) <= {200, 409}
    doc = owner.doc(iid)
    assert doc["repo:etag"] == total + 1
    expected = {f"w{n}-{i}" for n in range(THREADS) for i in range(UPDATES_PER_THREAD)}
    assert set(doc["_instance"]["xdm:characteristics"]) == expected  # no update lost
    assert aep_emulator.stats()["writes"] == total + 1
    assert sum(len(s) for s in attempts.values()) > total  # the writers really did collide


def test_eight_threads_patching_one_dps_object_meet_412(aep_emulator):
    """The same race on /data/core/dps: a stale If-Match answers 412, one winner per etag."""
    owner = ApiClient(aep_emulator)
    one = "/offer-collections/" + owner.dps.created("/offer-collections", {"name": "contended", "labels": []})["id"]
    attempts = defaultdict(list)
    lock = threading.Lock()
    errors = []
    start = threading.Barrier(THREADS)

    def writer(n):
        api = ApiClient(aep_emulator)
        start.wait()
        done = 0
        try:
            while done < UPDATES_PER_THREAD:
                etag = api.dps.obj(one)["etag"]
                response = api.dps.patch(one, [{"op": "add", "path": "/labels/-", "value": f"w{n}-{done}"}],
                                         **{"If-Match": str(etag) if n % 2 else f'"{etag}"'})  # bare or quoted
                with lock:
                    attempts[etag].append(response.status_code)
                assert response.status_code in (200, 412), response.text
                if response.status_code == 200:
                    assert response.json()["etag"] == etag + 1
                    done += 1
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    total = THREADS * UPDATES_PER_THREAD
    assert sorted(attempts) == list(range(1, total + 1))
    for etag, statuses in attempts.items():
        assert statuses.count(200) == 1, (etag, statuses)
    got = owner.dps.obj(one)
    assert got["etag"] == total + 1
    assert sorted(got["labels"]) == sorted(f"w{n}-{i}" for n in range(THREADS) for i in range(UPDATES_PER_THREAD))
    assert aep_emulator.stats()["apis"]["dps"]["writes"] == total + 1
    assert sum(len(s) for s in attempts.values()) > total

"""Benchmark the xcore emulator: requests/s over one keep-alive connection, and peak memory.

    .venv/bin/python benchmarks/emulator_bench.py [--offers 10000] [--gets 5000] [--patches 2000]

The emulator runs in its own process, pinned to one core (the client gets the other one where
there is one), with the library in memory. Targets from issue 2: >= 1,000 GET/s on one core and
< 150 MB peak RSS holding 10,000 offers. Prints figures; it is not a pass/fail test.
"""

import argparse
import http.client
import os
import random
import sys
import time


sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from aep_emulator.testing import ApiClient, run_emulator  # noqa: E402

SCHEMA = "https://ns.adobe.com/experience/offer-management/personalized-offer;version=0.5"
CREATE_CT = f'application/schema-instance+json; version=1; schema="{SCHEMA}"'
PATCH_CT = f'application/vnd.adobe.platform.xcore.patch.hal+json; version=1; schema="{SCHEMA}"'


def memory_kb(pid):
    """VmHWM (peak resident set) and VmRSS of a process, in kB, from /proc."""
    fields = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmHWM", "VmRSS"):
                fields[key] = int(value.split()[0])
    return fields


def sample_offer(i):
    return {
        "xdm:name": f"Benchmark offer {i:05d}",
        "xdm:status": "approved" if i % 2 else "draft",
        "xdm:representations": [{
            "xdm:channel": "https://ns.adobe.com/xdm/channel-types/web",
            "xdm:placement": "xcore:offer-placement:124e0be5699743d3",
            "xdm:components": [{
                "@type": "https://ns.adobe.com/experience/offer-management/content-component-html",
                "dc:format": "text/html", "dc:language": ["en"],
                "xdm:content": f"<p>Offer {i}: {'lorem ipsum ' * 8}</p>"}],
        }],
        "xdm:selectionConstraint": {"xdm:startDate": "2024-01-01T00:00:00Z",
                                    "xdm:endDate": "2030-01-01T00:00:00Z",
                                    "xdm:eligibilityRule": "xcore:eligibility-rule:124e0faf5b8ee89b"},
        "xdm:rank": {"xdm:priority": i % 100},
        "xdm:tags": ["xcore:tag:124e147572cd7866"],
        "xdm:characteristics": {"segment": f"s{i % 7}"},
    }


def timed(n, call):
    started = time.perf_counter()
    for i in range(n):
        call(i)
    return n / (time.perf_counter() - started)


def rank_patch(i):
    return '[{"op": "replace", "path": "/_instance/xdm:rank/xdm:priority", "value": %d}]' % (i % 50)


def check(response, status):
    if response.status_code != status:
        raise SystemExit(f"unexpected answer {response.status_code}: {response.text[:300]}")
    return response


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offers", type=int, default=10_000)
    parser.add_argument("--gets", type=int, default=5_000)
    parser.add_argument("--patches", type=int, default=2_000)
    args = parser.parse_args()

    with run_emulator() as emulator:
        pid = emulator.process.pid
        cpus = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(pid, {cpus[0]})  # the emulator gets one core
        if len(cpus) > 1:
            os.sched_setaffinity(0, set(cpus[1:]))
        idle = memory_kb(pid)

        client = ApiClient(emulator, org="BENCH0RG@AdobeOrg", sandbox="prod")
        session = client.http  # one keep-alive connection for everything below, headers set
        base = f"{client.base}/{client.cid}"

        ids = []
        create_rate = timed(args.offers, lambda i: ids.append(check(session.post(
            f"{base}/instances", json=sample_offer(i),
            headers={"Content-Type": CREATE_CT}), 201).json()["instanceId"]))
        loaded = memory_kb(pid)

        rng = random.Random(7)
        get_rate = timed(args.gets, lambda i: check(session.get(f"{base}/instances/{rng.choice(ids)}"), 200))
        # The same GETs from a lean client (http.client, also one keep-alive connection): requests
        # spends about as long per call as the server does, so this shows the server's own rate.
        host, port = emulator.url.removeprefix("http://").split(":")
        lean = http.client.HTTPConnection(host, int(port), timeout=30)
        lean_headers = client.headers()

        def lean_get(i):
            path = f"{base.removeprefix(emulator.url)}/instances/{rng.choice(ids)}"
            lean.request("GET", path, headers=lean_headers)
            answer = lean.getresponse()
            answer.read()
            if answer.status != 200:
                raise SystemExit(f"unexpected answer {answer.status}")
        lean_rate = timed(args.gets, lean_get)
        etags = {}

        def patch(i):
            iid = ids[i % len(ids)]
            answer = check(session.patch(f"{base}/instances/{iid}", headers={
                "Content-Type": PATCH_CT, "If-Match": str(etags.get(iid, 1))}, data=rank_patch(i)), 200)
            etags[iid] = answer.json()["repo:etag"]
        patch_rate = timed(args.patches, patch)

        def lean_patch(i):
            iid = ids[i % len(ids)]
            headers = dict(lean_headers, **{"Content-Type": PATCH_CT, "If-Match": str(etags.get(iid, 1))})
            lean.request("PATCH", f"{base.removeprefix(emulator.url)}/instances/{iid}", headers=headers,
                         body=rank_patch(i))
            answer = lean.getresponse()
            body = answer.read()
            if answer.status != 200:
                raise SystemExit(f"unexpected answer {answer.status}: {body[:300]}")
            etags[iid] = etags.get(iid, 1) + 1
        lean_patch_rate = timed(args.patches, lean_patch)
        lean.close()

        started = time.perf_counter()
        page = check(session.get(f"{base}/instances", params={
            "schema": SCHEMA, "property": "_instance.xdm:status==approved",
            "orderby": "-_instance.xdm:rank.xdm:priority", "limit": 100}), 200).json()
        scan_ms = (time.perf_counter() - started) * 1000
        list_rate = timed(200, lambda i: check(session.get(
            f"{base}/instances", params={"limit": 100, "start": i * 50}), 200))
        stats = emulator.stats()
        peak = memory_kb(pid)

    rows = [
        ("offers created", f"{args.offers:,}", f"{create_rate:,.0f} POST/s"),
        ("GET one instance (requests.Session)", f"{args.gets:,} requests", f"{get_rate:,.0f} req/s"),
        ("GET one instance (http.client)", f"{args.gets:,} requests", f"{lean_rate:,.0f} req/s"),
        ("PATCH with If-Match (requests.Session)", f"{args.patches:,} requests", f"{patch_rate:,.0f} req/s"),
        ("PATCH with If-Match (http.client)", f"{args.patches:,} requests", f"{lean_patch_rate:,.0f} req/s"),
        ("list page of 100 (default order)", "200 requests", f"{list_rate:,.0f} req/s"),
        ("list with property + orderby over all", f"{page['_embedded']['total']:,} match",
         f"{scan_ms:,.0f} ms"),
        ("RSS idle", "", f"{idle['VmRSS'] / 1024:,.1f} MB"),
        (f"RSS holding {args.offers:,} offers", "", f"{loaded['VmRSS'] / 1024:,.1f} MB"),
        ("peak RSS (VmHWM) over the run", "", f"{peak['VmHWM'] / 1024:,.1f} MB"),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"aep_emulator benchmark (Python {sys.version.split()[0]}, emulator pinned to 1 core, "
          "one keep-alive connection)")
    for name, size, figure in rows:
        print(f"  {name:<{width}}  {size:>18}  {figure:>16}")
    print(f"  server-side counts: {stats['requests']}, writes {stats['writes']}")
    get_ok, mem_ok = max(get_rate, lean_rate) >= 1000, peak["VmHWM"] / 1024 < 150
    print(f"targets: GET >= 1,000/s on one core {'met' if get_ok else 'MISSED'}; "
          f"peak < 150 MB with {args.offers:,} offers {'met' if mem_ok else 'MISSED'}")


if __name__ == "__main__":
    main()

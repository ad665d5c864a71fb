"""offer_library against what users would otherwise write, side by side in one run.

    .venv/bin/python benchmarks/library_bench.py [--offers 1000] [--big 10000] [--latency-ms 20]

Starts the emulator, then for N offers measures, each in a fresh process tree:
  1. aep.offers.offer_library, one task (first converge, then a no-op rerun);
  2. a loop of aep.offers.offer_instance tasks (one task per offer);
  3. the ansible.builtin.uri playbook a user would write (list by name, compare, POST or PATCH);
  4. the floor: a plain Python `requests` loop sending the minimal requests, plus the start-up of an
     empty ansible-playbook run (measured, and added for the like-for-like comparison);
then the first converge again at --latency-ms emulator latency (offer_library with parallel writes
against the same with parallel: 1 and against the floor), one offer_instance task against one uri
task, and --big offers with offer_library alone. Prints tables of wall time, API requests (from
/_emulator/stats) and peak RSS (the largest process of the run: ansible-playbook, a worker or the
module). Figures, not a pass/fail test.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from aep_emulator.testing import ApiClient, run_emulator  # noqa: E402

ORG = "BENCH0123456789ABCDEF01@AdobeOrg"
SCHEMA = "https://ns.adobe.com/experience/offer-management/personalized-offer;version=0.5"
PLACEMENT = "xcore:offer-placement:124e0be5699743d3"
PLACEMENTS = {"xcore": PLACEMENT, "dps": "dps:offer-placement:124e0be5699743d3"}
BIN = Path(sys.executable).parent


def offers(n, priority_shift=0, api="xcore"):
    return [{"name": "Bench offer %05d" % i, "status": "approved", "priority": (i + priority_shift) % 100,
             "representations": [{"placement": PLACEMENTS[api], "channel": "web", "components": [
                 {"type": "text", "format": "text/plain", "language": ["en"], "content": "Offer %d" % i}]}]}
            for i in range(n)]


PLAYBOOKS = {
    "offer_library": """
- hosts: localhost
  gather_facts: false
  tasks:
    - aep.offers.offer_library:
        offers: "{{ offers }}"
        parallel: "{{ parallel | default(4) }}"
""",
    # The same declaration read from a file by the module: Ansible neither loads nor templates the items.
    "offer_library (src)": """
- hosts: localhost
  gather_facts: false
  tasks:
    - aep.offers.offer_library:
        src: "{{ src }}"
        parallel: "{{ parallel | default(4) }}"
""",
    "offer_instance loop": """
- hosts: localhost
  gather_facts: false
  tasks:
    - aep.offers.offer_instance:
        name: "{{ item.name }}"
        status: "{{ item.status }}"
        priority: "{{ item.priority }}"
        representations: "{{ item.representations }}"
      loop: "{{ offers }}"
      loop_control:
        label: "{{ item.name }}"
""",
    # What a user writes without the collection: token, container, then per offer GET by name, compare, write.
    "uri playbook": """
- hosts: localhost
  gather_facts: false
  vars:
    api: "{{ lookup('env', 'AEP_API_URL') }}/data/core/xcore"
    schema: "https://ns.adobe.com/experience/offer-management/personalized-offer;version=0.5"
  tasks:
    - ansible.builtin.uri:
        url: "{{ lookup('env', 'AEP_IMS_URL') }}/ims/token/v3"
        method: POST
        body_format: form-urlencoded
        body:
          grant_type: client_credentials
          client_id: "{{ lookup('env', 'AEP_CLIENT_ID') }}"
          client_secret: "{{ lookup('env', 'AEP_CLIENT_SECRET') }}"
          scope: openid,AdobeID
      register: token
      no_log: true
    - ansible.builtin.set_fact:
        headers:
          Authorization: "Bearer {{ token.json.access_token }}"
          x-api-key: "{{ lookup('env', 'AEP_CLIENT_ID') }}"
          x-gw-ims-org-id: "{{ lookup('env', 'AEP_ORG_ID') }}"
          x-sandbox-name: prod
      no_log: true
    - ansible.builtin.uri:
        url: "{{ api }}/?product=acp&property=_instance.containerType==decisioning"
        headers: "{{ headers }}"
      register: containers
    - ansible.builtin.set_fact:
        base: "{{ api }}/{{ containers.json._embedded['https://ns.adobe.com/experience/xcore/container'][0].instanceId }}/instances"
    - ansible.builtin.uri:
        url: "{{ base }}?schema={{ schema | urlencode }}&name={{ item.name | urlencode }}"
        headers: "{{ headers }}"
      loop: "{{ offers }}"
      loop_control:
        label: "{{ item.name }}"
      register: found
    - ansible.builtin.uri:
        url: "{{ base }}"
        method: POST
        headers: "{{ headers | combine({'Content-Type': 'application/schema-instance+json; version=1; schema=\\"' ~ schema ~ '\\"'}) }}"
        body_format: json
        body:
          xdm:name: "{{ item.item.name }}"
          xdm:status: "{{ item.item.status }}"
          xdm:rank: {xdm:priority: "{{ item.item.priority }}"}
          xdm:representations:
            - xdm:placement: "{{ item.item.representations[0].placement }}"
              xdm:channel: https://ns.adobe.com/xdm/channel-types/web
              xdm:components:
                - "@type": https://ns.adobe.com/experience/offer-management/content-component-text
                  dc:format: text/plain
                  dc:language: [en]
                  xdm:content: "{{ item.item.representations[0].components[0].content }}"
        status_code: [201]
      loop: "{{ found.results }}"
      loop_control:
        label: "{{ item.item.name }}"
      when: item.json._embedded.results | length == 0
      changed_when: true
    - ansible.builtin.uri:
        url: "{{ base }}/{{ item.json._embedded.results[0].instanceId }}"
        method: PATCH
        headers: "{{ headers | combine({'If-Match': item.json._embedded.results[0]['repo:etag'] | string,
                  'Content-Type': 'application/vnd.adobe.platform.xcore.patch.hal+json; version=1; schema=\\"' ~ schema ~ '\\"'}) }}"
        body_format: json
        body: [{op: replace, path: /_instance/xdm:rank/xdm:priority, value: "{{ item.item.priority }}"}]
      loop: "{{ found.results }}"
      loop_control:
        label: "{{ item.item.name }}"
      when: >-
        item.json._embedded.results | length > 0 and
        item.json._embedded.results[0]._instance['xdm:rank']['xdm:priority'] != item.item.priority
      changed_when: true
""",
    "empty ansible-playbook": """
- hosts: localhost
  gather_facts: false
  tasks: []
""",
    # What Ansible alone spends on a 1,000-item variable: load it (-e @file) and template it into one task.
    "the variable alone": """
- hosts: localhost
  gather_facts: false
  tasks:
    - ansible.builtin.debug:
        msg: "{{ offers | length }}"
""",
}

SINGLE_TASK = {
    "one offer_instance task": """
- hosts: localhost
  gather_facts: false
  tasks:
    - aep.offers.offer_instance:
        instance_id: "{{ instance_id }}"
        container_id: "{{ container_id }}"
        priority: "{{ priority }}"
""",
    "one uri task": """
- hosts: localhost
  gather_facts: false
  tasks:
    - ansible.builtin.uri:
        url: "{{ lookup('env', 'AEP_API_URL') }}/data/core/xcore/{{ container_id }}/instances/{{ instance_id }}"
        method: PATCH
        headers:
          Authorization: "Bearer {{ token }}"
          x-api-key: "{{ lookup('env', 'AEP_CLIENT_ID') }}"
          x-gw-ims-org-id: "{{ lookup('env', 'AEP_ORG_ID') }}"
          x-sandbox-name: prod
          If-Match: "{{ etag }}"
          Content-Type: application/vnd.adobe.platform.xcore.patch.hal+json; version=1
        body_format: json
        body: [{op: replace, path: /_instance/xdm:rank/xdm:priority, value: "{{ priority | int }}"}]
""",
}

# Runs a command and prints its wall time and the peak RSS of the largest process of its tree.
MEASURE = r"""
import json, os, resource, subprocess, sys, time
started = time.perf_counter()
child = subprocess.Popen(sys.argv[2:], stdout=open(sys.argv[1], 'w'), stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
module_peak = 0
# The module runs in a short-lived grandchild (AnsiballZ_*.py): sample its VmHWM (a high-water mark) until the run ends.
while child.poll() is None:
    for pid in os.listdir('/proc'):
        if not pid.isdigit():
            continue
        try:
            with open('/proc/%s/cmdline' % pid, 'rb') as cmd:
                if b'AnsiballZ_' not in cmd.read():
                    continue
            with open('/proc/%s/status' % pid) as status:
                for line in status:
                    if line.startswith('VmHWM:'):
                        module_peak = max(module_peak, int(line.split()[1]))
        except OSError:
            pass
    time.sleep(0.02)
print(json.dumps({'rc': child.returncode, 'seconds': time.perf_counter() - started, 'module_mb': module_peak / 1024.0,
                  'peak_mb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0}))
"""


class Bench:
    def __init__(self, server, work, api="xcore"):
        self.server = server
        self.work = work
        self.api = api
        self.env = dict(os.environ, AEP_OFFERS_API=api, AEP_API_URL=server.url, AEP_IMS_URL=server.url, AEP_CLIENT_ID=server.client_id,
                        AEP_CLIENT_SECRET=server.client_secret, AEP_ORG_ID=ORG, AEP_SANDBOX="prod",
                        ANSIBLE_COLLECTIONS_PATH=str(work), ANSIBLE_NOCOLOR="1", ANSIBLE_LOCALHOST_WARNING="0",
                        ANSIBLE_INVENTORY_UNPARSED_WARNING="0")
        # Python's default, as on a user's machine: bytecode is kept. Ours set PYTHONDONTWRITEBYTECODE, and then the
        # collection's module_utils are compiled on every run (plugin_utils/_bytecode.py).
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)
        self.inventory = work / "inventory.yml"
        self.inventory.write_text("all:\n  hosts:\n    localhost:\n      ansible_connection: local\n"
                                  "      ansible_python_interpreter: \"{{ ansible_playbook_python }}\"\n")
        self.runs = 0

    def measure(self, command, env):
        self.runs += 1
        log = self.work / ("run-%d.log" % self.runs)
        before = self.server.stats()
        out = subprocess.run([sys.executable, "-c", MEASURE, str(log)] + command, env=env, capture_output=True, text=True,
                             check=True)
        figures = json.loads(out.stdout)
        after = self.server.stats()
        figures["requests"] = sum(after["requests"].values()) - sum(before["requests"].values())
        figures["tokens"] = after["token_requests"] - before["token_requests"]
        figures["writes"] = after["writes"] - before["writes"]
        if figures["rc"] != 0:
            raise SystemExit("%s failed, see %s:\n%s" % (command, log, log.read_text()[-3000:]))
        return figures

    def playbook(self, name, text, extra, cache):
        path = self.work / ("%s.yml" % name.replace(" ", "_"))
        path.write_text(text)
        vars_file = self.work / ("vars-%d.json" % self.runs)
        vars_file.write_text(json.dumps(extra))
        env = dict(self.env, AEP_TOKEN_CACHE_DIR=str(self.work / ("tokens-" + cache)))
        return self.measure([str(BIN / "ansible-playbook"), "-i", str(self.inventory), str(path), "-e", "@%s" % vars_file], env)

    def library_src(self, items, parallel=4):
        """offer_library with the declaration in a JSON file (its src option)."""
        path = self.work / ("library-%d.json" % len(items))
        if not path.exists():
            path.write_text(json.dumps({"offers": items}))
        return self.playbook("offer_library (src)", PLAYBOOKS["offer_library (src)"], {"src": str(path), "parallel": parallel},
                             "offer_library")

    def floor(self, items, first):
        """The minimal requests, from plain Python: token, container, the list pages, and the writes."""
        return self.measure([sys.executable, str(self.floor_script(items, first))], self.env)

    def floor_script(self, items, first):
        """The floor's Python script, written to the work directory; its path."""
        code = FLOORS[self.api] % dict(url=self.server.url, client=self.server.client_id, secret=self.server.client_secret, org=ORG,
                            items=json.dumps([{"name": o["name"], "priority": o["priority"]} for o in items]),
                            first=first, schema=SCHEMA, placement=PLACEMENTS[self.api])
        script = self.work / "floor.py"
        script.write_text(code)
        return script


FLOOR = r"""
import requests
s = requests.Session()
tok = s.post('%(url)s/ims/token/v3', data={'grant_type': 'client_credentials', 'client_id': '%(client)s',
             'client_secret': '%(secret)s', 'scope': 'openid'}).json()['access_token']
s.headers.update({'Authorization': 'Bearer ' + tok, 'x-api-key': '%(client)s', 'x-gw-ims-org-id': '%(org)s',
                  'x-sandbox-name': 'prod'})
base = '%(url)s/data/core/xcore'
c = s.get(base + '/', params={'product': 'acp', 'property': '_instance.containerType==decisioning'}).json()
cid = c['_embedded']['https://ns.adobe.com/experience/xcore/container'][0]['instanceId']
existing, url, params = {}, base + '/%%s/instances' %% cid, {'schema': '%(schema)s', 'limit': 100}
while url:
    page = s.get(url, params=params).json()
    for r in page['_embedded']['results']:
        existing[r['_instance']['xdm:name']] = r
    nxt = page['_links'].get('next')
    url, params = (base + '/' + nxt['href'].lstrip('/') if not nxt['href'].startswith('/data') else '%(url)s' + nxt['href']) if nxt else None, None
for item in %(items)s:
    if item['name'] in existing:
        continue
    body = {'xdm:name': item['name'], 'xdm:status': 'approved', 'xdm:rank': {'xdm:priority': item['priority']},
            'xdm:representations': [{'xdm:placement': '%(placement)s', 'xdm:channel': 'https://ns.adobe.com/xdm/channel-types/web',
             'xdm:components': [{'@type': 'https://ns.adobe.com/experience/offer-management/content-component-text',
                                 'dc:format': 'text/plain', 'dc:language': ['en'], 'xdm:content': 'x'}]}]}
    r = s.post(base + '/%%s/instances' %% cid, json=body, headers={
        'Content-Type': 'application/schema-instance+json; version=1; schema="%(schema)s"'})
    assert r.status_code == 201, r.text
"""


# The same through dps: no container, flat bodies, pages of 100 following the relative next links.
FLOOR_DPS = r"""
import requests
s = requests.Session()
tok = s.post('%(url)s/ims/token/v3', data={'grant_type': 'client_credentials', 'client_id': '%(client)s',
             'client_secret': '%(secret)s', 'scope': 'openid'}).json()['access_token']
s.headers.update({'Authorization': 'Bearer ' + tok, 'x-api-key': '%(client)s', 'x-gw-ims-org-id': '%(org)s',
                  'x-sandbox-name': 'prod'})
base = '%(url)s/data/core/dps'
existing, url, params = {}, base + '/offers', {'offer-type': 'personalized', 'limit': 100}
while url:
    page = s.get(url, params=params).json()
    for r in page['results']:
        existing[r['name']] = r
    nxt = page['_links'].get('next')
    url, params = (base + nxt['href']) if nxt else None, None
for item in %(items)s:
    if item['name'] in existing:
        continue
    body = {'name': item['name'], 'status': 'approved', 'rank': {'priority': item['priority']},
            'representations': [{'placement': '%(placement)s', 'channel': 'https://ns.adobe.com/xdm/channel-types/web',
                                 'components': [{'type': 'component-text', 'format': 'text/plain', 'language': ['en'], 'content': 'x'}]}]}
    r = s.post(base + '/offers', params={'offer-type': 'personalized'}, json=body)
    assert r.status_code == 201, r.text
"""
FLOORS = {"xcore": FLOOR, "dps": FLOOR_DPS}


def row(label, figures):
    return "| %-50s | %8.2f s | %8d | %6d | %6d | %8.1f MB | %8.1f MB |" % (
        label, figures["seconds"], figures["requests"], figures["writes"], figures["tokens"], figures.get("module_mb", 0),
        figures["peak_mb"])


HEADER = ("| %-50s | %10s | %8s | %6s | %6s | %11s | %11s |\n|%s|%s|%s|%s|%s|%s|%s|" % (
    "run", "wall", "requests", "writes", "tokens", "module RSS", "largest RSS",
    "-" * 52, "-" * 12, "-" * 10, "-" * 8, "-" * 8, "-" * 13, "-" * 13))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--offers", type=int, default=1000)
    parser.add_argument("--big", type=int, default=10000, help="offers for offer_library alone (0 skips)")
    parser.add_argument("--latency-ms", type=int, default=20)
    parser.add_argument("--single-repeats", type=int, default=5)
    parser.add_argument("--skip-loops", action="store_true", help="skip the offer_instance loop and the uri playbook (slow)")
    parser.add_argument("--api", choices=["xcore", "dps"], default="xcore", help="the API offer_library and the floor use")
    parser.add_argument("--noop-only", type=int, metavar="REPEATS", default=0,
                        help="only the no-op comparison: offer_library with src against the floor, REPEATS times interleaved")
    args = parser.parse_args()
    items = offers(args.offers, api=args.api)
    results = {}
    with tempfile.TemporaryDirectory(prefix="aep-bench-") as tmp, run_emulator() as server:
        # A copy of its own, so a `make collection` elsewhere cannot swap the collection mid-run.
        subprocess.run([str(ROOT / "hack/stage-collection"), str(Path(tmp) / "ansible_collections/aep/offers")], cwd=ROOT,
                       env=dict(os.environ, PATH="%s:%s" % (BIN, os.environ["PATH"])), check=True)
        bench = Bench(server, Path(tmp), args.api)
        print("%d offers through %s; emulator at %s; %s" % (args.offers, args.api, server.url, ansible_version()), flush=True)
        if args.api != "xcore" and not (args.noop_only or args.skip_loops):
            raise SystemExit("--api %s measures offer_library only: add --skip-loops or --noop-only" % args.api)
        if args.noop_only:
            return noop_only(bench, items, args.noop_only)
        results["empty ansible-playbook"] = bench.playbook("empty", PLAYBOOKS["empty ansible-playbook"], {}, "empty")
        for name in ("offer_library",) + (() if args.skip_loops else ("offer_instance loop", "uri playbook")):
            server.reset()
            results[name + ": first converge"] = bench.playbook(name, PLAYBOOKS[name], {"offers": items}, name)
            results[name + ": no-op rerun"] = bench.playbook(name, PLAYBOOKS[name], {"offers": items}, name)
            print(row(name + ": no-op rerun", results[name + ": no-op rerun"]), flush=True)
        server.reset()
        results["floor: first converge"] = bench.floor(items, True)
        results["floor: no-op rerun"] = bench.floor(items, False)
        # The no-op comparison again, interleaved, so machine load hits both alike: medians of 3 (after the floor's
        # own first converge, offer_library's first run here has content to patch: a warm-up, not counted).
        bench.playbook("offer_library", PLAYBOOKS["offer_library"], {"offers": items}, "offer_library")
        contenders = {
            "offer_library: no-op rerun": lambda: bench.playbook("offer_library", PLAYBOOKS["offer_library"], {"offers": items},
                                                                 "offer_library"),
            "offer_library with src: no-op rerun": lambda: bench.library_src(items),
            "floor: no-op rerun": lambda: bench.floor(items, False),
            "empty ansible-playbook": lambda: bench.playbook("empty", PLAYBOOKS["empty ansible-playbook"], {}, "empty"),
            "the variable alone, one debug task": lambda: bench.playbook("variable", PLAYBOOKS["the variable alone"],
                                                                         {"offers": items}, "empty"),
        }
        pairs = dict((label + " (median of 3, interleaved)", []) for label in contenders)
        for repeat in range(3):
            for label, run in contenders.items():
                pairs[label + " (median of 3, interleaved)"].append(run())
        for label, runs in pairs.items():
            results[label] = dict(runs[0], seconds=statistics.median(r["seconds"] for r in runs))

        server.reset()
        server.faults(latency_ms=args.latency_ms)
        lat = "@%d ms: " % args.latency_ms
        results[lat + "offer_library first converge (parallel 4)"] = bench.playbook(
            "offer_library", PLAYBOOKS["offer_library"], {"offers": items}, "lat")
        server.reset()
        server.faults(latency_ms=args.latency_ms)
        results[lat + "offer_library first converge (parallel 1)"] = bench.playbook(
            "offer_library", PLAYBOOKS["offer_library"], {"offers": items, "parallel": 1}, "lat")
        server.reset()
        server.faults(latency_ms=args.latency_ms)
        results[lat + "floor first converge (serial)"] = bench.floor(items, True)
        server.faults()

        # One task that reads and patches, against one uri task that only patches (token and etag given): xcore only.
        single = {} if args.api != "xcore" else single_task(bench, server, args, items)
        for name, runs in single.items():
            results[name + " (median of %d)" % len(runs)] = dict(runs[0], seconds=statistics.median(r["seconds"] for r in runs),
                                                              peak_mb=max(r["peak_mb"] for r in runs))

        if args.big:
            big = offers(args.big, api=args.api)
            server.reset()
            results["%d offers: offer_library first converge" % args.big] = bench.playbook(
                "offer_library", PLAYBOOKS["offer_library"], {"offers": big}, "big")
            results["%d offers: offer_library no-op rerun" % args.big] = bench.playbook(
                "offer_library", PLAYBOOKS["offer_library"], {"offers": big}, "big")
            server.reset()
            results["%d offers: offer_library with src: first converge" % args.big] = bench.library_src(big)
            results["%d offers: offer_library with src: no-op rerun" % args.big] = bench.library_src(big)

    print()
    print(HEADER)
    for label, figures in results.items():
        print(row(label, figures))
    r = results
    interleaved = " (median of 3, interleaved)"
    floor_noop = r["floor: no-op rerun" + interleaved]["seconds"] + r["empty ansible-playbook" + interleaved]["seconds"]
    print()
    print("Ratios (targets from issue 6):")
    print("- no-op rerun vs floor (requests loop %.2f s + empty ansible-playbook %.2f s = %.2f s), target <= 2x:" % (
        r["floor: no-op rerun" + interleaved]["seconds"], r["empty ansible-playbook" + interleaved]["seconds"], floor_noop))
    print("  offer_library with src %.2f s: %.2fx; offer_library with the variable %.2f s: %.2fx" % (
        r["offer_library with src: no-op rerun" + interleaved]["seconds"],
        r["offer_library with src: no-op rerun" + interleaved]["seconds"] / floor_noop,
        r["offer_library: no-op rerun" + interleaved]["seconds"], r["offer_library: no-op rerun" + interleaved]["seconds"] / floor_noop))
    variable_floor = r["floor: no-op rerun" + interleaved]["seconds"] + r["the variable alone, one debug task" + interleaved]["seconds"]
    print("  with the variable against requests loop + a playbook that only loads and templates the variable (%.2f s): %.2fx" % (
        variable_floor, r["offer_library: no-op rerun" + interleaved]["seconds"] / variable_floor))
    if not args.skip_loops:
        print("- no-op rerun, offer_instance loop / offer_library: %.1fx faster (target >= 20x)" % (
            r["offer_instance loop: no-op rerun"]["seconds"] / r["offer_library: no-op rerun"]["seconds"]))
        print("- no-op rerun, uri playbook / offer_library: %.1fx faster" % (
            r["uri playbook: no-op rerun"]["seconds"] / r["offer_library: no-op rerun"]["seconds"]))
    print("- no-op rerun requests by offer_library: %d plus %d token request(s) (target <= 12 + 1)" % (
        r["offer_library: no-op rerun"]["requests"], r["offer_library: no-op rerun"]["tokens"]))
    lat = "@%d ms: " % args.latency_ms
    print("- first converge at %d ms, parallel 4 vs parallel 1 (serial writes): %.1fx faster; vs the serial floor: %.1fx (target >= 3x)" % (
        args.latency_ms, r[lat + "offer_library first converge (parallel 1)"]["seconds"] / r[lat + "offer_library first converge (parallel 4)"]["seconds"],
        r[lat + "floor first converge (serial)"]["seconds"] / r[lat + "offer_library first converge (parallel 4)"]["seconds"]))
    if args.api == "xcore":
        one = [k for k in r if k.startswith("one offer_instance task")][0]
        uri = [k for k in r if k.startswith("one uri task")][0]
        print("- one offer_instance task (read + patch) / one uri task (patch only): %.2fx the time (target <= 1x)" % (
            r[one]["seconds"] / r[uri]["seconds"]))
    if args.big:
        small, large = r["offer_library: first converge"], r["%d offers: offer_library first converge" % args.big]
        big_noop = r["%d offers: offer_library no-op rerun" % args.big]
        big_src = r["%d offers: offer_library with src: no-op rerun" % args.big]
        big_src_first = r["%d offers: offer_library with src: first converge" % args.big]
        print("- %d vs %d offers, offer_library first converge: %.1fx the time for %.0fx the offers; no-op %.1fx; "
              "module peak RSS %.0f MB (target < 250 MB), largest process %.0f MB" % (
                  args.big, args.offers, large["seconds"] / small["seconds"], args.big / float(args.offers),
                  big_noop["seconds"] / r["offer_library: no-op rerun"]["seconds"],
                  max(large["module_mb"], big_noop["module_mb"]), max(large["peak_mb"], big_noop["peak_mb"])))
        print("- %d offers with src: first converge %.2f s, no-op %.2f s (%.1fx the %d-offer src no-op); module peak RSS %.0f MB, "
              "largest process %.0f MB (target < 250 MB)" % (
                  args.big, big_src_first["seconds"], big_src["seconds"],
                  big_src["seconds"] / r["offer_library with src: no-op rerun" + interleaved]["seconds"], args.offers,
                  max(big_src_first["module_mb"], big_src["module_mb"]), max(big_src_first["peak_mb"], big_src["peak_mb"])))


def single_task(bench, server, args, items):
    """One offer_instance task (read + patch) against one uri task (patch only, token and etag given), interleaved."""
    server.reset()
    bench.playbook("offer_library", PLAYBOOKS["offer_library"], {"offers": items[:1]}, "single")
    client = ApiClient(server, org=ORG, sandbox="prod")
    token, container_id = client.token, client.cid
    listed = client.list(schema=SCHEMA).json()["_embedded"]["results"][0]
    single = {}
    etag = listed["repo:etag"]
    for repeat in range(args.single_repeats):
        for name, text in SINGLE_TASK.items():
            extra = {"instance_id": listed["instanceId"], "container_id": container_id, "priority": 1 + repeat * 2 + (name == "one uri task"),
                     "token": token, "etag": etag}
            figures = bench.playbook(name, text, extra, "single")
            etag += 1
            single.setdefault(name, []).append(figures)
    return single


def ansible_version():
    out = subprocess.run([str(BIN / "ansible-playbook"), "--version"], capture_output=True, text=True, check=True).stdout
    return out.splitlines()[0] + ", Python %d.%d" % sys.version_info[:2]


def noop_only(bench, items, repeats):
    """The no-op rerun from a src file against the floor (requests loop + empty ansible-playbook), interleaved."""
    bench.library_src(items)  # the first converge
    contenders = {
        "offer_library with src: no-op rerun": lambda: bench.library_src(items),
        "floor: no-op rerun": lambda: bench.floor(items, False),
        "empty ansible-playbook": lambda: bench.playbook("empty", PLAYBOOKS["empty ansible-playbook"], {}, "empty"),
    }
    runs = dict((label, []) for label in contenders)
    for repeat in range(repeats):
        for label, run in contenders.items():
            runs[label].append(run())
    print(HEADER)
    medians = {}
    for label, figures in runs.items():
        medians[label] = statistics.median(f["seconds"] for f in figures)
        print(row(label + " (median of %d)" % repeats, dict(figures[0], seconds=medians[label])))
    floor = medians["floor: no-op rerun"] + medians["empty ansible-playbook"]
    print("no-op rerun of %d offers from src: %.2f s against the floor %.2f s (requests loop %.2f s + empty ansible-playbook %.2f s)"
          " = %.2fx" % (len(items), medians["offer_library with src: no-op rerun"], floor, medians["floor: no-op rerun"],
                        medians["empty ansible-playbook"], medians["offer_library with src: no-op rerun"] / floor))


if __name__ == "__main__":
    main()

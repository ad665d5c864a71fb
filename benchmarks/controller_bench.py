"""Local tasks in the controller against a module process and against the floors, interleaved in one run (issue 21).

    .venv/bin/python benchmarks/controller_bench.py [--items 40] [--rounds 5] [--offers 1000] [--skip-library]
    .venv-oldest/bin/python benchmarks/controller_bench.py ...        # the oldest ansible-core

Stages this checkout with the Python's own ansible-core, starts the emulator, and in every round runs:
  1. a loop of --items unchanged aep.offers.collection_qualifier tasks through dps: in the controller, and forced into
     a module process (AEP_OFFERS_IN_CONTROLLER=false) for reference; and a loop of ansible.builtin.uri GETs that only
     read the same objects (after one uri task for the token), and a loop of ansible.builtin.debug (what Ansible
     itself spends on an item of a loop whose action runs in the controller). Each is also run over an empty list, and the figure
     per item is (loop of N - loop of none) / N: start-up, the token and the play are left out, the first item's
     imports are not;
  2. offer_library's no-op of --offers offers from src in the controller and in a module process, against the floor
     (a plain requests loop making the same reads, plus an empty ansible-playbook);
  3. the first converge of those offers (the emulator emptied before each), in the controller, in a module process,
     and the floor's requests loop writing them.
Prints the medians, the ratios, and the no-op against the floor of its own round (paired). Figures, not a pass/fail test.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

import library_bench as lb
from aep_emulator.testing import ApiClient, run_emulator
from noop_ab import stage

LOOP = """
- hosts: localhost
  gather_facts: false
  tasks:
    - aep.offers.collection_qualifier:
        name: "{{ item }}"
        api: dps
      loop: "{{ names }}"
"""

# Ansible's own cost of a loop item: an action that runs in the controller and does nothing.
DEBUG_LOOP = """
- hosts: localhost
  gather_facts: false
  tasks:
    - ansible.builtin.debug:
        msg: "{{ item }}"
      loop: "{{ names }}"
"""

# What a user writes to read the same objects: one token, then one GET per object (by id, the cheapest read).
URI_LOOP = """
- hosts: localhost
  gather_facts: false
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
    - ansible.builtin.uri:
        url: "{{ lookup('env', 'AEP_API_URL') }}/data/core/dps/tags/{{ item }}"
        headers:
          Authorization: "Bearer {{ token.json.access_token }}"
          x-api-key: "{{ lookup('env', 'AEP_CLIENT_ID') }}"
          x-gw-ims-org-id: "{{ lookup('env', 'AEP_ORG_ID') }}"
          x-sandbox-name: prod
      loop: "{{ ids }}"
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--offers", type=int, default=1000)
    parser.add_argument("--skip-library", action="store_true", help="only the loops")
    parser.add_argument("--skip-loops", action="store_true", help="only offer_library")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="aep-controller-") as tmp, run_emulator() as server:
        tmp = Path(tmp)
        stage(lb.ROOT, tmp)
        bench = lb.Bench(server, tmp, "dps")
        base_env = dict(bench.env)
        print("%s; load average %s" % (lb.ansible_version(), " ".join(open("/proc/loadavg").read().split()[:3])), flush=True)

        def run(label, text, extra, module_process=False):
            bench.env = dict(base_env, AEP_OFFERS_IN_CONTROLLER="false" if module_process else "true")
            try:
                return bench.playbook(label, text, extra, "loops")
            finally:
                bench.env = base_env

        names = ["Bench qualifier %02d" % i for i in range(args.items)]
        direct = ApiClient(server, org=lb.ORG)
        ids = [direct.dps.created("/tags", {"name": name})["id"] for name in names]
        loops = {
            "qualifier loop, in the controller": lambda n: run("loop", LOOP, {"names": names[:n]}),
            "qualifier loop, module process": lambda n: run("loop", LOOP, {"names": names[:n]}, module_process=True),
            "uri GET loop": lambda n: run("uri", URI_LOOP, {"ids": ids[:n]}),
            "debug loop (Ansible's floor)": lambda n: run("debug", DEBUG_LOOP, {"names": names[:n]}),
        }
        items = lb.offers(args.offers, api="dps")
        src = {"in the controller": False, "module process": True}

        def library(module_process, first):
            if first:
                server.reset()
            bench.env = dict(base_env, AEP_OFFERS_IN_CONTROLLER="false" if module_process else "true")
            try:
                figures = bench.library_src(items)
            finally:
                bench.env = base_env
            if not first and figures["writes"]:
                raise SystemExit("the no-op wrote %d objects" % figures["writes"])
            return figures

        def floor_first():
            server.reset()
            return bench.floor(items, True)

        per_item = dict((label, []) for label in loops)
        library_runs = dict((label, []) for label in
                            ["no-op, in the controller", "no-op, module process", "floor loop", "empty ansible-playbook",
                             "first converge, in the controller", "first converge, module process", "floor first converge"])
        for repeat in range(args.rounds):
            if not args.skip_loops:
                order = list(loops) if repeat % 2 == 0 else list(reversed(list(loops)))
                for label in order:
                    full, none = loops[label](args.items), loops[label](0)
                    if full["writes"]:
                        raise SystemExit("%s wrote %d objects" % (label, full["writes"]))
                    per_item[label].append((full["seconds"] - none["seconds"]) / args.items)
            if args.skip_library:
                continue
            # The first converges empty the emulator, so they come after the loops (which recreate their qualifiers).
            library_runs["first converge, in the controller"].append(library(False, True))
            library_runs["first converge, module process"].append(library(True, True))
            library_runs["floor first converge"].append(floor_first())
            library(False, True)  # the offers again, for the no-ops
            order = ["no-op, in the controller", "no-op, module process"]
            for label in order if repeat % 2 == 0 else reversed(order):
                library_runs[label].append(library(label.endswith("module process"), False))
            library_runs["floor loop"].append(bench.floor(items, False))
            library_runs["empty ansible-playbook"].append(bench.playbook("empty", lb.PLAYBOOKS["empty ansible-playbook"], {}, "empty"))
            if not args.skip_loops:
                server.reset()
                ids[:] = [direct.dps.created("/tags", {"name": name})["id"] for name in names]
            print("round %d done" % (repeat + 1), flush=True)

    if not args.skip_loops:
        print("\nPer loop item (%d unchanged qualifiers through dps; (loop of %d - loop of none) / %d), medians of %d rounds:"
              % (args.items, args.items, args.items, args.rounds))
        uri = statistics.median(per_item["uri GET loop"])
        for label, values in per_item.items():
            median = statistics.median(values)
            print("  %-36s %.3f s  (%s)  %.2fx uri's" % (label, median, " ".join("%.3f" % v for v in values), median / uri))
    if not args.skip_library:
        wall = dict((label, statistics.median(f["seconds"] for f in runs)) for label, runs in library_runs.items() if runs)
        print("\noffer_library, %d offers from src through dps, medians of %d rounds:" % (args.offers, args.rounds))
        for label, runs in library_runs.items():
            print("  %-36s %.2f s  (%s)  requests %d, writes %d, largest process %.0f MB" % (
                label, wall[label], " ".join("%.2f" % f["seconds"] for f in runs), runs[-1]["requests"], runs[-1]["writes"],
                max(f["peak_mb"] for f in runs)))
        floor = wall["floor loop"] + wall["empty ansible-playbook"]
        first_floor = wall["floor first converge"] + wall["empty ansible-playbook"]
        for label in ("no-op, in the controller", "no-op, module process"):
            print("  %s / floor (loop + empty playbook, %.2f s): %.2fx" % (label, floor, wall[label] / floor))
        for label in ("no-op, in the controller", "no-op, module process"):
            # each round's no-op against that round's floor, run seconds apart: steadier than medians on a drifting machine
            paired = sorted(run["seconds"] / (loop["seconds"] + empty["seconds"]) for run, loop, empty in zip(
                library_runs[label], library_runs["floor loop"], library_runs["empty ansible-playbook"]))
            print("  %s / floor, paired per round: median %.2fx (%s)" % (
                label, statistics.median(paired), " ".join("%.2f" % r for r in paired)))
        for label in ("first converge, in the controller", "first converge, module process"):
            print("  %s / floor (%.2f s): %.2fx" % (label, first_floor, wall[label] / first_floor))
    json.dump({"per_item": per_item, "library": dict((k, [f["seconds"] for f in v]) for k, v in library_runs.items())},
              sys.stderr)


if __name__ == "__main__":
    main()

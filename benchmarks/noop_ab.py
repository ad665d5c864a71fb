"""The no-op rerun from src at an older commit against this checkout, interleaved in one run (one emulator).

    .venv/bin/python benchmarks/noop_ab.py a69fcd6 [--rounds 9] [--api xcore|dps]

Stages the collection as it is at BEFORE (a git ref, from `git archive`) and as it is in this checkout, converges
1,000 offers once with each, then runs the no-op rerun of both, the floor's `requests` loop and an empty
ansible-playbook in every round, alternating which of the two goes first. Prints the medians, the ratio of each to
the floor, and the median of the per-round ratio after/before (each pair ran seconds apart, so it varies less than
the medians of a machine whose speed drifts). CPU seconds (user + system of the whole process tree, the emulator
excluded) are printed beside the wall times.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import library_bench as lb
from aep_emulator.testing import run_emulator


def stage(tree, dest):
    subprocess.run([str(Path(tree) / "hack/stage-collection"), str(dest / "ansible_collections/aep/offers")], cwd=tree,
                   env=dict(os.environ, PATH="%s:%s" % (lb.BIN, os.environ["PATH"])), check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("before", help="the git ref to compare this checkout with")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--api", choices=["xcore", "dps"], default="xcore")
    args = parser.parse_args()
    items = lb.offers(1000, api=args.api)
    with tempfile.TemporaryDirectory(prefix="aep-ab-") as tmp, run_emulator() as server:
        tmp = Path(tmp)
        (tmp / "before-tree").mkdir()
        subprocess.run("git archive %s | tar -x -C %s" % (args.before, tmp / "before-tree"), shell=True, cwd=lb.ROOT, check=True)
        stage(tmp / "before-tree", tmp / "before")
        stage(lb.ROOT, tmp / "after")
        bench = lb.Bench(server, tmp, args.api)
        base_env, measure = dict(bench.env), bench.measure

        def with_cpu(command, env):
            start = resource.getrusage(resource.RUSAGE_CHILDREN)
            figures = measure(command, env)
            end = resource.getrusage(resource.RUSAGE_CHILDREN)
            figures["cpu"] = end.ru_utime + end.ru_stime - start.ru_utime - start.ru_stime
            return figures
        bench.measure = with_cpu

        def library(code):
            bench.env = dict(base_env, ANSIBLE_COLLECTIONS_PATH=str(tmp / code))
            try:
                return bench.library_src(items)
            finally:
                bench.env = base_env
        contenders = {"before": lambda: library("before"), "after": lambda: library("after"),
                      "floor": lambda: bench.floor(items, False),
                      "empty": lambda: bench.playbook("empty", lb.PLAYBOOKS["empty ansible-playbook"], {}, "empty")}
        print("%d offers through %s, %s against this checkout; %s; load average %s" % (
            len(items), args.api, args.before, lb.ansible_version(), " ".join(open("/proc/loadavg").read().split()[:3])),
            flush=True)
        library("before")  # the first converge (the second run of the other code is already a no-op)
        runs = dict((label, []) for label in contenders)
        for repeat in range(args.rounds):
            pair = ["before", "after"] if repeat % 2 == 0 else ["after", "before"]
            for label in pair + ["floor", "empty"]:
                figures = contenders[label]()
                if label in pair and figures["writes"]:
                    raise SystemExit("%s wrote %d objects: not a no-op" % (label, figures["writes"]))
                runs[label].append(figures)
    wall = dict((label, statistics.median(f["seconds"] for f in figures)) for label, figures in runs.items())
    cpu = dict((label, statistics.median(f["cpu"] for f in figures)) for label, figures in runs.items())
    for label in contenders:
        print("%-6s wall %.2f s (%s)  cpu %.2f s" % (label, wall[label], " ".join("%.2f" % f["seconds"] for f in runs[label]),
                                                     cpu[label]))
    floor, floor_cpu = wall["floor"] + wall["empty"], cpu["floor"] + cpu["empty"]
    paired = sorted(a["seconds"] / b["seconds"] for a, b in zip(runs["after"], runs["before"]))
    print("floor %.2f s (requests loop %.2f s + empty ansible-playbook %.2f s): before %.2fx, after %.2fx; in cpu %.2fx, %.2fx"
          % (floor, wall["floor"], wall["empty"], wall["before"] / floor, wall["after"] / floor, cpu["before"] / floor_cpu,
             cpu["after"] / floor_cpu))
    print("after/before per round: median %.2f (%s); load average %s" % (
        statistics.median(paired), " ".join("%.2f" % r for r in paired), " ".join(open("/proc/loadavg").read().split()[:3])))


if __name__ == "__main__":
    sys.exit(main())

"""The no-op rerun from src at an older commit against this checkout, interleaved in one run (one emulator).

    .venv/bin/python benchmarks/noop_ab.py a69fcd6 [--rounds 9] [--api xcore|dps]
    .venv/bin/python benchmarks/noop_ab.py a69fcd6 --tasks 12 [--rounds 5]      # a playbook of 12 tasks instead

Stages the collection as it is at BEFORE (a git ref, from `git archive`) and as it is in this checkout, converges
1,000 offers once with each, then runs the no-op rerun of both, the floor's `requests` loop and an empty
ansible-playbook in every round, alternating which of the two goes first. Prints the medians, the ratio of each to
the floor, and the median of the per-round ratio after/before (each pair ran seconds apart, so it varies less than
the medians of a machine whose speed drifts). CPU seconds (user + system of the whole process tree, the emulator
excluded) are printed beside the wall times.

With --tasks N, each contender is a playbook of N tasks, each an unchanged aep.offers.collection_qualifier
(through dps, in the controller), and the floor is the same playbook of N ansible.builtin.debug tasks: what a task
costs Ansible when its action runs in the controller and does nothing.
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
    parser.add_argument("--tasks", type=int, help="a playbook of this many tasks instead of the library's no-op")
    args = parser.parse_args()
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
        if args.tasks:
            return tasks_ab(args, tmp, bench, base_env)
        items = lb.offers(1000, api=args.api)

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
        runs = interleaved(contenders, args.rounds, ["floor", "empty"])
    wall = dict((label, statistics.median(f["seconds"] for f in figures)) for label, figures in runs.items())
    cpu = dict((label, statistics.median(f["cpu"] for f in figures)) for label, figures in runs.items())
    for label in contenders:
        print("%-6s wall %.2f s (%s)  cpu %.2f s" % (label, wall[label], " ".join("%.2f" % f["seconds"] for f in runs[label]),
                                                     cpu[label]))
    floor, floor_cpu = wall["floor"] + wall["empty"], cpu["floor"] + cpu["empty"]
    print("floor %.2f s (requests loop %.2f s + empty ansible-playbook %.2f s): before %.2fx, after %.2fx; in cpu %.2fx, %.2fx"
          % (floor, wall["floor"], wall["empty"], wall["before"] / floor, wall["after"] / floor, cpu["before"] / floor_cpu,
             cpu["after"] / floor_cpu))
    print("%s; load average %s" % (paired(runs), " ".join(open("/proc/loadavg").read().split()[:3])))


def interleaved(contenders, rounds, others):
    """{label: [figures]}: in every round before and after (taking turns to go first), then the ``others``; a no-op
    that wrote ends the run."""
    runs = dict((label, []) for label in contenders)
    for repeat in range(rounds):
        pair = ["before", "after"] if repeat % 2 == 0 else ["after", "before"]
        for label in pair + others:
            figures = contenders[label]()
            if label in pair and figures["writes"]:
                raise SystemExit("%s wrote %d objects: not a no-op" % (label, figures["writes"]))
            runs[label].append(figures)
    return runs


def paired(runs):
    ratios = sorted(a["seconds"] / b["seconds"] for a, b in zip(runs["after"], runs["before"]))
    return "after/before per round: median %.2f (%s)" % (statistics.median(ratios), " ".join("%.2f" % r for r in ratios))


def tasks_ab(args, tmp, bench, base_env):
    names = ["AB qualifier %02d" % i for i in range(args.tasks)]
    tasks = "".join('    - aep.offers.collection_qualifier: {name: "%s", api: dps}\n' % name for name in names)
    debug = "".join('    - ansible.builtin.debug: {msg: "%s"}\n' % name for name in names)
    head = "- hosts: localhost\n  gather_facts: false\n  tasks:\n"

    def run(code, text):
        bench.env = dict(base_env, ANSIBLE_COLLECTIONS_PATH=str(tmp / code))
        try:
            return bench.playbook("tasks", head + text, {}, "tasks")
        finally:
            bench.env = base_env
    contenders = {"before": lambda: run("before", tasks), "after": lambda: run("after", tasks), "debug": lambda: run("after", debug)}
    print("%d tasks, %s against this checkout; %s; load average %s" % (
        args.tasks, args.before, lb.ansible_version(), " ".join(open("/proc/loadavg").read().split()[:3])), flush=True)
    run("before", tasks)  # creates the qualifiers
    runs = interleaved(contenders, args.rounds, ["debug"])
    for label, figures in runs.items():
        wall, cpu = statistics.median(f["seconds"] for f in figures), statistics.median(f["cpu"] for f in figures)
        print("%-6s wall %.2f s (%s)  cpu %.2f s; per task over debug's: %.3f s" % (
            label, wall, " ".join("%.2f" % f["seconds"] for f in figures), cpu,
            (wall - statistics.median(f["seconds"] for f in runs["debug"])) / args.tasks))
    print(paired(runs))


if __name__ == "__main__":
    sys.exit(main())

"""Instructions executed (valgrind's cachegrind) by offer_library's no-op of 1,000 offers, the empty playbook and the
floor's requests loop: a count that a noisy machine does not change, for comparing two versions of the collection.

    .venv-oldest/bin/python benchmarks/instructions.py              # this checkout
    .venv-oldest/bin/python benchmarks/instructions.py 31e1a32      # and that commit, side by side

Needs valgrind. Each case runs once under `valgrind --tool=cachegrind --cache-sim=no --trace-children=yes` (about 30
seconds for the no-op), after one run outside it (the first converge, which also leaves the bytecode Python keeps).
A forked process starts with its parent's count, so ansible-playbook's worker is printed as what it adds after the
fork, taken as its count less that of the parent at the fork (estimated by the same playbook over an empty
library, whose worker adds next to nothing). The emulator's own work is not counted: the wall-clock ratio of
controller_bench.py also has the time the emulator takes to answer, the same for the no-op and the floor.
"""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import library_bench as lb
from aep_emulator.testing import run_emulator
from noop_ab import stage


def counted(command, env, cwd, out):
    """{pid: instructions} of every process of ``command``, run under cachegrind."""
    out.mkdir()
    run = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no", "--trace-children=yes",
                          "--cachegrind-out-file=%s/%%p" % out] + command, env=env, cwd=str(cwd), capture_output=True, text=True)
    if run.returncode:
        raise SystemExit("%s failed:\n%s" % (" ".join(command), run.stdout[-2000:] + run.stderr[-2000:]))
    counts = {}
    for path in out.iterdir():
        command_line = summary = None
        for line in path.read_text().splitlines():
            if line.startswith("cmd:"):
                command_line = line
            elif line.startswith("summary:"):
                summary = int(line.split()[1])
        if summary is not None and "ldconfig" not in (command_line or ""):
            counts[int(path.name)] = summary
    return counts


def first_and_last(counts):
    """ansible-playbook's count and its worker's: the worker is forked later, so its pid is the higher."""
    pids = sorted(counts)
    return counts[pids[0]], counts[pids[-1]]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("before", nargs="?", help="a git ref to count beside this checkout")
    parser.add_argument("--offers", type=int, default=1000)
    args = parser.parse_args()
    if not shutil.which("valgrind"):
        raise SystemExit("instructions.py needs valgrind")
    with tempfile.TemporaryDirectory(prefix="aep-instructions-") as tmp, run_emulator() as server:
        tmp = Path(tmp)
        trees = [("this checkout", lb.ROOT)]
        if args.before:
            (tmp / "before-tree").mkdir()
            subprocess.run("git archive %s | tar -x -C %s" % (args.before, tmp / "before-tree"), shell=True, cwd=lb.ROOT, check=True)
            trees.insert(0, (args.before, tmp / "before-tree"))
        items = lb.offers(args.offers, api="dps")
        print("%s; %d offers through dps" % (lb.ansible_version(), args.offers), flush=True)
        for number, (label, tree) in enumerate(trees):
            work = tmp / ("work-%d" % number)
            work.mkdir()
            stage(tree, work)
            server.reset()
            bench = lb.Bench(server, work, "dps")
            bench.library_src(items)  # the first converge
            (work / "empty.json").write_text(json.dumps({"offers": []}))
            playbook = work / "library.yml"
            playbook.write_text(lb.PLAYBOOKS["offer_library (src)"])
            env = dict(bench.env, AEP_TOKEN_CACHE_DIR=str(work / "tokens"))
            base = [str(lb.BIN / "ansible-playbook"), "-i", str(bench.inventory), str(playbook), "-e"]
            noop = counted(base + [json.dumps({"src": str(work / ("library-%d.json" % args.offers))})], env, work, work / "noop")
            empty_library = counted(base + [json.dumps({"src": str(work / "empty.json")})], env, work, work / "empty-library")
            at_fork = first_and_last(empty_library)[1]  # the empty library's worker: its parent's count at the fork
            main_process, worker = first_and_last(noop)
            total = main_process + worker - at_fork
            print("%-14s no-op: ansible-playbook %7.1f M, its worker after the fork %7.1f M, in all %7.1f M" % (
                label, main_process / 1e6, (worker - at_fork) / 1e6, total / 1e6), flush=True)
            if label == "this checkout":
                empty = work / "empty.yml"
                empty.write_text("- hosts: localhost\n  gather_facts: false\n  tasks: []\n")
                empty_run = sum(counted([str(lb.BIN / "ansible-playbook"), "-i", str(bench.inventory), str(empty)], env, work,
                                        work / "empty").values())
                floor = sum(counted([sys.executable, str(bench.floor_script(items, False))], env, work, work / "floor").values())
                print("empty ansible-playbook %7.1f M, floor's requests loop %7.1f M: the no-op is %.2fx their sum, "
                      "%.1f M over it" % (empty_run / 1e6, floor / 1e6, total / (empty_run + floor), (total - empty_run - floor) / 1e6))


if __name__ == "__main__":
    main()

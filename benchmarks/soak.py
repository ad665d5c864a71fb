"""Fault soak and concurrency figures for the collection, against the emulator.

    .venv/bin/python benchmarks/soak.py [--offers 200] [--fail-rate 0.2] [--drop-rate 0.05] [--concurrent 100] [--seed 7]

1. offer_library converges placements, qualifiers, rules and --offers offers (referring to them by
   name) while the emulator fails --fail-rate of API requests with 429/500/502/503 (half of the
   429/503 with Retry-After) and drops the answer of --drop-rate of committed writes; then changes
   every offer's priority under the same faults. Then faults off: the final state must equal the
   declaration, with 0 duplicates and 0 lost updates, and a rerun must report changed=0 with 0 writes.
2. The same with a loop of single-object modules (placement, collection_qualifier, decision_rule,
   offer_instance tasks).
3. Concurrency: another writer edits the characteristics of --concurrent offers (through
   /_emulator/mutate, landing between the collection's read and its write) while offer_library
   changes their priorities: how many offers keep both edits.
Prints figures; not a pass/fail test (it exits non-zero only when a run itself fails).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from aep_emulator.testing import ApiClient, run_emulator  # noqa: E402

ORG = "SOAK0123456789ABCDEF0123@AdobeOrg"
BIN = Path(sys.executable).parent
OM = "https://ns.adobe.com/experience/offer-management/"
SCHEMAS = {"placements": OM + "offer-placement;version=0.4", "collection_qualifiers": OM + "tag;version=0.1",
           "decision_rules": OM + "eligibility-rule;version=0.3", "offers": OM + "personalized-offer;version=0.5"}
MODULES = {"placements": "placement", "collection_qualifiers": "collection_qualifier", "decision_rules": "decision_rule",
           "offers": "offer_instance"}


def declaration(offers, shift=0):
    return {
        "placements": [{"name": "Placement %d" % i, "channel": "web", "component_type": "text"} for i in range(5)],
        "collection_qualifiers": [{"name": "Qualifier %d" % i} for i in range(5)],
        "decision_rules": [{"name": "Rule %d" % i, "condition": "profile.age > %d" % (18 + i)} for i in range(3)],
        "offers": [{"name": "Soak offer %04d" % i, "status": "approved", "priority": (i + shift) % 100,
                    "tags": ["Qualifier %d" % (i % 5)], "eligibility_rule": "Rule %d" % (i % 3),
                    "representations": [{"placement": "Placement %d" % (i % 5), "channel": "web",
                                         "components": [{"type": "text", "content": "Soak %d" % i}]}]}
                   for i in range(offers)],
    }


LIBRARY = """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: library
      aep.offers.offer_library:
        placements: "{{ library.placements }}"
        collection_qualifiers: "{{ library.collection_qualifiers }}"
        decision_rules: "{{ library.decision_rules }}"
        offers: "{{ library.offers }}"
        retries: 8
      register: result
    - name: figures
      ansible.builtin.debug:
        msg: "SOAK {{ {'retries': result.retries, 'summary': result.summary} | to_json }}"
"""

LOOP = """
- hosts: localhost
  gather_facts: false
  module_defaults:
    group/aep.offers.offer_library:
      retries: 8
  tasks:
    - aep.offers.placement: "{{ item }}"
      loop: "{{ library.placements }}"
      register: placements
    - aep.offers.collection_qualifier: "{{ item }}"
      loop: "{{ library.collection_qualifiers }}"
      register: qualifiers
    - aep.offers.decision_rule: "{{ item }}"
      loop: "{{ library.decision_rules }}"
      register: rules
    - aep.offers.offer_instance: "{{ item }}"
      loop: "{{ library.offers }}"
      loop_control:
        label: "{{ item.name }}"
      register: offers
    - name: figures
      ansible.builtin.debug:
        msg: "SOAK {{ {'retries': (placements.results + qualifiers.results + rules.results + offers.results) | map(attribute='retries') | sum} | to_json }}"
"""


class Soak:
    def __init__(self, server, work):
        self.server = server
        self.work = work
        subprocess.run([str(ROOT / "hack/stage-collection"), str(work / "ansible_collections/aep/offers")], cwd=ROOT,
                       env=dict(os.environ, PATH="%s:%s" % (BIN, os.environ["PATH"])), check=True)
        self.env = dict(os.environ, AEP_API_URL=server.url, AEP_IMS_URL=server.url, AEP_CLIENT_ID=server.client_id,
                        AEP_CLIENT_SECRET=server.client_secret, AEP_ORG_ID=ORG, AEP_SANDBOX="prod",
                        AEP_TOKEN_CACHE_DIR=str(work / "tokens"), ANSIBLE_COLLECTIONS_PATH=str(work),
                        ANSIBLE_NOCOLOR="1", ANSIBLE_LOCALHOST_WARNING="0", ANSIBLE_INVENTORY_UNPARSED_WARNING="0")
        (work / "inventory.yml").write_text("all:\n  hosts:\n    localhost:\n      ansible_connection: local\n"
                                            "      ansible_python_interpreter: \"{{ ansible_playbook_python }}\"\n")
        self.runs = 0
        self.client = ApiClient(server, org=ORG, sandbox="prod")
        self.container_id = self.client.cid

    def play(self, text, library):
        self.runs += 1
        playbook = self.work / ("play-%d.yml" % self.runs)
        playbook.write_text(text)
        variables = self.work / ("vars-%d.json" % self.runs)
        variables.write_text(json.dumps({"library": library}))
        before = self.server.stats()
        started = time.perf_counter()
        done = subprocess.run([str(BIN / "ansible-playbook"), "-i", str(self.work / "inventory.yml"), str(playbook),
                               "-e", "@%s" % variables], env=self.env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
        seconds = time.perf_counter() - started
        after = self.server.stats()
        if done.returncode != 0:
            raise SystemExit("run failed:\n" + done.stdout[-4000:] + done.stderr[-2000:])
        line = [ln for ln in done.stdout.splitlines() if "SOAK " in ln][0]
        figures = json.loads(line.split("SOAK ", 1)[1].rstrip('"').replace('\\"', '"'))
        changed = int(done.stdout.rsplit("changed=", 1)[1].split()[0])
        figures.update(seconds=seconds, changed_tasks=changed, writes=after["writes"] - before["writes"],
                       requests=sum(after["requests"].values()) - sum(before["requests"].values()))
        return figures

    def stored(self, section):
        return self.client.all(SCHEMAS[section], limit=100)

    def check(self, library):
        """(duplicates, objects missing or wrong): the final state against the declaration."""
        duplicates, wrong = 0, 0
        ids = {}
        for section in ("placements", "collection_qualifiers", "decision_rules"):
            stored = self.stored(section)
            names = [d["_instance"]["xdm:name"] for d in stored]
            duplicates += len(names) - len(set(names))
            wrong += len(set(i["name"] for i in library[section]) - set(names))
            ids.update((d["_instance"]["xdm:name"], d["_instance"]["@id"]) for d in stored)
        offers = self.stored("offers")
        names = [d["_instance"]["xdm:name"] for d in offers]
        duplicates += len(names) - len(set(names))
        by_name = dict((d["_instance"]["xdm:name"], d["_instance"]) for d in offers)
        for item in library["offers"]:
            got = by_name.get(item["name"])
            if (got is None or got["xdm:rank"]["xdm:priority"] != item["priority"] or got["xdm:status"] != item["status"]
                    or got["xdm:tags"] != [ids[item["tags"][0]]]
                    or got["xdm:selectionConstraint"]["xdm:eligibilityRule"] != ids[item["eligibility_rule"]]
                    or got["xdm:representations"][0]["xdm:placement"] != ids[item["representations"][0]["placement"]]):
                wrong += 1
        return duplicates, wrong


def soak(soak_runner, text, args, label):
    server = soak_runner.server
    server.reset()
    faults = dict(fail_rate=args.fail_rate, fail_statuses=[429, 500, 502, 503], retry_after=1, drop_rate=args.drop_rate,
                  seed=args.seed)
    server.faults(**faults)
    first = soak_runner.play(text, declaration(args.offers))
    changed = declaration(args.offers, shift=1)
    update = soak_runner.play(text, changed)
    server.faults()
    duplicates, wrong = soak_runner.check(changed)
    rerun = soak_runner.play(text, changed)
    print("| %-22s | %7.1f s | %7.1f s | %7d | %7d | %10d | %10d | %7d | %13d |" % (
        label, first["seconds"], update["seconds"], first["retries"] + update["retries"], duplicates, wrong,
        rerun["changed_tasks"], rerun["writes"], first["requests"] + update["requests"]), flush=True)


def concurrency(soak_runner, args):
    server = soak_runner.server
    server.reset()
    library = declaration(args.concurrent)
    soak_runner.play(LIBRARY, library)
    offers = dict((d["_instance"]["xdm:name"], d["instanceId"]) for d in soak_runner.stored("offers"))
    for name, instance_id in offers.items():
        server.mutate(soak_runner.container_id, instance_id, [
            {"op": "replace", "path": "/_instance/xdm:characteristics", "value": {"edited-by": "other"}}], when="before_next_write")
    changed = declaration(args.concurrent, shift=1)
    soak_runner.play(LIBRARY, changed)
    wanted = dict((i["name"], i["priority"]) for i in changed["offers"])
    both = sum(1 for d in soak_runner.stored("offers")
               if d["_instance"]["xdm:characteristics"] == {"edited-by": "other"}
               and d["_instance"]["xdm:rank"]["xdm:priority"] == wanted[d["_instance"]["xdm:name"]])
    print("\nConcurrency: %d of %d offers keep both the other writer's edit and the collection's (%d writes to them)" % (
        both, len(offers), args.concurrent))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--offers", type=int, default=200)
    parser.add_argument("--fail-rate", type=float, default=0.2)
    parser.add_argument("--drop-rate", type=float, default=0.05)
    parser.add_argument("--concurrent", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-loop", action="store_true", help="skip the loop of single-object modules")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="aep-soak-") as tmp, run_emulator() as server:
        runner = Soak(server, Path(tmp))
        print("%d offers + 5 placements, 5 qualifiers, 3 rules; %.0f%% of requests fail, %.0f%% of write answers lost\n" % (
            args.offers, args.fail_rate * 100, args.drop_rate * 100))
        print("| %-22s | %9s | %9s | %7s | %7s | %10s | %10s | %7s | %13s |" % (
            "run", "converge", "update", "retries", "dupes", "lost/wrong", "rerun chg", "rerun w", "requests sent"))
        print("|%s|%s|%s|%s|%s|%s|%s|%s|%s|" % ("-" * 24, "-" * 11, "-" * 11, "-" * 9, "-" * 9, "-" * 12, "-" * 12, "-" * 9, "-" * 15))
        soak(runner, LIBRARY, args, "offer_library")
        if not args.skip_loop:
            soak(runner, LOOP, args, "single-module loop")
        concurrency(runner, args)


if __name__ == "__main__":
    main()

"""ansible-doc renders every module and every role, complete, on the ansible-core that runs the tests.

RETURN cannot come from a doc fragment on ansible-core before 2.20 (ansible-doc fails on it), so this runs
on the newest core (make integration) and on the oldest one meta/runtime.yml admits (make oldest).
"""

import functools
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import COLLECTIONS, REPO

pytestmark = pytest.mark.smoke

MODULES = sorted(p.stem for p in (REPO / "plugins" / "modules").glob("*.py"))
ROLES = sorted(p.parent.parent.name for p in (REPO / "roles").glob("*/meta/argument_specs.yml"))
OBJECT_MODULES = ["collection_qualifier", "decision", "decision_rule", "fallback_offer", "offer_collection",
                  "offer_instance", "placement"]
DECISIONING_MODULES = ["decision_item", "decisioning_placement", "eligibility_rule", "item_collection", "ranking_formula",
                       "selection_strategy"]
OTHER_MODULES = ["container_info", "ims_token", "offer_library", "offer_library_info"]
# The form of each Decisioning kind's dps id (dps-api.md, section 6): dps:<kind slug>:<16 hex>, but a
# decision item's, which Adobe shows as dps:<48 hex>:<16 hex>.
DECISIONING_IDS = {"eligibility_rule": r"dps:eligibility-rule:[0-9a-f]{16}", "ranking_formula": r"dps:ranking-function:[0-9a-f]{16}",
                   "item_collection": r"dps:item-collection:[0-9a-f]{16}", "decisioning_placement": r"dps:exd-placement:[0-9a-f]{16}",
                   "decision_item": r"dps:[0-9a-f]{48}:[0-9a-f]{16}", "selection_strategy": r"dps:selection-strategy:[0-9a-f]{16}"}
CONNECTION_OPTIONS = {"api", "api_url", "ims_url", "client_id", "client_secret", "access_token", "scopes", "org_id", "sandbox",
                      "container_id", "validate_certs", "ca_path", "timeout", "retries", "token_cache", "token_cache_dir"}
OBJECT_OPTIONS = {"instance_id", "name", "state", "instance", "conflict_retries"}
OBJECT_RETURNS = {"changed", "action", "instance_id", "id", "etag", "patch", "retries", "diff"}
# ansible-core 2.21's `ansible-doc -t role` warns about a collection of its own, whatever the role; nothing else is let through.
CORE_NOISE = re.compile(r"^\[WARNING\]: Collection at '[^']*/ansible/_internal/ansible_collections/[^']*' does not have a "
                        r"MANIFEST\.json file, nor has it galaxy\.yml: cannot detect version\.$")


def ansible_doc(*args):
    """Runs this Python's ansible-doc on the staged collection; it must succeed and print nothing on stderr."""
    completed = subprocess.run([str(Path(sys.executable).with_name("ansible-doc"))] + list(args),
                               capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL,
                               env={"PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin",
                                    "HOME": str(Path.home()), "ANSIBLE_COLLECTIONS_PATH": str(COLLECTIONS),
                                    "ANSIBLE_NOCOLOR": "1", "LC_ALL": "C.UTF-8"})
    errors = [line for line in completed.stderr.splitlines() if line.strip() and not CORE_NOISE.match(line)]
    assert completed.returncode == 0 and not errors, (args, completed.stderr)
    return completed.stdout


@functools.lru_cache(maxsize=None)
def module_docs():
    """Every module's doc as ansible-doc --json gives it: one ansible-doc for all of them (a process costs seconds)."""
    return json.loads(ansible_doc("--json", *("aep.offers." + m for m in MODULES)))


@functools.lru_cache(maxsize=None)
def module_texts():
    """Every module's doc as ansible-doc prints it, from one run, split at each module's heading."""
    text = ansible_doc(*("aep.offers." + m for m in MODULES))
    parts = re.split(r"^> MODULE (aep\.offers\.\w+)", text, flags=re.M)
    texts = dict(zip(parts[1::2], parts[2::2]))
    assert sorted(texts) == ["aep.offers." + m for m in MODULES], sorted(texts)
    return texts


def all_entries(entries, path=""):
    """(path, entry) for every option or return value, nested ones included."""
    for key, entry in entries.items():
        yield path + key, entry
        for nested in ("suboptions", "options", "contains"):
            if isinstance(entry.get(nested), dict):
                yield from all_entries(entry[nested], path + key + ".")


def test_every_module_and_role_is_tested():
    assert MODULES == sorted(OBJECT_MODULES + DECISIONING_MODULES + OTHER_MODULES), MODULES
    assert ROLES == ["offer_catalog", "sandbox_export", "sandbox_setup", "sandbox_teardown"], ROLES
    listed = ansible_doc("-t", "module", "-l", "aep.offers")
    assert sorted(line.split()[0] for line in listed.splitlines() if line.strip()) == ["aep.offers." + m for m in MODULES]


@pytest.mark.parametrize("module", MODULES)
def test_module_doc_is_complete(module):
    text = module_texts()["aep.offers." + module]
    doc = module_docs()["aep.offers." + module]
    options, returns = doc["doc"]["options"], doc["return"]
    assert options.keys() >= CONNECTION_OPTIONS, CONNECTION_OPTIONS - options.keys()
    assert returns and doc["examples"].strip()
    for path, entry in all_entries(options):
        assert entry.get("description") and entry.get("type"), (module, "option", path, entry)
    for path, entry in all_entries(returns):
        assert entry.get("description") and entry.get("type") and ("." in path or entry.get("returned")), \
            (module, "return", path, entry)
    assert "RETURN VALUES" in text and all(key in text for key in returns)
    if module in OBJECT_MODULES:
        assert options.keys() >= OBJECT_OPTIONS, OBJECT_OPTIONS - options.keys()
        assert returns.keys() >= OBJECT_RETURNS, OBJECT_RETURNS - returns.keys()
        assert returns["action"]["choices"] == ["create", "update", "delete", "none"]
        assert returns["id"]["sample"].startswith("xcore:")
        assert doc["doc"]["attributes"]["check_mode"]["support"] == "full"
        assert doc["doc"]["attributes"]["diff_mode"]["support"] == "full"
    if module in ("offer_instance", "fallback_offer"):
        assert "representations" in options and "placement" in options["representations"]["suboptions"]


@pytest.mark.parametrize("module", DECISIONING_MODULES)
def test_decisioning_ids_are_of_their_own_kind(module):
    """instance_id's example, and the ids the module returns, are ids of the module's own kind (issue 19)."""
    assert sorted(DECISIONING_IDS) == sorted(DECISIONING_MODULES)
    doc = module_docs()["aep.offers." + module]
    described = " ".join(doc["doc"]["options"]["instance_id"]["description"])
    examples = re.findall(r"C\((dps:[^)]*)\)", described)
    assert examples, described
    for example in examples + [doc["return"]["instance_id"]["sample"], doc["return"]["id"]["sample"]]:
        assert re.fullmatch(DECISIONING_IDS[module], example), (module, example)


@pytest.mark.parametrize("module", DECISIONING_MODULES)
def test_decisioning_state_says_what_absent_does(module):
    """state=absent deletes, but for Decisioning placements, which the API cannot delete: there it fails."""
    doc = module_docs()["aep.offers." + module]
    state = " ".join(doc["doc"]["options"]["state"]["description"])
    assert doc["doc"]["options"]["state"]["choices"] == ["present", "absent"]
    if module == "decisioning_placement":
        assert "V(absent) never deletes" in state and "fails before any request" in state, state
        assert not re.search(r"V\(absent\) deletes|deleting|is already gone", state), state
        assert "delete" not in doc["return"]["action"]["choices"] and "deleted" not in doc["return"]["changed"]["description"]
    else:
        assert "V(absent) deletes it" in state, state
        assert "delete" in doc["return"]["action"]["choices"]


@pytest.mark.parametrize("role", ROLES)
def test_role_doc_is_complete(role):
    text = ansible_doc("-t", "role", "aep.offers." + role)
    spec = yaml.safe_load((REPO / "roles" / role / "meta" / "argument_specs.yml").read_text())["argument_specs"]
    doc = json.loads(ansible_doc("-t", "role", "--json", "aep.offers." + role))["aep.offers." + role]
    rendered = doc["entry_points"]
    assert sorted(rendered) == sorted(spec)
    for entry_point, declared in spec.items():
        assert sorted(rendered[entry_point]["options"]) == sorted(declared["options"])
        assert all(option in text for option in declared["options"])
    meta = yaml.safe_load((REPO / "roles" / role / "meta" / "main.yml").read_text())
    assert meta["dependencies"] == [] and meta["galaxy_info"]["description"] == spec["main"]["short_description"]

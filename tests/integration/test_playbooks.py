"""The bundled playbooks are safe by default (issue 19): a teardown deletes only in the sandbox named for the run, fails
before any request when none is named and before any write when it is not confirmed (check mode needs no
confirmation); every playbook says which sandbox and API it acts on before its first write; an export (every kind,
Decisioning included) is a library that offer_library applies as src to another sandbox, and the rerun writes nothing."""

import textwrap

import pytest

from aep_emulator.testing import ApiClient
from conftest import ORG, REPO
from test_offer_instance import writes
from test_roles import (DECISIONING, DECISIONING_FILES, KIND_FILES, LIBRARY, OBJECTS, SCHEMA, apply, export, load_export,
                        parse, plain_library, plan_lines, result, shown_before)

PLAYBOOKS = REPO / "playbooks"


def teardown(aep, *args, **extra_vars):
    return aep.playbook(PLAYBOOKS / "teardown.yml", *args, extra_vars=extra_vars)


def empty(aep, sandbox):
    """Whether the sandbox holds no object of the Offer Library."""
    left = parse(export(aep, sandbox, aep.tmp_path / ("left-%s-%d" % (sandbox, aep.runs))))
    return all(list(v.values()) == [[]] for v in left.values())


def test_teardown_with_sandbox_dev_deletes_only_in_dev(aep, aep_emulator):
    assert apply(aep, "dev").rc == 0 and apply(aep, "prod").rc == 0
    library = export(aep, "dev", aep.tmp_path / "library")
    prod = export(aep, "prod", aep.tmp_path / "prod-before")
    assert prod == library
    before = aep_emulator.stats()
    gone = teardown(aep, sandbox="dev", library=str(aep.tmp_path / "library"), confirm="dev")
    assert gone.rc == 0, gone.output
    line = "Plan: 0 to create, 0 to update, %d to delete in sandbox dev through xcore" % OBJECTS
    assert plan_lines(gone) == [line]
    shown_before(gone, line, "Delete the library, references first")
    assert writes(aep_emulator.stats()) - writes(before) == OBJECTS
    assert empty(aep, "dev")
    assert export(aep, "prod", aep.tmp_path / "prod-after") == prod  # AEP_SANDBOX=prod, the default, untouched


@pytest.mark.smoke
def test_teardown_without_a_named_sandbox_fails_before_any_request(aep, aep_emulator):
    before = aep_emulator.stats()
    run = aep.playbook(PLAYBOOKS / "teardown.yml", env={"AEP_SANDBOX": ""},
                       extra_vars={"library": str(LIBRARY), "confirm": "prod"})
    assert run.rc != 0
    assert "sandbox_teardown deletes, so it needs the sandbox named for this run" in run.output, run.output
    after = aep_emulator.stats()
    assert sum(after["requests"].values()) == sum(before["requests"].values())
    assert after["token_requests"] == before["token_requests"]


def test_teardown_without_confirm_fails_before_any_write_and_check_mode_needs_none(aep, aep_emulator, tmp_path):
    assert apply(aep, "dev").rc == 0
    library = str(plain_library(tmp_path))
    before = aep_emulator.stats()
    plan = teardown(aep, "--check", sandbox="dev", library=library)
    assert plan.rc == 0, plan.output
    assert plan_lines(plan) == ["Plan: 0 to create, 0 to update, %d to delete in sandbox dev through xcore" % OBJECTS]
    for confirm in ("", "prod"):
        refused = teardown(aep, sandbox="dev", library=library, confirm=confirm)
        assert refused.rc != 0, refused.output
        assert "confirm: " in refused.output and "set confirm: dev to go ahead" in refused.output, refused.output
    assert writes(aep_emulator.stats()) == writes(before)
    assert not empty(aep, "dev")


# Each playbook, what it needs first, and the role task that makes its first write; the line must come before it.
FIRST_WRITE = {
    "demo.yml": (dict(), "Plan: 10 to create, 0 to update, 0 to delete in sandbox prod through xcore",
                 "Apply the library to the sandbox"),
    "site.yml": (dict(aep_library=str(LIBRARY)), "Plan: %d to create, 0 to update, 0 to delete in sandbox dev through xcore"
                 % OBJECTS, "Apply the library to the sandbox"),
    "promote.yml": (dict(source_sandbox="dev", sandbox="stage"),
                    "Plan: %d to create, 0 to update, 0 to delete in sandbox stage through xcore" % OBJECTS,
                    "Apply the library to the sandbox"),
    "teardown.yml": (dict(sandbox="dev", library="plain_library.yml", confirm="dev"),
                     "Plan: 0 to create, 0 to update, %d to delete in sandbox dev through xcore" % OBJECTS,
                     "Delete the library, references first"),
    # export_sandbox.yml writes no sandbox: its first write is the files, after it has said what it reads.
    "export_sandbox.yml": (dict(sandbox="dev"), "Exporting sandbox dev to ", "Read the library of the sandbox and write its files"),
}


@pytest.mark.parametrize("playbook", sorted(FIRST_WRITE))
def test_every_playbook_names_its_sandbox_and_api_before_its_first_write(aep, aep_emulator, playbook, tmp_path):
    extra_vars, line, task = FIRST_WRITE[playbook]
    if playbook != "demo.yml" and playbook != "site.yml":
        assert apply(aep, "dev").rc == 0
    plain_library(tmp_path)  # teardown's library, relative to the current directory
    args = ["-i", str(PLAYBOOKS / "inventory_sandboxes.yml"), "--limit", "dev"] if playbook == "site.yml" else []
    run = aep.playbook(PLAYBOOKS / playbook, *args, extra_vars=extra_vars, cwd=tmp_path)
    assert run.rc == 0, run.output
    shown_before(run, line, task)
    assert result(run, task)["changed"] is True, run.output


def test_an_export_of_every_kind_applied_as_src_to_another_sandbox_then_the_rerun_writes_nothing(aep, aep_emulator, tmp_path):
    assert apply(aep, "dev").rc == 0
    assert apply(aep, "dev", library=DECISIONING, extra_vars={"roles_setup": False}).rc == 0
    source = export(aep, "dev", tmp_path / "dev", DECISIONING_FILES, decisioning=True, item_schema_id=SCHEMA)
    playbook = aep.write_playbook("apply_export.yml", textwrap.dedent("""\
        - hosts: localhost
          gather_facts: false
          tasks:
            - name: apply the export
              aep.offers.offer_library:
                sandbox: stage
                src: %s
        """ % (tmp_path / "dev")))
    first = aep.playbook(playbook)
    assert first.rc == 0, first.output
    assert first.result("apply the export")["summary"]["create"] == OBJECTS + 9, first.output
    before = aep_emulator.stats()
    again = aep.playbook(playbook)
    assert again.rc == 0 and again.result("apply the export")["changed"] is False, again.output
    assert writes(aep_emulator.stats()) == writes(before)
    assert export(aep, "stage", tmp_path / "stage", DECISIONING_FILES, decisioning=True, item_schema_id=SCHEMA) == source


def test_a_promote_then_a_teardown_of_dev_leaves_prod_untouched(aep, aep_emulator, tmp_path):
    assert apply(aep, "dev").rc == 0
    ApiClient(aep_emulator, org=ORG, sandbox="prod").placement("Kiosk screen")  # prod's own: kept by the promote too
    promote = aep.playbook(PLAYBOOKS / "promote.yml", cwd=tmp_path,
                           extra_vars={"source_sandbox": "dev", "sandbox": "prod", "promote_dir": "exports/dev"})
    assert promote.rc == 0, promote.output
    prod = export(aep, "prod", tmp_path / "prod-before")
    gone = aep.playbook(PLAYBOOKS / "teardown.yml", cwd=tmp_path,
                        extra_vars={"sandbox": "dev", "library": "exports/dev", "confirm": "dev"})
    assert gone.rc == 0 and plan_lines(gone)[0].endswith("in sandbox dev through xcore"), gone.output
    assert empty(aep, "dev")
    assert export(aep, "prod", tmp_path / "prod-after") == prod
    assert [p["name"] for p in parse(prod)["placements.yml"]["placements"]] == ["Email hero", "Kiosk screen", "Web banner"]
    assert sorted(p.name for p in (tmp_path / "exports" / "dev").iterdir()) == KIND_FILES
    assert load_export(tmp_path / "exports" / "dev") != prod  # prod has its Kiosk screen too

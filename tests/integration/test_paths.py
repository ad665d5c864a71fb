"""Relative paths, one rule (README "Relative paths"): a path given to the bundled playbooks is relative to the
current directory; offer_library's src is found like copy's and template's src (the role's files/, then the
playbook's directory); teardown takes the directory that export and promote write."""

import json
import textwrap

import yaml

from aep_emulator.testing import ApiClient
from conftest import ORG, REPO
from test_offer_instance import writes
from test_roles import KIND_FILES, OBJECTS, apply, load_export, parse, plan_lines, result

PLAYBOOKS = REPO / "playbooks"
PLACEMENT = {"name": "Relative banner", "channel": "web", "component_type": "text", "content_types": ["text/plain"]}


def test_export_dir_is_relative_to_the_current_directory_and_include_vars_reads_it_back(aep, aep_emulator, tmp_path):
    """The README's pair: export_sandbox.yml -e export_dir=library/dev, then include_vars {dir: library/dev, name: ...}
    gives the roles the same library (and offer_library's src takes the directory as it is)."""
    assert apply(aep, "dev").rc == 0
    work = tmp_path / "work"
    work.mkdir()
    run = aep.playbook(PLAYBOOKS / "export_sandbox.yml", extra_vars={"sandbox": "dev", "export_dir": "library/dev"}, cwd=work)
    assert run.rc == 0, run.output
    assert sorted(p.name for p in (work / "library" / "dev").iterdir()) == KIND_FILES
    assert not (PLAYBOOKS / "library").exists() and not (REPO / "library").exists()

    # A playbook kept in that directory (the README's example) reads the same files with include_vars.
    site = work / "site.yml"
    site.write_text(textwrap.dedent("""\
        - hosts: localhost
          gather_facts: false
          pre_tasks:
            - ansible.builtin.include_vars: {dir: library/dev, name: dev_library}
          roles:
            - {role: aep.offers.sandbox_setup, sandbox_setup_sandbox: dev}
            - {role: aep.offers.offer_catalog, offer_catalog_sandbox: dev, offer_catalog_library: "{{ dev_library }}"}
        """))
    before = aep_emulator.stats()
    again = aep.playbook(site, cwd=tmp_path)  # run from elsewhere: include_vars is relative to the playbook
    assert again.rc == 0, again.output
    assert again.totals("changed") == 0 and writes(aep_emulator.stats()) == writes(before), again.output
    assert len(result(again, "Plan the library of the sandbox")["results"]) == OBJECTS


def test_export_default_is_aep_export_in_the_current_directory(aep, aep_emulator, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    run = aep.playbook(PLAYBOOKS / "export_sandbox.yml", extra_vars={"sandbox": "dev"}, cwd=work)
    assert run.rc == 0, run.output
    assert sorted(p.name for p in (work / "aep-export" / "dev").iterdir()) == KIND_FILES


def test_promote_without_promote_dir_leaves_no_files(aep, aep_emulator, tmp_path):
    """Without promote_dir nothing is written (the library stays in memory), yet the target equals the source."""
    assert apply(aep, "dev").rc == 0
    work = tmp_path / "work"
    work.mkdir()
    promote = aep.playbook(PLAYBOOKS / "promote.yml", extra_vars={"source_sandbox": "dev", "sandbox": "stage"},
                           cwd=work)
    assert promote.rc == 0 and promote.totals("changed") > 0, promote.output
    assert list(work.iterdir()) == [], list(work.iterdir())
    source = load_export_of(aep, "dev")
    assert load_export_of(aep, "stage") == source  # !unsafe PQL and content arrived untemplated, as through files
    before = aep_emulator.stats()
    rerun = aep.playbook(PLAYBOOKS / "promote.yml", extra_vars={"source_sandbox": "dev", "target_sandbox": "stage"},
                         cwd=work)  # target_sandbox, the other name of sandbox, still works
    assert rerun.rc == 0 and rerun.totals("changed") == 0, rerun.output
    assert writes(aep_emulator.stats()) == writes(before)
    assert list(work.iterdir()) == []

    # With promote_dir (relative: to the current directory) the export is kept there.
    kept = aep.playbook(PLAYBOOKS / "promote.yml", cwd=work, extra_vars={
        "source_sandbox": "dev", "sandbox": "stage", "promote_dir": "exports/dev"})
    assert kept.rc == 0, kept.output
    assert sorted(p.name for p in (work / "exports" / "dev").iterdir()) == KIND_FILES


def test_teardown_of_a_promoted_sandbox_from_its_export_directory(aep, aep_emulator, tmp_path):
    assert apply(aep, "dev").rc == 0
    ApiClient(aep_emulator, org=ORG, sandbox="stage").placement("Kiosk screen")  # not in the library: must survive
    work = tmp_path / "work"
    work.mkdir()
    promote = aep.playbook(PLAYBOOKS / "promote.yml", cwd=work, extra_vars={
        "source_sandbox": "dev", "sandbox": "stage", "promote_dir": "exports/dev"})
    assert promote.rc == 0, promote.output

    teardown = {"library": "exports/dev", "sandbox": "stage", "confirm": "stage"}
    before = aep_emulator.stats()
    plan = aep.playbook(PLAYBOOKS / "teardown.yml", cwd=work, check=True, extra_vars=teardown)
    assert plan.rc == 0 and plan.totals("changed") == 1, plan.output  # the plan of the removal
    assert plan_lines(plan) == ["Plan: 0 to create, 0 to update, %d to delete in sandbox stage through xcore" % OBJECTS]
    assert writes(aep_emulator.stats()) == writes(before)

    gone = aep.playbook(PLAYBOOKS / "teardown.yml", cwd=work, extra_vars=teardown)
    assert gone.rc == 0, gone.output
    kinds = [r["kind"] for r in result(gone, "Delete the library, references first")["results"]]
    assert kinds.index("decisions") < kinds.index("collections") < kinds.index("offers") < kinds.index("placements")
    left = aep.tmp_path / "left"
    assert aep.playbook(PLAYBOOKS / "export_sandbox.yml", extra_vars={"sandbox": "stage", "export_dir": str(left)}).rc == 0
    exported = parse(load_export(left))
    assert [p["name"] for p in exported["placements.yml"]["placements"]] == ["Kiosk screen"]
    assert all(list(v.values()) == [[]] for k, v in exported.items() if k != "placements.yml"), exported
    # The source sandbox is untouched, and a second teardown has nothing left to do.
    assert load_export(left) != load_export(work / "exports" / "dev")
    again = aep.playbook(PLAYBOOKS / "teardown.yml", cwd=work, extra_vars=teardown)
    assert again.rc == 0 and again.totals("changed") == 0, again.output


def test_teardown_of_a_library_that_does_not_exist_names_it(aep, aep_emulator, tmp_path):
    run = aep.playbook(PLAYBOOKS / "teardown.yml", cwd=tmp_path, extra_vars={"library": "nowhere/dev", "sandbox": "dev"})
    assert run.rc != 0
    assert "library nowhere/dev (%s) does not exist" % (tmp_path / "nowhere" / "dev") in run.output, run.output
    assert sum(aep_emulator.stats()["requests"].values()) == 0


def load_export_of(aep, sandbox):
    directory = aep.tmp_path / ("export-%s-%d" % (sandbox, aep.runs))
    run = aep.playbook(PLAYBOOKS / "export_sandbox.yml", extra_vars={"sandbox": sandbox, "export_dir": str(directory)})
    assert run.rc == 0, run.output
    return load_export(directory)


def _library_file(path, name):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump({"placements": [dict(PLACEMENT, name=name)]}))


def _placements(aep_emulator, sandbox):
    found = ApiClient(aep_emulator, org=ORG, sandbox=sandbox).all("offer-placement")
    return sorted(p["_instance"]["xdm:name"] for p in found)


def test_offer_library_src_is_found_in_the_role_files_and_the_playbook_directory(aep, aep_emulator, tmp_path):
    project = tmp_path / "project"
    _library_file(project / "roles" / "catalog" / "files" / "library.yml", "From role files")
    (project / "roles" / "catalog" / "tasks").mkdir(parents=True)
    (project / "roles" / "catalog" / "tasks" / "main.yml").write_text(textwrap.dedent("""\
        - name: role library
          aep.offers.offer_library:
            src: library.yml
          register: from_role
        """))
    _library_file(project / "playbooks" / "beside.yml", "Beside the playbook")
    _library_file(project / "playbooks" / "files" / "in_files.yml", "In playbook files")
    playbook = project / "playbooks" / "site.yml"
    playbook.write_text(textwrap.dedent("""\
        - hosts: localhost
          gather_facts: false
          module_defaults:
            group/aep.offers.offer_library:
              sandbox: dev
          roles:
            - catalog
          tasks:
            - name: beside
              aep.offers.offer_library:
                src: beside.yml
            - name: in files
              offer_library:
                src: in_files.yml
              collections: [aep.offers]
        """))
    elsewhere = tmp_path / "elsewhere"  # neither the project nor the playbook's directory
    elsewhere.mkdir()
    env = {"ANSIBLE_ROLES_PATH": str(project / "roles")}

    plan = aep.playbook(playbook, cwd=elsewhere, env=env, check=True, diff=True)
    assert plan.rc == 0, plan.output
    assert [result(plan, t)["summary"]["create"] for t in ("role library", "beside", "in files")] == [1, 1, 1], plan.output
    assert "From role files" in plan.stdout and "In playbook files" in plan.stdout  # the diff
    assert _placements(aep_emulator, "dev") == []

    applied = aep.playbook(playbook, cwd=elsewhere, env=env)
    assert applied.rc == 0 and applied.totals("changed") == 3, applied.output
    # module_defaults for the action group still reach the module through the action plugin: all went to dev.
    assert _placements(aep_emulator, "dev") == ["Beside the playbook", "From role files", "In playbook files"]
    assert _placements(aep_emulator, "prod") == []

    again = aep.playbook(playbook, cwd=elsewhere, env=env)
    assert again.rc == 0 and again.totals("changed") == 0, again.output


def test_offer_library_relative_src_not_found_names_where_it_looked(aep, aep_emulator, tmp_path):
    play = aep.tasks("- name: missing\n  aep.offers.offer_library:\n    src: library/missing.yml\n  ignore_errors: true")
    run = aep.playbook(play, cwd=tmp_path)
    message = run.result("missing")["msg"]
    assert message.startswith("src: cannot find library/missing.yml (a relative src is looked up in the role's files/"), message
    assert sum(aep_emulator.stats()["requests"].values()) == 0
    # An absolute path goes to the module unchanged, which names it (the bad-input table covers its messages).
    absolute = aep.tasks("- name: absent\n  aep.offers.offer_library:\n    src: %s\n  ignore_errors: true"
                         % json.dumps(str(tmp_path / "absent.yml")), name="absolute.yml")
    assert "No such file or directory" in aep.playbook(absolute).result("absent")["msg"]

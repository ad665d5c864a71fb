"""Local tasks run in the controller (offer_library's action plugin, which meta/runtime.yml routes every module to): the same results as a module process.

Each parity test runs the same playbooks twice from the same emulator state and an empty token cache: forced into a
module process (AEP_OFFERS_IN_CONTROLLER=false) and in the controller. The registered results are compared key by key,
with what differs by nature between two runs (the ids the emulator draws, its clock, tracebacks' file names, a fresh
token) replaced by placeholders numbered in order of appearance, so references between objects are compared too, and
lists of strings compared as sets (tags: their order in a diff follows the process's hash seed).
Every run also passes the suite's checks (no secret in the output, at -vvv here, and check mode writes nothing).
The tests marked smoke also run on the oldest ansible-core (make oldest).
"""

import json
import re
import shutil
import textwrap

import pytest

from test_offer_instance import writes

IN_CONTROLLER = "runs in the controller"
IN_PROCESS = "runs in a module process"
VOLATILE = [
    ("uuid", re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")),
    ("id", re.compile(r"(?:dps|xcore):[a-z-]+:[0-9a-f]{16}")),
    ("time", re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z")),
]


def comparable(run):
    """The run's task results with the volatile values numbered in order of appearance."""
    seen = {}

    def number(kind):
        def replace(match):
            return seen.setdefault(match.group(0), "<%s %d>" % (kind, len(seen) + 1))
        return replace

    text = json.dumps([(r["task"], r["status"], r["result"]) for r in run.results], sort_keys=True)
    for kind, pattern in VOLATILE:
        text = pattern.sub(number(kind), text)
    results = json.loads(text, object_hook=_sorted_sets)
    for _task, _status, result in results:
        for item in result.get("results", []) + [result]:
            if isinstance(item, dict):
                for key, placeholder in (("exception", "<traceback>"), ("access_token", "<token>")):
                    if key in item:
                        item[key] = placeholder
    return results


def _sorted_sets(mapping):
    """Lists of strings sorted: the engine keeps tags as sets, so their order in a diff follows each process's hash seed."""
    return dict((k, sorted(v) if isinstance(v, list) and all(isinstance(e, str) for e in v) else v) for k, v in mapping.items())


def both_ways(aep, aep_emulator, runs, arrange=None, **kwargs):
    """Runs ``runs`` (a list of (playbook, playbook kwargs)) from a fresh emulator and token cache, forced into a module
    process and then in the controller; returns {where: [PlaybookRun, ...]} after checking where each task ran."""
    found = {}
    for where, switch in (("module", "false"), ("controller", "true")):
        aep_emulator.reset()
        shutil.rmtree(aep.tmp_path / "token-cache", ignore_errors=True)
        if arrange:
            arrange()
        found[where] = []
        for playbook, options in runs:
            options = dict(kwargs, **options)
            env = dict(options.pop("env", {}), AEP_OFFERS_IN_CONTROLLER=switch)
            run = aep.playbook(playbook, env=env, verbosity=3, **options)
            said = IN_CONTROLLER if where == "controller" else IN_PROCESS
            assert said in run.output and (IN_PROCESS if where == "controller" else IN_CONTROLLER) not in run.output, run.output
            found[where].append(run)
    return found


def assert_same(found):
    for module_run, controller_run in zip(found["module"], found["controller"]):
        assert module_run.rc == controller_run.rc, controller_run.output
        assert module_run.recap == controller_run.recap, controller_run.output
        module_results, controller_results = comparable(module_run), comparable(controller_run)
        assert [r[:2] for r in controller_results] == [r[:2] for r in module_results]
        for module_result, controller_result in zip(module_results, controller_results):
            assert controller_result == module_result, "task %r differs:\n%s\n%s" % (
                module_result[0], json.dumps(module_result, sort_keys=True), json.dumps(controller_result, sort_keys=True))


def test_object_modules_create_plan_update_and_delete_alike(aep, aep_emulator):
    """Every object module (full_setup.yml), with check and diff mode, through the same three runs: creates, an update
    planned in check mode, deletes. (An applied update reaches the same module object and result as these writes do;
    tests/contract applies an update of every kind.)"""
    changed = {"summer_priority": 20, "decision_status": "inactive"}
    found = both_ways(aep, aep_emulator, [
        ("full_setup.yml", {"diff": True}),
        ("full_setup.yml", {"extra_vars": changed, "check": True, "diff": True}),
        ("full_setup.yml", {"extra_vars": {"setup_state": "absent"}, "diff": True}),
    ])
    assert_same(found)
    assert [run.totals("changed") > 0 for run in found["controller"]] == [True, True, True]


def test_offer_library_plans_applies_and_reruns_alike(aep, aep_emulator):
    library = {
        "placements": [{"name": "Web banner", "channel": "web", "component_type": "text", "content_types": ["text/plain"]}],
        "collection_qualifiers": [{"name": "Summer"}],
        "offers": [{"name": "Offer %d" % i, "status": "approved", "priority": i, "tags": ["Summer"], "representations": [
            {"placement": "Web banner", "channel": "web", "components": [{"type": "text", "content": "Hi %d" % i}]}]}
            for i in range(5)],
        "collections": [{"name": "Summer offers", "qualifiers": ["Summer"]}],
    }
    declared = {"extra_vars": {"library": library}}
    found = both_ways(aep, aep_emulator, [
        ("offer_library.yml", dict(declared, check=True, diff=True)),
        ("offer_library.yml", dict(declared, diff=True)),
        ("offer_library.yml", dict(declared, check=True, diff=True)),
    ])
    assert_same(found)
    plan, applied, rerun = (run.result("library") for run in found["controller"])
    assert plan["summary"]["create"] == applied["summary"]["create"] == 8 and rerun["summary"]["none"] == 8
    assert len(plan["diff"]) == 8 and rerun["changed"] is False


@pytest.mark.smoke
def test_read_only_modules_and_failures_alike(aep, aep_emulator, direct):
    """container_info, offer_library_info, ims_token, and failures: bad arguments, unsupported ones, an API error."""
    playbook = aep.tasks(
        "- name: containers\n  aep.offers.container_info:",
        "- name: info\n  aep.offers.offer_library_info: {kind: placement, resolve_names: true}",
        "- name: token\n  aep.offers.ims_token:",
        "- name: wrong choice\n  aep.offers.placement: {name: X, state: gone}\n  ignore_errors: true",
        "- name: wrong type\n  aep.offers.offer_instance: {name: X, priority: lots}\n  ignore_errors: true",
        "- name: both identities\n  aep.offers.placement: {name: X, instance_id: abc}\n  ignore_errors: true",
        "- name: our own check\n  aep.offers.placement: {name: X, timeout: 0}\n  ignore_errors: true",
        "- name: unsupported\n  aep.offers.placement: {name: X, colour: red}\n  ignore_errors: true",
        "- name: in use\n  aep.offers.placement: {name: Web banner, state: absent}\n  ignore_errors: true",
        "- name: no such sandbox\n  aep.offers.collection_qualifier: {name: Q, sandbox: nowhere}\n  ignore_errors: true",
    )

    def arrange():
        web = direct.placement("Web banner")
        direct.created("https://ns.adobe.com/experience/offer-management/personalized-offer;version=0.5", {
            "xdm:name": "Uses the banner", "xdm:representations": [{"xdm:placement": web, "xdm:components": [
                {"@type": "https://ns.adobe.com/experience/offer-management/content-component-text", "xdm:content": "x"}]}]})

    # invocation is in every result on 2.17 and 2.18, and on later cores when asked for
    found = both_ways(aep, aep_emulator, [(playbook, {"shows_token": True, "env": {"ANSIBLE_INJECT_INVOCATION": "true"}})],
                      arrange=arrange)
    assert_same(found)
    run = found["controller"][0]
    masked = run.result("wrong type")["invocation"]["module_args"]
    assert masked["client_secret"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER" and masked["name"] == "X"
    assert run.result("unsupported")["invocation"]["module_args"]["colour"] == "red"
    assert run.result("unsupported")["msg"].startswith(
        "Unsupported parameters for (aep.offers.placement) module: colour. Supported parameters include: access_token, allow_duplicate_placements, api,")
    assert run.result("wrong choice")["msg"] == "value of state must be one of: present, absent, got: gone"
    assert "priority" in run.result("wrong type")["msg"]
    assert run.result("both identities")["msg"] == "parameters are mutually exclusive: instance_id|name"
    assert run.result("our own check")["msg"] == "timeout: must be at least 1, got 0"
    assert run.result("in use")["_status"] == "failed" and run.result("in use")["msg"]
    assert run.result("token")["access_token"] and run.result("token")["changed"] is False
    assert [p["options"]["name"] for p in run.result("info")["objects"]] == ["Web banner"]


@pytest.mark.smoke
def test_a_loop_shares_one_session_and_token_while_warnings_and_retries_stay_per_item(aep, aep_emulator):
    """token_cache off: a module process per item asks IMS each time; the controller's worker asks once for the loop.
    One 503 is retried: the item it hit reports it (retries 1 and a warning), the others do not."""
    playbook = aep.tasks("""
- name: loop
  aep.offers.collection_qualifier: {name: "Q{{ item }}", token_cache: false}
  loop: [1, 2, 3, 4]
""")
    tokens = {}
    found = {}
    for where, switch in (("module", "false"), ("controller", "true")):
        aep_emulator.reset()
        before = aep_emulator.stats()["token_requests"]
        aep_emulator.faults(fail_next=[{"status": 503}])
        found[where] = [aep.playbook(playbook, env={"AEP_OFFERS_IN_CONTROLLER": switch})]
        tokens[where] = aep_emulator.stats()["token_requests"] - before
        assert found[where][0].rc == 0, found[where][0].output
    assert tokens == {"module": 4, "controller": 1}
    assert_same(found)
    items = found["controller"][0].result("loop")["results"]
    assert [item["retries"] for item in items] == [1, 0, 0, 0]
    for run in found["module"] + found["controller"]:  # said once, by the item that retried
        assert run.output.count("retrying GET") == 1, run.output


@pytest.mark.smoke
def test_the_tasks_environment_applies_to_its_item_only(aep, aep_emulator, tmp_path):
    """environment: per loop item, as a module process sees it: the env fallbacks (AEP_SANDBOX) and what else reads the
    environment (the token cache's default directory under XDG_CACHE_HOME); an item without it sees the controller's."""
    aep_emulator.add_sandbox("dev")
    playbook = aep.tasks("""
- name: loop
  aep.offers.collection_qualifier: {name: "Q"}
  environment: "{{ {'AEP_SANDBOX': item, 'XDG_CACHE_HOME': cache} if item != 'prod' else {} }}"
  loop: [dev, prod]
  vars:
    cache: "%s"
""" % (tmp_path / "xdg"))
    base = {"AEP_TOKEN_CACHE_DIR": "", "XDG_CACHE_HOME": str(tmp_path / "base")}
    found = both_ways(aep, aep_emulator, [(playbook, {"env": base})])
    assert_same(found)
    items = found["controller"][0].result("loop")["results"]
    assert [item["action"] for item in items] == ["create", "create"]  # one in each sandbox
    for cache in ("xdg", "base"):
        assert list((tmp_path / cache / "aep.offers" / "tokens").glob("*.json")), cache


OFFER = "https://ns.adobe.com/experience/offer-management/personalized-offer;version=0.5"
PERSONAL = "Hi {{profile.person.name.firstName}}!"


@pytest.mark.smoke
def test_results_are_never_templated_again(aep, aep_emulator, direct):
    """Personalization syntax read back from the API stays text when the registered result is used later: in a
    template, a fact, and the arguments of another module (which writes nothing: the content is unchanged)."""
    playbook = aep.tasks("""
- name: read
  aep.offers.offer_library_info: {kind: offer}
  register: info
- name: fact
  ansible.builtin.set_fact:
    content: "{{ info.objects[0].options.representations[0].components[0].content }}"
- name: show
  ansible.builtin.debug: {msg: "{{ content }} / {{ info.objects[0].options }}"}
- name: apply
  aep.offers.offer_instance: "{{ info.objects[0].options | combine({'name': info.objects[0].options.name}) }}"
""")

    def arrange():
        web = direct.placement("Web banner")
        direct.created(OFFER, {"xdm:name": "Personal", "xdm:status": "approved", "xdm:representations": [
            {"xdm:placement": web, "xdm:components": [
                {"@type": "https://ns.adobe.com/experience/offer-management/content-component-text", "xdm:content": PERSONAL}]}]})

    found = both_ways(aep, aep_emulator, [(playbook, {})], arrange=arrange)
    assert_same(found)
    for run in found["module"] + found["controller"]:
        assert run.rc == 0, run.output
        assert run.result("fact")["ansible_facts"]["content"] == PERSONAL
        assert run.result("show")["msg"].startswith(PERSONAL + " / ")
        assert run.result("apply")["changed"] is False
    assert [o["_instance"]["xdm:representations"][0]["xdm:components"][0]["xdm:content"]
            for o in direct.all("personalized-offer")] == [PERSONAL]


REMOTE_CONNECTION = '''
from ansible.plugins.connection.local import Connection as Local

DOCUMENTATION = """
name: elsewhere
short_description: the local connection, under another name (a host the controller is not)
description: [Test only.]
author: [aep.offers tests]
"""


class Connection(Local):
    transport = "elsewhere"
'''

NO_REQUESTS_IN_THE_CONTROLLER = '''
import sys

if sys.argv and sys.argv[0].endswith("ansible-playbook"):
    class _Refuse:
        def find_spec(self, name, path=None, target=None):
            if name == "requests" or name.startswith("requests."):
                raise ImportError("no requests in this Python (test)")
    sys.meta_path.insert(0, _Refuse())
'''


def test_remote_async_and_a_controller_without_requests_use_the_module_process(aep, aep_emulator, tmp_path):
    plugins = tmp_path / "connection_plugins"
    plugins.mkdir()
    (plugins / "elsewhere.py").write_text(textwrap.dedent(REMOTE_CONNECTION))
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(textwrap.dedent(NO_REQUESTS_IN_THE_CONTROLLER))
    playbook = aep.tasks(
        "- name: remote\n  aep.offers.container_info:\n  vars: {ansible_connection: elsewhere}",
        "- name: async\n  aep.offers.container_info:\n  async: 60\n  poll: 1",
        "- name: local\n  aep.offers.container_info:")
    # async_dir is ~/.ansible_async, which the job (the process's HOME) and async_status (the user's home directory,
    # through the shell) expand apart when HOME is not that home directory, as in a scratch HOME: one directory for both
    run = aep.playbook(playbook, verbosity=3, env={"ANSIBLE_CONNECTION_PLUGINS": str(plugins),
                                                    "ANSIBLE_ASYNC_DIR": str(tmp_path / "async")})
    assert run.rc == 0, run.output
    assert "container_info runs in a module process: the connection is not local" in run.output
    assert "container_info runs in a module process: the task is async" in run.output
    assert run.output.count(IN_CONTROLLER) == 1
    assert [run.result(t)["containers"] for t in ("remote", "async")] == [run.result("local")["containers"]] * 2

    bare = aep.playbook(aep.tasks("- name: local\n  aep.offers.container_info:"), verbosity=3,
                        env={"PYTHONPATH": str(site)})
    assert bare.rc == 0, bare.output
    assert "container_info runs in a module process: the controller's Python lacks requests or jsonpatch" in bare.output


@pytest.mark.smoke
def test_the_switch_is_a_variable_too(aep, aep_emulator):
    run = aep.playbook(aep.tasks("- name: forced\n  aep.offers.container_info:\n  vars: {aep_offers_in_controller: false}",
                                 "- name: default\n  aep.offers.container_info:"), verbosity=3)
    assert run.rc == 0, run.output
    assert "runs in a module process: aep_offers_in_controller is false" in run.output
    assert run.output.count(IN_CONTROLLER) == 1
    assert writes(aep_emulator.stats()) == 0

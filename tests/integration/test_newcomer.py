"""A newcomer's first hour (issue 14): the README's commands as written, what ships, and the first mistakes."""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

import yaml

from aep_emulator.testing import ApiClient
from conftest import COLLECTIONS, OFFER_SCHEMA, ORG, REPO

BIN = Path(sys.executable).parent
SHIPPED = COLLECTIONS / "ansible_collections" / "aep" / "offers"
README = (REPO / "README.md").read_text()


def section(text, heading):
    """The text under a ``## heading`` up to the next heading of the same level."""
    start = text.index("\n%s\n" % heading)
    following = re.search(r"\n## ", text[start + len(heading) + 2:])
    return text[start:start + len(heading) + 2 + following.start()] if following else text[start:]


def blocks(text, language):
    return re.findall(r"```%s\n(.*?)```" % language, text, re.S)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_readme_emulator_recipe(tmp_path):
    """Item 2: the README's emulator recipe, its two shell blocks run as written in a bare environment.

    Only two things differ from a user's terminal: the port (8080 may be taken on a shared machine, so every
    8080 becomes a free port) and the make line, which is checked, not run: the suite runs on the venv and the
    staged collection it makes, and rebuilding .build under the other workers would break them
    (/work/shared/tools/plain-clone-check runs it in a fresh clone).
    """
    first, second = blocks(section(README, "## Emulator"), "sh")
    assert "foreground" in section(README, "## Emulator")
    port = str(free_port())
    first_lines = [line for line in first.splitlines() if line.strip()]
    make = [line.split("#")[0].split() for line in first_lines if line.startswith("make ")]
    assert make == [["make", "venv", "collection"]], first
    assert (BIN / "ansible-playbook").exists() and (SHIPPED / "MANIFEST.json").exists()
    emulator_commands = [line for line in first_lines if not line.startswith("make ")]
    assert len(emulator_commands) == 1 and "8080" in emulator_commands[0] and "8080" in second

    # A user's shell: no venv on PATH, no ANSIBLE_* settings, a home of their own.
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(tmp_path / "home"), "LANG": "C.UTF-8",
           "ANSIBLE_NOCOLOR": "1", "ANSIBLE_LOCALHOST_WARNING": "0"}
    (tmp_path / "home").mkdir()
    assert subprocess.run(["bash", "-c", "command -v ansible-playbook"], env=env, capture_output=True).returncode != 0
    emulator = subprocess.Popen(["bash", "-c", "exec " + emulator_commands[0].replace("8080", port)], cwd=REPO, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", int(port)), timeout=0.2).close()
                break
            except OSError:
                assert emulator.poll() is None, emulator.stdout.read()
                time.sleep(0.1)
        playbook = subprocess.run(["bash", "-euo", "pipefail", "-c", second.replace("8080", port)], cwd=REPO, env=env,
                                  capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
        assert emulator.poll() is None  # it runs in the foreground until stopped
    finally:
        os.killpg(emulator.pid, signal.SIGTERM)
        emulator.wait(timeout=30)
    output = playbook.stdout + playbook.stderr
    assert playbook.returncode == 0, output
    recap = re.search(r"^localhost\s+: ok=\d+\s+changed=(\d+)\s+unreachable=0\s+failed=0", playbook.stdout, re.M)
    assert recap and int(recap.group(1)) > 0, output
    assert "aep-demo-secret" not in output


def test_readme_ansible_doc_recipe(tmp_path):
    """Issue 19: the README's way to read a module's documentation in a clone, run as written in a bare shell.

    As in test_readme_emulator_recipe, the make line is checked, not run (the suite runs on the venv and the
    staged collection it makes; /work/shared/tools/plain-clone-check runs it in a fresh clone).
    """
    modules = section(README, "## Modules")
    (recipe,) = blocks(modules, "sh")
    lines = [line for line in recipe.splitlines() if line.strip()]
    assert [line.split("#")[0].split() for line in lines if line.startswith("make ")] == [["make", "collection"]], recipe
    assert (BIN / "ansible-doc").exists() and (SHIPPED / "MANIFEST.json").exists()
    commands = [line for line in lines if not line.startswith("make ")]
    assert len(commands) == 1 and "ansible-doc aep.offers.offer_instance" in commands[0], recipe
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8", "ANSIBLE_NOCOLOR": "1"}
    run = subprocess.run(["bash", "-euo", "pipefail", "-c", commands[0]], cwd=REPO, env=env, capture_output=True,
                         text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert run.returncode == 0 and not run.stderr.strip(), run.stdout + run.stderr
    assert "aep.offers.offer_instance" in run.stdout and "representations" in run.stdout and "RETURN VALUES" in run.stdout
    # Without the README's setting, ansible-doc from the clone does not find the collection: the recipe is needed.
    bare = subprocess.run(["bash", "-c", commands[0].replace('ANSIBLE_COLLECTIONS_PATH="$PWD/.build" ', "")], cwd=REPO,
                          env=env, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert "representations" not in bare.stdout, bare.stdout


def test_make_demo_installs_no_test_tools():
    """Item 10: make demo (and make venv) install requirements-demo.txt; only the test targets add the dev tools."""
    def dry_run(target):
        return subprocess.run(["make", "-n", "-B", target], cwd=REPO, capture_output=True, text=True, check=True).stdout
    demo = dry_run("demo")
    assert "-r requirements-demo.txt" in demo and "requirements-dev.txt" not in demo, demo
    for target in ("sanity", "lint", "unit", "emulator-tests", "integration"):
        assert "-r requirements-dev.txt" in dry_run(target), target
    demo_requirements = (REPO / "requirements-demo.txt").read_text()
    assert "-r requirements.txt" in demo_requirements and "werkzeug" in demo_requirements
    for tool in ("pytest", "ansible-lint", "hypothesis", "ansible-builder"):
        assert tool not in demo_requirements and tool in (REPO / "requirements-dev.txt").read_text(), tool


def test_sanity_drops_pip_progress_and_keeps_errors(tmp_path):
    """Item 10: the sanity target's filter drops pip's progress lines and keeps everything else, errors first."""
    makefile = tmp_path / "print.mk"
    makefile.write_text("include %s/Makefile\nprint-noise:\n\t@echo '$(PIP_NOISE)'\n" % REPO)
    noise = subprocess.run(["make", "-s", "-f", str(makefile), "print-noise"], cwd=REPO, capture_output=True, text=True,
                           check=True).stdout.strip()
    dropped = ["Collecting rstcheck==5.0.0 (from -r requirements/sanity.changelog.txt (line 6))",
               "  Downloading rstcheck-5.0.0-py3-none-any.whl (16 kB)",
               "     \u2501\u2501\u2501\u2501 570.0/570.0 kB 221.7 MB/s  0:00:00",
               "WARNING: Location 'file:///opt/pypi/simple/rstcheck/' is ignored: it is neither a file nor a directory.",
               "Installing collected packages: rstcheck", "Successfully installed rstcheck-5.0.0",
               "  Attempting uninstall: pip", "Processing /tmp/tmp8k6lhs31/pip-24.2-py3-none-any.whl", ""]
    kept = ["Running sanity test \"pep8\"", "ERROR: Could not find a version that satisfies the requirement rstcheck==5.0.0",
            "ERROR: Found 1 pep8 issue(s) which need to be resolved:", "ERROR: plugins/action/offer_library.py:1:1: E101"]
    filtered = subprocess.run(["awk", "!/%s/" % noise], input="\n".join(dropped + kept) + "\n", capture_output=True,
                              text=True, check=True).stdout
    assert filtered.splitlines() == kept


def test_license_is_the_gpl3_text_and_ships():
    """Item 8: LICENSE is the GPL-3.0 text that galaxy.yml declares (as ansible-core ships it) and is in the tarball."""
    assert yaml.safe_load((REPO / "galaxy.yml").read_text())["license"] == ["GPL-3.0-or-later"]
    copying = [f for f in metadata.distribution("ansible-core").files if f.name == "COPYING" and ".dist-info" in str(f)]
    assert copying, "ansible-core's distribution has no COPYING"
    gpl = Path(copying[0].locate()).read_text()
    assert gpl.startswith("                    GNU GENERAL PUBLIC LICENSE\n                       Version 3, 29 June 2007")
    assert (REPO / "LICENSE").read_text() == gpl
    assert (SHIPPED / "LICENSE").read_text() == gpl


PATH_TOKEN = re.compile(r"`((?:playbooks|roles|tests|benchmarks|docs|plugins|meta|hack|aep_emulator|changelogs)/[\w./*-]*"
                        r"|Makefile|LICENSE|galaxy\.yml|requirements[\w-]*\.txt|execution-environment\.yml)(?:::\w+)?`")


def test_readme_and_docs_name_only_files_that_exist_and_say_which_do_not_ship():
    """Item 9: every file the README and docs name exists; in the shipped README each one that does not ship
    sits in a paragraph that says it is in the repository."""
    documents = [REPO / "README.md"] + sorted((REPO / "docs").glob("*.md")) + sorted((REPO / "roles").glob("*/README.md"))
    for document in documents:
        for token in PATH_TOKEN.findall(document.read_text()):
            found = list(REPO.glob(token)) or list(document.parent.glob(token)) or list(REPO.glob("roles/*/" + token))
            assert found, "%s names %s, which is not in the repository" % (document.relative_to(REPO), token)
    assert "facts page" not in README
    for paragraph in re.split(r"\n\s*\n", (SHIPPED / "README.md").read_text()):
        for token in PATH_TOKEN.findall(paragraph):
            if not list(SHIPPED.glob(token)) and not list(SHIPPED.glob("roles/*/" + token)):
                assert "repository" in paragraph, "the shipped README names %s without saying where it is:\n%s" % (
                    token, paragraph)
    assert "github.com/aep-offers/aep.offers" in (SHIPPED / "README.md").read_text()


def test_unsafe_advice_quotes_ansibles_error(aep):
    """Item 10: the README quotes the error Ansible gives for Adobe syntax left unprotected, so users can search it."""
    quoted = blocks(README, "text")
    assert len(quoted) == 1 and "'profile' is undefined" in quoted[0], quoted
    play = aep.tasks(aep.offer_task({"name": "Summer sale", "representations": [{
        "placement": "Web banner", "channel": "web",
        "components": [{"type": "text", "content": "Hi {{profile.person.name.firstName}}!"}]}]},
        name="unprotected", extra="  ignore_errors: true\n"))
    run = aep.playbook(play)
    assert quoted[0].strip() in run.result("unprotected")["msg"], run.output


def test_demo_discount_reaches_the_web_banner_too(aep, aep_emulator):
    """Item 10: -e summer_discount=25 changes the web banner as well as the email, Adobe's syntax kept."""
    run = aep.playbook(REPO / "playbooks" / "demo.yml", extra_vars={"summer_discount": 25})
    assert run.rc == 0, run.output
    offer = ApiClient(aep_emulator, org=ORG).by_name(OFFER_SCHEMA, "Summer sale")[0]["_instance"]
    contents = sorted(r["xdm:components"][0]["xdm:content"] for r in offer["xdm:representations"])
    assert contents == ["<h1>Summer sale: 25% off</h1>", "Hi {{profile.person.name.firstName}}, take 25% off this summer!"]


def test_execution_environment_renders_with_the_collection(tmp_path):
    """ansible-builder (version 3 format) renders a build context holding the collection's tarball; the
    collection's meta/execution-environment.yml brings requests and jsonpatch."""
    builder = BIN / "ansible-builder"
    assert builder.exists(), "ansible-builder is in requirements-dev.txt: run make dev-venv"
    definition = yaml.safe_load((REPO / "execution-environment.yml").read_text())
    assert definition["version"] == 3
    version = yaml.safe_load((REPO / "galaxy.yml").read_text())["version"]
    tarball = "aep-offers-%s.tar.gz" % version
    assert definition["dependencies"]["galaxy"]["collections"] == [{"name": "/build/collections/" + tarball, "type": "file"}]

    subprocess.run([str(BIN / "ansible-galaxy"), "collection", "build", "--output-path", str(tmp_path), str(REPO)],
                   check=True, capture_output=True)
    shutil.copy(REPO / "execution-environment.yml", tmp_path)
    created = subprocess.run([str(builder), "create", "--context", "context"], cwd=tmp_path, capture_output=True, text=True)
    assert created.returncode == 0, created.stdout + created.stderr
    context = tmp_path / "context"
    assert (context / "_build" / "collections" / tarball).exists()
    containerfile = next(p for p in (context / "Containerfile", context / "Dockerfile") if p.exists()).read_text()
    assert "ansible-galaxy collection install" in containerfile and "COPY _build /build" in containerfile
    assert "ansible-core>=2.17" in containerfile

    meta = yaml.safe_load((REPO / "meta" / "execution-environment.yml").read_text())
    assert meta["dependencies"]["python"] == "requirements.txt"
    introspected = subprocess.run([sys.executable, str(context / "_build" / "scripts" / "introspect.py"), "introspect",
                                   str(COLLECTIONS)], capture_output=True, text=True, check=True).stdout
    python = yaml.safe_load(introspected)["python"]
    assert [line.split()[0] for line in python] == ["requests>=2.28", "jsonpatch>=1.32"], python


def test_refused_api_is_reported_as_refused_not_as_a_timeout(aep, aep_emulator):
    """Item 3, end to end: an api_url where nothing listens (IMS still answers) fails saying so, with the URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        url = "http://127.0.0.1:%d" % probe.getsockname()[1]  # closed when the block ends: nothing listens there
    play = aep.tasks("- name: nobody\n  aep.offers.container_info: {api_url: '%s', timeout: 30}\n  ignore_errors: true" % url)
    run = aep.playbook(play)
    message = run.result("nobody")["msg"]
    assert message.endswith("GET /data/core/xcore/ got no answer: cannot connect to %s: connection refused" % url), message
    assert "timed out" not in message

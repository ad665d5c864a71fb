"""The modules run with the Python (and so the ansible-core and libraries) of the virtualenv that runs the tests:
a local task in the controller (ansible-playbook's Python), a module process with the interpreter the tests set.

make oldest runs the smoke tests from a second virtualenv (Python 3.11, the oldest ansible-core): a module
run with the other virtualenv's Python would test the wrong core and pass for the wrong reason.
"""

import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.smoke


def test_modules_run_with_the_python_of_this_virtualenv(aep):
    run = aep.playbook(aep.tasks(
        "- name: facts\n  ansible.builtin.setup: {gather_subset: ['!all'], filter: [ansible_python]}",
        "- name: core\n  ansible.builtin.debug: {msg: '{{ ansible_version.full }}'}",
        "- name: containers\n  aep.offers.container_info:"), verbosity=3)
    assert run.rc == 0, run.output
    assert "aep.offers.container_info runs in the controller" in run.output
    python = run.result("facts")["ansible_facts"]["ansible_python"]
    assert Path(python["executable"]).parent.resolve() == Path(sys.executable).parent.resolve(), python["executable"]
    assert tuple(python["version_info"][:2]) == sys.version_info[:2]
    import ansible.release
    assert run.result("core")["msg"] == ansible.release.__version__
    assert run.result("containers")["containers"], run.output

"""An API that stops answering: a clear timeout error within the configured time, never a hang.

The emulator's ``latency_ms`` holds every API call longer than the task's ``timeout``. Only reads
are sent here, so no delayed write can land after the test (and into the next one).
"""

import time

import pytest

LATENCY_MS = 30000  # far above the budget below, so a timeout that is not applied cannot pass
TIMEOUT = 1


def _timed_play(aep, module, args):
    """A play that times one task between two timestamps taken on the controller."""
    task = "- name: slow\n  aep.offers.%s: %s\n  ignore_errors: true\n" % (module, args)
    return aep.tasks(
        "- name: t0\n  ansible.builtin.set_fact:\n    t0: \"{{ now().timestamp() }}\"",
        task,
        "- name: t1\n  ansible.builtin.set_fact:\n    t1: \"{{ now().timestamp() }}\"")


@pytest.mark.parametrize("module,retries", [("container_info", 0), ("container_info", 2), ("placement", 0)])
def test_unanswering_api_times_out_within_the_configured_time(aep, aep_emulator, module, retries):
    args = '{"timeout": %d, "retries": %d%s}' % (
        TIMEOUT, retries, ', "name": "Web banner", "channel": "web", "component_type": "text"' if module == "placement" else "")
    aep_emulator.faults(latency_ms=LATENCY_MS)
    started = time.monotonic()
    run = aep.playbook(_timed_play(aep, module, args))
    wall = time.monotonic() - started
    stats = aep_emulator.stats()
    aep_emulator.faults()  # clear, so the reset of the next test is not the only guard

    result = run.result("slow")
    assert result["_status"] == "failed", result
    message = result["msg"]
    # requests reports a read timeout that urllib3's Retry gave up on as ConnectionError(MaxRetryError): the
    # client still says it timed out, and where.
    assert message == "GET /data/core/xcore/ got no answer: %s timed out after %ss (each attempt)" % (
        aep_emulator.url, TIMEOUT), message
    assert "Traceback" not in run.output and "module_stderr" not in result
    attempts = retries + 1
    assert stats["requests"]["GET"] == attempts  # the discovery, tried `retries` more times; nothing else
    assert stats["writes"] == 0 and stats["requests"]["POST"] == 0
    task_seconds = float(run.result("t1")["ansible_facts"]["t1"]) - float(run.result("t0")["ansible_facts"]["t0"])
    # Each attempt waits `timeout`, plus urllib3's backoff between retries (0 s, then 1 s): never the latency.
    budget = attempts * TIMEOUT + (attempts - 1) * 1.0 + 10.0  # + module start-up on a loaded machine (CI runs 2 workers)
    assert task_seconds < budget < attempts * LATENCY_MS / 1000.0, (task_seconds, budget)
    assert wall < 45, wall
    print("timeout=%ss retries=%d latency=%sms: task %.2fs, playbook %.2fs" % (
        TIMEOUT, retries, LATENCY_MS, task_seconds, wall))

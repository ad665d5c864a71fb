"""Run the emulator from tests: `with run_emulator() as emu: requests.get(emu.url + ...)`.

Only the standard library and requests, so the collection's tests can use it anywhere.
"""

import contextlib
import os
import subprocess
import sys
import tempfile
import time

import requests

DEFAULT_CLIENT = ("aep-demo-client", "aep-demo-secret")


class EmulatorHandle:
    """A running emulator: its URL, credentials, and the control API as methods."""

    def __init__(self, process, url, client_id, client_secret):
        self.process = process
        self.url = url
        self.client_id = client_id
        self.client_secret = client_secret
        self._http = requests.Session()

    def _control(self, method, path, **kwargs):
        response = self._http.request(method, f"{self.url}/_emulator/{path}", timeout=30, **kwargs)
        response.raise_for_status()
        return response.json()

    def stats(self):
        return self._control("GET", "stats")

    def reset(self):
        return self._control("POST", "reset")

    def faults(self, **faults):
        """fail_next=[{"status": 429, "retry_after": 1}], drop_after_commit_next=K, latency_ms=M."""
        return self._control("POST", "faults", json=faults)

    def mutate(self, container_id, instance_id, patch, when="now"):
        return self._control("POST", "mutate", json={
            "container_id": container_id, "instance_id": instance_id, "patch": patch, "when": when})

    def expire_tokens(self):
        return self._control("POST", "expire_tokens")

    def add_sandbox(self, name, container=True):
        return self._control("POST", "sandboxes", json={"name": name, "container": container})

    def container_id(self, sandbox, org):
        found = self._control("GET", "containers", params={"sandbox": sandbox, "org": org})
        return found[0]["container_id"] if found else None

    def stop(self):
        self._http.close()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@contextlib.contextmanager
def run_emulator(host="127.0.0.1", db=None, clients=None, token_ttl=None, sandboxes=None,
                 access_log=False, startup_timeout=20):
    """Start `python -m xcore_emulator` on a free port; yield an EmulatorHandle; stop it after.

    clients is a dict {client_id: secret} (default aep-demo-client:aep-demo-secret); the first
    one becomes handle.client_id/client_secret.
    """
    clients = clients or dict([DEFAULT_CLIENT])
    with tempfile.TemporaryDirectory(prefix="xcore-emulator-") as tmp:
        port_file = os.path.join(tmp, "port")
        command = [sys.executable, "-m", "xcore_emulator", "--host", host, "--port", "0",
                   "--port-file", port_file,
                   "--clients", ",".join(f"{k}:{v}" for k, v in clients.items())]
        if db:
            command += ["--db", str(db)]
        if token_ttl is not None:
            command += ["--token-ttl", str(token_ttl)]
        if sandboxes is not None:
            command += ["--sandboxes", ",".join(sandboxes)]
        if access_log:
            command.append("--access-log")
        # Run from this package's parent so `-m xcore_emulator` resolves without installing it.
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])))
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=None)
        client_id, client_secret = next(iter(clients.items()))
        handle = None
        try:
            url = _wait_until_up(process, port_file, host, startup_timeout)
            handle = EmulatorHandle(process, url, client_id, client_secret)
            yield handle
        finally:
            if handle is not None:
                handle.stop()
            elif process.poll() is None:
                process.kill()
                process.wait()


def _wait_until_up(process, port_file, host, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"xcore_emulator exited with code {process.returncode} at start-up")
        if os.path.exists(port_file):
            url = f"http://{host}:{open(port_file).read().strip()}"
            try:
                requests.get(f"{url}/_emulator/stats", timeout=2).raise_for_status()
                return url
            except requests.RequestException:
                pass
        time.sleep(0.05)
    raise RuntimeError(f"xcore_emulator did not start within {timeout}s")

"""Run the emulator from tests, and talk to it.

- `with run_emulator() as emulator:` starts one on a free port (an EmulatorHandle: URL,
  credentials, the control API as methods).
- `ApiClient(emulator)` is the one API client of the tests and benchmarks: a token, the four
  platform headers, the xcore calls and, under `.dps`, the persistence API's.

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
ORG = "TEST0RG0000000000@AdobeOrg"
XCORE = "/data/core/xcore"
DPS = "/data/core/dps"
CONTAINER_KEY = "https://ns.adobe.com/experience/xcore/container"
CREATE_CT = 'application/schema-instance+json; version=1; schema="{}"'
PATCH_CT = 'application/vnd.adobe.platform.xcore.patch.hal+json; version=1; schema="{}"'
RECEIPT_ACCEPT = "application/vnd.adobe.platform.xcore.xdm.receipt+json; version=1"


class EmulatorHandle:
    """A running emulator: its URL, credentials, and the control API as methods."""

    def __init__(self, process, url, client_id, client_secret, tls_cert=None):
        self.process = process
        self.url = url
        self.client_id = client_id
        self.client_secret = client_secret
        self.tls_cert = tls_cert  # the certificate an HTTPS emulator serves (and its own CA), or None
        self._http = requests.Session()

    def _control(self, method, path, **kwargs):
        # verify per request: requests lets REQUESTS_CA_BUNDLE override a Session's verify.
        response = self._http.request(method, f"{self.url}/_emulator/{path}", timeout=30,
                                      verify=self.tls_cert or True, **kwargs)
        response.raise_for_status()
        return response.json()

    def stats(self):
        return self._control("GET", "stats")

    def reset(self):
        return self._control("POST", "reset")

    def faults(self, **faults):
        """fail_next=[{"status": 429, "retry_after": 1}], drop_after_commit_next=K, latency_ms=M,
        no_body_next=K (the next K dps writes answer 204 without a body; a create 200)."""
        return self._control("POST", "faults", json=faults)

    def mutate(self, container_id, instance_id, patch, when="now"):
        """Another user's xcore patch (see dps_mutate for dps objects)."""
        return self._control("POST", "mutate", json={
            "container_id": container_id, "instance_id": instance_id, "patch": patch, "when": when})

    def dps_mutate(self, object_id, patch, when="now"):
        """Another user's patch of a dps object, by its id."""
        return self._control("POST", "mutate", json={"id": object_id, "patch": patch, "when": when})

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


def xcore_schema(kind_or_schema):
    """A schema URI, given one or an xcore kind name such as "personalized-offer"."""
    if "://" in kind_or_schema:
        return kind_or_schema
    from .kinds import BY_NAME
    return BY_NAME[kind_or_schema].schema


class ApiClient:
    """Plain HTTP to an emulator as the collection sends it; tests assert on the raw answers.

    The xcore calls take paths relative to /data/core/xcore; `.dps` has the persistence API's.
    In `headers=`, a None value leaves that header out (to break the gateway on purpose).
    """

    def __init__(self, emulator, org=ORG, sandbox="prod"):
        self.emulator = emulator
        self.org, self.sandbox = org, sandbox
        self.http = requests.Session()
        self.http.headers.update({"x-api-key": emulator.client_id, "x-gw-ims-org-id": org,
                                  "x-sandbox-name": sandbox})
        self.verify = emulator.tls_cert or True
        self.base = emulator.url + XCORE
        self.token = self.new_token()
        self._cid = None
        self.dps = DpsCalls(self)

    @property
    def token(self):
        return self._token

    @token.setter
    def token(self, token):
        self._token = token
        self.http.headers["Authorization"] = f"Bearer {token}"

    def new_token(self):
        response = self.http.post(f"{self.emulator.url}/ims/token/v3", verify=self.verify, timeout=30, data={
            "grant_type": "client_credentials", "client_id": self.emulator.client_id,
            "client_secret": self.emulator.client_secret, "scope": "openid,AdobeID"},
            headers={"Authorization": None})
        assert response.status_code == 200, response.text
        return response.json()["access_token"]

    def headers(self, **extra):
        """Every header a call sends (for raw clients such as http.client)."""
        headers = dict(self.http.headers, **extra)
        return {k: v for k, v in headers.items() if v is not None}

    def call(self, method, url, headers=None, **kwargs):
        """Any request to a full URL, with the token and platform headers."""
        return self.http.request(method, url, headers=headers or {}, timeout=30, verify=self.verify, **kwargs)

    # -- xcore ----------------------------------------------------------------------------------

    def request(self, method, path, headers=None, **kwargs):
        return self.call(method, self.base + path, headers, **kwargs)

    def discover(self):
        return self.request("GET", "/?product=acp&property=_instance.containerType==decisioning")

    @property
    def cid(self):
        """The sandbox's container id (from the control API, so no API call is counted)."""
        if self._cid is None:
            self._cid = self.emulator.container_id(self.sandbox, self.org)
            assert self._cid, f"sandbox {self.sandbox!r} has no container"
        return self._cid

    @property
    def instances_url(self):
        return f"{self.base}/{self.cid}/instances"

    def create(self, kind, instance, content_type=None):
        """POST an instance; `kind` is an xcore kind name or a schema URI."""
        return self.request("POST", f"/{self.cid}/instances", headers={
            "Content-Type": content_type or CREATE_CT.format(xcore_schema(kind)), "Accept": RECEIPT_ACCEPT},
            json=instance)

    def created(self, kind, instance):
        response = self.create(kind, instance)
        assert response.status_code == 201, response.text
        return response.json()

    def get(self, iid, **headers):
        return self.request("GET", f"/{self.cid}/instances/{iid}", headers=headers)

    def doc(self, iid):
        response = self.get(iid)
        assert response.status_code == 200, response.text
        return response.json()

    def patch(self, iid, ops, kind="personalized-offer", content_type=None, **headers):
        headers["Content-Type"] = content_type or PATCH_CT.format(xcore_schema(kind))
        return self.request("PATCH", f"/{self.cid}/instances/{iid}", headers=headers, json=ops)

    def delete(self, iid, **headers):
        return self.request("DELETE", f"/{self.cid}/instances/{iid}", headers=headers)

    def list(self, path="instances", **params):
        return self.request("GET", f"/{self.cid}/{path}", params=params)

    def by_name(self, kind, name):
        response = self.list(schema=xcore_schema(kind), name=name, limit=100)
        assert response.status_code == 200, response.text
        return response.json()["_embedded"]["results"]

    def all(self, kind=None, **params):
        """Every instance (of a kind), following _links.next."""
        if kind:
            params["schema"] = xcore_schema(kind)
        response, found = self.list(**params), []
        while True:
            assert response.status_code == 200, response.text
            page = response.json()
            found += page["_embedded"]["results"]
            if "next" not in page["_links"]:
                return found
            response = self.request("GET", page["_links"]["next"]["href"])

    def placement(self, name, channel="https://ns.adobe.com/xdm/channel-types/web"):
        """Create a text placement; its @id."""
        return self.created("offer-placement", {
            "xdm:name": name, "xdm:channel": channel,
            "xdm:componentType": "https://ns.adobe.com/experience/offer-management/content-component-text",
            "xdm:contentTypes": ["text/plain"]})["@id"]


class DpsCalls:
    """The persistence API (/data/core/dps) with the client's token and headers. Paths are relative
    to the base and carry their own query (`/offers?offer-type=personalized`)."""

    def __init__(self, client):
        self.client = client
        self.base = client.emulator.url + DPS

    def request(self, method, path, headers=None, **kwargs):
        return self.client.call(method, self.base + path, headers, **kwargs)

    def create(self, path, body, **headers):
        return self.request("POST", path, headers=dict({"Content-Type": "application/json"}, **headers), json=body)

    def created(self, path, body, **headers):
        """POST and return the receipt (asserting 201)."""
        response = self.create(path, body, **headers)
        assert response.status_code == 201, response.text
        return response.json()

    def get(self, path, **headers):
        return self.request("GET", path, headers=headers)

    def obj(self, path, **headers):
        response = self.get(path, **headers)
        assert response.status_code == 200, response.text
        return response.json()

    def patch(self, path, ops, **headers):
        return self.request("PATCH", path, headers=dict({"Content-Type": "application/json"}, **headers), json=ops)

    def put(self, path, body, **headers):
        return self.request("PUT", path, headers=dict({"Content-Type": "application/json"}, **headers), json=body)

    def delete(self, path, **headers):
        return self.request("DELETE", path, headers=headers)

    def pages(self, path, **headers):
        """Every page of a list, following _links.next.href (relative to the base)."""
        pages = [self.obj(path, **headers)]
        while "next" in pages[-1]["_links"]:
            pages.append(self.obj(pages[-1]["_links"]["next"]["href"], **headers))
        return pages

    def all(self, path, **headers):
        return [obj for page in self.pages(path, **headers) for obj in page["results"]]


@contextlib.contextmanager
def run_emulator(host="127.0.0.1", db=None, clients=None, token_ttl=None, sandboxes=None,
                 access_log=False, startup_timeout=20, tls_cert=None, tls_key=None,
                 reserialize_ui_model=False):
    """Start `python -m aep_emulator` on a free port; yield an EmulatorHandle; stop it after.

    clients is a dict {client_id: secret} (default aep-demo-client:aep-demo-secret); the first
    one becomes handle.client_id/client_secret. With tls_cert and tls_key (PEM files, see
    self_signed_certificate) it serves HTTPS and handle.url is https://.
    """
    clients = clients or dict([DEFAULT_CLIENT])
    with tempfile.TemporaryDirectory(prefix="xcore-emulator-") as tmp:
        port_file = os.path.join(tmp, "port")
        command = [sys.executable, "-m", "aep_emulator", "--host", host, "--port", "0",
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
        if tls_cert or tls_key:
            command += ["--tls-cert", str(tls_cert), "--tls-key", str(tls_key)]
        if reserialize_ui_model:
            command.append("--reserialize-ui-model")
        # Run from this package's parent so `-m aep_emulator` resolves without installing it.
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])))
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=None)
        client_id, client_secret = next(iter(clients.items()))
        handle = None
        try:
            url = _wait_until_up(process, port_file, host, startup_timeout, tls_cert)
            handle = EmulatorHandle(process, url, client_id, client_secret, tls_cert=tls_cert and str(tls_cert))
            yield handle
        finally:
            if handle is not None:
                handle.stop()
            elif process.poll() is None:
                process.kill()
                process.wait()


def _wait_until_up(process, port_file, host, timeout, tls_cert=None):
    deadline = time.monotonic() + timeout
    scheme = "https" if tls_cert else "http"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"aep_emulator exited with code {process.returncode} at start-up")
        if os.path.exists(port_file):
            url = f"{scheme}://{host}:{open(port_file).read().strip()}"
            try:
                requests.get(f"{url}/_emulator/stats", timeout=2,
                             verify=str(tls_cert) if tls_cert else True).raise_for_status()
                return url
            except requests.RequestException:
                pass
        time.sleep(0.05)
    raise RuntimeError(f"aep_emulator did not start within {timeout}s")


def self_signed_certificate(directory, hosts=("localhost", "127.0.0.1", "::1"), days=2):
    """Write a self-signed certificate for `hosts` and its key to `directory`; return (cert, key) paths.

    The certificate is its own CA (basicConstraints CA:TRUE), so a client trusts it by naming the
    certificate file as its CA bundle (requests' verify=, the modules' ca_path). Needs the
    `cryptography` package (ansible-core requires it).
    """
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "xcore-emulator test certificate")])
    alt_names = []
    for host in hosts:
        try:
            alt_names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            alt_names.append(x509.DNSName(host))
    now = datetime.datetime.now(datetime.timezone.utc)
    public = key.public_key()
    cert = (x509.CertificateBuilder()
            .subject_name(name).issuer_name(name).public_key(public)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                         content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.SubjectAlternativeName(alt_names), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public), critical=False)
            .sign(key, hashes.SHA256()))
    cert_path = os.path.join(str(directory), "emulator-cert.pem")
    key_path = os.path.join(str(directory), "emulator-key.pem")
    with open(cert_path, "wb") as out:
        out.write(cert.public_bytes(serialization.Encoding.PEM))
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()))
    return cert_path, key_path

"""Helpers shared by the emulator tests: a small API client and sample bodies."""

import requests

from aep_emulator.kinds import BY_NAME

ORG = "TEST0RG0000000000@AdobeOrg"
CONTAINER_KEY = "https://ns.adobe.com/experience/xcore/container"
PATCH_CT = 'application/vnd.adobe.platform.xcore.patch.hal+json; version=1; schema="{}"'
CREATE_CT = 'application/schema-instance+json; version=1;  schema="{}"'
HAL_CT = 'application/vnd.adobe.platform.xcore.hal+json; schema="{}"'


def schema(kind):
    return BY_NAME[kind].schema


class Api:
    """Just enough client to drive the emulator as the collection would (tests assert on raw answers)."""

    def __init__(self, emulator, org=ORG, sandbox="prod"):
        self.emulator = emulator
        self.org, self.sandbox = org, sandbox
        self.http = requests.Session()
        self.base = f"{emulator.url}/data/core/xcore"
        self.token = self.new_token()
        self._cid = None

    def new_token(self):
        response = self.http.post(f"{self.emulator.url}/ims/token/v3", data={
            "grant_type": "client_credentials", "client_id": self.emulator.client_id,
            "client_secret": self.emulator.client_secret, "scope": "openid,AdobeID"})
        assert response.status_code == 200, response.text
        return response.json()["access_token"]

    def headers(self, **extra):
        headers = {"Authorization": f"Bearer {self.token}", "x-api-key": self.emulator.client_id,
                   "x-gw-ims-org-id": self.org, "x-sandbox-name": self.sandbox}
        headers.update(extra)
        return {k: v for k, v in headers.items() if v is not None}

    def request(self, method, path, headers=None, **kwargs):
        return self.http.request(method, self.base + path, headers=self.headers(**(headers or {})),
                                 timeout=30, **kwargs)

    def discover(self):
        return self.request("GET", "/?product=acp&property=_instance.containerType==decisioning")

    @property
    def cid(self):
        if self._cid is None:
            containers = self.discover().json()["_embedded"][CONTAINER_KEY]
            assert len(containers) == 1
            self._cid = containers[0]["instanceId"]
        return self._cid

    def create(self, kind, instance, content_type=None):
        ct = content_type or CREATE_CT.format(schema(kind))
        return self.request("POST", f"/{self.cid}/instances", headers={
            "Content-Type": ct, "Accept": "application/vnd.adobe.platform.xcore.xdm.receipt+json; version=1"},
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
        headers["Content-Type"] = content_type or PATCH_CT.format(schema(kind))
        return self.request("PATCH", f"/{self.cid}/instances/{iid}", headers=headers, json=ops)

    def list(self, path="instances", **params):
        return self.request("GET", f"/{self.cid}/{path}", params=params)


def offer(name="Sale offer", **fields):
    """A personalized offer body in the page's shape."""
    body = {
        "xdm:name": name,
        "xdm:representations": [{
            "xdm:channel": "https://ns.adobe.com/xdm/channel-types/web",
            "xdm:placement": "xcore:offer-placement:124e0be5699743d3",
            "xdm:components": [{
                "@type": "https://ns.adobe.com/experience/offer-management/content-component-html",
                "dc:format": "text/html", "dc:language": ["en"], "xdm:content": "<p>Sale</p>"}],
        }],
    }
    body.update(fields)
    return body

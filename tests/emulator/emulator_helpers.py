"""Sample bodies and constants shared by the emulator tests (the client is aep_emulator.testing.ApiClient)."""

from aep_emulator.testing import CONTAINER_KEY, CREATE_CT, ORG, PATCH_CT, xcore_schema  # noqa: F401

HAL_CT = 'application/vnd.adobe.platform.xcore.hal+json; schema="{}"'
schema = xcore_schema


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

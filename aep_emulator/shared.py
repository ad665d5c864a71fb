"""What the xcore and dps handlers have in common: the caller, the reply, etags and content types."""

from werkzeug.http import parse_options_header

from .errors import unsupported_media_type


class Caller:
    """Who makes a request: the token's client, its org and sandbox."""

    def __init__(self, client_id, org, sandbox, user=None):
        self.client_id, self.org, self.sandbox = client_id, org, sandbox
        # A client-credentials token acts as the integration's technical account.
        self.user = user or f"{client_id}@techacct.adobe.com"


class Reply:
    """What a route answers, before the app turns it into a Werkzeug response."""

    def __init__(self, body=None, status=200, content_type="application/json", headers=None,
                 write=False):
        self.body, self.status, self.content_type = body, status, content_type
        self.headers = headers or {}
        self.write = write  # a committed write: counts in stats and may be dropped by a fault


def etag_matches(header, etag, weak=False):
    """If-Match / If-None-Match against an integer etag; accepts 3, "3", * and lists."""
    for candidate in header.split(","):
        candidate = candidate.strip()
        if candidate == "*":
            return True
        if candidate.startswith("W/"):
            if not weak:
                continue  # If-Match uses strong comparison only
            candidate = candidate[2:]
        if len(candidate) >= 2 and candidate[0] == candidate[-1] == '"':
            candidate = candidate[1:-1]
        if candidate == str(etag):
            return True
    return False


def check_if_match(request, etag, refusal):
    """Raise refusal(detail) when the request's If-Match names another etag (409 in xcore, 412 in dps)."""
    header = request.headers.get("If-Match")
    if header is not None and not etag_matches(header, etag):
        raise refusal(f"If-Match {header!r} does not match the current etag {etag}")


def media_type(request):
    """The request's (lower-cased media type, parameters)."""
    mimetype, params = parse_options_header(request.headers.get("Content-Type", ""))
    return mimetype.lower(), params


def require_json_body_type(request):
    """dps writes carry Content-Type: application/json (parameters such as charset are fine)."""
    mimetype, _ = media_type(request)
    if mimetype != "application/json":
        raise unsupported_media_type(
            f"Content-Type {mimetype or '(none)'!r} is not supported here; send application/json")

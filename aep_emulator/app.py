"""The WSGI application: routing, the order of checks, and turning errors into answers."""

import json
import logging
import time
import uuid

from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound, RequestEntityTooLarge
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from .api import Api
from .control import Control, Runtime
from .dps import DpsApi
from .dps_kinds import ENDPOINTS, endpoint_methods
from .errors import PROBLEM_TYPE, ApiError, GatewayError
from .gateway import Gateway
from .shared import Caller, Reply

XCORE = "/data/core/xcore"
DPS = "/data/core/dps"
APIS = {"xcore": XCORE, "dps": DPS}
MAX_BODY = 1024 * 1024
# Keys the app sets in the WSGI environ for the server's handler (see server.py).
CLOSE = "aep_emulator.close"  # answer, then close the connection
DROP = "aep_emulator.drop"  # close the connection without answering

log = logging.getLogger("aep_emulator")


def _discard_body(request, limit=16 * MAX_BODY):
    """Read and drop a refused body so the client sees the 413 (closing on unread data resets the
    connection); a chunked or very large body closes the connection instead."""
    length = request.content_length
    if length is None or length > limit:
        request.environ[CLOSE] = True
        return
    stream = request.environ["wsgi.input"]
    while length > 0:
        chunk = stream.read(min(length, 65536))
        if not chunk:
            request.environ[CLOSE] = True
            return
        length -= len(chunk)


class EmulatorRequest(Request):
    max_content_length = MAX_BODY


def json_response(body, status=200, content_type="application/json", headers=None):
    if body is None:
        response = Response(b"", status=status, headers=headers)
        del response.headers["Content-Type"]
        return response
    # bytes are a stored document answered as it is
    data = body if isinstance(body, bytes) else json.dumps(body, separators=(",", ":")).encode()
    return Response(data, status=status, content_type=content_type, headers=headers)


def problem(status, slug, detail, headers=None):
    return json_response({"type": PROBLEM_TYPE + slug, "title": HTTP_STATUS_CODES.get(status, "Error"),
                          "status": status, "detail": detail},
                         status, "application/problem+json", headers)


_DPS_HANDLERS = {"GET": "read", "PATCH": "patch", "PUT": "replace", "DELETE": "delete"}


def _api_of(path):
    """"xcore" or "dps" for a path under either API's base, else None."""
    for name, base in APIS.items():
        if path == base or path.startswith(base + "/"):
            return name
    return None


def _rule(path, endpoint, *methods):
    return Rule(path, endpoint=endpoint, methods=methods)


def _dps_rules():
    """Per dps endpoint: list and create, then one object with only the methods its kinds take
    (so Werkzeug answers the others 405 with the right Allow)."""
    for endpoint in ENDPOINTS:
        where = {"endpoint": endpoint}
        yield Rule(f"{DPS}/{endpoint}", endpoint="dps.list", methods=("GET",), defaults=where)
        yield Rule(f"{DPS}/{endpoint}", endpoint="dps.create", methods=("POST",), defaults=where)
        for method in endpoint_methods(endpoint):
            yield Rule(f"{DPS}/{endpoint}/<object_id>", endpoint=f"dps.{_DPS_HANDLERS[method]}",
                       methods=(method,), defaults=where)


URL_MAP = Map([
    _rule("/ims/token/v3", "token", "POST"),
    _rule(f"{XCORE}/", "api.discover", "GET"),
    _rule(f"{XCORE}/<cid>/instances", "api.list", "GET"),
    _rule(f"{XCORE}/<cid>/instances", "api.create", "POST"),
    _rule(f"{XCORE}/<cid>/instances/<iid>", "api.read", "GET"),
    _rule(f"{XCORE}/<cid>/instances/<iid>", "api.patch", "PATCH"),
    _rule(f"{XCORE}/<cid>/instances/<iid>", "api.replace", "PUT"),
    _rule(f"{XCORE}/<cid>/instances/<iid>", "api.delete", "DELETE"),
    _rule(f"{XCORE}/<cid>/queries/core/search", "api.search", "GET"),
    *_dps_rules(),
    _rule("/_emulator/stats", "control.stats", "GET"),
    _rule("/_emulator/reset", "control.reset", "POST"),
    _rule("/_emulator/faults", "control.faults", "GET", "POST"),
    _rule("/_emulator/mutate", "control.mutate", "POST"),
    _rule("/_emulator/expire_tokens", "control.expire_tokens", "POST"),
    _rule("/_emulator/containers", "control.containers", "GET"),
    _rule("/_emulator/sandboxes", "control.sandboxes", "GET", "POST"),
], strict_slashes=False, merge_slashes=False,
    redirect_defaults=False)  # the dps rules share endpoints and differ by their defaults


class Emulator:
    def __init__(self, store, clients, token_ttl, reserialize_ui_model=False):
        self.store = store
        self.runtime = Runtime()
        self.gateway = Gateway(store, clients, token_ttl)
        self.apis = {"xcore": Api(store), "dps": DpsApi(store, reserialize_ui_model)}
        self.control = Control(store, self.runtime, self.apis)

    def __call__(self, environ, start_response):
        request = EmulatorRequest(environ)
        request_id = request.headers.get("x-request-id") or str(uuid.uuid4())
        try:
            response = self.respond(request)
        except Exception:  # last line of defence: a bug must still answer, and say so in the log
            log.exception("unhandled error on %s %s", request.method, request.path)
            environ[CLOSE] = True
            response = problem(500, "internal", "The emulator failed on this request (a bug)")
        response.headers["x-request-id"] = request_id
        return response(environ, start_response)

    def respond(self, request):
        api = _api_of(request.path)
        if api:
            self.runtime.count_request(api, request.method)  # on arrival, whatever happens next
        try:
            # Read the whole body first: keep-alive needs it consumed, and 413 comes before all else.
            request.get_data()
        except RequestEntityTooLarge:
            _discard_body(request)
            return problem(413, "payload-too-large", f"The body is larger than {MAX_BODY} bytes")
        except HTTPException as exc:
            request.environ[CLOSE] = True
            return problem(400, "bad-request", exc.description or "Unreadable body")
        try:
            caller = self._gate(request, api) if api else None
            endpoint, args = URL_MAP.bind_to_environ(request.environ).match()
            return self._dispatch(request, endpoint, args, caller)
        except NotFound:
            return problem(404, "not-found", f"No such resource: {request.path}")
        except MethodNotAllowed as exc:
            return problem(405, "method-not-allowed", f"{request.method} is not allowed on {request.path}",
                           {"Allow": ", ".join(exc.valid_methods or [])})
        except ApiError as exc:
            return json_response(exc.body(), exc.status, "application/problem+json", exc.headers)
        except GatewayError as exc:
            return json_response(exc.body(), exc.status)

    def _gate(self, request, api):
        """Latency, the gateway's checks, then an injected failure; the Caller when all pass."""
        latency = self.runtime.latency_ms
        if latency:
            time.sleep(latency / 1000)
        caller = Caller(*self.gateway.check(request.headers))
        failure = self.runtime.next_failure(api, request.method)
        if failure:
            status = failure["status"]
            headers = {"Retry-After": str(failure["retry_after"])} if "retry_after" in failure else None
            raise ApiError(status, "injected-fault", HTTP_STATUS_CODES.get(status, "Error"),
                           "Injected by the emulator's fail_next fault; nothing was applied", headers)
        return caller

    def _dispatch(self, request, endpoint, args, caller):
        group, _, name = endpoint.partition(".")
        if group == "token":
            return self._token(request)
        if group == "control":
            return json_response(getattr(self.control, name)(request))
        if request.method in ("PATCH", "PUT", "DELETE"):
            mutation = self.runtime.next_mutation()
            if mutation:
                self.control.apply_mutation(mutation)
        api = "xcore" if group == "api" else group
        reply: Reply = getattr(self.apis[api], name)(request, caller, **args)
        if reply.write and self.runtime.other_write_answer(api):
            # dps-api.md §9: PATCH, PUT and DELETE may answer 204 without a body; a create 200
            # (it keeps its receipt: the new id is only there).
            reply.status, reply.body = (200, reply.body) if request.method == "POST" else (204, None)
        if reply.write and self.runtime.committed_write(api):
            request.environ[DROP] = True  # committed; the server closes without answering
        return json_response(reply.body, reply.status, reply.content_type, reply.headers)

    def _token(self, request):
        self.runtime.count_token_request()
        if request.mimetype != "application/x-www-form-urlencoded":
            return json_response({"error": "invalid_request",
                                  "error_description": "send application/x-www-form-urlencoded"}, 400)
        status, body = self.gateway.issue_token(request.form)
        return json_response(body, status, headers={"Cache-Control": "no-store"})

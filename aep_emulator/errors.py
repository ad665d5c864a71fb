"""The two error shapes the real platform answers with, as exceptions the routes raise."""

import json

PROBLEM_TYPE = "urn:xcore-emulator:problem:"


class ApiError(Exception):
    """A service error, answered as a problem document {type, title, status, detail}."""

    def __init__(self, status, slug, title, detail, headers=None):
        super().__init__(detail)
        self.status = status
        self.slug = slug
        self.title = title
        self.detail = detail
        self.headers = headers or {}

    def body(self):
        return {"type": PROBLEM_TYPE + self.slug, "title": self.title,
                "status": self.status, "detail": self.detail}


class GatewayError(Exception):
    """An API gateway error (auth and headers), answered as {error_code, message}."""

    def __init__(self, status, code, message):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    def body(self):
        return {"error_code": self.code, "message": self.message}


def bad_request(detail, slug="bad-request"):
    return ApiError(400, slug, "Bad Request", detail)


def not_found(detail):
    return ApiError(404, "not-found", "Not Found", detail)


def unprocessable(detail, slug="validation"):
    return ApiError(422, slug, "Unprocessable Entity", detail)


def conflict(detail):
    return ApiError(409, "etag-mismatch", "Conflict", detail)


def unsupported_media_type(detail):
    return ApiError(415, "unsupported-media-type", "Unsupported Media Type", detail)


def parse_json(data):
    """Strict JSON: UTF-8 only, no NaN/Infinity, no absurd nesting."""

    def reject_constant(name):
        raise ValueError(f"{name} is not valid JSON")

    try:
        text = data.decode("utf-8")
        return json.loads(text, parse_constant=reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise bad_request(f"Malformed JSON body: {exc}", "malformed-json") from None


def precondition_failed(detail):
    return ApiError(412, "precondition-failed", "Precondition Failed", detail)


def in_use(target, referrers):
    """409 for a DELETE of an object that others still refer to; the detail names them."""
    return ApiError(409, "in-use", "Conflict",
                    f"{target} is still referred to by {', '.join(referrers)}; "
                    "change or delete those first")


def method_not_allowed(method, what, allowed):
    return ApiError(405, "method-not-allowed", "Method Not Allowed",
                    f"{method} is not allowed on {what}", {"Allow": ", ".join(allowed)})

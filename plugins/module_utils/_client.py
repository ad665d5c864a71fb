# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""HTTP for the Offer Library: one keep-alive requests.Session, gateway headers, retries, errors.

FOR INTERNAL COLLECTION USE ONLY.

Retries use urllib3's Retry and are blind only where repeating is safe: GET, and PATCH/PUT/DELETE,
which this collection always sends with If-Match (a repeated write then meets 409, never a double
apply). POST is never repeated here; the engine decides, after looking the object up.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import uuid

try:
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - reported by the module through missing_required_lib
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = exc
    Retry = object

from ansible_collections.aep.offers.plugins.module_utils._auth import TOKEN_PATH
from ansible_collections.aep.offers.plugins.module_utils._neterrors import no_answer_reason

RETRY_STATUSES = (429, 500, 502, 503, 504)
GONE_STATUSES = (404, 410)
# "Someone else wrote since you read": 412 answers a stale If-Match (dps); xcore answers 409.
CONFLICT_STATUSES = (409, 412)
SAFE_TO_REPEAT = frozenset(['GET', 'PATCH', 'PUT', 'DELETE'])


class ApiError(Exception):
    """An HTTP answer that is an error, or no answer at all (``status`` is None)."""

    def __init__(self, method, path, status=None, title=None, detail=None, error_code=None, request_id=None, reason=None,
                 retry_after=None):
        self.method = method
        self.retry_after = retry_after
        self.path = path
        self.status = status
        self.title = title
        self.detail = detail
        self.error_code = error_code
        self.request_id = request_id
        self.reason = reason
        super(ApiError, self).__init__(self.message)

    @property
    def answered(self):
        return self.status is not None

    @property
    def gone(self):
        """The object is not there (any more)."""
        return self.status in GONE_STATUSES

    @property
    def conflict(self):
        """Someone else wrote since we read (or the API refuses the write for the object's state): read again, plan again."""
        return self.status in CONFLICT_STATUSES

    @property
    def retryable(self):
        """Nothing answered, or the answer says "try again later" (``retry_after`` says when, if it does)."""
        return not self.answered or self.status in RETRY_STATUSES

    @property
    def message(self):
        if not self.answered:
            return '%s %s got no answer: %s' % (self.method, self.path, self.reason)
        parts = []
        for word in (self.title, self.detail):
            if word and word not in parts:
                parts.append(str(word))
        text = ': '.join(parts) or self.reason or 'error'
        code = ' (error_code %s)' % self.error_code if self.error_code else ''
        rid = ' [x-request-id %s]' % self.request_id if self.request_id else ''
        return '%s %s answered HTTP %s%s: %s%s' % (self.method, self.path, self.status, code, text, rid)

    def as_dict(self):
        return dict((k, v) for k, v in (
            ('status', self.status), ('method', self.method), ('path', self.path), ('title', self.title),
            ('detail', self.detail), ('error_code', self.error_code), ('request_id', self.request_id)) if v is not None)

    @classmethod
    def from_response(cls, method, path, response):
        try:
            body = response.json()
        except ValueError:
            body = None
        body = body if isinstance(body, dict) else {}
        return cls(method, path, status=response.status_code,
                   title=body.get('title') or body.get('error'),
                   detail=body.get('detail') or body.get('message') or body.get('error_description'),
                   error_code=body.get('error_code'),
                   request_id=response.headers.get('x-request-id'),
                   reason=response.reason,
                   retry_after=_seconds(response.headers.get('Retry-After')))


class CheckModeWrite(Exception):
    """A write was attempted in check mode: a bug, stopped here so no write can leak."""


class CountingRetry(Retry):
    """urllib3 Retry that reports each retry, so modules can warn and count them."""

    def __init__(self, *args, **kwargs):
        self._on_retry = kwargs.pop('on_retry', None)
        super(CountingRetry, self).__init__(*args, **kwargs)

    def new(self, **kwargs):
        kwargs['on_retry'] = self._on_retry
        return super(CountingRetry, self).new(**kwargs)

    def increment(self, method=None, url=None, response=None, error=None, _pool=None, _stacktrace=None):
        # The last failed attempt also comes here, and raises: only a retry that will happen is reported.
        retry = super(CountingRetry, self).increment(method, url, response, error, _pool, _stacktrace)
        if self._on_retry is not None:
            self._on_retry(method, url, response.status if response is not None else error)
        return retry


def make_session(retries, backoff_factor=0.5, on_retry=None, ims_url=None):
    """A Session whose API calls retry only safe methods; the token endpoint may retry its POST (it is harmless)."""
    # other=0: a failed TLS handshake (a certificate we do not trust) will not succeed by trying again.
    common = dict(total=retries, connect=retries, read=retries, status=retries, other=0, backoff_factor=backoff_factor,
                  status_forcelist=RETRY_STATUSES, raise_on_status=False, respect_retry_after_header=True,
                  backoff_max=30, on_retry=on_retry)
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=CountingRetry(allowed_methods=SAFE_TO_REPEAT, **common))
    session.mount('https://', adapter)
    session.mount('http://', adapter)
    if ims_url:
        # The longest mounted prefix wins, so this holds even when IMS and the API share a host.
        session.mount(ims_url.rstrip('/') + TOKEN_PATH, HTTPAdapter(max_retries=CountingRetry(allowed_methods=None, **common)))
    return session


class Client:
    """Sends API calls with the gateway headers; refreshes a refused token once; turns errors into ApiError."""

    def __init__(self, session, base_url, tokens, client_id, org_id, sandbox, timeout=30, verify=True, check_mode=False):
        self.session = session
        self.base_url = base_url.rstrip('/')
        self.tokens = tokens
        self.client_id = client_id
        self.org_id = org_id
        self.sandbox = sandbox
        self.timeout = timeout
        self.verify = verify
        self.check_mode = check_mode

    def _headers(self, extra, request_id, token):
        headers = {
            'Authorization': 'Bearer ' + token,
            'x-api-key': self.client_id,
            'x-gw-ims-org-id': self.org_id,
            'x-sandbox-name': self.sandbox,
            'x-request-id': request_id,
        }
        headers.update(extra or {})
        return headers

    def request(self, method, path, params=None, body=None, headers=None, expect=(200,)):
        """Returns the response for an expected status; raises ApiError otherwise, or when nothing answered."""
        if method != 'GET' and self.check_mode:
            raise CheckModeWrite('%s %s attempted in check mode' % (method, path))
        data = None
        if body is not None:
            data = body if isinstance(body, (bytes, str)) else _dumps(body)
        request_id = str(uuid.uuid4())
        for attempt in (1, 2):
            token = self.tokens.token()
            try:
                response = self.session.request(method, self.base_url + path, params=params, data=data, timeout=self.timeout,
                                                headers=self._headers(headers, request_id, token), verify=self.verify)
            except requests.exceptions.RequestException as exc:
                # Refused, unknown host, timed out, TLS: said in words, with the host (_neterrors).
                raise ApiError(method, path, reason=no_answer_reason(exc, self.base_url + path, self.timeout),
                               request_id=request_id)
            # A refused token is dropped and replaced once; a token the user passed cannot be.
            if response.status_code == 401 and attempt == 1 and self.tokens.invalidate(token):
                continue
            break
        if response.status_code in expect:
            return response
        error = ApiError.from_response(method, path, response)
        error.request_id = error.request_id or request_id
        if response.status_code == 401 and not self.tokens.refreshable:
            error.detail = '%s (the access_token option was refused: it is expired or not for this client; get a new one)' % (
                error.detail or 'unauthorized')
        raise error


def _dumps(body):
    return json.dumps(body, separators=(',', ':'))


def _seconds(value):
    try:
        return max(0.0, float(value))
    except (TypeError, ValueError):
        return None

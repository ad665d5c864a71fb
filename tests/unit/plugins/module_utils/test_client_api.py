# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""HTTP client, retries and the xcore API flavour (``_client``, ``_api``), against a local HTTP server."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import socket
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest

from ansible_collections.aep.offers.plugins.module_utils._api import Record
from ansible_collections.aep.offers.plugins.module_utils._auth import AuthError, TokenSource
from ansible_collections.aep.offers.plugins.module_utils._client import ApiError, CheckModeWrite, Client, make_session
from ansible_collections.aep.offers.plugins.module_utils._xcore import KINDS, XcoreApi

OFFER, PLACEMENT = KINDS['offer'], KINDS['placement']

SCHEMA = OFFER.schema
TOKEN = 'tok-Very-Secret-123'


class Answer:
    def __init__(self, status=200, body=None, headers=None):
        self.status = status
        self.body = body
        self.headers = headers or {}


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        pass

    def _handle(self):
        length = int(self.headers.get('Content-Length') or 0)
        raw = self.rfile.read(length) if length else b''
        parts = urlsplit(self.path)
        seen = dict(method=self.command, path=parts.path, query=parse_qsl(parts.query, keep_blank_values=True),
                    headers=dict((k.lower(), v) for k, v in self.headers.items()), body=raw.decode('utf-8'))
        self.server.seen.append(seen)
        answer = self.server.respond(seen)
        data = b'' if answer.body is None else (answer.body if isinstance(answer.body, bytes) else json.dumps(answer.body).encode())
        self.send_response(answer.status)
        for key, value in answer.headers.items():
            self.send_header(key, value)
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _handle


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super(Server, self).__init__(('127.0.0.1', 0), Handler)
        self.seen = []
        self.answers = []
        self.default = Answer(200, {})

    def handle_error(self, request, client_address):
        # A client that gave up (the timeout tests) leaves the handler writing to a closed socket: no traceback.
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super(Server, self).handle_error(request, client_address)

    def respond(self, seen):
        if callable(self.default) and not self.answers:
            return self.default(seen)
        return self.answers.pop(0) if self.answers else self.default

    @property
    def url(self):
        return 'http://127.0.0.1:%d' % self.server_address[1]


@pytest.fixture
def server():
    httpd = Server()
    thread = threading.Thread(target=httpd.serve_forever, kwargs=dict(poll_interval=0.05))
    thread.daemon = True
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


class Tokens:
    """A token source: gives tokens in turn, one more after each invalidate."""

    def __init__(self, *values, **kwargs):
        self.values = list(values) or [TOKEN]
        self.refreshable = kwargs.get('refreshable', True)
        self.invalidated = 0

    def token(self):
        return self.values[0]

    def invalidate(self, refused=None):
        if not self.refreshable:
            return False
        self.invalidated += 1
        if len(self.values) > 1:
            self.values.pop(0)
        return True


def make_client(server_, tokens=None, retries=0, check_mode=False, on_retry=None, timeout=5):
    session = make_session(retries, backoff_factor=0, on_retry=on_retry)
    return Client(session, server_.url + '/', tokens or Tokens(), 'client-1', 'ORG@AdobeOrg', 'dev-sandbox',
                  timeout=timeout, check_mode=check_mode)


def make_api(server_, **kwargs):
    return XcoreApi(make_client(server_, **kwargs), container_id='cont-1')


INSTANCES = '/data/core/xcore/cont-1/instances'
RECEIPT = {'instanceId': 'iid-1', '@id': 'xcore:personalized-offer:1', 'repo:etag': 4,
           'repo:lastModifiedDate': '2026-01-01T00:00:00Z'}


def document(iid, name, etag=1, schema=SCHEMA):
    return {'instanceId': iid, 'schemas': [schema], 'repo:etag': etag,
            '_instance': {'@id': 'xcore:personalized-offer:' + iid, 'xdm:name': name}}


# Headers and content types ----------------------------------------------------------------------

def common_headers(seen):
    headers = seen['headers']
    assert headers['authorization'] == 'Bearer ' + TOKEN
    assert headers['x-api-key'] == 'client-1'
    assert headers['x-gw-ims-org-id'] == 'ORG@AdobeOrg'
    assert headers['x-sandbox-name'] == 'dev-sandbox'
    assert uuid.UUID(headers['x-request-id'])
    return headers


def test_create_sends_documented_headers_and_bare_instance(server):
    server.answers = [Answer(201, RECEIPT, {'Location': INSTANCES + '/iid-1'})]
    receipt = make_api(server).create(OFFER, {'xdm:name': 'Sale', 'xdm:status': 'draft'})
    assert (receipt.instance_id, receipt.at_id, receipt.etag) == ('iid-1', 'xcore:personalized-offer:1', 4)
    [seen] = server.seen
    assert (seen['method'], seen['path']) == ('POST', INSTANCES)
    headers = common_headers(seen)
    assert headers['content-type'] == 'application/schema-instance+json; version=1; schema="%s"' % SCHEMA
    assert headers['accept'] == 'application/vnd.adobe.platform.xcore.xdm.receipt+json; version=1'
    assert json.loads(seen['body']) == {'xdm:name': 'Sale', 'xdm:status': 'draft'}


def test_patch_sends_envelope_if_match_and_patch_type(server):
    server.answers = [Answer(200, dict(RECEIPT, **{'repo:etag': 8}))]
    record = Record('iid-1', 'xcore:personalized-offer:1', 7, {})
    ops = [{'op': 'add', 'path': '/xdm:representations/-', 'value': {'xdm:placement': 'xcore:offer-placement:1'}},
           {'op': 'remove', 'path': '/xdm:tags/0'}]
    receipt = make_api(server).patch(OFFER, record, ops)
    assert receipt.etag == 8
    [seen] = server.seen
    assert (seen['method'], seen['path']) == ('PATCH', INSTANCES + '/iid-1')
    headers = common_headers(seen)
    assert headers['content-type'] == 'application/vnd.adobe.platform.xcore.patch.hal+json; version=1; schema="%s"' % SCHEMA
    assert headers['if-match'] == '7'
    assert json.loads(seen['body']) == [
        {'op': 'add', 'path': '/_instance/xdm:representations/-', 'value': {'xdm:placement': 'xcore:offer-placement:1'}},
        {'op': 'remove', 'path': '/_instance/xdm:tags/0'}]


@pytest.mark.parametrize('status', [200, 202, 204])
def test_delete_sends_if_match(server, status):
    server.answers = [Answer(status)]
    make_api(server).delete(OFFER, Record('iid-1', None, 12, {}))
    [seen] = server.seen
    assert (seen['method'], seen['path'], seen['body']) == ('DELETE', INSTANCES + '/iid-1', '')
    assert common_headers(seen)['if-match'] == '12'


def test_get_reads_record_with_hal_accept(server):
    server.answers = [Answer(200, document('iid-1', 'Sale', etag=3, schema=OFFER.schema.replace('0.5', '0.9')))]
    record = make_api(server).get(OFFER, 'iid-1')
    assert (record.instance_id, record.at_id, record.etag, record.body['xdm:name']) == (
        'iid-1', 'xcore:personalized-offer:iid-1', 3, 'Sale')
    [seen] = server.seen
    assert (seen['method'], seen['path']) == ('GET', INSTANCES + '/iid-1')
    assert common_headers(seen)['accept'] == '*,application/vnd.adobe.platform.xcore.hal+json; schema="%s"' % SCHEMA


def test_get_missing_or_other_kind_is_none(server):
    server.answers = [Answer(404, {'title': 'Not Found', 'status': 404}), Answer(200, document('iid-2', 'Web', schema=PLACEMENT.schema))]
    api = make_api(server)
    assert api.get(OFFER, 'iid-1') is None
    assert api.get(OFFER, 'iid-2') is None


def test_get_other_error_raises(server):
    server.answers = [Answer(500, {'title': 'Internal'})]
    with pytest.raises(ApiError) as info:
        make_api(server).get(OFFER, 'iid-1')
    assert info.value.status == 500


# Token refresh ----------------------------------------------------------------------------------

def test_401_invalidates_token_and_retries_once(server):
    server.default = lambda seen: (Answer(200, document('iid-1', 'Sale')) if seen['headers']['authorization'] == 'Bearer fresh'
                                   else Answer(401, {'error_code': '401013', 'message': 'Oauth token is not valid'}))
    tokens = Tokens('stale', 'fresh')
    record = make_api(server, tokens=tokens).get(OFFER, 'iid-1')
    assert record.instance_id == 'iid-1'
    assert tokens.invalidated == 1
    assert [s['headers']['authorization'] for s in server.seen] == ['Bearer stale', 'Bearer fresh']


def test_401_twice_is_an_error_after_one_retry(server):
    server.default = Answer(401, {'error_code': '401013', 'message': 'Oauth token is not valid'})
    tokens = Tokens('one', 'two', 'three')
    with pytest.raises(ApiError) as info:
        make_api(server, tokens=tokens).create(OFFER, {'xdm:name': 'x'})
    assert info.value.status == 401 and info.value.error_code == '401013'
    assert len(server.seen) == 2 and tokens.invalidated == 1


def test_401_with_static_token_is_not_retried(server):
    server.default = Answer(401, {'error_code': '401013', 'message': 'Oauth token is not valid'})
    tokens = Tokens('given', refreshable=False)
    with pytest.raises(ApiError):
        make_api(server, tokens=tokens).get(OFFER, 'iid-1')
    assert len(server.seen) == 1


def test_401_refetches_from_ims(server, tmp_path):
    """With the real TokenSource: the refused token is dropped and IMS is asked again."""
    tokens_given = iter(['ims-1', 'ims-2'])

    def respond(seen):
        if seen['path'] == '/ims/token/v3':
            return Answer(200, {'access_token': next(tokens_given), 'expires_in': 3600})
        if seen['headers']['authorization'] == 'Bearer ims-2':
            return Answer(200, document('iid-1', 'Sale'))
        return Answer(401, {'error_code': '401013', 'message': 'Oauth token is not valid'})

    server.default = respond
    session = make_session(0, ims_url=server.url)
    from ansible_collections.aep.offers.plugins.module_utils._auth import TokenCache  # pylint: disable=import-outside-toplevel
    cache = TokenCache(str(tmp_path))
    tokens = TokenSource(session, server.url, 'client-1', client_secret='secret-xyz', cache=cache)
    client = Client(session, server.url, tokens, 'client-1', 'ORG', 'prod')
    assert XcoreApi(client, 'cont-1').get(OFFER, 'iid-1').instance_id == 'iid-1'
    assert [s['path'] for s in server.seen] == ['/ims/token/v3', INSTANCES + '/iid-1', '/ims/token/v3', INSTANCES + '/iid-1']
    assert server.seen[0]['headers']['content-type'] == 'application/x-www-form-urlencoded'
    assert dict(parse_qsl(server.seen[0]['body']))['client_secret'] == 'secret-xyz'
    assert tokens.fetched == 2
    assert [json.loads(p.read_text())['access_token'] for p in tmp_path.iterdir()] == ['ims-2']


# Errors -----------------------------------------------------------------------------------------

def test_problem_document_error_message(server):
    server.answers = [Answer(400, {'type': 'https://ns.adobe.com/errors/validation', 'title': 'Invalid offer', 'status': 400,
                                   'detail': 'xdm:representations is required'}, {'x-request-id': 'req-77'})]
    with pytest.raises(ApiError) as info:
        make_api(server).create(OFFER, {'xdm:name': 'x'})
    error = info.value
    assert (error.status, error.title, error.detail, error.request_id, error.method) == (
        400, 'Invalid offer', 'xdm:representations is required', 'req-77', 'POST')
    message = str(error)
    for word in ('POST', INSTANCES, 'HTTP 400', 'Invalid offer', 'xdm:representations is required', 'req-77'):
        assert word in message
    assert TOKEN not in message and TOKEN not in json.dumps(error.as_dict())
    assert error.as_dict() == {'status': 400, 'method': 'POST', 'path': INSTANCES, 'title': 'Invalid offer',
                               'detail': 'xdm:representations is required', 'request_id': 'req-77'}


def test_gateway_error_message(server):
    server.answers = [Answer(403, {'error_code': '403003', 'message': 'Api Key is invalid'})]
    with pytest.raises(ApiError) as info:
        make_api(server).get(OFFER, 'iid-1')
    message = str(info.value)
    assert 'GET %s/iid-1 answered HTTP 403' % INSTANCES in message
    assert '403003' in message and 'Api Key is invalid' in message
    assert TOKEN not in message


def test_error_without_json_body_uses_reason(server):
    server.answers = [Answer(502, b'<html>oops</html>')]
    with pytest.raises(ApiError) as info:
        make_api(server).patch(OFFER, Record('iid-1', None, 1, {}), [])
    assert info.value.status == 502
    assert 'HTTP 502' in str(info.value) and 'Bad Gateway' in str(info.value)


def test_no_answer_is_api_error_without_status():
    probe = socket.socket()
    probe.bind(('127.0.0.1', 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there now
    client = Client(make_session(0), 'http://127.0.0.1:%d' % port, Tokens(), 'c', 'o', 's', timeout=2)
    with pytest.raises(ApiError) as info:
        client.request('POST', '/data/core/xcore/c/instances', body={'a': 1})
    assert info.value.status is None and not info.value.answered
    assert str(info.value).startswith('POST /data/core/xcore/c/instances got no answer: ')
    assert TOKEN not in str(info.value)


def test_timeout_is_api_error(server):
    def slow(seen):
        time.sleep(1.0)
        return Answer(200, {})
    server.default = slow
    client = make_client(server, timeout=0.2)
    with pytest.raises(ApiError) as info:
        client.request('GET', '/x')
    assert info.value.status is None
    assert str(info.value).startswith('GET /x got no answer: %s timed out after 0.2s' % server.url)


def test_timeout_after_retries_says_each_attempt(server):
    def slow(seen):
        time.sleep(0.6)
        return Answer(200, {})
    server.default = slow
    with pytest.raises(ApiError) as info:
        make_client(server, timeout=0.2, retries=1).request('GET', '/x')
    assert str(info.value) == 'GET /x got no answer: %s timed out after 0.2s (each attempt)' % server.url


def closed_port():
    probe = socket.socket()
    probe.bind(('127.0.0.1', 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there now
    return port


@pytest.mark.parametrize('retries', [0, 2])
def test_refused_connection_is_not_called_a_timeout(retries):
    """urllib3 2.x's NewConnectionError subclasses ConnectTimeoutError: a refusal must still be called one."""
    url = 'http://127.0.0.1:%d' % closed_port()
    client = Client(make_session(retries, backoff_factor=0), url, Tokens(), 'c', 'o', 's', timeout=30)
    with pytest.raises(ApiError) as info:
        client.request('GET', '/data/core/xcore/')
    assert str(info.value) == 'GET /data/core/xcore/ got no answer: cannot connect to %s: connection refused' % url
    assert 'timed out' not in str(info.value)


@pytest.fixture
def unknown_host(monkeypatch):
    """Name resolution that knows no ``*.invalid`` host, so no DNS server is ever asked."""
    asked = []
    real = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        asked.append(host)
        if str(host).endswith('.invalid'):
            raise socket.gaierror(socket.EAI_NONAME, 'Name or service not known')
        return real(host, *args, **kwargs)
    monkeypatch.setattr(socket, 'getaddrinfo', getaddrinfo)
    return asked


@pytest.mark.parametrize('retries', [0, 2])
def test_unknown_host_is_named(unknown_host, retries):
    client = Client(make_session(retries, backoff_factor=0), 'https://example.invalid', Tokens(), 'c', 'o', 's', timeout=30)
    with pytest.raises(ApiError) as info:
        client.request('GET', '/data/core/xcore/')
    assert str(info.value) == 'GET /data/core/xcore/ got no answer: cannot resolve host example.invalid'
    assert set(unknown_host) == {'example.invalid'}


def test_ims_refused_connection_and_unknown_host_are_named(unknown_host):
    url = 'http://127.0.0.1:%d' % closed_port()
    with pytest.raises(AuthError) as info:
        TokenSource(make_session(1, backoff_factor=0), url, 'c', client_secret='s3cr3t').token()
    assert str(info.value) == 'POST %s/ims/token/v3 got no answer: cannot connect to %s: connection refused' % (url, url)
    with pytest.raises(AuthError) as info:
        TokenSource(make_session(1, backoff_factor=0), 'https://ims.example.invalid', 'c', client_secret='s3cr3t').token()
    assert str(info.value) == 'POST https://ims.example.invalid/ims/token/v3 got no answer: cannot resolve host ims.example.invalid'
    assert 's3cr3t' not in str(info.value)


@pytest.mark.parametrize('status', [429, 500, 503])
def test_ims_unavailable_is_not_called_refused_credentials(server, status):
    server.default = Answer(status, {'error': 'server_error'})
    session = make_session(2, backoff_factor=0, ims_url=server.url)
    with pytest.raises(AuthError) as info:
        TokenSource(session, server.url, 'client-1', client_secret='s3cr3t').token()
    message = str(info.value)
    assert message.startswith('IMS at %s/ims/token/v3 is unavailable' % server.url) and 'HTTP %d' % status in message
    assert 'refused the credentials' not in message and 's3cr3t' not in message
    assert len(server.seen) == 3  # retried like any transient answer before it gives up


@pytest.mark.parametrize('status', [400, 401])
def test_ims_400_and_401_are_refused_credentials(server, status):
    server.default = Answer(status, {'error': 'invalid_client'})
    with pytest.raises(AuthError) as info:
        TokenSource(make_session(2, backoff_factor=0, ims_url=server.url), server.url, 'client-1', client_secret='s3cr3t').token()
    assert 'refused the credentials (check client_id client-1 and client_secret): HTTP %d invalid_client' % status in str(info.value)
    assert len(server.seen) == 1


def test_unexpected_success_status_is_an_error(server):
    server.answers = [Answer(204)]
    with pytest.raises(ApiError) as info:
        make_client(server).request('GET', '/x')
    assert info.value.status == 204


# Retries ----------------------------------------------------------------------------------------

def test_get_retried_on_503_honouring_retry_after(server):
    server.answers = [Answer(503, {'title': 'busy'}, {'Retry-After': '1'}), Answer(200, document('iid-1', 'Sale'))]
    retries = []
    api = make_api(server, retries=3, on_retry=lambda *args: retries.append(args))
    started = time.monotonic()
    assert api.get(OFFER, 'iid-1').instance_id == 'iid-1'
    assert time.monotonic() - started >= 0.95
    assert len(server.seen) == 2
    assert len(retries) == 1 and retries[0][0] == 'GET' and retries[0][2] == 503


@pytest.mark.parametrize('status', [429, 500, 502, 504])
def test_get_retried_on_transient_statuses(server, status):
    server.answers = [Answer(status, {}), Answer(status, {}), Answer(200, document('iid-1', 'Sale'))]
    assert make_api(server, retries=2).get(OFFER, 'iid-1').instance_id == 'iid-1'
    assert len(server.seen) == 3


def test_get_gives_up_after_retries(server):
    server.default = Answer(503, {'title': 'Service Unavailable'})
    with pytest.raises(ApiError) as info:
        make_api(server, retries=2).get(OFFER, 'iid-1')
    assert info.value.status == 503
    assert len(server.seen) == 3


def test_post_is_never_retried(server):
    server.default = Answer(503, {'title': 'Service Unavailable'}, {'Retry-After': '0'})
    with pytest.raises(ApiError) as info:
        make_api(server, retries=3).create(OFFER, {'xdm:name': 'x'})
    assert info.value.status == 503 and info.value.retry_after == 0.0
    assert len(server.seen) == 1


def test_patch_with_if_match_is_retried(server):
    server.answers = [Answer(502, {}), Answer(200, RECEIPT)]
    make_api(server, retries=1).patch(OFFER, Record('iid-1', None, 1, {}), [{'op': 'remove', 'path': '/a'}])
    assert [s['method'] for s in server.seen] == ['PATCH', 'PATCH']
    assert all(s['headers']['if-match'] == '1' for s in server.seen)


def test_4xx_not_retried(server):
    server.default = Answer(409, {'title': 'Conflict'})
    with pytest.raises(ApiError):
        make_api(server, retries=3).patch(OFFER, Record('iid-1', None, 1, {}), [])
    assert len(server.seen) == 1


def test_ims_token_post_is_retried(server):
    server.answers = [Answer(503, {}), Answer(200, {'access_token': 'ims-tok', 'expires_in': 60})]
    tokens = TokenSource(make_session(2, backoff_factor=0, ims_url=server.url + '/'), server.url, 'client-1',
                         client_secret='x')
    assert tokens.token() == 'ims-tok'
    assert len(server.seen) == 2


@pytest.mark.parametrize('allowed', [0, 2])
def test_on_retry_counts_only_retries_that_happen(server, allowed):
    """Found by this test (see the report): the hook also fires for the attempt that is not repeated."""
    server.default = Answer(503, {})
    retries = []
    with pytest.raises(ApiError):
        make_api(server, retries=allowed, on_retry=lambda *args: retries.append(args)).get(OFFER, 'iid-1')
    assert len(server.seen) == allowed + 1
    assert len(retries) == len(server.seen) - 1


# Check mode -------------------------------------------------------------------------------------

@pytest.mark.parametrize('method', ['POST', 'PATCH', 'PUT', 'DELETE'])
def test_check_mode_refuses_writes(server, method):
    client = make_client(server, check_mode=True)
    with pytest.raises(CheckModeWrite):
        client.request(method, '/x', body=[])
    assert server.seen == []


def test_check_mode_allows_reads(server):
    server.answers = [Answer(200, document('iid-1', 'Sale'))]
    api = make_api(server, check_mode=True)
    assert api.get(OFFER, 'iid-1').instance_id == 'iid-1'
    with pytest.raises(CheckModeWrite):
        api.create(OFFER, {'xdm:name': 'x'})
    with pytest.raises(CheckModeWrite):
        api.delete(OFFER, Record('iid-1', None, 1, {}))
    assert len(server.seen) == 1


# Lists and containers ---------------------------------------------------------------------------

def page(docs, next_href=None):
    result = {'containerId': 'cont-1', '_embedded': {'results': docs, 'total': 5, 'count': len(docs)}, '_links': {'self': {}}}
    if next_href:
        result['_links']['next'] = {'href': next_href}
    return result


def test_list_follows_next_links(server):
    server.answers = [
        Answer(200, page([document('a', 'A'), document('b', 'B')], 'https://platform.example/data/core/xcore/cont-1/instances?start=b&limit=2')),
        Answer(200, page([document('c', 'C'), document('d', 'D')], '/cont-1/instances?start=d&limit=2&schema=x')),
        Answer(200, page([document('e', 'E')])),
    ]
    records = list(make_api(server).list(OFFER, name='Sale', properties=['_instance.xdm:status==approved'], order_by='-xdm:name'))
    assert [r.instance_id for r in records] == ['a', 'b', 'c', 'd', 'e']
    assert [s['path'] for s in server.seen] == [INSTANCES] * 3
    first = server.seen[0]
    assert first['query'] == [('schema', SCHEMA), ('limit', '100'), ('name', 'Sale'),
                              ('property', '_instance.xdm:status==approved'), ('orderby', '-xdm:name')]
    assert first['headers']['accept'] == 'application/vnd.adobe.platform.xcore.hal+json; schema="https://ns.adobe.com/experience/xcore/hal/results"'
    assert server.seen[1]['query'] == [('start', 'b'), ('limit', '2')]
    assert server.seen[2]['query'] == [('start', 'd'), ('limit', '2'), ('schema', 'x')]


def test_list_by_id_and_limit_stops_early(server):
    server.answers = [Answer(200, page([document('a', 'A'), document('b', 'B')], '/cont-1/instances?start=b'))]
    records = list(make_api(server).list(OFFER, at_id='xcore:personalized-offer:a', limit=1))
    assert [r.instance_id for r in records] == ['a']
    assert len(server.seen) == 1
    assert ('id', 'xcore:personalized-offer:a') in server.seen[0]['query'] and ('limit', '1') in server.seen[0]['query']


def test_list_empty(server):
    server.answers = [Answer(200, {'_embedded': {'results': [], 'total': 0, 'count': 0}, '_links': {}})]
    assert not list(make_api(server).list(OFFER))


def test_discover_and_use_container(server):
    container = {'instanceId': 'cont-9', 'productContexts': ['acp'],
                 '_instance': {'containerType': 'decisioning', 'repo:name': 'dev', 'parentName': 'dev-sandbox'}}
    other = dict(container, instanceId='cont-8', _instance=dict(container['_instance'], parentName='prod'))
    server.answers = [Answer(200, {'_embedded': {'https://ns.adobe.com/experience/xcore/container': [other, container]}})]
    api = XcoreApi(make_client(server))
    assert api.use_container('dev-sandbox') == 'cont-9'
    assert api.container_id == 'cont-9'
    [seen] = server.seen
    assert seen['path'] == '/data/core/xcore/'
    assert seen['query'] == [('product', 'acp'), ('property', '_instance.containerType==decisioning')]


def test_use_container_none_found(server):
    server.answers = [Answer(200, {'_embedded': {}})]
    with pytest.raises(LookupError, match='dev-sandbox'):
        XcoreApi(make_client(server)).use_container('dev-sandbox')


def test_envelope_prefixes_instance():
    api = XcoreApi(None, 'c')
    assert api.envelope([{'op': 'remove', 'path': '/a~1b'}]) == [{'op': 'remove', 'path': '/_instance/a~1b'}]


# The dps API (``_dps.DpsApi``) -------------------------------------------------------------------

def make_dps(server_, **kwargs):
    from ansible_collections.aep.offers.plugins.module_utils._dps import DpsApi
    return DpsApi(make_client(server_, **kwargs))


def dps_kind(key):
    from ansible_collections.aep.offers.plugins.module_utils._dps import DpsApi
    return DpsApi.kinds[key]


def test_dps_list_asks_its_page_size_and_follows_relative_next_links(server):
    server.answers = [
        Answer(200, {'results': [{'id': 'dps:offer-placement:1', 'etag': 1, 'name': 'Web'}], 'count': 1, 'total': 2,
                     '_links': {'next': {'href': '/placements?orderby=-modified&limit=100&start=2026-01-01T00:00:00.000Z'}}}),
        Answer(200, {'results': [{'id': 'dps:offer-placement:2', 'etag': 3, 'name': 'Mail'}], 'count': 1, 'total': 2,
                     '_links': {'self': {'href': '/placements'}}}),
    ]
    records = list(make_dps(server).list(dps_kind('placement')))
    assert [(r.instance_id, r.at_id, r.etag) for r in records] == [
        ('dps:offer-placement:1', 'dps:offer-placement:1', 1), ('dps:offer-placement:2', 'dps:offer-placement:2', 3)]
    first, second = server.seen
    assert first['path'] == '/data/core/dps/placements' and ('limit', '100') in first['query']
    assert second['path'] == '/data/core/dps/placements'
    assert ('start', '2026-01-01T00:00:00.000Z') in second['query']


@pytest.mark.parametrize('name, filtered', [('Summer sale', True), ('Sale, 20% off', False), ('a==b', False), ('x~y', False)])
def test_dps_filters_by_name_only_when_the_filter_is_exact(server, name, filtered):
    server.answers = [Answer(200, {'results': [], 'count': 0, 'total': 0, '_links': {}})]
    list(make_dps(server).list(dps_kind('offer'), name=name))
    [seen] = server.seen
    assert ('offer-type', 'personalized') in seen['query']
    assert (('property', 'name==' + name) in seen['query']) is filtered


def test_dps_patch_and_delete_send_if_match_and_json(server):
    from ansible_collections.aep.offers.plugins.module_utils._api import Record
    server.answers = [Answer(200, {'id': 'dps:tag:1', 'etag': 3}), Answer(200, None)]
    api, kind = make_dps(server), dps_kind('collection_qualifier')
    record = Record('dps:tag:1', 'dps:tag:1', 2, {'id': 'dps:tag:1', 'etag': 2, 'name': 'a'}, {'id': 'dps:tag:1', 'etag': 2, 'name': 'a'})
    ops = [{'op': 'replace', 'path': '/name', 'value': 'b'}]
    receipt = api.patch(kind, record, ops)
    assert receipt.etag == 3
    assert api.applied(record, ops, receipt).body == {'id': 'dps:tag:1', 'etag': 3, 'name': 'b'}
    api.delete(kind, record)
    patch, delete = server.seen
    assert patch['method'] == 'PATCH' and patch['path'] == '/data/core/dps/tags/dps:tag:1'
    assert patch['headers']['content-type'] == 'application/json' and patch['headers']['if-match'] == '2'
    assert json.loads(patch['body']) == ops
    assert delete['method'] == 'DELETE' and delete['headers']['if-match'] == '2'


def test_dps_stale_etag_is_a_conflict(server):
    server.answers = [Answer(412, {'title': 'Precondition Failed', 'status': 412})]
    api = make_dps(server)
    with pytest.raises(ApiError) as info:
        api.patch(dps_kind('placement'), Record('dps:offer-placement:1', 'dps:offer-placement:1', 1, {}), [])
    assert info.value.conflict and not info.value.gone and not info.value.retryable


@pytest.mark.parametrize('value, ok', [('dps:offer-placement:19cb038eca47bead', True), ('anything-opaque', True),
                                       ('a/b', False), (' dps:x', False), ('', False)])
def test_dps_instance_ids_are_opaque_but_path_safe(value, ok):
    from ansible_collections.aep.offers.plugins.module_utils._dps import DpsApi
    from ansible_collections.aep.offers.plugins.module_utils._errors import InputError
    if ok:
        DpsApi(None).check_instance_id(value)
    else:
        with pytest.raises(InputError):
            DpsApi(None).check_instance_id(value)


# Decisioning kinds through DpsApi: PUT, families, the x-schema-id header ---------------------------

ITEM_SCHEMA = 'https://ns.adobe.com/acme/schemas/offer-items'


def test_dps_put_kinds_send_what_was_read_with_the_change_minus_server_and_built_fields(server):
    server.answers = [Answer(200, {'id': 'dps:eligibility-rule:1', 'etag': 3})]
    api, kind = make_dps(server), dps_kind('eligibility_rule')
    read = {'id': 'dps:eligibility-rule:1', 'etag': 2, 'created': 'c', 'modified': 'm', 'createdBy': 'u', 'lastModifiedBy': 'u',
            'schemas': ['s'], 'name': 'Gold', 'exdRule': True, 'condition': {'type': 'PQL', 'format': 'pql/text', 'value': 'true'},
            'segmentModel': {'lifecycleState': 'published'}}
    record = api.record(kind, read)
    ops = [{'op': 'add', 'path': '/description', 'value': 'Gold tier'}]
    assert api.patch(kind, record, ops).etag == 3
    [put] = server.seen
    assert put['method'] == 'PUT' and put['path'] == '/data/core/dps/offer-rules/dps:eligibility-rule:1'
    assert put['headers']['if-match'] == '2' and put['headers']['content-type'] == 'application/json'
    assert json.loads(put['body']) == {'name': 'Gold', 'exdRule': True, 'description': 'Gold tier',
                                       'condition': {'type': 'PQL', 'format': 'pql/text', 'value': 'true'}}
    assert api.envelope(ops) == ops  # the result still shows the difference as JSON Patch


def test_dps_creates_carry_the_family_flag(server):
    server.answers = [Answer(201, {'id': 'dps:ranking-function:1', 'etag': 1})]
    make_dps(server).create(dps_kind('ranking_formula'), {'name': 'Boost'})
    assert json.loads(server.seen[0]['body']) == {'name': 'Boost', 'exdFunction': True}


def test_dps_lists_one_family_and_drops_the_other(server):
    server.answers = [Answer(200, {'results': [{'id': 'dps:eligibility-rule:1', 'name': 'Gold', 'exdRule': True},
                                               {'id': 'dps:eligibility-rule:2', 'name': 'Gold'}], '_links': {}})] * 2
    api = make_dps(server)
    assert [r.instance_id for r in api.list(dps_kind('eligibility_rule'), name='Gold')] == ['dps:eligibility-rule:1']
    assert [r.instance_id for r in api.list(dps_kind('decision_rule'), name='Gold')] == ['dps:eligibility-rule:2']
    exd, legacy = server.seen
    assert ('property', 'exdRule==true') in exd['query'] and ('property', 'name==Gold') in exd['query']
    assert not any(value.startswith('exdRule') for key, value in legacy['query'])


def test_dps_get_by_id_does_not_trust_the_family_flag(server):
    # Adobe's lookup example shows exdRule false for a rule its list page shows with true (dps-api.md section 8):
    # an object asked for by its id is taken as it is; only lists are sorted by the flag.
    server.answers = [Answer(200, {'id': 'dps:eligibility-rule:19af09a9ae45a8d3', 'etag': 1, 'name': 'Gold', 'exdRule': False})]
    record = make_dps(server).get(dps_kind('eligibility_rule'), 'dps:eligibility-rule:19af09a9ae45a8d3')
    assert record.instance_id == 'dps:eligibility-rule:19af09a9ae45a8d3' and record.body['name'] == 'Gold'
    [seen] = server.seen
    assert seen['method'] == 'GET' and not any(key == 'property' for key, value in seen['query'])


@pytest.mark.parametrize('status', [202, 204])
def test_dps_write_answered_without_a_body_is_done_and_read_once_for_its_etag(server, status):
    server.answers = [Answer(status, None), Answer(200, {'id': 'dps:offer-placement:1', 'etag': 5, 'name': 'P'})]
    receipt = make_dps(server).patch(dps_kind('placement'), Record('dps:offer-placement:1', 'dps:offer-placement:1', 4, {}),
                                     [{'op': 'add', 'path': '/description', 'value': 'd'}])
    assert receipt.etag == 5 and receipt.instance_id == 'dps:offer-placement:1'
    assert [seen['method'] for seen in server.seen] == ['PATCH', 'GET']


def test_dps_put_answered_without_a_body_is_done(server):
    server.answers = [Answer(204, None), Answer(200, {'id': 'dps:ranking-function:1', 'etag': 3, 'name': 'F'})]
    record = Record('dps:ranking-function:1', 'dps:ranking-function:1', 2, {'name': 'F', 'exdFunction': True})
    receipt = make_dps(server).patch(dps_kind('ranking_formula'), record, [{'op': 'add', 'path': '/description', 'value': 'd'}])
    assert receipt.etag == 3
    assert [seen['method'] for seen in server.seen] == ['PUT', 'GET']


def test_dps_decision_items_carry_the_schema_header_and_filter_by_item_name(server):
    from ansible_collections.aep.offers.plugins.module_utils._dps import DpsApi
    item = {'id': 'dps:ab:1', 'etag': 1, '_experience': {'decisioning': {'decisionitem': {'itemName': 'Gold card'}}}}
    server.answers = [Answer(200, {'results': [item], '_links': {}}), Answer(200, {'id': 'dps:ab:1', 'etag': 2}),
                      Answer(201, {'id': 'dps:ab:2', 'etag': 1}), Answer(200, None)]
    api, kind = DpsApi(make_client(server), item_schemas=[ITEM_SCHEMA]), dps_kind('decision_item')
    [record] = api.list(kind, name='Gold card')
    assert record.body['x-schema-id'] == ITEM_SCHEMA and 'x-schema-id' not in record.document
    api.patch(kind, record, [{'op': 'add', 'path': '/_experience/decisioning/decisionitem/itemPriority', 'value': 1}])
    api.create(kind, {'x-schema-id': ITEM_SCHEMA, '_experience': {}})
    api.delete(kind, record)
    listed, patched, created, deleted = server.seen
    assert ('property', '_experience.decisioning.decisionitem.itemName==Gold card') in listed['query']
    assert all(seen['headers']['x-schema-id'] == ITEM_SCHEMA for seen in server.seen)
    assert json.loads(created['body']) == {'_experience': {}}  # the schema is a header, not a field
    assert patched['method'] == 'PATCH' and deleted['method'] == 'DELETE'


def test_dps_decision_items_without_a_schema_fail_naming_the_option_before_any_request(server):
    from ansible_collections.aep.offers.plugins.module_utils._errors import InputError
    with pytest.raises(InputError) as info:
        list(make_dps(server).list(dps_kind('decision_item')))
    assert info.value.option == 'schema_id' and 'AEP_ITEM_SCHEMA_ID' in str(info.value)
    assert server.seen == []


def test_dps_refuses_to_delete_decisioning_placements_without_a_request(server):
    from ansible_collections.aep.offers.plugins.module_utils._errors import InputError
    with pytest.raises(InputError, match='state'):
        make_dps(server).delete(dps_kind('decisioning_placement'), Record('dps:exd-placement:1', 'dps:exd-placement:1', 1, {}))
    assert server.seen == []

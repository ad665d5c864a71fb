# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""IMS access tokens and their owner-only cache (``_auth``)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import stat
import time
from urllib.parse import parse_qs

import pytest

from ansible_collections.aep.offers.plugins.module_utils._auth import (
    DEFAULT_SCOPES, AuthError, TokenCache, TokenSource, cache_key, reuse_margin)

SECRET = 's3cr3t-p8e-value'
IMS = 'https://ims.example'


class FakeResponse:
    def __init__(self, status, body, reason='OK'):
        self.status_code = status
        self._body = body
        self.reason = reason

    def json(self):
        if isinstance(self._body, (dict, list)):
            return self._body
        return json.loads(self._body)


class FakeSession:
    """Answers IMS token requests from a list, recording what was asked."""

    def __init__(self, *answers):
        self.answers = list(answers) or [FakeResponse(200, {'access_token': 'tok-1', 'expires_in': 86399})]
        self.calls = []

    def post(self, url, data=None, timeout=None, verify=None):
        self.calls.append(dict(url=url, data=data, timeout=timeout, verify=verify))
        return self.answers[min(len(self.calls), len(self.answers)) - 1]


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


# TokenCache -------------------------------------------------------------------------------------

def test_store_load_round_trip_and_modes(tmp_path):
    directory = tmp_path / 'fresh' / 'tokens'
    cache = TokenCache(str(directory))
    cache.store('k1', 'tok-abc', 3600, now=1000.0)
    assert cache.load('k1', now=1001.0) == 'tok-abc'
    assert cache.load('k2', now=1001.0) is None
    files = list(directory.iterdir())
    assert [p.name for p in files] == ['k1.json']  # no temporary file left behind
    assert mode(files[0]) == 0o600
    assert mode(directory) == 0o700


def test_store_replaces_previous_token(tmp_path):
    cache = TokenCache(str(tmp_path))
    cache.store('k', 'old', 3600, now=0.0)
    cache.store('k', 'new', 3600, now=0.0)
    assert cache.load('k', now=1.0) == 'new'


@pytest.mark.parametrize('bits', [0o640, 0o604, 0o620, 0o602, 0o610, 0o601])
def test_refuses_file_others_can_use(tmp_path, bits):
    warnings = []
    cache = TokenCache(str(tmp_path), warn=warnings.append)
    cache.store('k', 'tok-value-xyz', 3600, now=0.0)
    path = tmp_path / 'k.json'
    os.chmod(str(path), bits)
    assert cache.load('k', now=1.0) is None
    assert len(warnings) == 1 and str(path) in warnings[0]
    assert 'tok-value-xyz' not in warnings[0]
    os.chmod(str(path), 0o600)
    assert cache.load('k', now=1.0) == 'tok-value-xyz'


def test_corrupt_file_is_a_miss(tmp_path):
    cache = TokenCache(str(tmp_path))
    path = tmp_path / 'k.json'
    for text in ('not json', '{}', '{"access_token": "t", "refresh_at": "soon"}', '[]'):
        path.write_text(text)
        os.chmod(str(path), 0o600)
        assert cache.load('k', now=0.0) is None


@pytest.mark.parametrize('expires_in, margin', [(86399, 300.0), (3600, 300.0), (600, 60.0), (60, 6.0), (5, 1.0)])
def test_expiry_margin(tmp_path, expires_in, margin):
    assert reuse_margin(expires_in) == margin
    cache = TokenCache(str(tmp_path))
    cache.store('k', 'tok', expires_in, now=1000.0)
    deadline = 1000.0 + expires_in - margin
    assert cache.load('k', now=deadline - 0.5) == 'tok'
    assert cache.load('k', now=deadline) is None
    assert cache.load('k', now=1000.0 + expires_in + 1) is None


def test_load_uses_the_clock(tmp_path):
    cache = TokenCache(str(tmp_path))
    cache.store('fresh', 'tok', 3600)
    cache.store('stale', 'tok', 3600, now=time.time() - 3600)
    assert cache.load('fresh') == 'tok'
    assert cache.load('stale') is None


def test_drop(tmp_path):
    cache = TokenCache(str(tmp_path))
    cache.store('k', 'tok', 3600, now=0.0)
    cache.drop('k')
    assert not (tmp_path / 'k.json').exists()
    cache.drop('k')  # dropping twice is fine


def test_cache_key_depends_on_every_part():
    base = cache_key(IMS, 'client', ['a', 'b'], SECRET)
    assert base == cache_key(IMS + '/', 'client', ['b', 'a'], SECRET)
    assert base != cache_key(IMS, 'client', ['a', 'b'], SECRET + 'x')
    assert base != cache_key(IMS, 'client2', ['a', 'b'], SECRET)
    assert base != cache_key(IMS, 'client', ['a'], SECRET)
    assert base != cache_key('https://ims2.example', 'client', ['a', 'b'], SECRET)
    assert SECRET not in base


# TokenSource ------------------------------------------------------------------------------------

def source(session, tmp_path=None, **kwargs):
    cache = TokenCache(str(tmp_path)) if tmp_path is not None else None
    kwargs.setdefault('client_secret', SECRET)
    return TokenSource(session, IMS + '/', 'client-1', cache=cache, **kwargs)


def test_one_fetch_serves_many_calls(tmp_path):
    session = FakeSession()
    tokens = source(session, tmp_path, timeout=7, verify='/ca.pem')
    assert [tokens.token() for dummy in range(5)] == ['tok-1'] * 5
    assert tokens.fetched == 1 and len(session.calls) == 1
    call = session.calls[0]
    assert call['url'] == IMS + '/ims/token/v3'
    assert call['timeout'] == 7 and call['verify'] == '/ca.pem'
    assert call['data'] == {'grant_type': 'client_credentials', 'client_id': 'client-1', 'client_secret': SECRET,
                            'scope': ','.join(DEFAULT_SCOPES)}
    # The token is cached, owner-only.
    files = list(tmp_path.iterdir())
    assert len(files) == 1 and mode(files[0]) == 0o600
    assert json.loads(files[0].read_text())['access_token'] == 'tok-1'
    assert SECRET not in files[0].read_text()


def test_form_is_url_encodable_with_custom_scopes():
    session = FakeSession()
    source(session, scopes=['openid', 'AdobeID']).token()
    assert parse_qs('scope=' + session.calls[0]['data']['scope'])['scope'] == ['openid,AdobeID']


def test_cache_hit_makes_no_fetch(tmp_path):
    source(FakeSession(), tmp_path).token()
    session = FakeSession(FakeResponse(200, {'access_token': 'tok-2', 'expires_in': 100}))
    tokens = source(session, tmp_path)
    assert tokens.token() == 'tok-1'
    assert session.calls == [] and tokens.fetched == 0


def test_different_secret_does_not_reuse_cached_token(tmp_path):
    source(FakeSession(), tmp_path).token()
    session = FakeSession(FakeResponse(200, {'access_token': 'tok-2', 'expires_in': 100}))
    assert source(session, tmp_path, client_secret='another').token() == 'tok-2'
    assert len(session.calls) == 1


def test_invalidate_drops_file_and_fetches_again(tmp_path):
    session = FakeSession(FakeResponse(200, {'access_token': 'tok-1', 'expires_in': 3600}),
                          FakeResponse(200, {'access_token': 'tok-2', 'expires_in': 3600}))
    tokens = source(session, tmp_path)
    assert tokens.token() == 'tok-1'
    assert tokens.invalidate() is True
    assert list(tmp_path.iterdir()) == []
    assert tokens.token() == 'tok-2'
    assert tokens.fetched == 2
    # A fresh source reads the new token from the cache.
    assert source(FakeSession(), tmp_path).token() == 'tok-2'


def test_static_token_is_never_refreshed(tmp_path):
    session = FakeSession()
    tokens = TokenSource(session, IMS, 'client-1', access_token='given', cache=TokenCache(str(tmp_path)))
    assert tokens.refreshable is False
    assert tokens.token() == 'given'
    assert tokens.invalidate() is False
    assert tokens.token() == 'given'
    assert session.calls == [] and list(tmp_path.iterdir()) == []


def test_no_secret_no_token():
    session = FakeSession()
    with pytest.raises(AuthError, match='client_secret'):
        TokenSource(session, IMS, 'client-1').token()
    assert session.calls == []


@pytest.mark.parametrize('answer, words', [
    (FakeResponse(400, {'error': 'invalid_client', 'error_description': 'invalid client_secret parameter'}, 'Bad Request'),
     ['400', 'invalid client_secret parameter', 'client-1', IMS]),
    (FakeResponse(400, {'error': 'invalid_client'}, 'Bad Request'), ['400', 'invalid_client']),
    (FakeResponse(200, {'token_type': 'bearer'}), ['200']),
    (FakeResponse(502, '<html>bad gateway</html>', 'Bad Gateway'), ['502', 'Bad Gateway']),
    (FakeResponse(200, '["not", "a", "dict"]'), ['200']),
])
def test_refusal_is_auth_error_without_secret(answer, words):
    with pytest.raises(AuthError) as info:
        source(FakeSession(answer)).token()
    message = str(info.value)
    for word in words:
        assert word in message
    assert SECRET not in message


def test_refusal_is_not_cached(tmp_path):
    with pytest.raises(AuthError):
        source(FakeSession(FakeResponse(400, {'error': 'invalid_client'})), tmp_path).token()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize('expires_in, expected', [(120, 120.0), ('60', 60.0), (None, 86399.0), ('soon', 86399.0)])
def test_expires_in_read_from_answer(expires_in, expected):
    body = {'access_token': 'tok'}
    if expires_in is not None:
        body['expires_in'] = expires_in
    assert source(FakeSession(FakeResponse(200, body))).fetch() == ('tok', expected)


def test_invalidate_drops_only_the_refused_token():
    """Threads that met 401 together must not each throw away the token another one just fetched."""
    session = FakeSession(FakeResponse(200, {'access_token': 'first', 'expires_in': 60}),
                          FakeResponse(200, {'access_token': 'second', 'expires_in': 60}))
    tokens = source(session)
    assert tokens.token() == 'first'
    assert tokens.invalidate('first') is True
    assert tokens.token() == 'second'
    assert tokens.invalidate('first') is True  # a late thread holding the old token
    assert tokens.token() == 'second' and len(session.calls) == 2

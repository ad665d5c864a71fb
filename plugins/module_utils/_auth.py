# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Adobe IMS access tokens (OAuth server-to-server client credentials), cached on the controller.

FOR INTERNAL COLLECTION USE ONLY.

One token serves a whole play: it is kept in a file readable only by its owner, keyed by the IMS URL,
the client, the scopes and a hash of the secret (so a wrong secret never reuses a good token), and
reused until shortly before it expires.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import hashlib
import json
import os
import stat
import tempfile
import threading
import time

from ansible_collections.aep.offers.plugins.module_utils._neterrors import no_answer_reason

try:
    from requests.exceptions import RequestException
except ImportError:  # pragma: no cover - the module reports the missing library first
    class RequestException(Exception):
        pass

TOKEN_PATH = '/ims/token/v3'
REFUSED_STATUSES = (400, 401)  # what IMS answers to a wrong client_id or client_secret
DEFAULT_SCOPES = ['openid', 'session', 'AdobeID', 'read_organizations', 'additional_info.projectedProductContext']


class AuthError(Exception):
    """IMS refused the credentials, or answered something that is not a token."""


def default_cache_dir():
    base = os.environ.get('XDG_CACHE_HOME') or os.path.join(os.path.expanduser('~'), '.cache')
    return os.path.join(base, 'aep.offers', 'tokens')


def cache_key(ims_url, client_id, scopes, client_secret):
    secret_hash = hashlib.sha256((client_secret or '').encode('utf-8')).hexdigest()
    material = json.dumps([ims_url.rstrip('/'), client_id, sorted(scopes or []), secret_hash])
    return hashlib.sha256(material.encode('utf-8')).hexdigest()


def reuse_margin(expires_in):
    """Seconds before expiry at which a cached token stops being reused."""
    return min(300.0, max(1.0, expires_in / 10.0))


class TokenCache:
    """An owner-only JSON file per key; a file another user could read, or that is not ours, is refused."""

    def __init__(self, directory, warn=None):
        self.directory = directory
        self._warn = warn or (lambda msg: None)

    def _path(self, key):
        return os.path.join(self.directory, key + '.json')

    def load(self, key, now=None):
        path = self._path(key)
        try:
            info = os.stat(path)
        except OSError:
            return None
        if info.st_uid != os.getuid() or info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            self._warn('Ignoring the token cache file %s: it is readable by other users or not owned by you.' % path)
            return None
        try:
            with open(path) as handle:
                entry = json.load(handle)
            token, refresh_at = entry['access_token'], float(entry['refresh_at'])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if (now if now is not None else time.time()) >= refresh_at:
            return None
        return token

    def store(self, key, token, expires_in, now=None):
        now = now if now is not None else time.time()
        entry = {'access_token': token, 'refresh_at': now + expires_in - reuse_margin(expires_in)}
        os.makedirs(self.directory, mode=0o700, exist_ok=True)
        handle, temp_path = tempfile.mkstemp(dir=self.directory, prefix='.token-')  # mkstemp creates it 0600
        try:
            with os.fdopen(handle, 'w') as out:
                json.dump(entry, out)
            os.replace(temp_path, self._path(key))
        except OSError:
            if os.path.exists(temp_path):
                os.unlink(temp_path)
            raise

    def drop(self, key):
        try:
            os.unlink(self._path(key))
        except OSError:
            pass


class TokenSource:
    """Gives the bearer token for API calls: the one the user passed, a cached one, or a new one from IMS."""

    def __init__(self, session, ims_url, client_id, client_secret=None, scopes=None, access_token=None,
                 cache=None, timeout=30, verify=True):
        self._session = session
        self._ims_url = ims_url.rstrip('/')
        self._client_id = client_id
        self._client_secret = client_secret
        self._scopes = list(scopes or DEFAULT_SCOPES)
        self._static_token = access_token
        self._cache = cache
        self._timeout = timeout
        self._verify = verify
        self._token = access_token
        self._key = cache_key(self._ims_url, client_id, self._scopes, client_secret)
        self.fetched = 0
        self._lock = threading.RLock()  # offer_library writes from several threads

    @property
    def refreshable(self):
        return not self._static_token

    def token(self):
        with self._lock:
            if not self._token:
                self._token = self.obtain()[0]
            return self._token

    def obtain(self):
        """A valid token from the cache, else a new one from IMS, stored in the cache.

        Returns (token, expires_in seconds or None when cached, whether it came from the cache).
        """
        if self._cache is not None:
            cached = self._cache.load(self._key)
            if cached:
                return cached, None, True
        token, expires_in = self.fetch()
        if self._cache is not None:
            self._cache.store(self._key, token, expires_in)
        return token, expires_in, False

    def invalidate(self, refused=None):
        """Forgets a token the API refused; returns False when there is nothing better to ask for.

        With ``refused``, only that token is dropped: threads that met 401 together fetch one new token.
        """
        if not self.refreshable:
            return False
        with self._lock:
            if refused is None or self._token == refused:
                self._token = None
                if self._cache is not None:
                    self._cache.drop(self._key)
        return True

    def fetch(self):
        """Asks IMS for a new token; returns (token, expires_in seconds)."""
        if not self._client_secret:
            raise AuthError('client_secret (or access_token) is required to obtain an access token')
        self.fetched += 1
        form = {
            'grant_type': 'client_credentials',
            'client_id': self._client_id,
            'client_secret': self._client_secret,
            'scope': ','.join(self._scopes),
        }
        url = self._ims_url + TOKEN_PATH
        try:
            response = self._session.post(url, data=form, timeout=self._timeout, verify=self._verify)
        except RequestException as exc:
            raise AuthError('POST %s got no answer: %s' % (url, no_answer_reason(exc, url, self._timeout)))
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code != 200 or not isinstance(body, dict) or not body.get('access_token'):
            reason = body.get('error_description') or body.get('error') if isinstance(body, dict) else None
            status = '%s %s' % (response.status_code, reason or response.reason or '')
            if response.status_code in REFUSED_STATUSES:
                raise AuthError('IMS at %s refused the credentials (check client_id %s and client_secret): HTTP %s'
                                % (url, self._client_id, status.strip()))
            if response.status_code == 429 or response.status_code >= 500:
                # Not the credentials: IMS is down or throttling (the session has already retried).
                raise AuthError('IMS at %s is unavailable, try again later: HTTP %s' % (url, status.strip()))
            raise AuthError('IMS at %s answered HTTP %s, not an access token' % (url, status.strip()))
        try:
            expires_in = float(body.get('expires_in', 86399))
        except (TypeError, ValueError):
            expires_in = 86399.0
        return body['access_token'], expires_in

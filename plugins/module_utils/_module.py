# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Ansible glue shared by every module: connection options, the client, and the object-module runner.

FOR INTERNAL COLLECTION USE ONLY.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import traceback

try:
    from urllib.parse import urlsplit
except ImportError:  # pragma: no cover
    from urlparse import urlsplit

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib

from ansible_collections.aep.offers.plugins.module_utils import _client
from ansible_collections.aep.offers.plugins.module_utils._auth import (
    DEFAULT_SCOPES, AuthError, TokenCache, TokenSource, default_cache_dir)
from ansible_collections.aep.offers.plugins.module_utils._client import ApiError, Client, make_session
from ansible_collections.aep.offers.plugins.module_utils._api import HAS_JSONPATCH, JSONPATCH_IMPORT_ERROR
from ansible_collections.aep.offers.plugins.module_utils._errors import EngineError, InputError

_LOOPBACK_HOSTS = ('localhost', '127.0.0.1', '::1', '[::1]')

API_NAMES = ('dps', 'xcore')
# The sandbox of a task that does not name one; a task that deletes has no default (``Connection.check_deletes``).
DEFAULT_SANDBOX = 'prod'


def api_class(name):
    """The one place that picks an API implementation. Each is imported when asked for: a module's code is compiled
    on every run (AnsiballZ imports it from a zip, which keeps no bytecode), so a task compiles only the API it uses."""
    if name == 'dps':
        from ansible_collections.aep.offers.plugins.module_utils._dps import DpsApi
        return DpsApi
    from ansible_collections.aep.offers.plugins.module_utils._xcore import XcoreApi
    return XcoreApi


def plain_http_to_remote(url):
    """True when ``url`` is plain ``http://`` to a host that is not loopback, where tokens would cross the network in clear."""
    if not url.lower().startswith('http://'):
        return False
    try:
        host = urlsplit(url).hostname or ''
    except ValueError:  # an unparsable host is not known to be loopback
        return True
    return host not in _LOOPBACK_HOSTS


def connection_argument_spec():
    """The connection options every module takes (documented once in the ``aep.offers.connection`` fragment)."""
    return dict(
        api=dict(type='str', default='xcore', choices=list(API_NAMES), fallback=(env_fallback, ['AEP_OFFERS_API'])),
        api_url=dict(type='str', default='https://platform.adobe.io', fallback=(env_fallback, ['AEP_API_URL'])),
        ims_url=dict(type='str', default='https://ims-na1.adobelogin.com', fallback=(env_fallback, ['AEP_IMS_URL'])),
        client_id=dict(type='str', required=True, fallback=(env_fallback, ['AEP_CLIENT_ID'])),
        client_secret=dict(type='str', no_log=True, fallback=(env_fallback, ['AEP_CLIENT_SECRET'])),
        access_token=dict(type='str', no_log=True, fallback=(env_fallback, ['AEP_ACCESS_TOKEN'])),
        scopes=dict(type='list', elements='str', default=list(DEFAULT_SCOPES)),
        org_id=dict(type='str', required=True, fallback=(env_fallback, ['AEP_ORG_ID'])),
        sandbox=dict(type='str', fallback=(env_fallback, ['AEP_SANDBOX'])),
        container_id=dict(type='str', fallback=(env_fallback, ['AEP_CONTAINER_ID'])),
        validate_certs=dict(type='bool', default=True, fallback=(env_fallback, ['AEP_VALIDATE_CERTS'])),
        ca_path=dict(type='path', fallback=(env_fallback, ['AEP_CA_PATH'])),
        timeout=dict(type='int', default=30),
        retries=dict(type='int', default=3),
        token_cache=dict(type='bool', default=True, fallback=(env_fallback, ['AEP_TOKEN_CACHE'])),
        token_cache_dir=dict(type='path', fallback=(env_fallback, ['AEP_TOKEN_CACHE_DIR'])),
    )


class Connection:
    """What every task does with the connection options: checks them, builds the API client, turns failures into
    ``fail_json``. Mixed into ``AepModule`` (a module process) and into the controller's module (an action plugin);
    either provides ``params``, ``check_mode``, ``warn`` and ``fail_json``."""

    retry_count = 0
    sandbox_named = False

    def check_connection(self):
        if not _client.HAS_REQUESTS:
            self.fail_json(msg=missing_required_lib('requests'), exception=str(_client.REQUESTS_IMPORT_ERROR))
        if not HAS_JSONPATCH:
            self.fail_json(msg=missing_required_lib('jsonpatch'), exception=str(JSONPATCH_IMPORT_ERROR))
        self.retry_count = 0
        for option in ('timeout', 'retries'):
            value = self.params[option]
            if value < (1 if option == 'timeout' else 0):
                self.fail_json(msg='%s: must be %s, got %d' % (option, 'at least 1' if option == 'timeout' else '0 or more', value))
        for option in ('api_url', 'ims_url'):
            if not self.params[option].lower().startswith(('https://', 'http://')):
                self.fail_json(msg='%s: must be an http:// or https:// URL, got %r' % (option, self.params[option]))
        self.sandbox_named = bool(self.params['sandbox'])
        if not self.sandbox_named:
            self.params['sandbox'] = DEFAULT_SANDBOX

    def check_deletes(self, deletes):
        """A task that can delete names its sandbox for the run, and outside check mode confirms it by name (``confirm``),
        as Terraform asks before destroy: a confirmation that names the target cannot be given by accident."""
        if not deletes:
            return
        if not self.sandbox_named:
            raise InputError('sandbox', 'this task deletes, so it must name its sandbox: set sandbox (on the task or in '
                                        'module_defaults) or AEP_SANDBOX; there is no default sandbox for deletes')
        sandbox, confirm = self.params['sandbox'], self.params.get('confirm')
        if not self.check_mode and confirm != sandbox:
            if confirm is None:
                raise InputError('confirm', 'this task deletes in sandbox %r: set confirm: %s to go ahead (check mode needs '
                                            'no confirmation)' % (sandbox, sandbox))
            raise InputError('confirm', '%r is not the sandbox this task deletes in (%r): set confirm: %s to go ahead'
                             % (confirm, sandbox, sandbox))

    def _verify(self):
        p = self.params
        for url_option in ('api_url', 'ims_url'):
            url = p[url_option]
            if plain_http_to_remote(url):
                self.warn('%s uses plain http:// to a host that is not loopback: tokens and secrets cross the network unencrypted' % url_option)
        if not p['validate_certs']:
            if any(p[u].startswith('https://') for u in ('api_url', 'ims_url')):
                self.warn('validate_certs is false: TLS certificates are not checked, so the connection can be intercepted')
            return False
        return p['ca_path'] or True

    def _on_retry(self, method, url, reason):
        self.retry_count += 1
        self.warn('retrying %s %s after %s' % (method, _path_only(url), reason))

    def new_session(self):
        """The HTTP session of this task (the controller keeps one per worker and connection)."""
        p = self.params
        return make_session(p['retries'], on_retry=self._on_retry, ims_url=p['ims_url'])

    def token_source(self, session=None, verify=None):
        """The TokenSource of this task's credentials (with the token cache unless disabled or a token is given)."""
        p = self.params
        verify = self._verify() if verify is None else verify
        session = session or self.new_session()
        cache = None
        if p['token_cache'] and not p['access_token']:
            cache = TokenCache(p['token_cache_dir'] or default_cache_dir(), warn=self.warn)
        return TokenSource(session, p['ims_url'], p['client_id'], client_secret=p['client_secret'], scopes=p['scopes'],
                           access_token=p['access_token'], cache=cache, timeout=p['timeout'], verify=verify)

    def api(self, prepare=True, name=None, **settings):
        """The API for this task's sandbox, prepared for use (xcore: its container found) unless ``prepare`` is false.

        ``name`` overrides the task's ``api`` (for kinds only one API holds); ``settings`` go to that API's class.
        """
        p = self.params
        verify = self._verify()
        session = self.new_session()
        tokens = self.token_source(session, verify)
        client = Client(session, p['api_url'], tokens, p['client_id'], p['org_id'], p['sandbox'], timeout=p['timeout'],
                        verify=verify, check_mode=self.check_mode)
        api = api_class(name or p['api'])(client, container_id=p['container_id'], **settings)
        if prepare:
            api.prepare(p['sandbox'])
        return api

    def fail_from(self, exc, **result):
        """Turns any failure into fail_json: a clear message, the API's details, never a secret."""
        if isinstance(exc, ApiError):
            details = exc.as_dict()
            details.pop('path', None)
            result.update(details, path=exc.path)
            self.fail_json(msg=exc.message, **result)
        if isinstance(exc, EngineError):
            result.update(exc.details)
            self.fail_json(msg=str(exc), **result)
        if isinstance(exc, (InputError, AuthError, LookupError)):
            self.fail_json(msg=str(exc), **result)
        self.fail_json(msg='unexpected error: %s: %s' % (type(exc).__name__, exc), exception=traceback.format_exc(), **result)


class AepModule(AnsibleModule, Connection):
    """A module process running one task (``_tasks.Task``): Ansible's argument checks, then the connection's."""

    def __init__(self, argument_spec, **kwargs):
        kwargs.setdefault('supports_check_mode', True)
        super(AepModule, self).__init__(argument_spec=argument_spec, **kwargs)
        self.check_connection()


def _path_only(url):
    rest = url.split('://', 1)[-1]
    return '/' + rest.split('/', 1)[1] if '/' in rest else url


def api_choice(name, item_schemas=()):
    """``Connection.api``'s arguments for the API ``name``: for dps also the decision items' schemas."""
    return dict(name=name, item_schemas=[s for s in item_schemas if s]) if name == 'dps' else dict(name=name)

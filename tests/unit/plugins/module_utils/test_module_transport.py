# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Transport warnings of every module: plain http:// to a host that is not loopback, validate_certs false.

Checked without sending anything anywhere: the URL rule is a pure function, and ``AepModule._verify``
runs on a stand-in that only has ``params`` and ``warn``.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.aep.offers.plugins.module_utils._module import AepModule, plain_http_to_remote


@pytest.mark.parametrize('url', [
    'http://example.com',
    'http://example.com:8080/path',
    'HTTP://Example.COM',
    'http://192.0.2.1:9',
    'http://10.0.0.1',
    'http://localhost.example.com',        # a name that merely starts with localhost
    'http://127.0.0.1.nip.io:8080',
    'http://user@localhost.evil.test',
    'http://[2001:db8::1]:8080',
    'http://[::1',                         # unparsable: not known to be loopback
])
def test_plain_http_to_remote_warns(url):
    assert plain_http_to_remote(url) is True


@pytest.mark.parametrize('url', [
    'http://localhost',
    'http://localhost:8080',
    'http://LOCALHOST:8080/x',
    'http://127.0.0.1:8080',
    'http://127.0.0.1',
    'http://[::1]:8080',
    'http://[::1]',
    'http://[::1]/data',
    'http://user:pw@127.0.0.1:8080',
    'https://example.com',
    'https://192.0.2.1',
    'HTTPS://example.com',
])
def test_loopback_or_https_does_not(url):
    assert plain_http_to_remote(url) is False


class FakeModule:
    def __init__(self, **params):
        self.params = dict(api_url='https://platform.adobe.io', ims_url='https://ims-na1.adobelogin.com',
                           validate_certs=True, ca_path=None)
        self.params.update(params)
        self.warnings = []

    def warn(self, message):
        self.warnings.append(message)


def _verify(**params):
    module = FakeModule(**params)
    return AepModule._verify(module), module.warnings


def test_defaults_verify_with_system_cas_and_no_warning():
    assert _verify() == (True, [])


def test_ca_path_is_what_requests_verifies_with():
    assert _verify(ca_path='/etc/aep/ca.pem') == ('/etc/aep/ca.pem', [])


def test_plain_http_to_a_remote_host_warns_per_option():
    verify, warnings = _verify(api_url='http://aep.example.com', ims_url='http://ims.example.com:8080')
    assert verify is True
    assert len(warnings) == 2
    assert warnings[0].startswith('api_url uses plain http://') and warnings[1].startswith('ims_url uses plain http://')
    assert all('not loopback' in w and 'unencrypted' in w for w in warnings)


def test_plain_http_to_loopback_does_not_warn():
    assert _verify(api_url='http://127.0.0.1:8080', ims_url='http://localhost:8080') == (True, [])


def test_validate_certs_false_warns_for_https():
    verify, warnings = _verify(validate_certs=False)
    assert verify is False
    assert warnings == ['validate_certs is false: TLS certificates are not checked, so the connection can be intercepted']


def test_validate_certs_false_with_only_loopback_http_has_nothing_to_warn_about():
    assert _verify(validate_certs=False, api_url='http://127.0.0.1:1', ims_url='http://[::1]:1') == (False, [])


def test_validate_certs_false_ignores_ca_path():
    verify, warnings = _verify(validate_certs=False, ca_path='/etc/aep/ca.pem')
    assert verify is False and len(warnings) == 1

# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Says in plain words why a request got no answer, and from which host.

FOR INTERNAL COLLECTION USE ONLY.

requests wraps what urllib3 met in ``ConnectionError(MaxRetryError(reason))``, and in urllib3 2.x
``NewConnectionError`` (connection refused, no route) and ``NameResolutionError`` (unknown host)
subclass ``ConnectTimeoutError``: telling them apart by "is it a timeout" reports a refused
connection as a timeout. The order of the checks below is what keeps them apart.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import errno
import socket
from urllib.parse import urlsplit

try:
    from requests import exceptions as _rex
    from urllib3 import exceptions as _uex
except ImportError:  # pragma: no cover - the module reports the missing library first
    _rex = _uex = None

_NOT_RESOLVED = ('name or service not known', 'nodename nor servname', 'failed to resolve', 'getaddrinfo failed',
                 'temporary failure in name resolution', 'no address associated')


def origin(url):
    """``scheme://host[:port]`` of ``url``: what a failure to reach it is about."""
    parts = urlsplit(url)
    return '%s://%s' % (parts.scheme, parts.netloc) if parts.scheme and parts.netloc else url


def no_answer_reason(exc, url, timeout):
    """A short sentence naming what went wrong with ``url`` (a request that raised ``exc``), naming its host."""
    where = origin(url)
    host = urlsplit(url).hostname or where
    inner = _inner(exc)
    retried = _uex is not None and isinstance(exc.args[0] if getattr(exc, 'args', None) else None, _uex.MaxRetryError)
    each = ' (each attempt)' if retried else ''
    chain = _chain(inner) + _chain(exc)
    if _rex is not None and (isinstance(exc, _rex.SSLError) or isinstance(inner, _uex.SSLError)):
        return 'TLS error with %s: %s' % (where, _first_line(inner if inner is not None else exc))
    if _uex is not None and isinstance(inner, getattr(_uex, 'NameResolutionError', ())) or \
            any(isinstance(e, socket.gaierror) for e in chain) or _says(inner, _NOT_RESOLVED):
        return 'cannot resolve host %s' % host
    if _uex is not None and isinstance(inner, _uex.NewConnectionError):
        if any(isinstance(e, ConnectionRefusedError) for e in chain) or _says(inner, ('connection refused', 'errno %d]' % errno.ECONNREFUSED)):
            return 'cannot connect to %s: connection refused' % where
        if not any(isinstance(e, socket.timeout) for e in chain) and not _says(inner, ('timed out',)):
            return 'cannot connect to %s: %s' % (where, _tail(inner))
        return 'cannot connect to %s: timed out after %ss%s' % (where, timeout, each)
    if (_uex is not None and isinstance(inner, _uex.ConnectTimeoutError)) or \
            (_rex is not None and isinstance(exc, _rex.ConnectTimeout)):
        return 'cannot connect to %s: timed out after %ss%s' % (where, timeout, each)
    if (_uex is not None and isinstance(inner, _uex.TimeoutError)) or (_rex is not None and isinstance(exc, _rex.Timeout)):
        return '%s timed out after %ss%s' % (where, timeout, each)
    if _uex is not None and isinstance(inner, _uex.ProtocolError):
        return 'connection to %s lost: %s' % (where, _tail(inner))
    return '%s: %s' % (where, _first_line(exc))


def _inner(exc):
    """What urllib3 met: the reason of the MaxRetryError requests wraps, else the exception's first argument."""
    first = exc.args[0] if getattr(exc, 'args', None) else None
    reason = getattr(first, 'reason', None)
    if reason is not None:
        return reason
    return first if isinstance(first, BaseException) else None


def _chain(exc):
    seen = []
    while isinstance(exc, BaseException) and exc not in seen and len(seen) < 8:
        seen.append(exc)
        exc = exc.__cause__ or exc.__context__
    return seen


def _says(exc, words):
    text = str(exc).lower() if exc is not None else ''
    return any(word in text for word in words)


def _tail(exc):
    """urllib3's message without its object prefix: ``<HTTPConnection object at 0x..>: Failed ...`` -> ``Failed ...``."""
    text = _first_line(exc)
    if text.startswith('<') and '>: ' in text:
        text = text.split('>: ', 1)[1]
    return text


def _first_line(exc):
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0][:500]

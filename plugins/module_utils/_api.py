# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The API seam: what the engine, the library, the resolver and the info module may ask of an API.

FOR INTERNAL COLLECTION USE ONLY.

They work with ``Record``s (addressing id, reference id, etag, body) and with patches relative to the
body. Each implementation (``_xcore.XcoreApi``) owns its paths, envelopes, field names (through one
``_mapping.Mapping`` per kind), id forms and content types; nothing outside it knows them.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

try:
    from urllib.parse import urlsplit, parse_qsl
except ImportError:  # pragma: no cover
    from urlparse import urlsplit, parse_qsl

try:
    import jsonpatch
    HAS_JSONPATCH = True
    JSONPATCH_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - reported by the module through missing_required_lib
    HAS_JSONPATCH = False
    JSONPATCH_IMPORT_ERROR = exc


class Record:
    """One stored object: ``instance_id`` addresses it, ``at_id`` is what references hold."""

    def __init__(self, instance_id, at_id, etag, body, document=None):
        self.instance_id = instance_id
        self.at_id = at_id
        self.etag = etag
        self.body = body
        self.document = document if document is not None else {}

    def __repr__(self):
        return 'Record(%r, %r, etag=%r)' % (self.instance_id, self.at_id, self.etag)


class Receipt:
    """What a write answers: the object's ids and its new etag."""

    def __init__(self, instance_id, at_id, etag, document):
        self.instance_id = instance_id
        self.at_id = at_id
        self.etag = etag
        self.document = document


class Api:
    """The interface. ``kind`` arguments are this API's ``Mapping``s, from ``kind(key)``."""

    name = None
    id_name = 'id'  # what this API calls the id that references hold, in messages
    kinds = {}  # catalogue key -> Mapping (with the kind's capabilities: update, deletable, family, schema_header)

    def kind(self, key):
        return self.kinds[key]

    def prepare(self, sandbox):
        """Whatever must happen once before objects are read (xcore: find the sandbox's container)."""

    def discover_containers(self):
        """The sandbox's containers as dicts, or None when this API has no containers."""
        return None

    def get(self, kind, instance_id):
        """The record, or None when it does not exist."""
        raise NotImplementedError

    def list(self, kind, name=None, at_id=None, properties=(), order_by=None, limit=None):
        """Yields records of ``kind`` to the last page (or ``limit``). ``name`` may be matched loosely: callers compare."""
        raise NotImplementedError

    def create(self, kind, body):
        raise NotImplementedError

    def patch(self, kind, record, operations):
        """Applies body-relative JSON Patch ``operations`` guarded by the record's etag (sent as the kind's ``update``:
        the operations, or the whole object with them applied); returns a Receipt with the new etag."""
        raise NotImplementedError

    def delete(self, kind, record):
        raise NotImplementedError

    def envelope(self, operations):
        """The operations as sent (and reported): body-relative paths made the API's own."""
        return operations

    def applied(self, record, operations, receipt=None):
        """The record after ``operations`` (and the receipt's metadata), without another read."""
        raise NotImplementedError

    def describe(self, record):
        """The record as modules return it."""
        return record.document

    def describe_body(self, body):
        """A planned object (check mode), as ``describe`` would return it once created."""
        return body

    def check_instance_id(self, value):
        """Raises InputError when ``value`` cannot be an ``instance_id`` of this API."""

    def is_reference_id(self, key, value, label):
        """True when a reference value is an id (of kind ``key``), False when it is a name; InputError when malformed."""
        raise NotImplementedError


def apply_patch(document, operations):
    """``document`` after the JSON Patch ``operations`` (a new document: the one given is left as it is)."""
    return jsonpatch.apply_patch(document, operations)


def json_object(response):
    """The response's JSON object, or an empty dict when it has none."""
    try:
        value = response.json()
    except ValueError:
        value = None
    return value if isinstance(value, dict) else {}


def next_page(page, base_path):
    """``(path, params)`` of the page's ``_links.next`` (relative to ``base_path`` or absolute), or ``(None, None)``."""
    href = (((page.get('_links') or {}).get('next') or {}).get('href'))
    if not href:
        return None, None
    parts = urlsplit(href)
    path = parts.path if parts.path.startswith(base_path) else base_path + '/' + parts.path.lstrip('/')
    return path, parse_qsl(parts.query, keep_blank_values=True)

# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The API flavour seam: everything that is particular to the xcore repository API lives here.

FOR INTERNAL COLLECTION USE ONLY.

The engine works with ``Record``s (instance id, @id, etag, body) and patches relative to the body;
this class adds the base path, the content types, the ``/_instance`` envelope and the receipt shape.
Adobe's successor API (``/data/core/dps/``) will be a second class with the same methods.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

try:
    from urllib.parse import urlsplit, parse_qsl
except ImportError:  # pragma: no cover
    from urlparse import urlsplit, parse_qsl

from ansible_collections.aep.offers.plugins.module_utils._client import ApiError

RESULTS_SCHEMA = 'https://ns.adobe.com/experience/xcore/hal/results'
HAL = 'application/vnd.adobe.platform.xcore.hal+json'
RECEIPT = 'application/vnd.adobe.platform.xcore.xdm.receipt+json; version=1'
PAGE_LIMIT = 100


class Record:
    """One stored object, independent of the API flavour."""

    def __init__(self, instance_id, at_id, etag, body, document=None):
        self.instance_id = instance_id
        self.at_id = at_id
        self.etag = etag
        self.body = body
        self.document = document if document is not None else {}

    def __repr__(self):
        return 'Record(%r, %r, etag=%r)' % (self.instance_id, self.at_id, self.etag)


class Receipt:
    def __init__(self, instance_id, at_id, etag, document):
        self.instance_id = instance_id
        self.at_id = at_id
        self.etag = etag
        self.document = document


def bare_schema(schema):
    """Schemas compare without ``;version=``: the server may store a newer version than the one asked for."""
    return (schema or '').split(';', 1)[0].strip()


class XcoreApi:
    """The legacy xcore repository API, ``/data/core/xcore/``."""

    BASE_PATH = '/data/core/xcore'
    BODY = ('_instance',)

    def __init__(self, client, container_id=None):
        self.client = client
        self.container_id = container_id

    # Containers ---------------------------------------------------------------------------------
    def discover_containers(self):
        response = self.client.request('GET', self.BASE_PATH + '/', params={
            'product': 'acp', 'property': '_instance.containerType==decisioning'})
        embedded = _json(response).get('_embedded') or {}
        containers = embedded.get('https://ns.adobe.com/experience/xcore/container') or []
        result = []
        for item in containers:
            instance = item.get('_instance') or {}
            result.append({
                'container_id': item.get('instanceId'),
                'name': instance.get('repo:name'),
                'sandbox': instance.get('parentName'),
                'container_type': instance.get('containerType'),
                'product_contexts': item.get('productContexts') or [],
            })
        return result

    def use_container(self, sandbox):
        """Sets and returns the container of ``sandbox`` (discovered when none was given)."""
        if self.container_id:
            return self.container_id
        found = [c for c in self.discover_containers() if c['sandbox'] in (None, sandbox)]
        if not found:
            raise LookupError('sandbox %r has no decisioning container (the container discovery answered none); '
                              'check the sandbox name, or set container_id' % sandbox)
        if len(found) > 1:
            raise LookupError('sandbox %r has %d decisioning containers (%s); set container_id to choose one'
                              % (sandbox, len(found), ', '.join(c['container_id'] for c in found)))
        self.container_id = found[0]['container_id']
        return self.container_id

    # Instances ----------------------------------------------------------------------------------
    def _instances(self):
        return '%s/%s/instances' % (self.BASE_PATH, self.container_id)

    def record(self, document):
        body = document.get('_instance') or {}
        return Record(document.get('instanceId'), body.get('@id'), document.get('repo:etag'), body, document)

    def get(self, kind, instance_id):
        """The record, or None when it does not exist."""
        try:
            response = self.client.request('GET', '%s/%s' % (self._instances(), instance_id),
                                           headers={'Accept': '*,%s; schema="%s"' % (HAL, kind.schema)})
        except ApiError as exc:
            if exc.status == 404:
                return None
            raise
        record = self.record(_json(response))
        if bare_schema(_first(record.document.get('schemas'))) not in ('', bare_schema(kind.schema)):
            return None  # an instance of another kind is not this kind's object
        return record

    def list(self, kind, name=None, at_id=None, properties=(), order_by=None, limit=None):
        """Yields records of ``kind``, following ``_links.next`` to the end (or until ``limit``)."""
        params = [('schema', kind.schema), ('limit', str(min(limit or PAGE_LIMIT, PAGE_LIMIT)))]
        if name is not None:
            params.append(('name', name))
        if at_id is not None:
            params.append(('id', at_id))
        params.extend(('property', p) for p in properties)
        if order_by:
            params.append(('orderby', order_by))
        path, seen = self._instances(), 0
        headers = {'Accept': '%s; schema="%s"' % (HAL, RESULTS_SCHEMA)}
        while path:
            try:
                response = self.client.request('GET', path, params=params, headers=headers)
            except ApiError as exc:
                if exc.status == 404 and path == self._instances():
                    raise LookupError('container_id %s: no such container in this sandbox (%s)' % (self.container_id, exc.message))
                raise
            page = _json(response)
            for document in (page.get('_embedded') or {}).get('results') or []:
                yield self.record(document)
                seen += 1
                if limit and seen >= limit:
                    return
            path, params = self._next(page)

    def _next(self, page):
        href = (((page.get('_links') or {}).get('next') or {}).get('href'))
        if not href:
            return None, None
        parts = urlsplit(href)
        path = parts.path
        if not path.startswith(self.BASE_PATH):
            path = self.BASE_PATH + '/' + path.lstrip('/')
        return path, parse_qsl(parts.query, keep_blank_values=True)

    def create(self, kind, body):
        headers = {
            'Content-Type': 'application/schema-instance+json; version=1; schema="%s"' % kind.schema,
            'Accept': RECEIPT,
        }
        response = self.client.request('POST', self._instances(), body=body, headers=headers, expect=(200, 201))
        return self._receipt(response)

    def patch(self, kind, record, operations):
        """Applies body-relative operations with If-Match; paths gain the ``/_instance`` envelope here."""
        headers = {
            'Content-Type': 'application/vnd.adobe.platform.xcore.patch.hal+json; version=1; schema="%s"' % kind.schema,
            'Accept': RECEIPT,
            'If-Match': str(record.etag),
        }
        response = self.client.request('PATCH', '%s/%s' % (self._instances(), record.instance_id),
                                       body=self.envelope(operations), headers=headers)
        return self._receipt(response)

    def delete(self, kind, record):
        self.client.request('DELETE', '%s/%s' % (self._instances(), record.instance_id),
                            headers={'If-Match': str(record.etag), 'Accept': RECEIPT}, expect=(200, 202, 204))

    def envelope(self, operations):
        prefix = '/' + '/'.join(self.BODY)
        return [dict(op, path=prefix + op['path']) for op in operations]

    def _receipt(self, response):
        document = _json(response)
        return Receipt(document.get('instanceId'), document.get('@id'), document.get('repo:etag'), document)

    def describe(self, record):
        """The record as modules return it: the whole stored document."""
        return record.document


def _first(values):
    return values[0] if isinstance(values, list) and values else None


def _json(response):
    try:
        value = response.json()
    except ValueError:
        value = None
    return value if isinstance(value, dict) else {}

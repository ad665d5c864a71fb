# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The legacy xcore repository API (``/data/core/xcore/``): everything particular to it lives here.

FOR INTERNAL COLLECTION USE ONLY.

Containers, the ``/_instance`` envelope, ``xdm:`` field names, ``@id`` prefixes, schemas and content types.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re

from ansible_collections.aep.offers.plugins.module_utils import _catalogue as catalogue
from ansible_collections.aep.offers.plugins.module_utils._api import Api, Receipt, Record, apply_patch, json_object, next_page
from ansible_collections.aep.offers.plugins.module_utils._errors import InputError
from ansible_collections.aep.offers.plugins.module_utils._client import ApiError
from ansible_collections.aep.offers.plugins.module_utils._diff import ANY, SET
from ansible_collections.aep.offers.plugins.module_utils._mapping import (
    Field, Mapping, as_list, as_list_of, nested, pql, prefixed)

RESULTS_SCHEMA = 'https://ns.adobe.com/experience/xcore/hal/results'
HAL = 'application/vnd.adobe.platform.xcore.hal+json'
RECEIPT = 'application/vnd.adobe.platform.xcore.xdm.receipt+json; version=1'
PAGE_LIMIT = 100
_OM = 'https://ns.adobe.com/experience/offer-management/'
CHANNEL_BASE = 'https://ns.adobe.com/xdm/channel-types/'
UUID_RE = re.compile(r'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z')


def bare_schema(schema):
    """Schemas compare without ``;version=``: the server may store a newer version than the one asked for."""
    return (schema or '').split(';', 1)[0].strip()


class XcoreMapping(Mapping):
    """A kind as xcore stores it: also its schema and the prefix of its ``@id``s."""

    api_name = 'xcore'

    def __init__(self, kind, schema, id_prefix, fields, **kwargs):
        kwargs.setdefault('name_path', ['xdm:name'])
        kwargs.setdefault('server_fields', ['@id'])
        super(XcoreMapping, self).__init__(kind, fields, **kwargs)
        self.schema = schema
        self.id_prefix = id_prefix
        self._id_re = re.compile('^' + re.escape(id_prefix) + r'[0-9A-Za-z_-]+\Z')

    def is_at_id(self, value):
        return isinstance(value, str) and bool(self._id_re.match(value))


# The kinds as xcore stores them ---------------------------------------------------------------------

_COMPONENT = [
    Field('type', ['@type'], **prefixed(_OM + 'content-component-')),
    Field('format', ['dc:format']),
    Field('language', ['dc:language'], as_list_of),
    Field('content', ['xdm:content']),
    Field('delivery_url', ['xdm:deliveryURL']),
    Field('link_url', ['xdm:linkURL']),
]
_REPRESENTATION = [
    Field('placement', ['xdm:placement']),
    Field('channel', ['xdm:channel'], **prefixed(CHANNEL_BASE)),
    Field('components', ['xdm:components'], **nested(_COMPONENT, many=True)),
]
_REPRESENTATION_LISTS = {
    ('xdm:representations',): 'xdm:placement',
    ('xdm:representations', ANY, 'xdm:components', ANY, 'dc:language'): SET,
    ('xdm:tags',): SET,
}
_REPRESENTATION_REFS = {
    'representations[].placement': ('xdm:representations', ANY, 'xdm:placement'),
    'tags[]': ('xdm:tags', ANY),
}


def _offer_fields(*extra):
    return [Field('name', ['xdm:name']), Field('status', ['xdm:status']),
            Field('representations', ['xdm:representations'], **nested(_REPRESENTATION, many=True))] + \
        list(extra) + [Field('tags', ['xdm:tags'], as_list), Field('characteristics', ['xdm:characteristics'])]


def _lists_offers(body):
    return body.get('xdm:filterType') == 'offers'


KINDS = dict((mapping.key, mapping) for mapping in (
    XcoreMapping(
        catalogue.PLACEMENT, _OM + 'offer-placement;version=0.4', 'xcore:offer-placement:',
        fields=[
            Field('name', ['xdm:name']),
            Field('description', ['xdm:description']),
            Field('channel', ['xdm:channel'], **prefixed(CHANNEL_BASE)),
            Field('component_type', ['xdm:componentType'], **prefixed(_OM + 'content-component-')),
            Field('content_types', ['xdm:contentTypes'], as_list),
        ],
        lists={('xdm:contentTypes',): SET},
    ),
    XcoreMapping(catalogue.COLLECTION_QUALIFIER, _OM + 'tag;version=0.1', 'xcore:tag:', fields=[Field('name', ['xdm:name'])]),
    XcoreMapping(
        catalogue.DECISION_RULE, _OM + 'eligibility-rule;version=0.3', 'xcore:eligibility-rule:',
        fields=[
            Field('name', ['xdm:name']),
            Field('description', ['description']),
            Field('condition', ['xdm:condition'], **pql(('xdm:type', 'xdm:format', 'xdm:value'))),
            Field('defined_on', ['xdm:definedOn']),
        ],
    ),
    XcoreMapping(
        catalogue.OFFER, _OM + 'personalized-offer;version=0.5', 'xcore:personalized-offer:',
        fields=_offer_fields(
            Field('start_date', ['xdm:selectionConstraint', 'xdm:startDate']),
            Field('end_date', ['xdm:selectionConstraint', 'xdm:endDate']),
            Field('eligibility_rule', ['xdm:selectionConstraint', 'xdm:eligibilityRule']),
            Field('priority', ['xdm:rank', 'xdm:priority']),
            Field('capping', ['xdm:cappingConstraint'], **nested([Field('global', ['xdm:globalCap']),
                                                                  Field('profile', ['xdm:profileCap'])])),
        ),
        lists=_REPRESENTATION_LISTS, wholes=[('xdm:characteristics',)],
        refs=dict(_REPRESENTATION_REFS, eligibility_rule=('xdm:selectionConstraint', 'xdm:eligibilityRule')),
    ),
    XcoreMapping(
        catalogue.FALLBACK_OFFER, _OM + 'fallback-offer;version=0.1', 'xcore:fallback-offer:',
        fields=_offer_fields(),
        lists=_REPRESENTATION_LISTS, wholes=[('xdm:characteristics',)], refs=_REPRESENTATION_REFS,
    ),
    XcoreMapping(
        catalogue.OFFER_COLLECTION, _OM + 'offer-filter;version=0.1', 'xcore:offer-filter:',
        fields=[
            Field('name', ['xdm:name']),
            Field('filter_type', ['xdm:filterType'], derive=catalogue.collection_filter_type),
            Field('offers', ['xdm:ids'], as_list, export=lambda value, body: list(value) if _lists_offers(body) else None),
            Field('qualifiers', ['xdm:ids'], as_list, export=lambda value, body: None if _lists_offers(body) else list(value)),
        ],
        lists={('xdm:ids',): SET},
        refs={'offers[]': (('xdm:ids', ANY), _lists_offers),
              'qualifiers[]': (('xdm:ids', ANY), lambda body: not _lists_offers(body))},
    ),
    XcoreMapping(
        catalogue.DECISION, _OM + 'offer-activity;version=0.5', 'xcore:offer-activity:',
        fields=[
            Field('name', ['xdm:name']),
            Field('status', ['xdm:status']),
            Field('start_date', ['xdm:startDate']),
            Field('end_date', ['xdm:endDate']),
            Field('criteria', ['xdm:criteria'], **nested([
                Field('placements', ['xdm:placements'], as_list),
                Field('collection', ['xdm:optionSelection', 'xdm:filter']),
                Field('eligibility_rule', ['xdm:selectionConstraint', 'xdm:eligibilityRule']),
            ], many=True)),
            Field('fallback', ['xdm:fallback']),
        ],
        lists={('xdm:criteria', ANY, 'xdm:placements'): SET},
        refs={
            'criteria[].placements': ('xdm:criteria', ANY, 'xdm:placements', ANY),
            'criteria[].collection': ('xdm:criteria', ANY, 'xdm:optionSelection', 'xdm:filter'),
            'criteria[].eligibility_rule': ('xdm:criteria', ANY, 'xdm:selectionConstraint', 'xdm:eligibilityRule'),
            'fallback': ('xdm:fallback',),
        },
    ),
))


class XcoreApi(Api):
    """The legacy xcore repository API, ``/data/core/xcore/``."""

    name = 'xcore'
    id_name = '@id'
    kinds = KINDS
    BASE_PATH = '/data/core/xcore'
    BODY = ('_instance',)

    def __init__(self, client, container_id=None):
        self.client = client
        self.container_id = container_id

    # Containers ---------------------------------------------------------------------------------
    def discover_containers(self):
        response = self.client.request('GET', self.BASE_PATH + '/', params={
            'product': 'acp', 'property': '_instance.containerType==decisioning'})
        embedded = json_object(response).get('_embedded') or {}
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

    def prepare(self, sandbox):
        self.use_container(sandbox)

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

    # Ids ----------------------------------------------------------------------------------------
    def check_instance_id(self, value):
        if value is not None and not UUID_RE.match(value):
            raise InputError('instance_id', '%r is not an instance id (a UUID like 0f4bc230-13df-11eb-bc55-c11be7252432)' % (value,))

    def is_reference_id(self, key, value, label):
        """A value starting ``xcore:`` must be an @id of the right kind; anything else is a name."""
        if not value.startswith('xcore:'):
            return False
        mapping = self.kinds[key]
        if not mapping.is_at_id(value):
            raise InputError(label, '%r is not a %s @id (expected %s followed by letters and digits)'
                             % (value, mapping.title, mapping.id_prefix))
        return True

    # Instances ----------------------------------------------------------------------------------
    def _instances(self):
        return '%s/%s/instances' % (self.BASE_PATH, self.container_id)

    def record(self, document):
        body = document.get('_instance') or {}
        return Record(document.get('instanceId'), body.get('@id'), document.get('repo:etag'), body, document)

    def get(self, kind, instance_id):
        try:
            response = self.client.request('GET', '%s/%s' % (self._instances(), instance_id),
                                           headers={'Accept': '*,%s; schema="%s"' % (HAL, kind.schema)})
        except ApiError as exc:
            if exc.gone:
                return None
            raise
        record = self.record(json_object(response))
        if bare_schema(_first(record.document.get('schemas'))) not in ('', bare_schema(kind.schema)):
            return None  # an instance of another kind is not this kind's object
        return record

    def list(self, kind, name=None, at_id=None, properties=(), order_by=None, limit=None):
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
                if exc.gone and path == self._instances():
                    raise LookupError('container_id %s: no such container in this sandbox (%s)' % (self.container_id, exc.message))
                raise
            page = json_object(response)
            for document in (page.get('_embedded') or {}).get('results') or []:
                yield self.record(document)
                seen += 1
                if limit and seen >= limit:
                    return
            path, params = next_page(page, self.BASE_PATH)

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

    def applied(self, record, operations, receipt=None):
        document = apply_patch(record.document, self.envelope(operations))
        if receipt is not None:
            document.update((k, v) for k, v in receipt.document.items() if k.startswith('repo:'))
        return self.record(document)

    def describe_body(self, body):
        return {'_instance': body}

    def _receipt(self, response):
        document = json_object(response)
        return Receipt(document.get('instanceId'), document.get('@id'), document.get('repo:etag'), document)


def _first(values):
    return values[0] if isinstance(values, list) and values else None

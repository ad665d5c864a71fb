# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The persistence API (``/data/core/dps``): everything particular to it lives here.

FOR INTERNAL COLLECTION USE ONLY.

Flat JSON bodies at un-prefixed paths, one endpoint per kind (offers also need ``offer-type``), ids
such as ``dps:offer-placement:...``, relative ``_links.next`` hrefs, and 412 for a stale ``If-Match``.
The fields the dps pages do not show for something the collection manages are our decisions, written
in docs/emulator.md ("dps fields we chose").
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re

from ansible_collections.aep.offers.plugins.module_utils import _catalogue as catalogue
from ansible_collections.aep.offers.plugins.module_utils._api import Api, Receipt, Record, apply_patch, json_object, next_page
from ansible_collections.aep.offers.plugins.module_utils._client import ApiError
from ansible_collections.aep.offers.plugins.module_utils._diff import ANY, SET
from ansible_collections.aep.offers.plugins.module_utils._errors import InputError
from ansible_collections.aep.offers.plugins.module_utils._mapping import (
    Field, Mapping, as_list, as_list_of, enum, nested, pql, prefixed)

JSON = 'application/json'
PAGE_LIMIT = 100
CHANNEL_BASE = 'https://ns.adobe.com/xdm/channel-types/'
ID_PREFIXES = ('dps:', 'xcore:')  # a dps list may hold ids made through xcore
_SERVER_FIELDS = ('id', 'etag', 'created', 'modified', 'createdBy', 'lastModifiedBy', 'schemas')
# A name holding one of these cannot be filtered exactly with property=name==...: list and compare instead.
_UNFILTERABLE = re.compile(r'[,=!<>~&]')


class DpsMapping(Mapping):
    """A kind as dps stores it: also its endpoint and the query every call on it carries."""

    def __init__(self, kind, endpoint, fields, query=(), **kwargs):
        kwargs.setdefault('name_path', ['name'])
        kwargs.setdefault('server_fields', _SERVER_FIELDS)
        super(DpsMapping, self).__init__(kind, fields, **kwargs)
        self.endpoint = endpoint
        self.query = list(query)


# The collection's filter types, as dps writes them (the pages show ``any-tags`` and ``offers``).
_FILTER_TYPES = {'offers': 'offers', 'anyTags': 'any-tags', 'allTags': 'all-tags'}
_COMPONENT = [
    Field('type', ['type']),
    Field('format', ['format']),
    Field('language', ['language'], as_list_of),
    Field('content', ['content']),
    Field('delivery_url', ['deliveryURL']),
    Field('link_url', ['linkURL']),
]
_REPRESENTATION = [
    Field('placement', ['placement']),
    Field('channel', ['channel'], **prefixed(CHANNEL_BASE)),
    Field('components', ['components'], **nested(_COMPONENT, many=True)),
]
_REPRESENTATION_LISTS = {
    ('representations',): 'placement',
    ('representations', ANY, 'components', ANY, 'language'): SET,
    ('tags',): SET,
}
_REPRESENTATION_REFS = {
    'representations[].placement': ('representations', ANY, 'placement'),
    'tags[]': ('tags', ANY),
}


def _offer_fields(*extra):
    return [Field('name', ['name']), Field('status', ['status']),
            Field('representations', ['representations'], **nested(_REPRESENTATION, many=True))] + \
        list(extra) + [Field('tags', ['tags'], as_list), Field('characteristics', ['characteristics'])]


def _lists_offers(body):
    return body.get('filterType') == 'offers'


KINDS = dict((mapping.key, mapping) for mapping in (
    DpsMapping(
        catalogue.PLACEMENT, '/placements',
        fields=[
            Field('name', ['name']),
            Field('description', ['description']),
            Field('channel', ['channel'], **prefixed(CHANNEL_BASE)),
            Field('component_type', ['componentType']),
            Field('content_types', ['contentTypes'], as_list),
        ],
        lists={('contentTypes',): SET},
    ),
    DpsMapping(catalogue.COLLECTION_QUALIFIER, '/tags', fields=[Field('name', ['name'])]),
    DpsMapping(
        catalogue.DECISION_RULE, '/offer-rules',
        fields=[
            Field('name', ['name']),
            Field('description', ['description']),
            Field('condition', ['condition'], **pql(('type', 'format', 'value'))),
            Field('defined_on', ['definedOn']),
        ],
        write_only=['defined_on'],  # dps GET does not echo definedOn
    ),
    DpsMapping(
        catalogue.OFFER, '/offers', query=[('offer-type', 'personalized')],
        fields=_offer_fields(
            Field('start_date', ['selectionConstraint', 'startDate']),
            Field('end_date', ['selectionConstraint', 'endDate']),
            Field('eligibility_rule', ['selectionConstraint', 'eligibilityRule'],
                  also={('selectionConstraint', 'profileConstraintType'): 'eligibilityRule'}),
            Field('priority', ['rank', 'priority']),
            Field('capping', ['cappingConstraint'], **nested([Field('global', ['globalCap']), Field('profile', ['profileCap'])])),
        ),
        lists=_REPRESENTATION_LISTS, wholes=[('characteristics',)],
        refs=dict(_REPRESENTATION_REFS, eligibility_rule=('selectionConstraint', 'eligibilityRule')),
    ),
    DpsMapping(
        catalogue.FALLBACK_OFFER, '/offers', query=[('offer-type', 'fallback')],
        fields=_offer_fields(),
        lists=_REPRESENTATION_LISTS, wholes=[('characteristics',)], refs=_REPRESENTATION_REFS,
    ),
    DpsMapping(
        catalogue.OFFER_COLLECTION, '/offer-collections',
        fields=[
            Field('name', ['name']),
            Field('filter_type', ['filterType'], derive=catalogue.collection_filter_type, **enum(_FILTER_TYPES)),
            Field('offers', ['ids'], as_list, export=lambda value, body: list(value) if _lists_offers(body) else None),
            Field('qualifiers', ['ids'], as_list, export=lambda value, body: None if _lists_offers(body) else list(value)),
        ],
        lists={('ids',): SET},
        refs={'offers[]': (('ids', ANY), _lists_offers),
              'qualifiers[]': (('ids', ANY), lambda body: not _lists_offers(body))},
    ),
    DpsMapping(
        catalogue.DECISION, '/offer-decisions',
        fields=[
            Field('name', ['name']),
            Field('status', ['status']),
            Field('start_date', ['startDate']),
            Field('end_date', ['endDate']),
            Field('criteria', ['criteria'], **nested([
                Field('placements', ['placements'], as_list),
                Field('collection', ['optionSelection', 'filter']),
                Field('eligibility_rule', ['profileConstraint', 'eligibilityRule'],
                      also={('profileConstraint', 'profileConstraintType'): 'eligibilityRule'}),
            ], many=True)),
            Field('fallback', ['fallback']),
        ],
        lists={('criteria', ANY, 'placements'): SET},
        refs={
            'criteria[].placements': ('criteria', ANY, 'placements', ANY),
            'criteria[].collection': ('criteria', ANY, 'optionSelection', 'filter'),
            'criteria[].eligibility_rule': ('criteria', ANY, 'profileConstraint', 'eligibilityRule'),
            'fallback': ('fallback',),
        },
    ),
))


class DpsApi(Api):
    """The persistence API, ``/data/core/dps``."""

    name = 'dps'
    kinds = KINDS
    BASE_PATH = '/data/core/dps'
    CONFLICT_STATUSES = (409, 412)  # 412 answers a stale If-Match; 409 may too

    def __init__(self, client, container_id=None):
        self.client = client  # dps has no containers: container_id is not used

    def check_instance_id(self, value):
        if value is not None and (not value.strip() or value != value.strip() or '/' in value or '?' in value):
            raise InputError('instance_id', '%r is not a dps id (like dps:offer-placement:19cb038eca47bead)' % (value,))

    def is_reference_id(self, key, value, label):
        return value.startswith(ID_PREFIXES)

    def _path(self, kind, object_id=None):
        return self.BASE_PATH + kind.endpoint + ('/' + object_id if object_id else '')

    def record(self, document):
        return Record(document.get('id'), document.get('id'), document.get('etag'), document, document)

    def get(self, kind, instance_id):
        try:
            response = self.client.request('GET', self._path(kind, instance_id), params=kind.query or None,
                                           headers={'Accept': '*,' + JSON})
        except ApiError as exc:
            if exc.status == 404:
                return None
            raise
        document = json_object(response)
        return self.record(document) if document.get('id') else None

    def list(self, kind, name=None, at_id=None, properties=(), order_by=None, limit=None):
        properties = list(properties)
        if name is not None and not _UNFILTERABLE.search(name):
            properties.append('name==%s' % name)
        if at_id is not None:
            properties.append('id==%s' % at_id)
        params = list(kind.query) + [('limit', str(min(limit or PAGE_LIMIT, PAGE_LIMIT)))]
        params.extend(('property', p) for p in properties)
        if order_by:
            params.append(('orderby', order_by))
        path, seen = self._path(kind), 0
        while path:
            page = json_object(self.client.request('GET', path, params=params, headers={'Accept': '*,' + JSON}))
            for document in page.get('results') or []:
                if at_id is not None and document.get('id') != at_id:
                    continue
                yield self.record(document)
                seen += 1
                if limit and seen >= limit:
                    return
            path, params = next_page(page, self.BASE_PATH)

    def create(self, kind, body):
        response = self.client.request('POST', self._path(kind), params=kind.query or None, body=body,
                                       headers={'Content-Type': JSON}, expect=(200, 201))
        return self._receipt(response)

    def patch(self, kind, record, operations):
        response = self.client.request('PATCH', self._path(kind, record.instance_id), params=kind.query or None,
                                       body=operations, headers={'Content-Type': JSON, 'If-Match': str(record.etag)})
        return self._receipt(response)

    def delete(self, kind, record):
        self.client.request('DELETE', self._path(kind, record.instance_id), params=kind.query or None,
                            headers={'If-Match': str(record.etag)}, expect=(200, 202, 204))

    def applied(self, record, operations, receipt=None):
        document = apply_patch(record.document, operations)
        if receipt is not None and receipt.etag is not None:
            document['etag'] = receipt.etag
        return self.record(document)

    def _receipt(self, response):
        document = json_object(response)
        return Receipt(document.get('id'), document.get('id'), document.get('etag'), document)

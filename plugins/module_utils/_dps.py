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
from ansible_collections.aep.offers.plugins.module_utils._dps_decisioning import KINDS as DECISIONING_KINDS
from ansible_collections.aep.offers.plugins.module_utils._dps_mapping import (
    CHANNEL_BASE, SCHEMA_KEY, SERVER_FIELDS, DpsMapping, belongs, family_members)
from ansible_collections.aep.offers.plugins.module_utils._errors import InputError
from ansible_collections.aep.offers.plugins.module_utils._mapping import (
    Field, as_list, as_list_of, enum, nested, pql, prefixed)

JSON = 'application/json'
PAGE_LIMIT = 100
ID_PREFIXES = ('dps:', 'xcore:')  # a dps list may hold ids made through xcore
# A name holding one of these cannot be filtered exactly with property=name==...: list and compare instead.
_UNFILTERABLE = re.compile(r'[,=!<>~&]')


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
    """The persistence API, ``/data/core/dps``: Decision Management and Decisioning kinds.

    ``item_schemas`` are the ``x-schema-id`` values under which decision items are looked for (every
    ``/offer-items`` call needs one; an item belongs to the schema it was created with, which its records
    carry as ``SCHEMA_KEY``).
    """

    name = 'dps'
    kinds = dict(KINDS, **DECISIONING_KINDS)
    BASE_PATH = '/data/core/dps'
    _SIBLINGS = family_members(kinds)  # endpoints shared by several kinds, told apart by a family flag

    def __init__(self, client, container_id=None, item_schemas=()):
        self.client = client  # dps has no containers: container_id is not used
        self.item_schemas = [schema for schema in item_schemas if schema]

    def check_instance_id(self, value):
        if value is not None and (not value.strip() or value != value.strip() or '/' in value or '?' in value):
            raise InputError('instance_id', '%r is not a dps id (like dps:offer-placement:19cb038eca47bead)' % (value,))

    def is_reference_id(self, key, value, label):
        return value.startswith(ID_PREFIXES)

    def _path(self, kind, object_id=None):
        return self.BASE_PATH + kind.endpoint + ('/' + object_id if object_id else '')

    def _schemas(self, kind):
        """The x-schema-id values to ask with: one None for kinds without the header."""
        if not kind.schema_header:
            return [None]
        if not self.item_schemas:
            raise InputError('schema_id', 'is required for %ss: the x-schema-id header of every %s call; set it or AEP_ITEM_SCHEMA_ID'
                             % (kind.title, kind.endpoint))
        return self.item_schemas

    @staticmethod
    def _headers(schema_id, **headers):
        if schema_id is not None:
            headers['x-schema-id'] = schema_id
        return headers

    def _listed(self, kind, document):
        """Whether a listed document is an object of ``kind``: at an endpoint several kinds share, its family flag says.

        Only lists are sorted by the flag: a single object's GET is not trusted for it (Adobe's lookup example shows
        ``exdRule: false`` for a rule its list shows with ``true``), so an object found by its id is taken as it is.
        """
        siblings = [other for other in self._SIBLINGS.get(kind.endpoint, ()) if other is not kind]
        return bool(document.get('id')) and (not siblings or belongs(kind, document, siblings))

    def record(self, kind, document, schema_id=None):
        return Record(document.get('id'), document.get('id'), document.get('etag'), kind.read(document, schema_id), document)

    def get(self, kind, instance_id):
        for schema_id in self._schemas(kind):
            try:
                response = self.client.request('GET', self._path(kind, instance_id), params=kind.query or None,
                                               headers=self._headers(schema_id, Accept='*,' + JSON))
            except ApiError as exc:
                if exc.gone:
                    continue
                raise
            document = json_object(response)
            return self.record(kind, document, schema_id) if document.get('id') else None
        return None

    def list(self, kind, name=None, at_id=None, properties=(), order_by=None, limit=None):
        properties = list(properties)
        if name is not None and not _UNFILTERABLE.search(name):
            properties.append('%s==%s' % ('.'.join(kind.name_path), name))
        if at_id is not None:
            properties.append('id==%s' % at_id)
        if kind.family is not None:
            properties.append('%s==%s' % (kind.family[0], str(kind.family[1]).lower()))
        seen = 0
        for schema_id in self._schemas(kind):
            params = list(kind.query) + [('limit', str(min(limit or PAGE_LIMIT, PAGE_LIMIT)))]
            params.extend(('property', p) for p in properties)
            if order_by:
                params.append(('orderby', order_by))
            path = self._path(kind)
            while path:
                page = json_object(self.client.request('GET', path, params=params, headers=self._headers(schema_id, Accept='*,' + JSON)))
                for document in page.get('results') or []:
                    if (at_id is not None and document.get('id') != at_id) or not self._listed(kind, document):
                        continue
                    yield self.record(kind, document, schema_id)
                    seen += 1
                    if limit and seen >= limit:
                        return
                path, params = next_page(page, self.BASE_PATH)

    def _sent(self, kind, body):
        """``(body as sent, its x-schema-id)``: the schema taken out of the body, the family flag put in."""
        body = dict(body)
        schema_id = body.pop(SCHEMA_KEY, None)
        if kind.schema_header and not schema_id:
            schema_id = self._schemas(kind)[0]  # names the missing option when there is none
        if kind.family is not None:
            body[kind.family[0]] = kind.family[1]
        return body, schema_id

    def create(self, kind, body):
        body, schema_id = self._sent(kind, body)
        response = self.client.request('POST', self._path(kind), params=kind.query or None, body=body,
                                       headers=self._headers(schema_id, **{'Content-Type': JSON}), expect=(200, 201))
        return self._receipt(response)

    def patch(self, kind, record, operations):
        """PATCH with the operations, or for kinds updated with PUT the object read with them applied."""
        if any(op['path'] == '/' + SCHEMA_KEY for op in operations):
            raise InputError('schema_id', 'a decision item stays in the schema it was created with (%s)' % record.body.get(SCHEMA_KEY))
        if kind.update == 'PUT':
            updated = apply_patch(record.body, operations)
            body, schema_id = self._sent(kind, dict((key, value) for key, value in updated.items()
                                                    if key not in SERVER_FIELDS and key not in kind.built))
            method = 'PUT'
        else:
            method, body, schema_id = 'PATCH', operations, record.body.get(SCHEMA_KEY)
        response = self.client.request(method, self._path(kind, record.instance_id), params=kind.query or None, body=body,
                                       headers=self._headers(schema_id, **{'Content-Type': JSON, 'If-Match': str(record.etag)}),
                                       expect=(200, 202, 204))
        return self._receipt(response, kind, record)

    def delete(self, kind, record):
        if not kind.deletable:  # the library never plans it; a caller that asks anyway gets no request
            raise InputError('state', 'dps cannot delete %ss (it has no delete for them); set status instead' % kind.title)
        self.client.request('DELETE', self._path(kind, record.instance_id), params=kind.query or None,
                            headers=self._headers(record.body.get(SCHEMA_KEY), **{'If-Match': str(record.etag)}),
                            expect=(200, 202, 204))

    def applied(self, record, operations, receipt=None):
        body = apply_patch(record.body, operations)
        document = apply_patch(record.document, [op for op in operations if op['path'] != '/' + SCHEMA_KEY])
        for target in (body, document):
            if receipt is not None and receipt.etag is not None:
                target['etag'] = receipt.etag
        return Record(document.get('id'), document.get('id'), document.get('etag'), body, document)

    def describe_body(self, body):
        return dict((key, value) for key, value in body.items() if key != SCHEMA_KEY)

    def _receipt(self, response, kind=None, record=None):
        """The write's receipt; a write answered without one (202, 204) is done: the object is read once for its etag."""
        document = json_object(response)
        if not document and record is not None:
            current = self.get(kind, record.instance_id)
            document = dict(id=record.instance_id, etag=current.etag if current is not None else None)
        return Receipt(document.get('id'), document.get('id'), document.get('etag'), document)

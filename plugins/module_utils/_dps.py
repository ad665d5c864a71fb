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

try:
    import jsonpatch
except ImportError:  # pragma: no cover - reported by the module through missing_required_lib
    jsonpatch = None

from ansible_collections.aep.offers.plugins.module_utils import _catalogue as catalogue
from ansible_collections.aep.offers.plugins.module_utils._api import Api, Receipt, Record, json_object, next_page
from ansible_collections.aep.offers.plugins.module_utils._client import ApiError
from ansible_collections.aep.offers.plugins.module_utils._diff import ANY, SET
from ansible_collections.aep.offers.plugins.module_utils._dps_decisioning import (
    KINDS as DECISIONING_KINDS, SCHEMA_KEY, SERVER_FIELDS, belongs, family_members)
from ansible_collections.aep.offers.plugins.module_utils._errors import InputError
from ansible_collections.aep.offers.plugins.module_utils._mapping import (
    Field, Mapping, as_list, non_negative, string_values, unique_by)

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


def channel_uri(value):
    return value if ':' in value else CHANNEL_BASE + value


def channel_name(value, body=None):
    return value[len(CHANNEL_BASE):] if isinstance(value, str) and value.startswith(CHANNEL_BASE) and value != CHANNEL_BASE else value


_COMPONENT_FIELDS = (('type', 'type'), ('format', 'format'), ('content', 'content'), ('delivery_url', 'deliveryURL'),
                     ('link_url', 'linkURL'))


def _representations(value, option):
    unique_by(value, 'placement', option)
    result = []
    for item in value:
        rep = {'placement': item['placement']}
        if item.get('channel'):
            rep['channel'] = channel_uri(item['channel'])
        if item.get('components') is not None:
            rep['components'] = [_component(c) for c in item['components']]
        result.append(rep)
    return result


def _component(item):
    component = dict((api, item[option]) for option, api in _COMPONENT_FIELDS if item.get(option) is not None)
    if item.get('language') is not None:
        languages = item['language']
        component['language'] = [languages] if isinstance(languages, str) else list(languages)
    return component


def _export_representations(value, body):
    result = []
    for rep in value or []:
        item = {'placement': rep.get('placement')}
        if rep.get('channel'):
            item['channel'] = channel_name(rep['channel'])
        if rep.get('components') is not None:
            item['components'] = [_export_component(c) for c in rep['components']]
        result.append(item)
    return result


def _export_component(component):
    item = dict((option, component[api]) for option, api in _COMPONENT_FIELDS if component.get(api) is not None)
    if component.get('language') is not None:
        item['language'] = list(component['language'])
    return item


def _capping(value, option):
    return dict((api, non_negative(value[name], '%s.%s' % (option, name)))
                for name, api in (('global', 'globalCap'), ('profile', 'profileCap')) if value.get(name) is not None)


def _export_capping(value, body):
    result = dict((name, value[api]) for name, api in (('global', 'globalCap'), ('profile', 'profileCap')) if value.get(api) is not None)
    return result or None


def _pql(value, option):
    return {'type': 'PQL', 'format': 'pql/text', 'value': value}


# The collection's filter types, as dps writes them (the pages show ``any-tags`` and ``offers``).
_FILTER_TYPES = {'offers': 'offers', 'anyTags': 'any-tags', 'allTags': 'all-tags'}


def _filter_type(params):
    given = params.get('filter_type')
    if params.get('offers') is not None:
        if given not in (None, 'offers'):
            raise InputError('filter_type', 'must be offers when offers are given, got %r' % given)
        return 'offers'
    if params.get('qualifiers') is not None:
        if given == 'offers':
            raise InputError('filter_type', 'must be anyTags or allTags when qualifiers are given')
        return _FILTER_TYPES[given or 'anyTags']
    return _FILTER_TYPES.get(given) if given else None


def _export_filter_type(value, body):
    return dict((v, k) for k, v in _FILTER_TYPES.items()).get(value, value)


def _lists_offers(body):
    return body.get('filterType') == 'offers'


def _criteria(value, option):
    result = []
    for index, item in enumerate(value):
        label = '%s[%d]' % (option, index)
        if not item.get('placements'):
            raise InputError(label + '.placements', 'needs at least one placement')
        if not item.get('collection'):
            raise InputError(label + '.collection', 'is required')
        criterion = {'placements': list(item['placements']), 'optionSelection': {'filter': item['collection']}}
        if item.get('eligibility_rule'):
            criterion['profileConstraint'] = {'profileConstraintType': 'eligibilityRule', 'eligibilityRule': item['eligibility_rule']}
        result.append(criterion)
    return result


def _export_criteria(value, body):
    result = []
    for criterion in value or []:
        item = {'placements': list(criterion.get('placements') or []),
                'collection': (criterion.get('optionSelection') or {}).get('filter')}
        rule = (criterion.get('profileConstraint') or {}).get('eligibilityRule')
        if rule:
            item['eligibility_rule'] = rule
        result.append(item)
    return result


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
            Field('representations', ['representations'], _representations, export=_export_representations)] + \
        list(extra) + [Field('tags', ['tags'], as_list), Field('characteristics', ['characteristics'], string_values)]


KINDS = dict((mapping.key, mapping) for mapping in (
    DpsMapping(
        catalogue.PLACEMENT, '/placements',
        fields=[
            Field('name', ['name']),
            Field('description', ['description']),
            Field('channel', ['channel'], lambda value, option: channel_uri(value), export=channel_name),
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
            Field('condition', ['condition'], _pql, export=lambda value, body: value.get('value') if isinstance(value, dict) else value),
            Field('defined_on', ['definedOn']),
        ],
        write_only=['defined_on'],  # dps GET does not echo definedOn
    ),
    DpsMapping(
        catalogue.OFFER, '/offers', query=[('offer-type', 'personalized')],
        fields=_offer_fields(
            Field('start_date', ['selectionConstraint', 'startDate']),
            Field('end_date', ['selectionConstraint', 'endDate']),
            Field('eligibility_rule', ['selectionConstraint', 'eligibilityRule']),
            Field('priority', ['rank', 'priority'], non_negative),
            Field('capping', ['cappingConstraint'], _capping, export=_export_capping),
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
            Field('filter_type', ['filterType'], derive=_filter_type, export=_export_filter_type),
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
            Field('criteria', ['criteria'], _criteria, export=_export_criteria),
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
    ``/offer-items`` call needs one; an item belongs to the schema it was created with).
    """

    name = 'dps'
    kinds = dict(KINDS, **DECISIONING_KINDS)
    BASE_PATH = '/data/core/dps'
    CONFLICT_STATUSES = (409, 412)  # 412 answers a stale If-Match; 409 may too
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
        if not getattr(kind, 'schema_header', False):
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

    def _belongs(self, kind, document):
        siblings = [other for other in self._SIBLINGS.get(kind.endpoint, ()) if other is not kind]
        return bool(document.get('id')) and (not siblings or belongs(kind, document, siblings))

    def record(self, kind, document, schema_id=None):
        read = getattr(kind, 'read', None)
        body = read(document, schema_id) if read else document
        return Record(document.get('id'), document.get('id'), document.get('etag'), body, document)

    def get(self, kind, instance_id):
        for schema_id in self._schemas(kind):
            try:
                response = self.client.request('GET', self._path(kind, instance_id), params=kind.query or None,
                                               headers=self._headers(schema_id, Accept='*,' + JSON))
            except ApiError as exc:
                if exc.status == 404:
                    continue
                raise
            document = json_object(response)
            # An id of the other family at a shared endpoint is not an object of this kind.
            return self.record(kind, document, schema_id) if self._belongs(kind, document) else None
        return None

    def list(self, kind, name=None, at_id=None, properties=(), order_by=None, limit=None):
        properties = list(properties)
        if name is not None and not _UNFILTERABLE.search(name):
            properties.append('%s==%s' % ('.'.join(kind.name_path), name))
        if at_id is not None:
            properties.append('id==%s' % at_id)
        family = getattr(kind, 'family', None)
        if family is not None:
            properties.append('%s==%s' % (family[0], str(family[1]).lower()))
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
                    if (at_id is not None and document.get('id') != at_id) or not self._belongs(kind, document):
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
        if getattr(kind, 'schema_header', False) and not schema_id:
            self._schemas(kind)  # names the missing option
            schema_id = self.item_schemas[0]
        family = getattr(kind, 'family', None)
        if family is not None:
            body[family[0]] = family[1]
        return body, schema_id

    def create(self, kind, body):
        body, schema_id = self._sent(kind, body)
        response = self.client.request('POST', self._path(kind), params=kind.query or None, body=body,
                                       headers=self._headers(schema_id, **{'Content-Type': JSON}), expect=(200, 201))
        return self._receipt(response)

    def patch(self, kind, record, operations):
        """PATCH with the operations, or for kinds updated with PUT the object read with them applied."""
        if getattr(kind, 'update', 'PATCH') == 'PUT':
            return self._put(kind, record, operations)
        if any(op['path'] == '/' + SCHEMA_KEY for op in operations):
            raise InputError('schema_id', 'a decision item stays in the schema it was created with (%s)' % record.body.get(SCHEMA_KEY))
        response = self.client.request('PATCH', self._path(kind, record.instance_id), params=kind.query or None,
                                       body=operations, headers=self._headers(record.body.get(SCHEMA_KEY), **{
                                           'Content-Type': JSON, 'If-Match': str(record.etag)}))
        return self._receipt(response)

    def _put(self, kind, record, operations):
        updated = jsonpatch.apply_patch(record.body, operations)
        body = dict((key, value) for key, value in updated.items() if key not in SERVER_FIELDS and key not in kind.built)
        body, schema_id = self._sent(kind, body)
        response = self.client.request('PUT', self._path(kind, record.instance_id), params=kind.query or None, body=body,
                                       headers=self._headers(schema_id, **{'Content-Type': JSON, 'If-Match': str(record.etag)}))
        return self._receipt(response)

    def delete(self, kind, record):
        if not getattr(kind, 'deletable', True):
            raise InputError('state', 'dps cannot delete %ss (it has no delete for them); set status instead' % kind.title)
        self.client.request('DELETE', self._path(kind, record.instance_id), params=kind.query or None,
                            headers=self._headers(record.body.get(SCHEMA_KEY), **{'If-Match': str(record.etag)}),
                            expect=(200, 202, 204))

    def applied(self, record, operations, receipt=None):
        body = jsonpatch.apply_patch(record.body, operations)
        document = jsonpatch.apply_patch(record.document, [op for op in operations if op['path'] != '/' + SCHEMA_KEY])
        for target in (body, document):
            if receipt is not None and receipt.etag is not None:
                target['etag'] = receipt.etag
        return Record(document.get('id'), document.get('id'), document.get('etag'), body, document)

    def describe_body(self, body):
        return dict((key, value) for key, value in body.items() if key != SCHEMA_KEY)

    def _receipt(self, response):
        document = json_object(response)
        return Receipt(document.get('id'), document.get('id'), document.get('etag'), document)

# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The persistence API (``/data/core/dps``): everything particular to it lives here.

FOR INTERNAL COLLECTION USE ONLY.

Flat JSON bodies at un-prefixed paths, one endpoint per kind (offers also need ``offer-type``), ids
such as ``dps:offer-placement:...``, relative ``_links.next`` hrefs, and 412 for a stale ``If-Match``.
The fields the dps pages do not show for something the collection manages are our decisions, listed with their
reasons in docs/emulator.md ("Undocumented but accepted"); tests/contract/test_adobe_examples.py holds every body
the mappings make to the pages' paths plus that list.
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
# Component types as dps writes them: the pages show html, imagelink and component-text (for text); JSON is
# component-json, named like component-text (docs/emulator.md). Placements' componentType takes the same values (the
# pages show html for both). What a server stores in the bare form (text, json) reads as the same type: no change.
_COMPONENT_TYPES = {'text': 'component-text', 'html': 'html', 'imagelink': 'imagelink', 'json': 'component-json'}
_COMPONENT_TYPE = enum(_COMPONENT_TYPES)


def _component_type_read(value):
    return _COMPONENT_TYPES.get(value, value)


_COMPONENT = [
    Field('type', ['type'], **_COMPONENT_TYPE),
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


# Caps (dps-api.md section 3): each cap is an entry of frequencyCappingConstraints[] for the offer (entity offer),
# never the deprecated cappingConstraint.globalCap/profileCap; cappingConstraint is sent empty, as the create example
# sends it, whenever a task declares caps (which also clears the deprecated fields an older client wrote there).
_CAPS = ('frequencyCappingConstraints',)
_ENTITY = 'offer'
_CAP_SCOPES = ('global', 'profile')  # capping's suboptions, in the order its entries are written
_EMPTY_CAPPING = {('cappingConstraint',): {}}


def _capping_entries(params):
    """``capping: {global: N, profile: M}`` as entries (global first); None when it gives no cap (not managed)."""
    given = params.get('capping') or {}
    entries = [{'scope': scope, 'limit': given[scope], 'entity': _ENTITY, 'enabled': True}
               for scope in _CAP_SCOPES if given.get(scope) is not None]
    return entries or None


def _frequency_cap(entry):
    """One ``frequency_capping`` entry (defaults filled in, checked: ``catalogue.frequency_caps``) as dps writes it."""
    cap = {'limit': entry['limit'], 'scope': entry['scope'], 'enabled': entry['enabled'], 'entity': _ENTITY}
    if entry.get('start_date') is not None:
        cap['startDate'] = entry['start_date']
    if entry.get('end_date') is not None:
        cap['endDate'] = entry['end_date']
    if entry.get('repeat') is not None:
        cap['repeat'] = {'enabled': True, 'unit': entry['repeat']['unit'], 'unitCount': entry['repeat']['unit_count']}
    return cap


def _frequency_caps(params):
    entries = catalogue.frequency_caps(params)
    return None if entries is None else [_frequency_cap(entry) for entry in entries]


def _as_capping(caps):
    """The ``capping`` option that writes exactly ``caps``, or None when it cannot (dates, a repeat, a disabled cap...)."""
    if not isinstance(caps, list) or not caps:
        return None
    capping = dict((cap.get('scope'), cap.get('limit')) for cap in caps if isinstance(cap, dict))
    if not set(capping) <= set(_CAP_SCOPES) or not all(isinstance(v, int) and not isinstance(v, bool) for v in capping.values()):
        return None
    return capping if _capping_entries({'capping': capping}) == caps else None


def _export_capping(caps, body):
    return _as_capping(caps)


def _export_frequency_capping(caps, body):
    """Caps that ``capping`` cannot write, as ``frequency_capping`` entries; none (no cap) is not exported."""
    if not isinstance(caps, list) or not caps or _as_capping(caps) is not None:
        return None
    result = []
    for cap in caps:
        fields = (('limit', 'limit'), ('scope', 'scope'), ('enabled', 'enabled'), ('start_date', 'startDate'), ('end_date', 'endDate'))
        entry = dict((option, cap[field]) for option, field in fields if cap.get(field) is not None)
        repeat = cap.get('repeat')
        if isinstance(repeat, dict) and repeat.get('enabled') is True:  # a repeat that is off is no repeat
            entry['repeat'] = {'unit': repeat.get('unit'), 'unit_count': repeat.get('unitCount')}
        result.append(entry)
    return result


def _offer_fields(*extra):
    return [Field('name', ['name']), Field('status', ['status']),
            Field('representations', ['representations'], **nested(_REPRESENTATION, many=True))] + \
        list(extra) + [Field('tags', ['tags'], as_list), Field('characteristics', ['characteristics'])]


def _lists_offers(body):
    return body.get('filterType') == 'offers'


# A placement's returnMetaData: what a decision answers beside each offer (the placement pages' seven flags).
_METADATA = [('decision_name', 'decisionName'), ('offer_name', 'offerName'), ('offer_attributes', 'offerAttributes'),
             ('offer_priority', 'offerPriority'), ('placement_name', 'placementName'), ('channel_type', 'channelType'),
             ('content_type', 'contentType')]


KINDS = dict((mapping.key, mapping) for mapping in (
    DpsMapping(
        catalogue.PLACEMENT, '/placements',
        fields=[
            Field('name', ['name']),
            Field('description', ['description']),
            Field('channel', ['channel'], **prefixed(CHANNEL_BASE)),
            Field('component_type', ['componentType'], **_COMPONENT_TYPE),
            Field('content_types', ['contentTypes'], as_list),
            Field('item_count', ['itemCount']),
            Field('allow_duplicate_placements', ['allowDuplicatePlacements']),
            Field('return_content', ['returnContent']),
            Field('return_metadata', ['returnMetaData'], **nested([
                Field(option, [field]) for option, field in _METADATA])),
        ],
        lists={('contentTypes',): SET},
        read=[(('componentType',), _component_type_read)],
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
            # Two options, one list: capping (the common caps, also in xcore) or frequency_capping (every field).
            Field('capping', _CAPS, derive=_capping_entries, export=_export_capping, also=_EMPTY_CAPPING),
            Field('frequency_capping', _CAPS, derive=_frequency_caps, export=_export_frequency_capping, also=_EMPTY_CAPPING),
        ),
        lists=_REPRESENTATION_LISTS, wholes=[('characteristics',), ('cappingConstraint',)],
        dates=[_CAPS + (ANY, 'startDate'), _CAPS + (ANY, 'endDate')],
        read=[(('representations', ANY, 'components', ANY, 'type'), _component_type_read)],
        refs=dict(_REPRESENTATION_REFS, eligibility_rule=('selectionConstraint', 'eligibilityRule')),
    ),
    DpsMapping(
        catalogue.FALLBACK_OFFER, '/offers', query=[('offer-type', 'fallback')],
        fields=_offer_fields(),
        lists=_REPRESENTATION_LISTS, wholes=[('characteristics',)], refs=_REPRESENTATION_REFS,
        read=[(('representations', ANY, 'components', ANY, 'type'), _component_type_read)],
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

    def _siblings(self, kind):
        return [other for other in self._SIBLINGS.get(kind.endpoint, ()) if other is not kind]

    def _listed(self, kind, document):
        """Whether a listed document is an object of ``kind``: at an endpoint several kinds share, its family flag says."""
        siblings = self._siblings(kind)
        return bool(document.get('id')) and (not siblings or belongs(kind, document, siblings))

    def record(self, kind, document, schema_id=None):
        return Record(document.get('id'), document.get('id'), document.get('etag'), kind.read(document, schema_id), document)

    def _document(self, kind, instance_id):
        """``(the object's GET, the x-schema-id it was found with)``, or ``(None, None)`` when there is none."""
        for schema_id in self._schemas(kind):
            try:
                response = self.client.request('GET', self._path(kind, instance_id), params=kind.query or None,
                                               headers=self._headers(schema_id, Accept='*,' + JSON))
            except ApiError as exc:
                if exc.gone:
                    continue
                raise
            document = json_object(response)
            return (document, schema_id) if document.get('id') else (None, None)
        return None, None

    def get(self, kind, instance_id):
        document, schema_id = self._document(kind, instance_id)
        if document is None or not self._found_is_of(kind, document, instance_id):
            return None
        return self.record(kind, document, schema_id)

    def _found_is_of(self, kind, document, instance_id):
        """Whether an object read by its id is of ``kind``: a doubt only where several kinds share an endpoint.

        A single object's GET is not trusted to clear a family flag (Adobe's lookup example shows ``exdRule: false``
        for a rule its list shows with ``true``): a flag it shows set settles it; else a list filtered by the id,
        which shows the flags as they are, says (one more read, for lookups by id at a shared endpoint only).
        """
        siblings = self._siblings(kind)
        if not siblings:
            return True
        shown = [member.family for member in [kind] + siblings
                 if member.family is not None and document.get(member.family[0]) == member.family[1]]
        if shown:
            return kind.family in shown
        return next(iter(self.list(kind, at_id=instance_id, limit=1)), None) is not None

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
            current = self._document(kind, record.instance_id)[0]  # our own object: its GET says the etag
            document = dict(id=record.instance_id, etag=current.get('etag') if current is not None else None)
        return Receipt(document.get('id'), document.get('id'), document.get('etag'), document)

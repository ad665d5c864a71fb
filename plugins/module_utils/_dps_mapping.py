# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""How the persistence API (``/data/core/dps``) stores a kind: its endpoint and query, its capabilities, and the
fields the server owns. Shared by the Decision Management mappings (``_dps``) and the Decisioning ones
(``_dps_decisioning``).

FOR INTERNAL COLLECTION USE ONLY. Pure: no I/O, no Ansible.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.aep.offers.plugins.module_utils._mapping import Mapping

CHANNEL_BASE = 'https://ns.adobe.com/xdm/channel-types/'
# Every field of a dps object or receipt the server owns: refused in ``instance``, never sent back on PUT.
SERVER_FIELDS = ('id', 'etag', 'created', 'modified', 'createdBy', 'lastModifiedBy', 'schemas', 'sandboxId',
                 'createdDate', 'lastModifiedDate', 'createdByClientId', 'lastModifiedByClientId')
# A decision item's schema travels as the x-schema-id header, not in the body. Records and desired bodies carry it
# under this key (which no dps field can have), so that it is compared, exported and sent like any other option;
# the API turns it into the header.
SCHEMA_KEY = 'x-schema-id'


class DpsMapping(Mapping):
    """A kind as dps stores it: also its endpoint and the query every call on it carries (offers' ``offer-type``)."""

    api_name = 'dps'

    def __init__(self, kind, endpoint, fields, query=(), **kwargs):
        kwargs.setdefault('name_path', ['name'])
        kwargs.setdefault('server_fields', SERVER_FIELDS)
        super(DpsMapping, self).__init__(kind, fields, **kwargs)
        self.endpoint = endpoint
        self.query = list(query)

    def read(self, document, schema_id=None):
        body = super(DpsMapping, self).read(document, schema_id)
        if self.schema_header and schema_id is not None:
            body = dict(body, **{SCHEMA_KEY: schema_id})
        return body


def family_members(kinds):
    """``{endpoint: [mappings]}`` of the endpoints several kinds share (``/offer-rules``: decision and eligibility rules)."""
    by_endpoint = {}
    for mapping in kinds.values():
        by_endpoint.setdefault(mapping.endpoint, []).append(mapping)
    return dict((endpoint, members) for endpoint, members in by_endpoint.items() if len(members) > 1)


def belongs(mapping, document, siblings=()):
    """Whether a document listed at ``mapping``'s endpoint is of that kind: it carries the kind's family flag, or,
    for a kind without one, none of its siblings' flags."""
    if mapping.family is not None:
        return document.get(mapping.family[0]) == mapping.family[1]
    return not any(other.family and document.get(other.family[0]) == other.family[1] for other in siblings)

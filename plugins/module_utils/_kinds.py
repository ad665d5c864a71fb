# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The Offer Library's object kinds: schema, @id prefix, and how module options map onto the API's fields.

FOR INTERNAL COLLECTION USE ONLY. Pure: no I/O, no Ansible.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import re

from ansible_collections.aep.offers.plugins.module_utils._diff import ANY, SET, Rules, parse_rfc3339

_OM = 'https://ns.adobe.com/experience/offer-management/'
CHANNEL_BASE = 'https://ns.adobe.com/xdm/channel-types/'
COMPONENT_TYPES = ('text', 'html', 'imagelink', 'json')
UUID_RE = re.compile(r'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z')


class InputError(Exception):
    """Bad input, found before anything is sent."""

    def __init__(self, option, message):
        self.option = option
        super(InputError, self).__init__('%s: %s' % (option, message) if option else message)


class Field:
    """One module option stored at ``path`` inside the instance body; ``convert`` maps the option's value."""

    def __init__(self, option, path, convert=None, date=False, derive=None, export=None):
        self.option = option
        self.path = tuple(path)
        self.convert = convert
        self.date = date
        self.derive = derive  # computes the value from all the params, when it depends on other options
        # The reverse of ``convert``: export(api value, whole body) gives the option's value, None to leave it out.
        self.export = export


class Kind:
    def __init__(self, key, title, schema, id_prefix, result_key, fields=(), lists=None, wholes=(), refs=None):
        self.key = key
        self.title = title
        self.schema = schema
        self.id_prefix = id_prefix
        self.result_key = result_key
        self.fields = list(fields)
        self.refs = dict(refs or {})
        self.rules = Rules(lists=lists, wholes=wholes, dates=[f.path for f in self.fields if f.date])
        self._id_re = re.compile('^' + re.escape(id_prefix) + r'[0-9A-Za-z_-]+\Z')

    def is_at_id(self, value):
        return isinstance(value, str) and bool(self._id_re.match(value))

    def desired(self, params):
        """The partial instance body the task asks for: only the options it gave, plus its raw ``instance``."""
        body = {}
        for field in self.fields:
            value = field.derive(params) if field.derive else params.get(field.option)
            if value is None:
                continue
            if field.date and parse_rfc3339(value) is None:
                raise InputError(field.option, '%r is not an RFC 3339 date-time (like 2026-01-31T23:59:59Z)' % (value,))
            _set_path(body, field.path, field.convert(value, field.option) if field.convert else value)
        raw = params.get('instance')
        if raw:
            if '@id' in raw:
                raise InputError('instance', '@id is set by the server and cannot be managed')
            body = _merge(raw, body, 'instance')
        return body

    def to_options(self, body):
        """The instance body as this kind's module options (the reverse of ``desired``); absent fields are left out."""
        options = {}
        for field in self.fields:
            found, value = _get_path(body, field.path)
            if not found or value is None:
                continue
            value = field.export(value, body) if field.export else copy.deepcopy(value)
            if value is not None:
                options[field.option] = value
        return options


def _get_path(body, path):
    node = body
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return False, None
        node = node[key]
    return True, node


def _set_path(body, path, value):
    node = body
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value


def _merge(raw, typed, label):
    """Typed options over the raw ``instance`` dict; the same field set by both is a conflict, not a silent choice."""
    result = dict(raw)
    for key, value in typed.items():
        if key not in raw:
            result[key] = value
        elif isinstance(value, dict) and isinstance(raw[key], dict):
            result[key] = _merge(raw[key], value, '%s.%s' % (label, key))
        else:
            raise InputError(label, '%r is also set by a typed option; set it in one place only' % key)
    return result


# Converters from module options to API values -------------------------------------------------------

def channel_uri(value):
    return value if ':' in value else CHANNEL_BASE + value


def component_type_uri(value):
    return value if ':' in value else _OM + 'content-component-' + value


def _short(value, prefix):
    return value[len(prefix):] if isinstance(value, str) and value.startswith(prefix) and len(value) > len(prefix) else value


def channel_name(value, body=None):
    """A channel URI as its short name when it has the standard prefix (the reverse of ``channel_uri``)."""
    return _short(value, CHANNEL_BASE)


def component_type_name(value, body=None):
    """A component type URI as its short name when it has the standard prefix (the reverse of ``component_type_uri``)."""
    return _short(value, _OM + 'content-component-')


def _representations(value, option):
    placements = set()
    result = []
    for index, item in enumerate(value):
        label = '%s[%d]' % (option, index)
        if not item.get('placement'):
            raise InputError(label + '.placement', 'is required')
        if item['placement'] in placements:
            raise InputError(label + '.placement', '%r appears twice; representations are matched by placement' % item['placement'])
        placements.add(item['placement'])
        rep = {'xdm:placement': item['placement']}
        if item.get('channel'):
            rep['xdm:channel'] = channel_uri(item['channel'])
        if item.get('components') is not None:
            rep['xdm:components'] = [_component(c, '%s.components[%d]' % (label, i)) for i, c in enumerate(item['components'])]
        result.append(rep)
    return result


_COMPONENT_FIELDS = (('format', 'dc:format'), ('content', 'xdm:content'), ('delivery_url', 'xdm:deliveryURL'),
                     ('link_url', 'xdm:linkURL'))


def _component(item, label):
    if item.get('type') not in COMPONENT_TYPES:
        raise InputError(label + '.type', 'must be one of %s, got %r' % (', '.join(COMPONENT_TYPES), item.get('type')))
    component = {'@type': component_type_uri(item['type'])}
    for option, api in _COMPONENT_FIELDS:
        if item.get(option) is not None:
            component[api] = item[option]
    if item.get('language') is not None:
        languages = item['language']
        component['dc:language'] = [languages] if isinstance(languages, str) else list(languages)
    return component


def _export_representations(value, body):
    result = []
    for rep in value or []:
        item = {'placement': rep.get('xdm:placement')}
        if rep.get('xdm:channel'):
            item['channel'] = channel_name(rep['xdm:channel'])
        if rep.get('xdm:components') is not None:
            item['components'] = [_export_component(c) for c in rep['xdm:components']]
        result.append(item)
    return result


def _export_component(component):
    item = {'type': component_type_name(component.get('@type'))}
    for option, api in _COMPONENT_FIELDS:
        if component.get(api) is not None:
            item[option] = component[api]
    if component.get('dc:language') is not None:
        item['language'] = list(component['dc:language'])
    return item


def _list(value, option):
    return list(value)


def _non_negative(value, option):
    if value < 0:
        raise InputError(option, 'must be 0 or more, got %d' % value)
    return value


def _capping(value, option):
    result = {}
    for name, api in (('global', 'xdm:globalCap'), ('profile', 'xdm:profileCap')):
        if value.get(name) is not None:
            result[api] = _non_negative(value[name], '%s.%s' % (option, name))
    return result


def _export_capping(value, body):
    result = {}
    for name, api in (('global', 'xdm:globalCap'), ('profile', 'xdm:profileCap')):
        if value.get(api) is not None:
            result[name] = value[api]
    return result or None


def _characteristics(value, option):
    for key, item in value.items():
        if not isinstance(item, str):
            raise InputError('%s.%s' % (option, key), 'values are strings, got %r' % (item,))
    return dict(value)


# The kinds ------------------------------------------------------------------------------------------

_REPRESENTATION_RULES = {
    ('xdm:representations',): 'xdm:placement',
    ('xdm:representations', ANY, 'xdm:components', ANY, 'dc:language'): SET,
    ('xdm:tags',): SET,
}
_REPRESENTATION_REFS = {
    ('xdm:representations', ANY, 'xdm:placement'): ('placement', 'representations[].placement'),
    ('xdm:tags', ANY): ('tag', 'tags[]'),
}

PLACEMENT = Kind(
    'placement', 'placement', _OM + 'offer-placement;version=0.4', 'xcore:offer-placement:', 'placement',
    fields=[
        Field('name', ['xdm:name']),
        Field('description', ['xdm:description']),
        Field('channel', ['xdm:channel'], lambda value, option: channel_uri(value), export=channel_name),
        Field('component_type', ['xdm:componentType'], lambda value, option: component_type_uri(value), export=component_type_name),
        Field('content_types', ['xdm:contentTypes'], _list),
    ],
    lists={('xdm:contentTypes',): SET},
)
TAG = Kind('tag', 'collection qualifier', _OM + 'tag;version=0.1', 'xcore:tag:', 'collection_qualifier',
           fields=[Field('name', ['xdm:name'])])


def _pql(value, option):
    return {'xdm:type': 'PQL', 'xdm:format': 'pql/text', 'xdm:value': value}


ELIGIBILITY_RULE = Kind(
    'eligibility_rule', 'decision rule', _OM + 'eligibility-rule;version=0.3', 'xcore:eligibility-rule:', 'decision_rule',
    fields=[
        Field('name', ['xdm:name']),
        Field('description', ['description']),
        Field('condition', ['xdm:condition'], _pql, export=lambda value, body: value.get('xdm:value') if isinstance(value, dict) else value),
        Field('defined_on', ['xdm:definedOn']),
    ],
)


def _filter_type(params):
    """A collection lists offers, or matches qualifiers; the list it is given says which."""
    given = params.get('filter_type')
    if params.get('offers') is not None:
        if given not in (None, 'offers'):
            raise InputError('filter_type', 'must be offers when offers are given, got %r' % given)
        return 'offers'
    if params.get('qualifiers') is not None:
        if given == 'offers':
            raise InputError('filter_type', 'must be anyTags or allTags when qualifiers are given')
        return given or 'anyTags'
    return given


def _filter_ids_kind(body):
    return 'offer' if body.get('xdm:filterType') == 'offers' else 'tag'


OFFER_FILTER = Kind(
    'offer_filter', 'collection', _OM + 'offer-filter;version=0.1', 'xcore:offer-filter:', 'collection',
    fields=[
        Field('name', ['xdm:name']),
        Field('filter_type', ['xdm:filterType'], derive=_filter_type),
        Field('offers', ['xdm:ids'], _list, export=lambda value, body: list(value) if _filter_ids_kind(body) == 'offer' else None),
        Field('qualifiers', ['xdm:ids'], _list, export=lambda value, body: list(value) if _filter_ids_kind(body) == 'tag' else None),
    ],
    lists={('xdm:ids',): SET},
    refs={('xdm:ids', ANY): (_filter_ids_kind, 'offers/qualifiers')},
)


def _criteria(value, option):
    result = []
    for index, item in enumerate(value):
        label = '%s[%d]' % (option, index)
        if not item.get('placements'):
            raise InputError(label + '.placements', 'needs at least one placement')
        if not item.get('collection'):
            raise InputError(label + '.collection', 'is required')
        criterion = {'xdm:placements': list(item['placements']),
                     'xdm:optionSelection': {'xdm:filter': item['collection']}}
        if item.get('eligibility_rule'):
            criterion['xdm:selectionConstraint'] = {'xdm:eligibilityRule': item['eligibility_rule']}
        result.append(criterion)
    return result


def _export_criteria(value):
    result = []
    for criterion in value or []:
        item = {'placements': list(criterion.get('xdm:placements') or []),
                'collection': (criterion.get('xdm:optionSelection') or {}).get('xdm:filter')}
        rule = (criterion.get('xdm:selectionConstraint') or {}).get('xdm:eligibilityRule')
        if rule:
            item['eligibility_rule'] = rule
        result.append(item)
    return result


OFFER_ACTIVITY = Kind(
    'offer_activity', 'decision', _OM + 'offer-activity;version=0.5', 'xcore:offer-activity:', 'decision',
    fields=[
        Field('name', ['xdm:name']),
        Field('status', ['xdm:status']),
        Field('start_date', ['xdm:startDate'], date=True),
        Field('end_date', ['xdm:endDate'], date=True),
        Field('criteria', ['xdm:criteria'], _criteria, export=lambda value, body: _export_criteria(value)),
        Field('fallback', ['xdm:fallback']),
    ],
    lists={('xdm:criteria', ANY, 'xdm:placements'): SET},
    refs={
        ('xdm:criteria', ANY, 'xdm:placements', ANY): ('placement', 'criteria[].placements'),
        ('xdm:criteria', ANY, 'xdm:optionSelection', 'xdm:filter'): ('offer_filter', 'criteria[].collection'),
        ('xdm:criteria', ANY, 'xdm:selectionConstraint', 'xdm:eligibilityRule'): ('eligibility_rule', 'criteria[].eligibility_rule'),
        ('xdm:fallback',): ('fallback_offer', 'fallback'),
    },
)

FALLBACK_OFFER = Kind(
    'fallback_offer', 'fallback offer', _OM + 'fallback-offer;version=0.1', 'xcore:fallback-offer:', 'fallback_offer',
    fields=[
        Field('name', ['xdm:name']),
        Field('status', ['xdm:status']),
        Field('representations', ['xdm:representations'], _representations, export=_export_representations),
        Field('tags', ['xdm:tags'], _list),
        Field('characteristics', ['xdm:characteristics'], _characteristics),
    ],
    lists=_REPRESENTATION_RULES,
    wholes=[('xdm:characteristics',)],
    refs=_REPRESENTATION_REFS,
)

OFFER = Kind(
    'offer', 'personalized offer', _OM + 'personalized-offer;version=0.5', 'xcore:personalized-offer:', 'offer',
    fields=[
        Field('name', ['xdm:name']),
        Field('status', ['xdm:status']),
        Field('representations', ['xdm:representations'], _representations, export=_export_representations),
        Field('start_date', ['xdm:selectionConstraint', 'xdm:startDate'], date=True),
        Field('end_date', ['xdm:selectionConstraint', 'xdm:endDate'], date=True),
        Field('eligibility_rule', ['xdm:selectionConstraint', 'xdm:eligibilityRule']),
        Field('priority', ['xdm:rank', 'xdm:priority'], _non_negative),
        Field('capping', ['xdm:cappingConstraint'], _capping, export=_export_capping),
        Field('tags', ['xdm:tags'], _list),
        Field('characteristics', ['xdm:characteristics'], _characteristics),
    ],
    lists=_REPRESENTATION_RULES,
    wholes=[('xdm:characteristics',)],
    refs=dict(list(_REPRESENTATION_REFS.items()) + [
        (('xdm:selectionConstraint', 'xdm:eligibilityRule'), ('eligibility_rule', 'eligibility_rule')),
    ]),
)

KINDS = dict((k.key, k) for k in (OFFER, FALLBACK_OFFER, PLACEMENT, TAG, ELIGIBILITY_RULE, OFFER_FILTER, OFFER_ACTIVITY))


def check_instance_id(value):
    if value is not None and not UUID_RE.match(value):
        raise InputError('instance_id', '%r is not an instance id (a UUID like 0f4bc230-13df-11eb-bc55-c11be7252432)' % (value,))


def reference_slots(kind, body):
    """Yields (container, key, referenced kind, option label) for every reference the body holds."""
    for pattern, (ref_key, label) in kind.refs.items():
        # A reference's kind may depend on the document (a collection's ids are offers or qualifiers).
        ref_kind = KINDS[ref_key(body) if callable(ref_key) else ref_key]
        for container, key in _walk(body, pattern):
            yield container, key, ref_kind, label


def _walk(node, pattern):
    if not pattern:
        return
    head, rest = pattern[0], pattern[1:]
    if head == ANY:
        if isinstance(node, list):
            for index in range(len(node)):
                if rest:
                    yield from _walk(node[index], rest)
                else:
                    yield node, index
    elif isinstance(node, dict) and head in node:
        if rest:
            yield from _walk(node[head], rest)
        else:
            yield node, head


def split_references(kind, body):
    """Checks reference formats (pure); returns ``{(referenced kind key, name): option label}`` for the names to look up.

    A value starting ``xcore:`` must be an @id of the right kind; anything else is taken as a name.
    """
    names = {}
    for container, key, ref_kind, label in reference_slots(kind, body):
        value = container[key]
        if not isinstance(value, str) or not value:
            raise InputError(label, 'must be a %s @id or name, got %r' % (ref_kind.title, value))
        if value.startswith('xcore:'):
            if not ref_kind.is_at_id(value):
                raise InputError(label, '%r is not a %s @id (expected %s followed by letters and digits)'
                                 % (value, ref_kind.title, ref_kind.id_prefix))
        else:
            names.setdefault((ref_kind.key, value), label)
    return names


def substitute_references(kind, body, resolved):
    """Replaces names with the @ids in ``resolved[(kind key, name)]``."""
    for container, key, ref_kind, label in reference_slots(kind, body):
        value = container[key]
        if not value.startswith('xcore:'):
            container[key] = resolved[(ref_kind.key, value)]
    return body


def name_references(kind, body, names):
    """Replaces the @ids of ``body``'s references with the names in ``names[(kind key, @id)]`` (the reverse of
    ``substitute_references``); an @id without a known, unique name stays as it is."""
    for container, key, ref_kind, label in reference_slots(kind, body):
        name = names.get((ref_kind.key, container[key]))
        if name is not None:
            container[key] = name
    return body

# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Adobe's documented dps examples, transcribed as data: one JSON file per kind.

Each file holds, for one kind of the persistence API (``/data/core/dps``), the examples of Adobe's
pages (repository ``AdobeDocs/journey-optimizer.en``, the page and commit named in each example's
``source``): ``create`` (request and receipt), ``lookup`` (GET one), ``list`` (``results`` and the
whole envelope), ``update`` (PATCH operations or PUT body, and receipt) and ``delete`` (method and
status; ``null`` where no page exists). ``status`` is the page's HTTP status, or ``null`` where the
page gives none. Field names, nesting and values are as the pages write them, placeholders
included (``{ID}``, ``offerPlacement1234``, ``_<imsOrg>``); where a page's JSON is invalid only the
syntax was fixed, and ``notes`` says so.

Pure standard library, so the emulator tests and the unit tests can both use it.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import io
import json
import os

KINDS = (
    'personalized_offer', 'fallback_offer', 'placement', 'collection', 'collection_qualifier', 'decision_rule',
    'decision', 'decision_item', 'item_collection', 'selection_strategy', 'ranking_formula', 'eligibility_rule',
    'decisioning_placement',
)
OPERATIONS = ('create', 'lookup', 'list', 'update', 'delete')
# The pages write a decision item's custom-attribute object as placeholders for the `_<tenant>` key a client sends.
TENANT_PLACEHOLDERS = ('_<imsOrg>', 'YOUR_CUSTOM_ATTRIBUTES')
TENANT = '_aeptenant'
_HERE = os.path.dirname(os.path.abspath(__file__))


def load(kind):
    """The kind's examples: ``{"kind", "endpoint", "examples": {operation: example or None}, "notes"}`` (a fresh copy)."""
    if kind not in KINDS:
        raise KeyError('%r is not one of %s' % (kind, ', '.join(KINDS)))
    with io.open(os.path.join(_HERE, kind + '.json'), encoding='utf-8') as handle:
        return json.load(handle)


def real(value):
    """A documented body as a client sends it: the tenant placeholder replaced by a tenant key."""
    if isinstance(value, dict):
        return dict(((TENANT if key in TENANT_PLACEHOLDERS else key), real(element)) for key, element in value.items())
    if isinstance(value, list):
        return [real(element) for element in value]
    return value


def paths_of(value, prefix=''):
    """Every key path in a JSON value: dotted, list elements written ``[]``
    (``representations[].components[].type``); a key holding an object or list is a path too."""
    found = set()
    if isinstance(value, dict):
        for key, element in value.items():
            path = prefix + '.' + key if prefix else key
            found.add(path)
            found |= paths_of(element, path)
    elif isinstance(value, list):
        for element in value:
            found |= paths_of(element, prefix + '[]')
    return found


def pointer_path(pointer):
    """A JSON Pointer (``/_experience/decisioning/decisionitem/itemName``) as a dotted path; array
    indexes (and ``-``) become ``[]``."""
    path = ''
    for token in pointer.split('/')[1:]:
        token = token.replace('~1', '/').replace('~0', '~')
        if token == '-' or token.isdigit():
            path += '[]'
        else:
            path = path + '.' + token if path else token
    return path


def request_paths(example):
    """The object paths an example's request shows: a body's keys, or a JSON Patch's targets (and
    the keys of the values they set)."""
    request = example.get('request')
    if isinstance(request, list):
        found = set()
        for operation in request:
            target = pointer_path(operation['path'])
            found.add(target)
            found |= paths_of(operation.get('value'), target)
        return found
    return paths_of(request)


def documented_paths(kind):
    """The field paths of one object of ``kind`` that Adobe's examples show: in request bodies
    (create, PUT, PATCH targets), receipts, the lookup and each list result (not the list envelope)."""
    examples = load(kind)['examples']
    found = set()
    for operation in OPERATIONS:
        example = examples.get(operation)
        if not example:
            continue
        found |= request_paths(example)
        if operation == 'list':
            for result in example['results']:
                found |= paths_of(result)
        elif isinstance(example.get('response'), dict):
            found |= paths_of(example['response'])
    return found

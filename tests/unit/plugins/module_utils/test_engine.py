# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Converging one object (``_engine``) against an in-memory API with the XcoreApi methods."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import itertools

import jsonpatch
import pytest

from ansible_collections.aep.offers.plugins.module_utils._api import Receipt, Record
from ansible_collections.aep.offers.plugins.module_utils._client import ApiError, CheckModeWrite
from ansible_collections.aep.offers.plugins.module_utils._engine import Engine
from ansible_collections.aep.offers.plugins.module_utils._errors import EngineError
from ansible_collections.aep.offers.plugins.module_utils._xcore import KINDS, XcoreApi, bare_schema

OFFER, PLACEMENT, TAG = KINDS['offer'], KINDS['placement'], KINDS['collection_qualifier']

WEB = 'xcore:offer-placement:web1'
EMAIL = 'xcore:offer-placement:mail1'
REP_WEB = {'xdm:placement': WEB, 'xdm:channel': 'https://ns.adobe.com/xdm/channel-types/web',
           'xdm:components': [{'@type': 'https://ns.adobe.com/experience/offer-management/content-component-text',
                               'dc:format': 'text/plain', 'dc:language': ['en'], 'xdm:content': 'Hi'}]}


class FakeApi(XcoreApi):
    """Stores documents like the xcore API: etags, If-Match (409), server defaults on create, JSON Patch."""

    PATH = '/data/core/xcore/c/instances'

    def __init__(self, check_mode=False):
        super(FakeApi, self).__init__(None, 'c')
        self.docs = {}
        self.calls = []
        self.check_mode = check_mode
        self._ids = itertools.count(1)
        self._xcore = XcoreApi(None, 'c')
        self.before_patch = None   # callable(api, record, ops), e.g. another user writing first
        self.before_create = None  # callable(api, body) -> raise to fail; return value ignored
        self.after_create = None   # callable(api, receipt) -> raise to lose the answer
        self.create_defaults = {'xdm:status': 'draft', 'xdm:rank': {'xdm:priority': 0}, 'xdm:tags': [], 'xdm:characteristics': {}}

    # helpers for tests
    def add(self, kind, body, etag=1):
        iid = '00000000-0000-4000-8000-%012d' % next(self._ids)
        body = copy.deepcopy(body)
        body['@id'] = kind.id_prefix + iid[-6:]
        self.docs[iid] = {'instanceId': iid, 'schemas': [kind.schema], 'repo:etag': etag, '_instance': body}
        return iid

    def body(self, iid):
        return self.docs[iid]['_instance']

    def other_user(self, iid, ops):
        """Someone else's successful PATCH."""
        doc = self.docs[iid]
        self.docs[iid] = jsonpatch.apply_patch(doc, self._xcore.envelope(ops))
        self.docs[iid]['repo:etag'] = doc['repo:etag'] + 1

    def count(self, name):
        return len([c for c in self.calls if c[0] == name])

    # the XcoreApi methods the engine uses
    def get(self, kind, instance_id):
        self.calls.append(('get', kind.key, instance_id))
        doc = self.docs.get(instance_id)
        if doc is None or bare_schema(doc['schemas'][0]) != bare_schema(kind.schema):
            return None
        return self.record(copy.deepcopy(doc))

    def list(self, kind, name=None, at_id=None, properties=(), order_by=None, limit=None):
        self.calls.append(('list', kind.key, name))
        for doc in list(self.docs.values()):
            if bare_schema(doc['schemas'][0]) != bare_schema(kind.schema):
                continue
            if name is not None and doc['_instance'].get('xdm:name') != name:
                continue
            yield self.record(copy.deepcopy(doc))

    def _writing(self):
        assert not self.check_mode, 'write in check mode'

    def create(self, kind, body):
        self._writing()
        self.calls.append(('create', kind.key, copy.deepcopy(body)))
        if self.before_create:
            self.before_create(self, body)
        stored = dict(copy.deepcopy(self.create_defaults), **copy.deepcopy(body))
        iid = self.add(kind, stored)
        doc = self.docs[iid]
        receipt = Receipt(iid, doc['_instance']['@id'], doc['repo:etag'],
                          {'instanceId': iid, '@id': doc['_instance']['@id'], 'repo:etag': doc['repo:etag']})
        if self.after_create:
            self.after_create(self, receipt)
        return receipt

    def patch(self, kind, record, operations):
        self._writing()
        self.calls.append(('patch', kind.key, record.instance_id, record.etag, copy.deepcopy(operations)))
        if self.before_patch:
            self.before_patch(self, record, operations)
        doc = self.docs.get(record.instance_id)
        if doc is None:
            raise ApiError('PATCH', self.PATH, status=404, title='Not Found')
        if doc['repo:etag'] != record.etag:
            raise ApiError('PATCH', self.PATH, status=409, title='Conflict', detail='etag mismatch')
        self.other_user(record.instance_id, operations)
        doc = self.docs[record.instance_id]
        return Receipt(record.instance_id, doc['_instance']['@id'], doc['repo:etag'],
                       {'instanceId': record.instance_id, '@id': doc['_instance']['@id'], 'repo:etag': doc['repo:etag'],
                        'repo:lastModifiedDate': '2026-01-01T00:00:00Z'})

    def delete(self, kind, record):
        self._writing()
        self.calls.append(('delete', kind.key, record.instance_id, record.etag))
        doc = self.docs.get(record.instance_id)
        if doc is None:
            raise ApiError('DELETE', self.PATH, status=404, title='Not Found')
        if doc['repo:etag'] != record.etag:
            raise ApiError('DELETE', self.PATH, status=409, title='Conflict')
        del self.docs[record.instance_id]


def stored_offer(api, **fields):
    body = {'xdm:name': 'Sale', 'xdm:status': 'approved', 'xdm:representations': [copy.deepcopy(REP_WEB)],
            'xdm:rank': {'xdm:priority': 1}, 'xdm:tags': ['xcore:tag:1'], 'xdm:characteristics': {'a': '1'}}
    body.update(fields)
    return api.add(OFFER, body, etag=5)


def engine(api, **kwargs):
    warnings, sleeps = [], []
    kwargs.setdefault('warn', warnings.append)
    kwargs.setdefault('sleep', sleeps.append)
    result = Engine(api, OFFER.key, **kwargs)
    result.warnings, result.sleeps = warnings, sleeps
    return result


def writes(api):
    return [c[0] for c in api.calls if c[0] in ('create', 'patch', 'delete')]


# create -----------------------------------------------------------------------------------------

def test_create_when_missing():
    api = FakeApi()
    desired = {'xdm:name': 'Sale', 'xdm:status': 'draft', 'xdm:representations': [REP_WEB], 'xdm:tags': ['xcore:tag:1'],
               'xdm:endDate': None}
    result = engine(api).present(desired, name='Sale')
    assert result['changed'] is True and result['action'] == 'create'
    assert writes(api) == ['create']
    [sent] = [c[2] for c in api.calls if c[0] == 'create']
    assert sent == {'xdm:name': 'Sale', 'xdm:status': 'draft', 'xdm:representations': [REP_WEB], 'xdm:tags': ['xcore:tag:1']}
    [iid] = list(api.docs)
    assert result['instance_id'] == iid and result['id'] == api.body(iid)['@id'] and result['etag'] == 1
    assert result['offer'] == api.docs[iid]
    assert result['patch'] == []
    assert result['diff']['before'] == {}
    assert result['diff']['after']['xdm:name'] == 'Sale'
    # The next run changes nothing.
    again = engine(api).present(desired, name='Sale')
    assert again['changed'] is False and writes(api) == ['create']


def test_create_then_converges_what_the_server_changed():
    api = FakeApi()
    api.create_defaults = {}
    api.before_create = lambda api_, body: body.__setitem__('xdm:status', 'draft')  # the server ignores the status
    result = engine(api).present({'xdm:name': 'Sale', 'xdm:status': 'approved'}, name='Sale')
    assert writes(api) == ['create', 'patch']
    assert api.calls[-1][4] == [{'op': 'replace', 'path': '/xdm:status', 'value': 'approved'}]
    assert result['action'] == 'create' and result['changed'] is True
    assert api.body(result['instance_id'])['xdm:status'] == 'approved'


def test_create_needs_a_name():
    api = FakeApi()
    with pytest.raises(EngineError, match='needs a name'):
        engine(api).present({'xdm:status': 'draft'}, name='Sale')
    assert writes(api) == []


def test_lost_create_answer_is_found_by_name():
    api = FakeApi()

    def lose(api_, receipt):
        raise ApiError('POST', FakeApi.PATH, reason='Read timed out')

    api.after_create = lose
    eng = engine(api)
    result = eng.present({'xdm:name': 'Sale', 'xdm:status': 'draft'}, name='Sale')
    assert writes(api) == ['create']
    [iid] = list(api.docs)
    assert result['instance_id'] == iid and result['action'] == 'create' and result['changed'] is True
    assert eng.sleeps == []
    assert any('exists' in w for w in eng.warnings)


def test_create_failure_without_object_is_retried_after_a_look_up():
    api = FakeApi()
    failures = [ApiError('POST', FakeApi.PATH, status=503, title='busy')]

    def fail_once(api_, body):
        if failures:
            raise failures.pop()

    api.before_create = fail_once
    eng = engine(api)
    result = eng.present({'xdm:name': 'Sale'}, name='Sale')
    assert writes(api) == ['create', 'create']
    assert len(api.docs) == 1 and result['instance_id'] in api.docs
    # find, create (503), look-up by name, create again, read back
    assert [c[0] for c in api.calls] == ['list', 'create', 'list', 'create', 'get']
    assert eng.sleeps == [0.5]


def test_create_429_waits_retry_after_without_look_up():
    api = FakeApi()
    failures = [ApiError('POST', FakeApi.PATH, status=429, retry_after=7.0)]

    def throttle(api_, body):
        if failures:
            raise failures.pop()

    api.before_create = throttle
    eng = engine(api)
    eng.present({'xdm:name': 'Sale'}, name='Sale')
    assert [c[0] for c in api.calls] == ['list', 'create', 'create', 'get']
    assert eng.sleeps == [7.0]


def test_create_refused_is_not_retried():
    api = FakeApi()

    def refuse(api_, body):
        raise ApiError('POST', FakeApi.PATH, status=400, title='Invalid')

    api.before_create = refuse
    with pytest.raises(ApiError):
        engine(api).present({'xdm:name': 'Sale'}, name='Sale')
    assert writes(api) == ['create']


def test_create_gives_up_after_create_retries():
    api = FakeApi()

    def busy(api_, body):
        raise ApiError('POST', FakeApi.PATH, status=502)

    api.before_create = busy
    eng = engine(api, create_retries=2)
    with pytest.raises(ApiError):
        eng.present({'xdm:name': 'Sale'}, name='Sale')
    assert writes(api) == ['create'] * 3 and len(eng.sleeps) == 2


# no change / update -----------------------------------------------------------------------------

def test_no_op_is_one_read_and_no_write():
    api = FakeApi()
    iid = stored_offer(api)
    desired = {'xdm:name': 'Sale', 'xdm:representations': [copy.deepcopy(REP_WEB)], 'xdm:tags': ['xcore:tag:1'],
               'xdm:rank': {'xdm:priority': 1}, 'xdm:endDate': None}
    result = engine(api).present(desired, name='Sale')
    assert result['changed'] is False and result['action'] == 'none' and result['patch'] == []
    assert api.calls == [('list', 'offer', 'Sale')]
    assert result['instance_id'] == iid and result['etag'] == 5
    assert result['diff']['before'] == result['diff']['after']


def test_no_op_by_instance_id_is_one_get():
    api = FakeApi()
    iid = stored_offer(api)
    result = engine(api).present({'xdm:status': 'approved'}, instance_id=iid)
    assert result['changed'] is False
    assert api.calls == [('get', 'offer', iid)]


def test_update_sends_minimal_patch_with_etag_read():
    api = FakeApi()
    iid = stored_offer(api)
    before = copy.deepcopy(api.body(iid))
    desired = {'xdm:rank': {'xdm:priority': 3}, 'xdm:tags': ['xcore:tag:1', 'xcore:tag:2'], 'xdm:characteristics': {}}
    result = engine(api).present(desired, instance_id=iid)
    ops = [{'op': 'remove', 'path': '/xdm:characteristics/a'},
           {'op': 'replace', 'path': '/xdm:rank/xdm:priority', 'value': 3},
           {'op': 'add', 'path': '/xdm:tags/-', 'value': 'xcore:tag:2'}]
    [patch] = [c for c in api.calls if c[0] == 'patch']
    assert patch[3] == 5  # the etag read goes in If-Match
    assert sorted(patch[4], key=lambda o: o['path']) == ops
    assert result['changed'] is True and result['action'] == 'update'
    assert sorted(result['patch'], key=lambda o: o['path']) == [dict(o, path='/_instance' + o['path']) for o in ops]
    assert result['etag'] == 6
    assert result['offer']['repo:lastModifiedDate'] == '2026-01-01T00:00:00Z'
    assert result['offer']['_instance'] == api.body(iid)
    after = api.body(iid)
    assert after['xdm:rank'] == {'xdm:priority': 3} and sorted(after['xdm:tags']) == ['xcore:tag:1', 'xcore:tag:2']
    assert after['xdm:characteristics'] == {}
    assert dict((k, v) for k, v in after.items() if k not in desired) == dict((k, v) for k, v in before.items() if k not in desired)
    assert result['diff']['before'] == {'xdm:rank': {'xdm:priority': 1}, 'xdm:tags': ['xcore:tag:1'], 'xdm:characteristics': {'a': '1'}}
    assert result['diff']['after'] == {'xdm:rank': {'xdm:priority': 3}, 'xdm:tags': ['xcore:tag:1', 'xcore:tag:2'],
                                       'xdm:characteristics': {}}


def test_conflict_rereads_and_replans_keeping_the_other_change():
    api = FakeApi()
    iid = stored_offer(api)

    def someone_else(api_, record, ops):
        api_.before_patch = None
        api_.other_user(record.instance_id, [{'op': 'replace', 'path': '/xdm:status', 'value': 'archived'},
                                             {'op': 'add', 'path': '/xdm:tags/-', 'value': 'xcore:tag:9'}])

    api.before_patch = someone_else
    eng = engine(api)
    result = eng.present({'xdm:rank': {'xdm:priority': 4}, 'xdm:tags': ['xcore:tag:1', 'xcore:tag:9']}, instance_id=iid)
    patches = [c for c in api.calls if c[0] == 'patch']
    assert [p[3] for p in patches] == [5, 6]
    assert sorted(patches[0][4], key=lambda o: o['path']) == [
        {'op': 'replace', 'path': '/xdm:rank/xdm:priority', 'value': 4}, {'op': 'add', 'path': '/xdm:tags/-', 'value': 'xcore:tag:9'}]
    # Planned again from the new read: the tag is there already.
    assert patches[1][4] == [{'op': 'replace', 'path': '/xdm:rank/xdm:priority', 'value': 4}]
    assert [c[0] for c in api.calls] == ['get', 'patch', 'get', 'patch']
    body = api.body(iid)
    assert body['xdm:status'] == 'archived' and body['xdm:rank'] == {'xdm:priority': 4}
    assert body['xdm:tags'] == ['xcore:tag:1', 'xcore:tag:9']
    assert result['etag'] == 7 and result['changed'] is True
    assert len(eng.warnings) == 1 and '409' in eng.warnings[0]


@pytest.mark.parametrize('retries', [0, 1, 3])
def test_conflict_retries_exhausted(retries):
    api = FakeApi()
    iid = stored_offer(api)
    api.before_patch = lambda api_, record, ops: api_.other_user(record.instance_id, [{'op': 'add', 'path': '/x', 'value': 1}])
    with pytest.raises(EngineError) as info:
        engine(api, conflict_retries=retries).present({'xdm:status': 'draft'}, instance_id=iid)
    assert api.count('patch') == retries + 1
    assert api.count('get') == retries + 1  # the first read and one per conflict but the last
    assert '409' in str(info.value) and iid in str(info.value)
    assert info.value.details['status'] == 409
    assert api.body(iid)['xdm:status'] == 'approved'


def test_deleted_while_updating():
    api = FakeApi()
    iid = stored_offer(api)

    def bump_then_delete(api_, record, ops):
        api_.docs[iid]['repo:etag'] += 1
        api_.before_patch = None
        del api_.docs[iid]

    api.before_patch = bump_then_delete
    with pytest.raises(ApiError) as info:
        engine(api).present({'xdm:status': 'draft'}, instance_id=iid)
    assert info.value.status == 404


def test_conflict_then_gone_is_engine_error():
    api = FakeApi()
    iid = stored_offer(api)

    def patch(kind, record, operations):
        api.calls.append(('patch', kind.key, record.instance_id, record.etag, operations))
        del api.docs[iid]
        raise ApiError('PATCH', FakeApi.PATH, status=409)

    api.patch = patch
    with pytest.raises(EngineError, match='deleted by someone else'):
        engine(api).present({'xdm:status': 'draft'}, instance_id=iid)
    assert [c[0] for c in api.calls] == ['get', 'patch', 'get']


def test_other_api_errors_propagate():
    api = FakeApi()
    iid = stored_offer(api)

    def fail(api_, record, ops):
        raise ApiError('PATCH', FakeApi.PATH, status=422, title='Unprocessable')

    api.before_patch = fail
    with pytest.raises(ApiError) as info:
        engine(api).present({'xdm:status': 'draft'}, instance_id=iid)
    assert info.value.status == 422 and api.count('patch') == 1


# check mode -------------------------------------------------------------------------------------

def test_check_mode_update_reports_the_planned_patch():
    api = FakeApi(check_mode=True)
    iid = stored_offer(api)
    before = copy.deepcopy(api.docs)
    result = engine(api, check_mode=True).present({'xdm:status': 'draft', 'xdm:tags': []}, instance_id=iid)
    assert writes(api) == [] and api.docs == before
    assert result['changed'] is True and result['action'] == 'update'
    assert result['patch'] == [{'op': 'replace', 'path': '/_instance/xdm:status', 'value': 'draft'},
                               {'op': 'remove', 'path': '/_instance/xdm:tags/0'}]
    assert result['offer']['_instance']['xdm:status'] == 'draft' and result['offer']['_instance']['xdm:tags'] == []
    assert result['etag'] == 5
    assert result['diff'] == {'before': {'xdm:status': 'approved', 'xdm:tags': ['xcore:tag:1']},
                              'after': {'xdm:status': 'draft', 'xdm:tags': []}}


def test_check_mode_create_writes_nothing():
    api = FakeApi(check_mode=True)
    result = engine(api, check_mode=True).present({'xdm:name': 'Sale', 'xdm:status': None, 'xdm:tags': ['xcore:tag:1']}, name='Sale')
    assert writes(api) == [] and api.docs == {}
    assert result['changed'] is True and result['action'] == 'create' and result['instance_id'] is None
    assert result['offer'] == {'_instance': {'xdm:name': 'Sale', 'xdm:tags': ['xcore:tag:1']}}
    assert result['diff']['after'] == {'xdm:name': 'Sale', 'xdm:tags': ['xcore:tag:1']}


def test_check_mode_no_change():
    api = FakeApi(check_mode=True)
    iid = stored_offer(api)
    result = engine(api, check_mode=True).present({'xdm:status': 'approved'}, instance_id=iid)
    assert result['changed'] is False and writes(api) == []


def test_check_mode_absent_writes_nothing():
    api = FakeApi(check_mode=True)
    iid = stored_offer(api)
    result = engine(api, check_mode=True).absent(name='Sale')
    assert result['changed'] is True and result['action'] == 'delete' and result['instance_id'] == iid
    assert writes(api) == [] and iid in api.docs


def test_write_gate_refuses_in_check_mode():
    api = FakeApi()
    iid = stored_offer(api)
    eng = engine(api, check_mode=True)
    with pytest.raises(CheckModeWrite):
        eng._write('delete', Record(iid, None, 5, {}))  # pylint: disable=protected-access
    assert iid in api.docs


# absent -----------------------------------------------------------------------------------------

def test_absent_twice():
    api = FakeApi()
    iid = stored_offer(api)
    stored_offer(api, **{'xdm:name': 'Other'})
    eng = engine(api)
    first = eng.absent(name='Sale')
    assert first['changed'] is True and first['action'] == 'delete'
    assert first['instance_id'] == iid and first['diff']['after'] == {} and first['diff']['before']['xdm:name'] == 'Sale'
    assert [c for c in api.calls if c[0] == 'delete'] == [('delete', 'offer', iid, 5)]
    assert iid not in api.docs and len(api.docs) == 1
    second = eng.absent(name='Sale')
    assert second['changed'] is False and second['action'] == 'none'
    assert api.count('delete') == 1


def test_absent_by_unknown_instance_id():
    api = FakeApi()
    result = engine(api).absent(instance_id='00000000-0000-4000-8000-000000000099')
    assert result['changed'] is False and writes(api) == []


def test_absent_conflict_rereads_and_deletes():
    api = FakeApi()
    iid = stored_offer(api)
    real_delete = api.delete
    bumped = []

    def delete(kind, record):
        if not bumped:
            bumped.append(True)
            api.docs[iid]['repo:etag'] += 1
        return real_delete(kind, record)

    api.delete = delete
    result = engine(api).absent(instance_id=iid)
    assert result['changed'] is True and iid not in api.docs
    assert [c[3] for c in api.calls if c[0] == 'delete'] == [5, 6]


def test_absent_already_gone_during_delete():
    api = FakeApi()
    iid = stored_offer(api)
    real_delete = api.delete

    def delete(kind, record):
        api.docs.pop(iid)
        return real_delete(kind, record)

    api.delete = delete
    assert engine(api).absent(instance_id=iid)['changed'] is True


# finding and names ------------------------------------------------------------------------------

def test_present_unknown_instance_id_does_not_create():
    api = FakeApi()
    with pytest.raises(EngineError, match='no personalized offer has instance_id'):
        engine(api).present({'xdm:name': 'Sale'}, instance_id='00000000-0000-4000-8000-000000000099')
    assert writes(api) == []


def test_two_objects_with_the_name():
    api = FakeApi()
    first, second = stored_offer(api), stored_offer(api)
    with pytest.raises(EngineError) as info:
        engine(api).present({'xdm:status': 'draft'}, name='Sale')
    assert sorted(info.value.details['instance_ids']) == sorted([first, second])
    assert writes(api) == []


def test_names_resolve_to_ids_once_per_distinct_name():
    api = FakeApi()
    web = api.add(PLACEMENT, {'xdm:name': 'web-banner'})
    vip = api.add(TAG, {'xdm:name': 'vip'})
    api.add(TAG, {'xdm:name': 'vipp'})
    gold = api.add(TAG, {'xdm:name': 'gold'})
    desired = {'xdm:name': 'Sale', 'xdm:representations': [dict(REP_WEB, **{'xdm:placement': 'web-banner'})],
               'xdm:tags': ['vip', 'gold', 'vip', 'xcore:tag:abc']}
    eng = engine(api)
    result = eng.present(desired, name='Sale')
    lookups = [c for c in api.calls if c[0] == 'list' and c[1] != 'offer']
    assert sorted(lookups) == [('list', 'collection_qualifier', 'gold'), ('list', 'collection_qualifier', 'vip'), ('list', 'placement', 'web-banner')]
    body = api.body(result['instance_id'])
    assert body['xdm:representations'][0]['xdm:placement'] == api.body(web)['@id']
    assert sorted(body['xdm:tags']) == sorted([api.body(vip)['@id'], api.body(gold)['@id'], 'xcore:tag:abc'])
    # The caller's desired document is left as it was.
    assert desired['xdm:tags'] == ['vip', 'gold', 'vip', 'xcore:tag:abc']
    # Same engine, same names: no new look-up, and nothing to change.
    again = eng.present(desired, name='Sale')
    assert again['changed'] is False
    assert len([c for c in api.calls if c[0] == 'list' and c[1] != 'offer']) == 3


def test_unknown_name_names_the_option():
    api = FakeApi()
    api.add(PLACEMENT, {'xdm:name': 'web-banner'})
    with pytest.raises(EngineError) as info:
        engine(api).present({'xdm:name': 'Sale', 'xdm:representations': [{'xdm:placement': 'web-banne'}]}, name='Sale')
    assert str(info.value).startswith('representations[].placement: ')
    assert "'web-banne'" in str(info.value)
    assert info.value.details == {'option': 'representations[].placement', 'name': 'web-banne'}
    assert writes(api) == []


def test_ambiguous_name_asks_for_the_id():
    api = FakeApi()
    api.add(TAG, {'xdm:name': 'vip'})
    api.add(TAG, {'xdm:name': 'vip'})
    with pytest.raises(EngineError, match=r"tags\[\]: 2 collection qualifiers are named 'vip'"):
        engine(api).present({'xdm:name': 'Sale', 'xdm:tags': ['vip']}, name='Sale')
    assert writes(api) == []


def test_wrong_kind_id_is_refused_before_any_call():
    api = FakeApi()
    with pytest.raises(Exception) as info:
        engine(api).present({'xdm:name': 'Sale', 'xdm:tags': [WEB]}, name='Sale')
    assert getattr(info.value, 'option', None) == 'tags[]'
    assert api.calls == []


# A whole library (``_bulk.Library``) -------------------------------------------------------------

def library_items(api, **sections):
    from ansible_collections.aep.offers.plugins.module_utils._bulk import validated_items
    return dict((section, validated_items(section, items)) for section, items in sections.items())


def test_library_plans_everything_before_the_first_write():
    from ansible_collections.aep.offers.plugins.module_utils._bulk import Library
    api = FakeApi()
    declaration = library_items(api, placements=[{'name': 'Web'}], collection_qualifiers=[{'name': 'vip'}], offers=[
        {'name': 'A', 'representations': [{'placement': 'No such placement'}]},
        {'name': 'B', 'tags': ['No such tag']},
        {'name': 'C', 'representations': [{'placement': 'Web'}]},
    ])
    with pytest.raises(EngineError) as info:
        Library(api).converge(declaration)
    message = str(info.value)
    assert message.startswith('2 of 5 objects cannot be planned, so nothing was written')
    assert "offers[0].representations[].placement" in message and "'No such placement'" in message
    assert "offers[1].tags[]" in message and "'No such tag'" in message
    assert len(info.value.details['problems']) == 2
    assert writes(api) == []


def test_library_continue_on_error_applies_the_rest_and_says_what_it_skipped():
    from ansible_collections.aep.offers.plugins.module_utils._bulk import Library
    api = FakeApi()
    declaration = library_items(api, placements=[{'name': 'Web'}], offers=[
        {'name': 'A', 'representations': [{'placement': 'Nowhere'}]},
        {'name': 'C', 'representations': [{'placement': 'Web'}]},
    ])
    results = Library(api, continue_on_error=True, parallel=1).converge(declaration)
    by_name = dict((r['name'], r) for r in results)
    assert by_name['A']['failed'] and by_name['A']['msg'].startswith('skipped: offers[0].representations[].placement')
    assert by_name['C']['action'] == 'create' and by_name['Web']['action'] == 'create'
    assert writes(api) == ['create', 'create']


def test_a_diff_shows_references_by_name_and_id():
    api = FakeApi()
    web = api.add(PLACEMENT, {'xdm:name': 'web-banner'})
    web_id = api.body(web)['@id']
    iid = stored_offer(api)
    desired = {'xdm:representations': [dict(REP_WEB, **{'xdm:placement': 'web-banner'})]}
    result = engine(api, check_mode=True).present(desired, instance_id=iid)
    assert result['diff']['after']['xdm:representations'][0]['xdm:placement'] == 'web-banner (%s)' % web_id
    assert result['diff']['before']['xdm:representations'][0]['xdm:placement'] == WEB  # a name not looked up stays an id
    assert result['patch'][-1]['value']['xdm:placement'] == web_id  # only the diff reads better: the patch holds ids

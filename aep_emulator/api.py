"""The xcore repository API under /data/core/xcore/: discovery, CRUD, list and search.

A DELETE of an instance whose @id another instance of the container still holds in a reference
field answers 409 (references.py), as dps does."""

import json
import secrets
import uuid

from werkzeug.http import parse_options_header

from .errors import bad_request, conflict, not_found, parse_json, unprocessable, \
    unsupported_media_type
from .kinds import BY_BASE, kind_for_schema
from .patch import apply_patch, check_patch, parse_patch
from .query import DISCOVERY_PARAMS, LIST_PARAMS, SEARCH_PARAMS, PropertyFilter, Query, check_params
from .references import refuse_if_referred
from .shared import Reply, etag_matches
from .shared import check_if_match as shared_check_if_match
from .store import now

CREATE_TYPES = {
    "application/schema-instance+json": "bare",  # body is the instance itself
    "application/vnd.adobe.platform.xcore.hal+json": "hal",  # body is {"_instance": ..., "_links": {}}
}
PATCH_TYPE = "application/vnd.adobe.platform.xcore.patch.hal+json"
# The documented type, the two generic ones, and curl's default that the seed page's request sends.
PATCH_TYPES = (PATCH_TYPE, "application/json-patch+json", "application/json",
               "application/x-www-form-urlencoded")
RECEIPT_TYPE = "application/vnd.adobe.platform.xcore.xdm.receipt+json; version=1"
HAL_TYPE = "application/vnd.adobe.platform.xcore.hal+json"
RESULTS_SCHEMA = "https://ns.adobe.com/experience/xcore/hal/results"
CONTAINER_SCHEMA = "https://ns.adobe.com/experience/xcore/container"
RECEIPT_FIELDS = ("repo:etag", "repo:createdDate", "repo:lastModifiedDate", "repo:createdBy",
                  "repo:lastModifiedBy", "repo:createdByClientId", "repo:lastModifiedByClientId")


def receipt(doc):
    return dict({"instanceId": doc["instanceId"], "@id": doc["_instance"]["@id"]},
                **{k: doc[k] for k in RECEIPT_FIELDS})


def check_if_match(request, doc):
    shared_check_if_match(request, doc["repo:etag"], conflict)


def touched(doc, instance, caller):
    """The document after a write by `caller`: new content, etag + 1, new modification stamp."""
    doc = dict(doc, _instance=instance)
    doc["repo:etag"] += 1
    doc["repo:lastModifiedDate"] = now()
    doc["repo:lastModifiedBy"] = caller.user
    doc["repo:lastModifiedByClientId"] = caller.client_id
    return doc


def kind_of(doc):
    return kind_for_schema(doc["schemas"][0])


class Api:
    def __init__(self, store):
        self.store = store

    # -- containers ----------------------------------------------------------------------------

    def discover(self, request, caller):
        check_params(request.args, DISCOVERY_PARAMS)
        filters = [PropertyFilter(p) for p in request.args.getlist("property")]
        container = self.store.container_for(caller.org, caller.sandbox)
        docs = [self._container_doc(container)] if container else []
        product = request.args.get("product")
        docs = [d for d in docs if (product is None or product in d["productContexts"])
                and all(f.matches(d) for f in filters)]
        query = request.query_string.decode("latin-1")
        return Reply({"_embedded": {CONTAINER_SCHEMA: docs},
                      "_links": {"self": {"href": "/" + (f"?{query}" if query else "")}}},
                     content_type=f'{HAL_TYPE}; schema="{RESULTS_SCHEMA}"')

    @staticmethod
    def _container_doc(container):
        cid, sandbox, created = container["container_id"], container["sandbox"], container["created"]
        return {
            "instanceId": cid, "schemas": [CONTAINER_SCHEMA + ";version=0.6"], "productContexts": ["acp"],
            "repo:etag": 1, "repo:createdDate": created, "repo:lastModifiedDate": created,
            "repo:createdBy": "xcore-emulator", "repo:lastModifiedBy": "xcore-emulator",
            "repo:createdByClientId": "xcore-emulator", "repo:lastModifiedByClientId": "xcore-emulator",
            "_instance": {"containerType": "decisioning", "repo:name": sandbox, "parentName": sandbox},
            "_links": {"self": {"name": f"{CONTAINER_SCHEMA}#{cid}", "href": f"/{cid}"}},
        }

    def _check_container(self, caller, cid):
        container = self.store.container_for(caller.org, caller.sandbox)
        if container is None or container["container_id"] != cid:
            raise not_found(f"Container {cid} does not exist in sandbox {caller.sandbox!r}")

    def _existing(self, tx_or_store, cid, iid):
        doc = tx_or_store.get(cid, iid)
        if doc is None:
            raise not_found(f"Instance {iid} does not exist in container {cid}")
        return doc

    # -- list and search -----------------------------------------------------------------------

    def list(self, request, caller, cid):
        return self._query(request, caller, cid, f"/{cid}/instances", LIST_PARAMS)

    def search(self, request, caller, cid):
        return self._query(request, caller, cid, f"/{cid}/queries/core/search", SEARCH_PARAMS)

    def _query(self, request, caller, cid, path, allowed):
        query = Query(request.args, allowed)
        self._check_container(caller, cid)
        if query.needs_scan:
            texts = query.select(self.store.scan(cid, query.base, query.name, query.at_id))
            total = len(texts)
            page = [json.loads(text) for text in texts[query.start:query.start + query.limit]]
        else:
            page, total = self.store.page_by_instance_id(
                cid, query.base, query.name, query.at_id, query.start, query.limit)
        links = {"self": {"href": query.href(path, query.start)}}
        if query.start + len(page) < total:
            links["next"] = {"href": query.href(path, query.start + len(page))}
        return Reply({"containerId": cid,
                      "_embedded": {"results": page, "total": total, "count": len(page)},
                      "_links": links},
                     content_type=f'{HAL_TYPE}; schema="{RESULTS_SCHEMA}"')

    # -- one instance --------------------------------------------------------------------------

    def read(self, request, caller, cid, iid):
        self._check_container(caller, cid)
        found = self.store.get_raw(cid, iid)
        if found is None:
            raise not_found(f"Instance {iid} does not exist in container {cid}")
        etag, base, text = found
        headers = {"ETag": f'"{etag}"'}
        header = request.headers.get("If-None-Match")
        if header is not None and etag_matches(header, etag, weak=True):
            return Reply(None, 304, headers=headers)
        schema = BY_BASE[base].stored_schema
        return Reply(text.encode(), content_type=f'{HAL_TYPE}; schema="{schema}"', headers=headers)

    def _instance_body(self, request):
        """(kind, instance) from a create/replace body in either documented shape."""
        mimetype, params = parse_options_header(request.headers.get("Content-Type", ""))
        shape = CREATE_TYPES.get(mimetype.lower())
        if shape is None:
            raise unsupported_media_type(
                f"Content-Type {mimetype or '(none)'!r} is not supported here; send "
                f"application/schema-instance+json; version=1; schema=\"...\"")
        schema = params.get("schema")
        if not schema:
            raise bad_request("The Content-Type has no schema parameter", "missing-schema")
        kind = kind_for_schema(schema)
        if kind is None:
            raise bad_request(f"Unknown schema {schema!r}", "unknown-schema")
        body = parse_json(request.get_data())
        if shape == "hal":
            if not isinstance(body, dict) or not isinstance(body.get("_instance"), dict) \
                    or set(body) - {"_instance", "_links"} \
                    or not isinstance(body.get("_links", {}), dict):
                raise bad_request('A hal+json body is {"_instance": {...}, "_links": {}}', "invalid-body")
            body = body["_instance"]
        if not isinstance(body, dict):
            raise bad_request("The body must be a JSON object", "invalid-body")
        return kind, body

    def create(self, request, caller, cid):
        self._check_container(caller, cid)
        kind, instance = self._instance_body(request)
        if "@id" in instance:
            raise unprocessable("@id is assigned by the server and cannot be set", "read-only")
        kind.apply_defaults(instance)
        instance = {"@id": kind.prefix + secrets.token_hex(8), **instance}
        kind.validate(instance)
        iid, stamp = str(uuid.uuid4()), now()
        doc = {
            "instanceId": iid, "schemas": [kind.stored_schema], "productContexts": ["acp"],
            "repo:etag": 1, "repo:createdDate": stamp, "repo:lastModifiedDate": stamp,
            "repo:createdBy": caller.user, "repo:lastModifiedBy": caller.user,
            "repo:createdByClientId": caller.client_id, "repo:lastModifiedByClientId": caller.client_id,
            "_instance": instance,
            "_links": {"self": {"name": f"{kind.stored_schema}#{iid}", "href": f"/{cid}/instances/{iid}"}},
        }
        with self.store.transaction() as tx:
            tx.put(cid, doc, kind.base)
        location = f"{request.host_url}data/core/xcore/{cid}/instances/{iid}"
        return Reply(receipt(doc), 201, RECEIPT_TYPE, {"Location": location}, write=True)

    def patch(self, request, caller, cid, iid):
        self._check_container(caller, cid)
        mimetype, params = parse_options_header(request.headers.get("Content-Type", ""))
        if mimetype.lower() not in PATCH_TYPES:
            raise unsupported_media_type(
                f"Content-Type {mimetype or '(none)'!r} is not a patch type; send "
                f'{PATCH_TYPE}; version=1; schema="..."')
        ops = parse_patch(request.get_data())
        with self.store.transaction() as tx:
            doc = self._existing(tx, cid, iid)
            kind = kind_of(doc)
            schema = params.get("schema")
            if schema and kind_for_schema(schema) is not kind:
                raise bad_request(f"Instance {iid} is a {kind.name}, not {schema!r}", "schema-mismatch")
            check_if_match(request, doc)
            doc = touched(doc, apply_patch(doc["_instance"], ops, kind), caller)
            tx.put(cid, doc, kind.base)
        return Reply(receipt(doc), 200, RECEIPT_TYPE, write=True)

    def mutate(self, cid, iid, ops, caller):
        """A patch by another user (control API): same rules, no If-Match."""
        ops = check_patch(ops)
        with self.store.transaction() as tx:
            doc = self._existing(tx, cid, iid)
            kind = kind_of(doc)
            doc = touched(doc, apply_patch(doc["_instance"], ops, kind), caller)
            tx.put(cid, doc, kind.base)
        return receipt(doc)

    def replace(self, request, caller, cid, iid):
        self._check_container(caller, cid)
        kind, instance = self._instance_body(request)
        with self.store.transaction() as tx:
            doc = self._existing(tx, cid, iid)
            if kind_of(doc) is not kind:
                raise bad_request(f"Instance {iid} is a {kind_of(doc).name}, not a {kind.name}",
                                  "schema-mismatch")
            check_if_match(request, doc)
            at_id = doc["_instance"]["@id"]
            if instance.get("@id", at_id) != at_id:
                raise unprocessable("@id is read-only", "read-only")
            instance = {"@id": at_id, **instance}
            kind.validate(instance)
            doc = touched(doc, instance, caller)
            tx.put(cid, doc, kind.base)
        return Reply(receipt(doc), 200, RECEIPT_TYPE, write=True)

    def delete(self, request, caller, cid, iid):
        self._check_container(caller, cid)
        with self.store.transaction() as tx:
            doc = self._existing(tx, cid, iid)
            check_if_match(request, doc)
            at_id = doc["_instance"]["@id"]
            refuse_if_referred(at_id, [
                (other["_instance"]["@id"], other["_instance"], kind_of(other).references)
                for other in tx.mentioning(cid, json.dumps(at_id))])
            tx.delete(cid, iid)
        return Reply(None, 202, write=True)


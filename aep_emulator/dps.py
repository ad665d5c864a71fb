"""The persistence API under /data/core/dps/: the Decision Management and Decisioning kinds.

Flat JSON objects; POST/PATCH/PUT answer a receipt; If-Match on PATCH, PUT and DELETE answers 412
when stale; DELETE answers 200 with an empty body, or 409 while another object refers to the one
deleted. One store per (org, sandbox); no containers. Every refusal is a problem document.
"""

import json
import secrets
import uuid
from datetime import datetime, timezone

from .dps_kinds import BY_NAME, ENDPOINTS, OFFER_TYPES, RECEIPT_FIELDS, SERVER_FIELDS, kind_for_body
from .dps_query import DpsQuery
from .errors import bad_request, method_not_allowed, not_found, parse_json, precondition_failed
from .patch import DPS_OPS, PatchFailed, apply_ops, check_ops
from .query import check_params
from .references import refuse_if_referred
from .shared import Reply, check_if_match, require_json_body_type
from .store import DpsRow

SCHEMA_HEADER = "x-schema-id"


def stamp():
    """Milliseconds and Z, as the dps pages show (2024-06-10T16:00:34.014Z)."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def receipt(doc, kind=None):
    """A write's answer; an update's receipt adds what the kind's update page shows (a fallback
    offer's datasetId)."""
    answer = {key: doc[key] for key in RECEIPT_FIELDS}
    for key in getattr(kind, "receipt_extra", ()):
        answer[key] = str(uuid.uuid5(uuid.UUID(doc["sandboxId"]), f"{kind.name} dataset"))
    return answer


def new_id(kind):
    return f"dps:{kind.slug}:{secrets.token_hex(8)}"


def touched(doc, fields, caller):
    """`doc` after a write by `caller`: new fields, etag + 1, new modification stamp."""
    moment = stamp()
    return dict(doc, fields=fields, etag=doc["etag"] + 1, modified=moment, lastModifiedDate=moment,
                lastModifiedBy=caller.user, lastModifiedByClientId=caller.client_id)


class Target:
    """What a request is about: the endpoint's kinds narrowed by offer-type, and the item schema."""

    def __init__(self, endpoint, kinds, schema_id, params):
        self.endpoint, self.kinds, self.schema_id, self.params = endpoint, kinds, schema_id, params


class DpsApi:
    def __init__(self, store, reserialize_ui_model=False):
        self.store = store
        self.reserialize_ui_model = reserialize_ui_model

    # -- what a request is about -----------------------------------------------------------------

    def _target(self, request, caller, endpoint):
        if not self.store.has_sandbox(caller.sandbox):
            raise not_found(f"Sandbox {caller.sandbox!r} does not exist")
        kinds, params = ENDPOINTS[endpoint], ()
        if endpoint == "offers":
            params = ("offer-type",)
            offer_type = request.args.get("offer-type")
            if offer_type is None:
                raise bad_request("The query parameter offer-type (personalized or fallback) is required "
                                  "on every /offers call", "missing-offer-type")
            kind = OFFER_TYPES.get(offer_type.lower())
            if kind is None or len(request.args.getlist("offer-type")) > 1:
                raise bad_request(f"offer-type must be personalized or fallback, not {offer_type!r}",
                                  "invalid-query")
            kinds = [kind]
        schema_id = None
        if endpoint == "offer-items":
            schema_id = request.headers.get(SCHEMA_HEADER, "").strip()
            if not schema_id:
                raise bad_request(f"The {SCHEMA_HEADER} header (the item catalog's schema) is required "
                                  "on every /offer-items call", "missing-schema-id")
        return Target(endpoint, kinds, schema_id, params)

    def _target_of_one(self, request, caller, endpoint):
        """The target of a call on one object; before any transaction (the store's lock is not
        re-entrant, and the sandbox check reads)."""
        target = self._target(request, caller, endpoint)
        check_params(request.args, target.params)
        return target

    @staticmethod
    def _existing(tx_or_store, caller, target, object_id):
        """The stored object, if it is one of `target` in the caller's sandbox; else 404."""
        row = tx_or_store.dps_get(object_id)
        if row is None or (row.org, row.sandbox, row.endpoint) != (caller.org, caller.sandbox, target.endpoint) \
                or BY_NAME[row.kind] not in target.kinds or row.schema_id != target.schema_id:
            raise not_found(f"/{target.endpoint}/{object_id} does not exist")
        return row

    def _body(self, request):
        require_json_body_type(request)
        body = parse_json(request.get_data())
        if not isinstance(body, dict):
            raise bad_request("The body must be a JSON object", "invalid-body")
        return body

    def _fields(self, kind, body, named):
        given = sorted(set(body) & set(SERVER_FIELDS))
        if given:
            raise bad_request(f"{', '.join(given)} {'is' if len(given) == 1 else 'are'} set by the server",
                              "read-only")
        kind.validate(body, named)
        return self._normalized(kind, body)

    def _normalized(self, kind, fields):
        if self.reserialize_ui_model and kind.name == "item-collection":
            # The --reserialize-ui-model option stores uiModel with other key order and spacing,
            # as a server that parses and writes it again would: clients must compare it as JSON.
            for constraint in fields.get("constraints", []):
                if "uiModel" in constraint:
                    parsed = json.loads(constraint["uiModel"])
                    constraint["uiModel"] = json.dumps(parsed, sort_keys=True, indent=1)
        return fields

    # -- lists and reads -------------------------------------------------------------------------

    def list(self, request, caller, endpoint):
        target = self._target(request, caller, endpoint)
        query = DpsQuery(request.args, f"/{endpoint}", target.params)
        kind = target.kinds[0] if endpoint == "offers" else None
        rows = self.store.dps_scan(caller.org, caller.sandbox, endpoint, kind and kind.name, target.schema_id)
        return Reply(query.page([BY_NAME[row.kind].view(row.doc, single=False) for row in rows]))

    def read(self, request, caller, endpoint, object_id):
        target = self._target_of_one(request, caller, endpoint)
        row = self._existing(self.store, caller, target, object_id)
        return Reply(BY_NAME[row.kind].view(row.doc))

    # -- writes ----------------------------------------------------------------------------------

    def create(self, request, caller, endpoint):
        target = self._target_of_one(request, caller, endpoint)
        body = self._body(request)
        kind = target.kinds[0] if endpoint == "offers" else kind_for_body(endpoint, body)
        fields = self._fields(kind, body, named=True)
        moment = stamp()
        doc = {"id": new_id(kind), "etag": 1, "created": moment, "modified": moment,
               "createdDate": moment, "lastModifiedDate": moment,
               "createdBy": caller.user, "lastModifiedBy": caller.user,
               "createdByClientId": caller.client_id, "lastModifiedByClientId": caller.client_id,
               "sandboxId": self.store.sandbox_id(caller.org, caller.sandbox), "fields": fields}
        row = DpsRow(doc["id"], caller.org, caller.sandbox, endpoint, kind.name, target.schema_id, doc)
        with self.store.transaction() as tx:
            tx.dps_put(row)
        return Reply(receipt(doc), 201, write=True)

    @staticmethod
    def _updatable(tx, caller, target, object_id, method):
        row = DpsApi._existing(tx, caller, target, object_id)
        kind = BY_NAME[row.kind]
        if method not in kind.methods:
            raise method_not_allowed(method, f"a {kind.name} ({object_id})", kind.methods)
        return row, kind

    def patch(self, request, caller, endpoint, object_id):
        target = self._target_of_one(request, caller, endpoint)
        with self.store.transaction() as tx:
            row, kind = self._updatable(tx, caller, target, object_id, "PATCH")
            require_json_body_type(request)
            ops = self._patch_ops(parse_json(request.get_data()))
            check_if_match(request, row.doc["etag"], precondition_failed)
            row.doc = self._patched(row, kind, ops, caller)
            tx.dps_put(row)
        return Reply(receipt(row.doc, kind), write=True)

    @staticmethod
    def _patch_ops(ops):
        checked = check_ops(ops, DPS_OPS)
        for i, (op, parts) in enumerate(checked):
            if not parts or parts[0] in SERVER_FIELDS:
                raise bad_request(f"Operation {i}: {op['path']!r} is set by the server and cannot be "
                                  "changed", "read-only")
        return [op for op, _ in checked]

    def _patched(self, row, kind, ops, caller):
        try:
            fields = apply_ops(row.doc["fields"], ops)
        except PatchFailed as exc:
            raise bad_request(str(exc), "patch-conflict") from None
        kind.validate(fields)
        return touched(row.doc, self._normalized(kind, fields), caller)

    def mutate(self, object_id, ops, caller):
        """A patch by another user (control API): the PATCH rules on any kind, no If-Match."""
        ops = self._patch_ops(ops)
        with self.store.transaction() as tx:
            row = tx.dps_get(object_id)
            if row is None:
                raise not_found(f"{object_id} does not exist")
            row.doc = self._patched(row, BY_NAME[row.kind], ops, caller)
            tx.dps_put(row)
        return receipt(row.doc)

    def replace(self, request, caller, endpoint, object_id):
        target = self._target_of_one(request, caller, endpoint)
        with self.store.transaction() as tx:
            row, kind = self._updatable(tx, caller, target, object_id, "PUT")
            body = self._body(request)
            if body.pop("id", object_id) != object_id:
                raise bad_request(f"The body's id is not the path's {object_id!r}", "id-mismatch")
            check_if_match(request, row.doc["etag"], precondition_failed)
            # PUT replaces every field the client manages; server stamps stay.
            row.doc = touched(row.doc, self._fields(kind, body, named=False), caller)
            tx.dps_put(row)
        return Reply(receipt(row.doc, kind), write=True)

    def delete(self, request, caller, endpoint, object_id):
        target = self._target_of_one(request, caller, endpoint)
        with self.store.transaction() as tx:
            row = self._existing(tx, caller, target, object_id)
            check_if_match(request, row.doc["etag"], precondition_failed)
            refuse_if_referred(object_id, [
                (other.id, other.doc["fields"], BY_NAME[other.kind].references)
                for other in tx.dps_mentioning(caller.org, caller.sandbox, f'"{object_id}"')])
            tx.dps_delete(object_id)
        return Reply(None, 200, write=True)


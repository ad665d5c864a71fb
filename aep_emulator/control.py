"""The test-only control API under /_emulator/ (no auth): stats, reset, faults, mutate and more."""

import collections
import random
import re
import threading

from .errors import bad_request, not_found, parse_json
from .shared import Caller

METHODS = ("GET", "POST", "PATCH", "PUT", "DELETE")
APIS = ("xcore", "dps")
READS = ("GET", "HEAD")


class Runtime:
    """Counters and injected faults: in memory only, cleared by reset."""

    def __init__(self):
        self._lock = threading.Lock()
        self.reset()

    def reset(self):
        with self._lock:
            self.requests = {api: dict.fromkeys(METHODS, 0) for api in APIS}
            self.token_requests = 0
            self.writes = dict.fromkeys(APIS, 0)
            self.fail_next = collections.deque()
            self.drop_after_commit_next = 0
            self.no_body_next = 0
            self.latency_ms = 0
            self.rates = dict(fail_rate=0.0, fail_statuses=[429, 500, 502, 503], retry_after=None, drop_rate=0.0)
            self.random = random.Random(0)
            self.pending_mutations = collections.deque()

    def count_request(self, api, method):
        with self._lock:
            self.requests[api][method] = self.requests[api].get(method, 0) + 1

    def count_token_request(self):
        with self._lock:
            self.token_requests += 1

    def next_failure(self, api, method):
        """The next injected failure for a request to ``api`` with ``method`` (an entry may name the
        method or API it is for)."""
        with self._lock:
            for index, failure in enumerate(self.fail_next):
                if failure.get("method", method) == method and failure.get("api", api) == api:
                    del self.fail_next[index]
                    return failure
            if self.rates["fail_rate"] and self.random.random() < self.rates["fail_rate"]:
                failure = {"status": self.random.choice(self.rates["fail_statuses"])}
                # Every other injected 429/503 says when to come back, as throttling servers do.
                if self.rates["retry_after"] is not None and failure["status"] in (429, 503) and self.random.random() < 0.5:
                    failure["retry_after"] = self.rates["retry_after"]
                return failure
            return None

    def schedule_mutation(self, mutation):
        with self._lock:
            self.pending_mutations.append(mutation)

    def next_mutation(self):
        """A concurrent edit to apply before the write now arriving (after the client's read)."""
        with self._lock:
            return self.pending_mutations.popleft() if self.pending_mutations else None

    def other_write_answer(self, api):
        """True when a committed dps write must take the other answer dps-api.md §9 allows
        (the no_body_next fault): 204 without a body, or 200 for a create."""
        with self._lock:
            if api != "dps" or self.no_body_next <= 0:
                return False
            self.no_body_next -= 1
            return True

    def committed_write(self, api):
        """Count a committed write; True when its answer must be dropped (lost-response fault)."""
        with self._lock:
            self.writes[api] += 1
            if self.drop_after_commit_next > 0:
                self.drop_after_commit_next -= 1
                return True
            return bool(self.rates["drop_rate"]) and self.random.random() < self.rates["drop_rate"]

    def stats(self):
        """Totals over both APIs (the keys tests have always read) and the same per API."""
        with self._lock:
            per_api = {api: {"requests": dict(self.requests[api]),
                             "reads": sum(self.requests[api].get(m, 0) for m in READS),
                             "writes": self.writes[api]} for api in APIS}
        totals = {}
        for api in APIS:
            for method, count in per_api[api]["requests"].items():
                totals[method] = totals.get(method, 0) + count
        return {"requests": totals, "token_requests": self.token_requests,
                "writes": sum(self.writes.values()), "apis": per_api}

    def faults(self):
        with self._lock:
            faults = {"fail_next": list(self.fail_next),
                      "drop_after_commit_next": self.drop_after_commit_next,
                      "no_body_next": self.no_body_next,
                      "latency_ms": self.latency_ms}
            if self.rates["fail_rate"] or self.rates["drop_rate"]:
                faults.update(self.rates)
            return faults

    def set_faults(self, body):
        """Replace every fault with `body`'s; {} clears them all."""
        if not isinstance(body, dict):
            raise bad_request("Faults are a JSON object")
        unknown = set(body) - {"fail_next", "drop_after_commit_next", "no_body_next", "latency_ms", "fail_rate",
                               "fail_statuses", "retry_after", "drop_rate", "seed"}
        if unknown:
            raise bad_request(f"Unknown fault(s): {', '.join(sorted(unknown))}")
        failures = body.get("fail_next", [])
        if not isinstance(failures, list):
            raise bad_request("fail_next is a list of {status, retry_after?}")
        checked = []
        for failure in failures:
            if not isinstance(failure, dict) or set(failure) - {"status", "retry_after", "method", "api"}:
                raise bad_request("fail_next is a list of {status, retry_after?, method?, api?}")
            if "method" in failure and failure["method"] not in METHODS:
                raise bad_request("fail_next method must be one of " + ", ".join(METHODS))
            if "api" in failure and failure["api"] not in APIS:
                raise bad_request("fail_next api must be one of " + ", ".join(APIS))
            if not _is_int(failure.get("status")) or not 400 <= failure["status"] <= 599:
                raise bad_request("fail_next status must be an integer 400-599")
            retry_after = failure.get("retry_after", 0)
            if not _is_int(retry_after) or retry_after < 0:
                raise bad_request("retry_after must be a non-negative integer (seconds)")
            checked.append(dict(failure))
        drop = body.get("drop_after_commit_next", 0)
        no_body = body.get("no_body_next", 0)
        latency = body.get("latency_ms", 0)
        if not _is_int(drop) or drop < 0:
            raise bad_request("drop_after_commit_next must be a non-negative integer")
        if not _is_int(no_body) or no_body < 0:
            raise bad_request("no_body_next must be a non-negative integer")
        if not _is_int(latency) or not 0 <= latency <= 60_000:
            raise bad_request("latency_ms must be an integer 0-60000")
        rates = dict(fail_rate=body.get("fail_rate", 0.0), fail_statuses=body.get("fail_statuses", [429, 500, 502, 503]),
                     retry_after=body.get("retry_after"), drop_rate=body.get("drop_rate", 0.0))
        for name in ("fail_rate", "drop_rate"):
            if isinstance(rates[name], bool) or not isinstance(rates[name], (int, float)) or not 0 <= rates[name] <= 1:
                raise bad_request(f"{name} must be a number from 0 to 1")
        statuses = rates["fail_statuses"]
        if not isinstance(statuses, list) or not statuses or not all(_is_int(v) and 400 <= v <= 599 for v in statuses):
            raise bad_request("fail_statuses must be a non-empty list of integers 400-599")
        if rates["retry_after"] is not None and not (_is_int(rates["retry_after"]) and rates["retry_after"] >= 0):
            raise bad_request("retry_after must be a non-negative integer (seconds)")
        seed = body.get("seed", 0)
        if not _is_int(seed):
            raise bad_request("seed must be an integer")
        with self._lock:
            self.fail_next = collections.deque(checked)
            self.drop_after_commit_next = drop
            self.no_body_next = no_body
            self.latency_ms = latency
            self.rates = rates
            self.random = random.Random(seed)


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


_MUTATE_USAGE = ('mutate takes {"container_id", "instance_id", "patch": [...]} (xcore) or '
                 '{"id", "patch": [...]} (dps), and optionally "when"')
_SANDBOX_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


class Control:
    def __init__(self, store, runtime, apis):
        self.store, self.runtime, self.apis = store, runtime, apis

    def stats(self, request):
        return self.runtime.stats()

    def reset(self, request):
        # Containers, sandboxes and tokens stay, so a client's cached token keeps working.
        self.store.clear_instances()
        self.store.revoke_tokens(False)
        self.runtime.reset()
        return {"reset": True}

    def faults(self, request):
        if request.method == "POST":
            self.runtime.set_faults(parse_json(request.get_data() or b"{}"))
        return self.runtime.faults()

    def expire_tokens(self, request):
        self.store.revoke_tokens(True)
        return {"expired": True}

    def mutate(self, request):
        """Another user's patch: {"container_id", "instance_id", "patch"} for xcore, {"id", "patch"}
        for dps; "when": "before_next_write" holds it until the next PATCH/PUT/DELETE arrives."""
        body = parse_json(request.get_data())
        if not isinstance(body, dict):
            raise bad_request(_MUTATE_USAGE)
        if isinstance(body.get("id"), str):
            if self.store.dps_get(body["id"]) is None:
                raise not_found(f"{body['id']} does not exist")
            mutation = ("dps", body["id"], body.get("patch"))
        elif all(isinstance(body.get(k), str) for k in ("container_id", "instance_id")):
            cid = body["container_id"]
            if not any(c["container_id"] == cid for c in self.store.containers()):
                raise not_found(f"Container {cid} does not exist")
            mutation = ("xcore", cid, body["instance_id"], body.get("patch"))
        else:
            raise bad_request(_MUTATE_USAGE)
        when = body.get("when", "now")
        if when not in ("now", "before_next_write"):
            raise bad_request('mutate "when" is "now" or "before_next_write"')
        if when == "before_next_write":
            # Simulates another user writing between a client's read and its write.
            self.runtime.schedule_mutation(mutation)
            return {"scheduled": True}
        return self.apply_mutation(mutation)

    def apply_mutation(self, mutation):
        api, *target = mutation
        caller = Caller("another-client", None, None, user="another-user")
        if api == "dps":
            object_id, patch = target
            return self.apis["dps"].mutate(object_id, patch, caller)
        cid, iid, patch = target
        return self.apis["xcore"].mutate(cid, iid, patch, caller)

    def containers(self, request):
        org, sandbox = request.args.get("org"), request.args.get("sandbox")
        if org and sandbox:
            container = self.store.container_for(org, sandbox)
            return [{"sandbox": sandbox, "org": org, "container_id": container["container_id"]}] \
                if container else []
        return self.store.containers()

    def sandboxes(self, request):
        if request.method == "POST":
            body = parse_json(request.get_data())
            if not isinstance(body, dict) or not isinstance(body.get("name"), str) \
                    or not _SANDBOX_NAME.match(body["name"]) \
                    or not isinstance(body.get("container", True), bool):
                raise bad_request('sandboxes takes {"name": "lowercase-name", "container": true}')
            self.store.add_sandbox(body["name"], body.get("container", True))
            return {"name": body["name"], "container": body.get("container", True)}
        return self.store.sandboxes()

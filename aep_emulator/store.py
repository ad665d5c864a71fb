"""SQLite state: sandboxes, containers, tokens, xcore instances and dps objects.

One connection guarded by one lock: the emulator is small, and a single writer path makes the etag
check-and-write atomic by construction. Each write is also one `BEGIN IMMEDIATE` transaction, so a
file database is never left half-written and a restart keeps the library.
"""

import contextlib
import json
import sqlite3
import threading
import uuid
from datetime import datetime, timezone

SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sandboxes (name TEXT PRIMARY KEY, has_container INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS containers (
    container_id TEXT PRIMARY KEY, org TEXT NOT NULL, sandbox TEXT NOT NULL,
    created TEXT NOT NULL, UNIQUE (org, sandbox));
CREATE TABLE IF NOT EXISTS tokens (
    token TEXT PRIMARY KEY, client_id TEXT NOT NULL, expires REAL NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS instances (
    instance_id TEXT PRIMARY KEY, container_id TEXT NOT NULL, schema_base TEXT NOT NULL,
    at_id TEXT NOT NULL, name TEXT, etag INTEGER NOT NULL, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS instances_by_container ON instances (container_id, instance_id);
CREATE INDEX IF NOT EXISTS instances_by_schema ON instances (container_id, schema_base, instance_id);
CREATE INDEX IF NOT EXISTS instances_by_at_id ON instances (container_id, at_id);
CREATE TABLE IF NOT EXISTS dps_objects (
    id TEXT PRIMARY KEY, org TEXT NOT NULL, sandbox TEXT NOT NULL, endpoint TEXT NOT NULL,
    kind TEXT NOT NULL, schema_id TEXT, etag INTEGER NOT NULL, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS dps_by_endpoint ON dps_objects (org, sandbox, endpoint);
"""


class DpsRow:
    """One stored dps object: where it lives, its kind, and its document (server stamps + fields)."""

    __slots__ = ("id", "org", "sandbox", "endpoint", "kind", "schema_id", "doc")

    def __init__(self, id, org, sandbox, endpoint, kind, schema_id, doc):  # noqa: A002 (column name)
        self.id, self.org, self.sandbox, self.endpoint = id, org, sandbox, endpoint
        self.kind, self.schema_id = kind, schema_id
        self.doc = json.loads(doc) if isinstance(doc, str) else doc


_DPS_COLUMNS = "id, org, sandbox, endpoint, kind, schema_id, doc"


def now():
    """RFC 3339 UTC with microseconds, as in the docs' receipts (2020-10-21T20:50:32.018624Z)."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Transaction:
    """The statements a write may run while it holds the lock and the SQLite write lock."""

    def __init__(self, conn):
        self._conn = conn

    def execute(self, sql, args=()):
        return self._conn.execute(sql, args)

    def get(self, container_id, instance_id):
        row = self._conn.execute(
            "SELECT doc FROM instances WHERE instance_id = ? AND container_id = ?",
            (instance_id, container_id)).fetchone()
        return json.loads(row[0]) if row else None

    def put(self, container_id, doc, schema_base):
        instance = doc["_instance"]
        self._conn.execute(
            "INSERT OR REPLACE INTO instances VALUES (?, ?, ?, ?, ?, ?, ?)",
            (doc["instanceId"], container_id, schema_base, instance["@id"],
             instance.get("xdm:name"), doc["repo:etag"], json.dumps(doc, separators=(",", ":"))))

    def delete(self, container_id, instance_id):
        self._conn.execute("DELETE FROM instances WHERE instance_id = ? AND container_id = ?",
                           (instance_id, container_id))

    def mentioning(self, container_id, text):
        """The documents of the container whose stored text contains `text` (a cheap pre-filter)."""
        rows = self._conn.execute("SELECT doc FROM instances WHERE container_id = ? AND instr(doc, ?) > 0",
                                  (container_id, text)).fetchall()
        return [json.loads(doc) for (doc,) in rows]

    # -- dps objects ---------------------------------------------------------------------------

    def dps_get(self, object_id):
        row = self._conn.execute(f"SELECT {_DPS_COLUMNS} FROM dps_objects WHERE id = ?",
                                 (object_id,)).fetchone()
        return DpsRow(*row) if row else None

    def dps_put(self, row):
        self._conn.execute(
            f"INSERT OR REPLACE INTO dps_objects ({_DPS_COLUMNS}, etag) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (row.id, row.org, row.sandbox, row.endpoint, row.kind, row.schema_id,
             json.dumps(row.doc, separators=(",", ":")), row.doc["etag"]))

    def dps_delete(self, object_id):
        self._conn.execute("DELETE FROM dps_objects WHERE id = ?", (object_id,))

    def dps_mentioning(self, org, sandbox, text):
        """The sandbox's objects whose stored text contains `text` (a cheap pre-filter)."""
        rows = self._conn.execute(
            f"SELECT {_DPS_COLUMNS} FROM dps_objects WHERE org = ? AND sandbox = ? AND instr(doc, ?) > 0",
            (org, sandbox, text)).fetchall()
        return [DpsRow(*row) for row in rows]


class Store:
    def __init__(self, path=":memory:"):
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        if path != ":memory:":
            # WAL + NORMAL: survives a killed process, and a write costs no fsync of the main file.
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
        self._containers = {}  # (org, sandbox) -> container row, so reads need no write
        self._tokens = {}  # token -> row: every API call checks one
        self._conn.executescript(SCHEMA_SQL)
        row = self._conn.execute("SELECT value FROM meta WHERE key = 'namespace'").fetchone()
        if row is None:
            self._conn.execute("INSERT INTO meta VALUES ('namespace', ?)", (str(uuid.uuid4()),))
            row = self._conn.execute("SELECT value FROM meta WHERE key = 'namespace'").fetchone()
        # Container ids derive from (org, sandbox) and a per-database namespace: stable across
        # restarts with --db, different between two emulators.
        self._namespace = uuid.UUID(row[0])

    def close(self):
        with self._lock:
            self._conn.close()

    @contextlib.contextmanager
    def transaction(self):
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield Transaction(self._conn)
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def _all(self, sql, args=()):
        with self._lock:
            return self._conn.execute(sql, args).fetchall()

    # -- sandboxes and containers --------------------------------------------------------------

    def add_sandbox(self, name, has_container=True, replace=True):
        verb = "INSERT OR REPLACE" if replace else "INSERT OR IGNORE"  # keep a persisted choice
        with self.transaction() as tx:
            tx.execute(f"{verb} INTO sandboxes VALUES (?, ?)", (name, int(has_container)))
            self._containers.clear()  # under the lock, so no reader re-caches the old answer

    def sandboxes(self):
        return [{"name": n, "container": bool(c)}
                for n, c in self._all("SELECT name, has_container FROM sandboxes ORDER BY name")]

    def container_for(self, org, sandbox):
        """The (org, sandbox) container row, created on first use; None when the sandbox has none."""
        cached = self._containers.get((org, sandbox))
        if cached is not None:
            return cached
        rows = self._all("SELECT has_container FROM sandboxes WHERE name = ?", (sandbox,))
        if not rows or not rows[0][0]:
            return None
        container_id = str(uuid.uuid5(self._namespace, f"{org}\n{sandbox}"))
        with self.transaction() as tx:
            tx.execute("INSERT OR IGNORE INTO containers VALUES (?, ?, ?, ?)",
                             (container_id, org, sandbox, now()))
            row = tx.execute("SELECT container_id, org, sandbox, created FROM containers "
                                   "WHERE container_id = ?", (container_id,)).fetchone()
        container = dict(zip(("container_id", "org", "sandbox", "created"), row))
        self._containers[(org, sandbox)] = container
        return container

    def containers(self):
        rows = self._all("SELECT c.container_id, c.org, c.sandbox FROM containers c "
                         "JOIN sandboxes s ON s.name = c.sandbox AND s.has_container "
                         "ORDER BY c.org, c.sandbox")
        return [{"sandbox": s, "org": o, "container_id": c} for c, o, s in rows]

    # -- tokens --------------------------------------------------------------------------------

    def add_token(self, token, client_id, expires):
        with self.transaction() as tx:
            tx.execute("INSERT INTO tokens (token, client_id, expires) VALUES (?, ?, ?)",
                             (token, client_id, expires))

    def token(self, token):
        """(client_id, expires, revoked) or None."""
        row = self._tokens.get(token)
        if row is None:
            rows = self._all("SELECT client_id, expires, revoked FROM tokens WHERE token = ?", (token,))
            if not rows:
                return None
            row = self._tokens[token] = rows[0]
        return row

    def revoke_tokens(self, revoked=True):
        with self.transaction() as tx:
            tx.execute("UPDATE tokens SET revoked = ?", (int(revoked),))
            self._tokens.clear()

    # -- instances -----------------------------------------------------------------------------

    def get(self, container_id, instance_id):
        raw = self.get_raw(container_id, instance_id)
        return json.loads(raw[2]) if raw else None

    def get_raw(self, container_id, instance_id):
        """(etag, schema base, stored JSON text) or None: a read answers the stored text as it is."""
        rows = self._all("SELECT etag, schema_base, doc FROM instances "
                         "WHERE instance_id = ? AND container_id = ?",
                         (instance_id, container_id))
        return rows[0] if rows else None

    def _where(self, container_id, base, name, at_id):
        sql, args = ["container_id = ?"], [container_id]
        for column, value in (("schema_base", base), ("name", name), ("at_id", at_id)):
            if value is not None:
                sql.append(f"{column} = ?")
                args.append(value)
        return " AND ".join(sql), args

    def scan(self, container_id, base=None, name=None, at_id=None):
        """Every matching instance as stored JSON text, in instanceId order."""
        where, args = self._where(container_id, base, name, at_id)
        rows = self._all(f"SELECT doc FROM instances WHERE {where} ORDER BY instance_id", args)
        return [doc for (doc,) in rows]

    def page_by_instance_id(self, container_id, base, name, at_id, offset, limit):
        """(documents, total) in the default order, without decoding rows outside the page."""
        where, args = self._where(container_id, base, name, at_id)
        with self._lock:
            total = self._conn.execute(f"SELECT COUNT(*) FROM instances WHERE {where}", args).fetchone()[0]
            rows = self._conn.execute(
                f"SELECT doc FROM instances WHERE {where} ORDER BY instance_id LIMIT ? OFFSET ?",
                args + [limit, offset]).fetchall()
        return [json.loads(doc) for (doc,) in rows], total

    def clear_instances(self):
        with self.transaction() as tx:
            tx.execute("DELETE FROM instances")
            tx.execute("DELETE FROM dps_objects")

    # -- dps objects ---------------------------------------------------------------------------

    def has_sandbox(self, name):
        return bool(self._all("SELECT 1 FROM sandboxes WHERE name = ?", (name,)))

    def sandbox_id(self, org, sandbox):
        """A stable UUID for the (org, sandbox), as dps receipts report it."""
        return str(uuid.uuid5(self._namespace, f"sandbox\n{org}\n{sandbox}"))

    def dps_get(self, object_id):
        with self._lock:
            return Transaction(self._conn).dps_get(object_id)

    def dps_scan(self, org, sandbox, endpoint, kind=None, schema_id=None):
        """Every object of the sandbox under `endpoint` (optionally one kind, or one item schema)."""
        sql = f"SELECT {_DPS_COLUMNS} FROM dps_objects WHERE org = ? AND sandbox = ? AND endpoint = ?"
        args = [org, sandbox, endpoint]
        for column, value in (("kind", kind), ("schema_id", schema_id)):
            if value is not None:
                sql += f" AND {column} = ?"
                args.append(value)
        return [DpsRow(*row) for row in self._all(sql, args)]

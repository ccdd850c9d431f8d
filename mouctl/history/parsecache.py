"""A cache of parsed data in the repository's git folder that cannot lie.

Everything in it is keyed by content: a git blob id, the hash of a text range, a
commit or tag object id (all names of content that never changes) and by a digest
of mouctl's own code, so a new parser or model never reads an old entry. It lives
in `.git/mouctl-cache/cache.sqlite3` (never in the work tree), in one SQLite file:

- writes are transactions, so a concurrent command sees all of an entry or none,
  and a command that cannot get the lock simply does not write (the cache is an
  optimisation, never a requirement);
- it is bounded (`MOUCTL_CACHE_MB`, default 256): the least recently used entries
  are evicted when it grows past that;
- an entry whose checksum fails, that does not decode, or that has the wrong
  shape for its kind is ignored (and rebuilt by the caller); a file that is not a
  database is replaced.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

from mouctl._version import __version__

# The packages whose code decides what a parsed version or a summary looks like. The
# digest covers every module in them, so a new module cannot be forgotten (a hand list
# once missed two).
_CODE_PACKAGES = ("model", "source", "changes", "history")
FILE_NAME = "cache.sqlite3"
DEFAULT_MB = 256
_BUSY_MS = 2000
_SCHEMA = 2  # the table's layout; another one is dropped and made again
# An entry's last use is recorded to this precision (seconds): eviction only needs to
# know the old from the recent, and re-marking every entry a command read made each
# warm command write thousands of rows.
_USED_GRAIN = 600


@cache
def code_version() -> str:
    """A digest of mouctl's version and the code that parses and compares networks."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent.parent
    for name in _CODE_PACKAGES:
        for module in sorted((package / name).rglob("*.py")):
            with contextlib.suppress(OSError):
                digest.update(module.relative_to(package).as_posix().encode())
                digest.update(module.read_bytes())
    return digest.hexdigest()[:16]


def limit_bytes() -> int:
    """The cache's size bound in bytes (`MOUCTL_CACHE_MB`, default 256 MiB)."""
    try:
        return max(1, int(os.environ.get("MOUCTL_CACHE_MB", DEFAULT_MB))) * 1024 * 1024
    except ValueError:
        return DEFAULT_MB * 1024 * 1024


class Store:
    """The SQLite file holding every kind of entry; opened once per command."""

    def __init__(self, git_dir: Path) -> None:
        self.path = Path(git_dir) / "mouctl-cache" / FILE_NAME
        self._db = None
        self._broken = False
        self._used: set[tuple[str, str]] = set()

    def _open(self):
        if self._db is not None or self._broken:
            return self._db
        import sqlite3

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = self._connect(sqlite3)
        except sqlite3.DatabaseError:
            # Not a database (a truncated or foreign file): start a new one.
            with contextlib.suppress(OSError):
                self.path.unlink()
            try:
                self._db = self._connect(sqlite3)
            except (sqlite3.Error, OSError):
                self._broken = True
        except OSError:
            self._broken = True
        return self._db

    def _connect(self, sqlite3):
        db = sqlite3.connect(self.path, timeout=_BUSY_MS / 1000, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        if db.execute("PRAGMA user_version").fetchone()[0] != _SCHEMA:
            # A file written by a mouctl with another layout: start it afresh.
            with _transaction(db):
                db.execute("DROP TABLE IF EXISTS entry")
                db.execute("CREATE TABLE entry (kind TEXT, key TEXT, code TEXT, value BLOB, "
                           "digest TEXT, size INTEGER, used REAL, "
                           "PRIMARY KEY (kind, key, code))")
                db.execute("CREATE INDEX entry_used ON entry (used)")
                db.execute(f"PRAGMA user_version = {_SCHEMA}")
        return db

    def get_many(self, kind: str, keys: Iterable[str]) -> dict[str, bytes]:
        """{key: stored bytes} of the keys present (missing ones are left out)."""
        import sqlite3

        keys = list(dict.fromkeys(keys))
        db = self._open()
        if db is None or not keys:
            return {}
        found: dict[str, bytes] = {}
        stale = time.time() - _USED_GRAIN
        try:
            for start in range(0, len(keys), 500):
                chunk = keys[start:start + 500]
                marks = ",".join("?" * len(chunk))
                for key, value, digest, used in db.execute(
                        f"SELECT key, value, digest, used FROM entry WHERE kind=? AND code=? "
                        f"AND key IN ({marks})", (kind, code_version(), *chunk)):
                    if isinstance(value, bytes) and digest == _digest(kind, key, value):
                        found[key] = value  # else damaged: as if missing, rebuilt
                        if not isinstance(used, float | int) or used < stale:
                            self._used.add((kind, key))
        except sqlite3.DatabaseError:
            self._reset()
            return {}
        return found

    def put_many(self, kind: str, items: Iterable[tuple[str, bytes]]) -> None:
        """Store entries in one transaction; skipped when the database is busy."""
        import sqlite3

        db = self._open()
        rows = [(kind, key, code_version(), value, _digest(kind, key, value), len(value),
                 time.time()) for key, value in items]
        if db is None or not rows:
            return
        try:
            with _transaction(db):
                db.executemany("INSERT OR REPLACE INTO entry VALUES (?,?,?,?,?,?,?)", rows)
        except sqlite3.OperationalError:
            return  # locked by another command: this one just does not cache
        except sqlite3.DatabaseError:
            self._reset()

    def close(self) -> None:
        """Mark this command's hits as recently used, evict beyond the bound, close."""
        import sqlite3

        db = self._db
        if db is None:
            return
        try:
            now = time.time()
            used = list(self._used)
            with _transaction(db):
                db.executemany("UPDATE entry SET used=? WHERE kind=? AND key=? AND code=?",
                               [(now, kind, key, code_version()) for kind, key in used])
                self._evict(db)
        except sqlite3.Error:
            pass
        finally:
            with contextlib.suppress(sqlite3.Error):
                db.close()
            self._db = None

    def _evict(self, db) -> None:
        total = db.execute("SELECT COALESCE(SUM(size), 0) FROM entry").fetchone()[0]
        bound = limit_bytes()
        if total <= bound:
            return
        # Entries of an older code version can never be read again: they go first.
        db.execute("DELETE FROM entry WHERE code != ?", (code_version(),))
        total = db.execute("SELECT COALESCE(SUM(size), 0) FROM entry").fetchone()[0]
        keep = bound * 3 // 4  # evict in one go down to 3/4, not one entry per write
        if total > keep:
            cut, freed = None, 0
            for used, size in db.execute("SELECT used, size FROM entry ORDER BY used"):
                freed += size
                cut = used
                if total - freed <= keep:
                    break
            db.execute("DELETE FROM entry WHERE used <= ?", (cut,))

    def _reset(self) -> None:
        """The file went bad while open: drop it; the next command starts afresh."""
        with contextlib.suppress(Exception):
            self._db.close()
        self._db, self._broken = None, True
        with contextlib.suppress(OSError):
            self.path.unlink()


def _digest(kind: str, key: str, value: bytes) -> str:
    """A checksum of an entry: a damaged value (or one moved to another key) fails it."""
    return hashlib.blake2b(value, digest_size=12, key=f"{kind}\x00{key}".encode()[:64]
                           ).hexdigest()


@contextlib.contextmanager
def _transaction(db):
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


class Cache:
    """One kind of JSON entry in a Store, each checked for its shape when read."""

    def __init__(self, store: Store, kind: str,
                 shape: Callable[[object], bool] = lambda value: True) -> None:
        self.store, self.kind, self.shape = store, kind, shape

    @staticmethod
    def key(parts) -> str:
        """A key for a JSON-able list of parts."""
        return hashlib.sha256(json.dumps(parts).encode()).hexdigest()

    def get_many(self, keys: Iterable[str]) -> dict:
        """{key: value} of the entries present and well-formed."""
        from mouctl.trace import note

        keys = list(keys)
        out = {}
        found = self.store.get_many(self.kind, keys)
        note("cache: %d of %d %s entries found in the git folder", len(found), len(keys),
             self.kind)
        for key, raw in found.items():
            try:
                value = json.loads(raw)
            except (ValueError, TypeError):
                continue  # corrupted: as if missing; the caller rebuilds and replaces it
            if self.shape(value):
                out[key] = value
        return out

    def get(self, key: str):
        """The value under `key`, None when missing or malformed."""
        return self.get_many([key]).get(key)

    def put_many(self, items: Iterable[tuple[str, object]]) -> None:
        """Store JSON values (json.dumps: the C encoder, 10x json.dump)."""
        self.store.put_many(self.kind, [
            (key, json.dumps(value, ensure_ascii=False).encode("utf-8"))
            for key, value in items])

    def put_many_json(self, items: Iterable[tuple[str, str]]) -> None:
        """Store values given as JSON text already."""
        self.store.put_many(self.kind, [(key, text.encode("utf-8")) for key, text in items])

    def put(self, key: str, value) -> None:
        """Store one JSON value."""
        self.put_many([(key, value)])

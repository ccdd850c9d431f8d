"""The parse cache cannot lie: corrupted, misshapen or foreign entries are ignored and
rebuilt, the file is bounded, and a repository named in GIT_DIR cannot feed it."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from mouctl.history.parsecache import FILE_NAME, Cache, Store, code_version
from tests.gitnet import NetRepo


def _history(root: Path) -> NetRepo:
    repo = NetRepo.create(root)
    repo.edit("ecvet_points: 20", "ecvet_points: 15")
    repo.commit("More points")
    repo.edit("ecvet_points: 15", "ecvet_points: 10")
    repo.commit("Even more points")
    return repo


def _runner(run):
    def mouctl(*args: str, cwd: Path, env: dict | None = None):
        result = run(*args, cwd=cwd, env=env)
        assert result.code == 0, result.output
        return result

    return mouctl


def _db(repo: NetRepo) -> Path:
    return repo.root / ".git" / "mouctl-cache" / FILE_NAME


def _rows(repo: NetRepo, kind: str) -> list[tuple[str, bytes]]:
    with sqlite3.connect(_db(repo)) as db:
        return db.execute("SELECT key, value FROM entry WHERE kind=?", (kind,)).fetchall()


def _overwrite(repo: NetRepo, kind: str, value: bytes) -> int:
    with sqlite3.connect(_db(repo)) as db:
        return db.execute("UPDATE entry SET value=? WHERE kind=?", (value, kind)).rowcount


def test_a_corrupted_or_misshapen_entry_is_ignored_and_rebuilt(tmp_path, run) -> None:
    mouctl = _runner(run)
    repo = _history(tmp_path / "net")
    first = mouctl("log", cwd=repo.folder).stdout
    for kind in ("summary", "part", "layout"):
        assert _rows(repo, kind), kind
    for broken in (b"\x00not json", json.dumps({"summary": 3}).encode(), b"[]"):
        for kind in ("summary", "part", "layout"):
            assert _overwrite(repo, kind, broken)
        assert mouctl("log", cwd=repo.folder).stdout == first
        # rebuilt: the next run reads well-formed entries again
        assert all(json.loads(v)["summary"] for _, v in _rows(repo, "summary"))
    diff = mouctl("diff", "HEAD~2", "HEAD", cwd=repo.folder).stdout
    _overwrite(repo, "part", b"{\"id\": 1}")  # the right type, the wrong content
    assert mouctl("diff", "HEAD~2", "HEAD", cwd=repo.folder).stdout == diff


def test_a_file_that_is_not_a_database_is_replaced(tmp_path, run) -> None:
    mouctl = _runner(run)
    repo = _history(tmp_path / "net")
    first = mouctl("log", cwd=repo.folder).stdout
    _db(repo).write_bytes(b"this is not SQLite" * 100)
    for wal in _db(repo).parent.glob(FILE_NAME + "-*"):
        wal.unlink()
    assert mouctl("log", cwd=repo.folder).stdout == first
    assert _rows(repo, "summary")


def test_an_entry_of_the_wrong_shape_is_not_returned(tmp_path) -> None:
    store = Store(tmp_path)
    cache = Cache(store, "summary", lambda v: isinstance(v, dict) and "summary" in v)
    cache.put("good", {"summary": "x"})
    cache.put("bad", ["summary"])
    assert cache.get_many(["good", "bad", "missing"]) == {"good": {"summary": "x"}}
    store.close()


def test_entries_of_other_code_are_not_read(tmp_path) -> None:
    store = Store(tmp_path)
    cache = Cache(store, "summary")
    cache.put("k", {"a": 1})
    with sqlite3.connect(store.path) as db:
        db.execute("UPDATE entry SET code='other'")
    assert cache.get("k") is None
    assert code_version() != "other"
    store.close()


def test_the_cache_is_bounded_and_evicts_the_least_recently_used(tmp_path,
                                                                 monkeypatch) -> None:
    monkeypatch.setenv("MOUCTL_CACHE_MB", "1")
    store = Store(tmp_path)
    cache = Cache(store, "part")
    blob = "x" * 100_000
    cache.put_many((f"old{i}", blob) for i in range(8))
    store.close()
    with sqlite3.connect(tmp_path / "mouctl-cache" / FILE_NAME) as db:
        db.execute("UPDATE entry SET used = used - 3600")  # written an hour ago
    store = Store(tmp_path)
    cache = Cache(store, "part")
    assert cache.get("old7") == blob  # used now: kept over the others
    cache.put_many((f"new{i}", blob) for i in range(8))
    store.close()
    with sqlite3.connect(tmp_path / "mouctl-cache" / FILE_NAME) as db:
        total, = db.execute("SELECT SUM(size) FROM entry").fetchone()
        keys = {k for k, in db.execute("SELECT key FROM entry")}
    assert total <= 1024 * 1024
    assert "old7" in keys and "old0" not in keys


def test_git_dir_in_the_environment_cannot_feed_another_repository(tmp_path, run) -> None:
    mouctl = _runner(run)
    mine = _history(tmp_path / "mine")
    other = NetRepo.create(tmp_path / "other")
    other.edit("ecvet_points: 20", "ecvet_points: 19")
    other.commit("Someone else's change")
    expected = mouctl("log", cwd=mine.folder).stdout
    (mine.root / ".git" / "mouctl-cache").rename(tmp_path / "aside")
    env = {"GIT_DIR": str(other.root / ".git"), "GIT_WORK_TREE": str(other.root)}
    assert mouctl("log", cwd=mine.folder, env=env).stdout == expected
    assert mouctl("log", cwd=mine.folder).stdout == expected
    assert other.head()[:7] not in expected and mine.head()[:7] in expected


def test_a_cache_file_of_another_layout_is_started_afresh(tmp_path) -> None:
    path = tmp_path / "mouctl-cache" / FILE_NAME
    path.parent.mkdir()
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE entry (kind TEXT, key TEXT, value BLOB)")
        db.execute("INSERT INTO entry VALUES ('summary', 'k', 'old')")
    store = Store(tmp_path)
    cache = Cache(store, "summary")
    assert cache.get("k") is None
    cache.put("k", {"new": True})
    store.close()
    assert Cache(Store(tmp_path), "summary").get("k") == {"new": True}

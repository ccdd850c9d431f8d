"""Parsed network versions cached by the git blob ids of their files.

A blob id names file content for good, so the network parsed from a set of blobs
never changes: `mouctl log` parses each version once and reads it back after.
The cache lives in the repository's git folder (`.git/mouctl-cache/`), never in
the work tree, and is keyed by mouctl's own code too, so a new parser or model
invalidates it. A cache that cannot be read or written is simply not used.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from functools import cache
from pathlib import Path

from mouctl._version import __version__

# The packages whose code decides what a parsed version or a summary looks like. The
# digest covers every module in them, so a new module cannot be forgotten (a hand list
# once missed two).
_CODE_PACKAGES = ("model", "source", "changes", "history")


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


class Cache:
    """A folder of small JSON files, one per key, written atomically."""

    def __init__(self, git_dir: Path, kind: str) -> None:
        self.folder = Path(git_dir) / "mouctl-cache" / kind / code_version()

    @staticmethod
    def key(parts) -> str:
        return hashlib.sha256(json.dumps(parts).encode()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key[2:]}.json"

    def has(self, key: str) -> bool:
        """True when `key` is cached (without reading it)."""
        return self._path(key).is_file()

    def get(self, key: str):
        try:
            return json.loads(self._path(key).read_bytes())
        except (OSError, ValueError):
            return None

    def put(self, key: str, value, *, max_bytes: int | None = None) -> None:
        """Store `value`; skipped (not an error) when larger than `max_bytes`."""
        path = self._path(key)
        try:
            # json.dumps, not json.dump: only the former uses the C encoder (10x faster).
            data = json.dumps(value, ensure_ascii=False).encode("utf-8")
            if max_bytes is not None and len(data) > max_bytes:
                return
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)  # atomic: a concurrent reader sees all or nothing
        except OSError:
            with contextlib.suppress(OSError, UnboundLocalError):
                os.unlink(tmp)

"""A release's document fingerprint as this mouctl renders it, rendered once.

`release` digests the Markdown document it releases, and `status` renders the
latest release again to say when this mouctl words it otherwise than the released
document: on a large network that is most of a second each time. The digest
depends only on the release's data (its tree of data files, a content address), its
tag, the network's templates and the renderer (mouctl's code, its bundled templates
and the libraries that shape the text), so it is kept in the parse cache under all
of them: a change to any one of them is another key, never a stale answer.
"""

from __future__ import annotations

import hashlib
import os
import sys
from functools import cache
from pathlib import Path

from mouctl.history.engine import Version
from mouctl.history.parsecache import Cache
from mouctl.history.session import Session

# The libraries whose version can change the rendered text (escaping, wording of
# dates and countries, the dump of the data).
_SHAPING = ("jinja2", "markupsafe", "babel", "pydantic", "pydantic_core")


@cache
def renderer() -> str:
    """A digest of what, besides the data, decides the rendered text: every module of
    mouctl, the bundled templates and the shaping libraries' versions."""
    from mouctl._version import __version__
    from mouctl.render.engine import templates_root

    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent.parent
    root = templates_root()
    for base, pattern in ((package, "*.py"), (root, "*")):
        for path in sorted(p for p in base.rglob(pattern) if p.is_file()):
            digest.update(path.relative_to(base).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    digest.update(" ".join(_installed(_SHAPING)).encode())
    return digest.hexdigest()[:16]


def _installed(names: tuple[str, ...]) -> list[str]:
    """`name-version` of each library as installed (its .dist-info folder's name), read
    from the folders listing: importlib.metadata takes ~30 ms for the same answer."""
    wanted = {n.lower().replace("-", "_") for n in names}
    found = []
    for entry in sys.path:
        try:
            listing = os.listdir(entry or ".")
        except OSError:
            continue
        for name in listing:
            if name.endswith(".dist-info"):
                project = name[:-len(".dist-info")].rsplit("-", 1)[0]
                if project.lower().replace("-", "_") in wanted:
                    found.append(name)
    return sorted(found)


def document_fingerprint(session: Session, version: Version, tag: str,
                         template: Path | None) -> str:
    """`release.document_fingerprint` of `version` released as `tag` with the
    network's `template` folder, from the cache when this renderer made it before."""
    from mouctl.ledger import release as releases

    templates = releases.templates_fingerprint(template)
    cached = Cache(session.store, "document", lambda value: isinstance(value, str))
    key = Cache.key([version.key, tag, templates, renderer()]) if version.key else None
    found = cached.get(key) if key else None
    if found is None:
        found = releases.document_fingerprint(version.network, tag, template=template,
                                              fingerprint=session.fingerprint(version))
        if key:
            cached.put(key, found)
    return found

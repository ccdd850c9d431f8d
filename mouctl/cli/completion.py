"""Shell completion of the network's own names: partner ids and release tags.

Called by the shell on every TAB, so each function is quick, reads only what it
needs and never fails: a network it cannot read completes nothing.
"""

from __future__ import annotations

from pathlib import Path


def _folder(ctx) -> Path | None:
    from mouctl.cli.app import find_network

    given = (ctx.params or {}).get("network") if ctx is not None else None
    if given is not None and (Path(given) / "network.yaml").is_file():
        return Path(given)
    return find_network(Path(given) if given is not None else Path("."))


def partner_ids(ctx, incomplete: str) -> list[str]:
    """The partner ids of the network (as they are now), for `sign PARTNER`."""
    try:
        from mouctl.source import loader

        folder = _folder(ctx)
        network = loader.load(folder).network if folder is not None else None
        ids = [p.id for p in network.partners] if network is not None else []
    except Exception:  # noqa: BLE001 - completion must never print a traceback
        return []
    return [i for i in ids if i.startswith(incomplete)]


def release_tags(ctx, incomplete: str) -> list[str]:
    """The release tags (newest first), for revisions such as `diff OLD` or `--at`."""
    try:
        from mouctl.history import revisions

        folder = _folder(ctx)
        tags = [r.tag for r in revisions.releases(folder)] if folder is not None else []
    except Exception:  # noqa: BLE001
        return []
    return [t for t in tags if t.startswith(incomplete)]


def release_versions(ctx, incomplete: str) -> list[str]:
    """The released versions (`1.1`), for `sign --release`."""
    from mouctl.history.tags import version_of

    return [v for t in release_tags(ctx, "") if (v := version_of(t)) and
            v.startswith(incomplete)]

"""Where a network's CI installs mouctl from: exactly the mouctl that created it.

The CI files hold one install spec, `MOUCTL_PACKAGE`, at their top. It is the
version running `init`, from the package index; when this mouctl was installed
from a git repository or a wheel at a URL (PEP 610 `direct_url.json`), it is that
same source, pinned. A local checkout or a wheel on this disk cannot be reached
from CI, so those fall back to the index and `init` says so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

DEFAULT_REPOSITORY = "https://github.com/mouctl/mouctl"


@dataclass
class InstallSpec:
    """The pip requirement CI installs, and how `init` describes it."""

    spec: str
    source: str  # "the package index", "git", "a wheel at a URL"
    note: str | None = None  # why the index was chosen although mouctl came from elsewhere


def repository() -> str:
    """mouctl's source repository, from `[project.urls]` of the installed package."""
    meta = _metadata()
    for entry in (meta.get_all("Project-URL") if meta else None) or []:
        label, _, url = entry.partition(",")
        if label.strip().lower() in ("repository", "source") and url.strip():
            return url.strip()
    return DEFAULT_REPOSITORY


def current(version: str) -> InstallSpec:
    """The install spec that reproduces this mouctl on a CI runner."""
    index = InstallSpec(f"mouctl=={version}", "the package index")
    direct = _direct_url()
    if direct is None:
        return index
    url = direct.get("url", "")
    vcs = direct.get("vcs_info")
    if vcs and not url.startswith("file:"):
        return InstallSpec(f"mouctl @ {vcs.get('vcs', 'git')}+{url}@{vcs['commit_id']}", "git")
    if "archive_info" in direct and not url.startswith("file:"):
        return InstallSpec(f"mouctl @ {url}", "a wheel or archive at a URL")
    index.note = (f"this mouctl was installed from {url or 'a local folder'}, which CI cannot "
                  "reach")
    return index


def vcs_example(version: str) -> str:
    """The spec for installing this version from the repository's release tag."""
    return f"mouctl @ git+{repository()}@v{version}"


def _metadata():
    try:
        from importlib import metadata

        return metadata.distribution("mouctl").metadata
    except Exception:  # noqa: BLE001 - running from a checkout that is not installed
        return None


def _direct_url() -> dict | None:
    try:
        from importlib import metadata

        text = metadata.distribution("mouctl").read_text("direct_url.json")
        return json.loads(text) if text else None
    except Exception:  # noqa: BLE001 - not installed, or unreadable metadata
        return None

"""Release tags read with git's plain answers, without GitPython.

`release` and `status` list the releases on every run; opening the repository with
GitPython only for that cost ~60 ms (import, open, two git processes of its own).
Here one `git for-each-ref` lists the tags and one `git cat-file --batch` reads the
annotated ones, and each tag object is parsed exactly as GitPython parses it (its
header lines, the tagger's name, date and zone, the message), so a release reads
the same either way.

Whatever is unusual (git fails, a tag of a tag, a tag object that does not parse)
gets no plain answer (None): the caller then reads the tags with GitPython, which
words every such case as before.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass

from mouctl.errors import GitError
from mouctl.history import gitread

# GitPython's patterns for an actor line (git.objects.util, GitPython 3.x).
_ACTOR_EPOCH = re.compile(r"^(?=[^\n]*$).[^ \n]* (.*) (\d+) ([+-]\d+)")
_ONLY_ACTOR = re.compile(r"^.[^ \n]* (.*)$")


@dataclass(frozen=True)
class TagObject:
    """An annotated tag's fields, as GitPython's TagObject gives them."""

    tag_id: str
    target: str  # the object the tag names
    target_type: str  # as the tag declares it: commit, tag, tree or blob
    tagger: str  # the tagger's name
    tagged_date: int  # seconds since the epoch
    tz_offset: int  # seconds west of UTC (GitPython's `tagger_tz_offset`)
    message: str


@dataclass(frozen=True)
class TagRef:
    """One tag: its name, and the commit (lightweight) or tag object it names."""

    name: str
    oid: str
    annotated: TagObject | None  # None: a lightweight tag on a commit


def release_tags(loc, wanted) -> list[TagRef] | None:
    """The tags whose name `wanted(name)` accepts that name a commit, directly or
    through an annotated tag; None when git gives no plain answer (see above)."""
    if not loc.has_head:
        return None  # no commit yet, or found through GitPython: it answers
    try:
        proc = subprocess.run(
            gitread.command(loc.git_dir, "for-each-ref",
                            "--format=%(objectname) %(objecttype) %(refname)", "refs/tags"),
            capture_output=True, env=gitread.git_env(), check=False)
    except OSError:
        return None
    if proc.returncode or proc.stderr.strip():
        return None
    listed = []
    for line in proc.stdout.decode("utf-8", "surrogateescape").splitlines():
        oid, kind, ref = (line.split(" ", 2) + ["", ""])[:3]
        name = ref.removeprefix("refs/tags/")
        if not ref.startswith("refs/tags/") or not wanted(name):
            continue
        if kind not in ("commit", "tag"):
            if kind in ("tree", "blob"):
                continue  # not a release (`revisions.not_releases` says so)
            return None
        listed.append((name, oid, kind))
    objects = gitread.Objects(loc.git_dir)
    try:
        read = dict(objects.read_many([oid for _, oid, kind in listed if kind == "tag"]))
    except GitError:
        return None
    finally:
        objects.close()
    out = []
    for name, oid, kind in listed:
        if kind == "commit":
            out.append(TagRef(name, oid, None))
            continue
        data = read.get(oid)
        tag = parse_tag(oid, data) if data is not None else None
        if tag is None or tag.target_type == "tag":
            return None  # a tag of a tag, or an odd one: GitPython follows it
        if tag.target_type == "commit":
            out.append(TagRef(name, oid, tag))
    return out


def parse_tag(tag_id: str, data: bytes) -> TagObject | None:
    """The fields of a raw tag object, as GitPython reads them; None if it has fewer
    header lines than GitPython expects."""
    lines = data.decode(sys.getfilesystemencoding(), "replace").splitlines()
    if len(lines) < 4:
        return None
    try:
        _, target = lines[0].split(" ")
        _, target_type = lines[1].split(" ")
    except ValueError:
        return None
    actor, epoch, offset = "", "0", "0"
    match = _ACTOR_EPOCH.search(lines[3])
    if match:
        actor, epoch, offset = match.groups()
    else:
        match = _ONLY_ACTOR.search(lines[3])
        actor = match.group(1) if match else lines[3] or ""
    # Line 4 is empty (it ends the header); the message follows it.
    message = "\n".join(lines[5:]) if len(lines) > 5 else ""
    return TagObject(tag_id, target, target_type, _actor_name(actor), int(epoch),
                     _west_of_utc(offset), message)


def _actor_name(text: str) -> str:
    """The name in `Name <email>` (GitPython's Actor: the whole text without `<...>`)."""
    line = text.partition("\n")[0]
    left = line.find("<")
    right = line.find(">", left + 1)
    if left >= 0 and right >= 0:
        return line[:left].rstrip()
    return text


def _west_of_utc(zone: str) -> int:
    """`+0200` as seconds west of UTC (-7200), as GitPython's `utctz_to_altz`."""
    value = int(zone)
    seconds = (abs(value) // 100) * 3600 + (abs(value) % 100) * 60
    return seconds if value < 0 else -seconds

"""Release tags read with git's plain answers, without GitPython.

`release` and `status` list the releases on every run; opening the repository with
GitPython only for that cost ~60 ms (import, open, two git processes of its own).
Here one `git for-each-ref` lists the tags with the raw objects of the annotated
ones, and each tag object is parsed exactly as GitPython parses it (its header
lines, the tagger's name, date and zone, the message), so a release reads the same
either way.

Whatever is unusual (git fails, a tag of a tag, a tag object that does not parse)
gets no plain answer (None): the caller then reads the tags with GitPython, which
words every such case as before.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass

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
    listed = _listing(loc.git_dir)
    if listed is None:
        return None
    out = []
    for oid, kind, ref, raw in listed:
        name = ref.removeprefix("refs/tags/")
        if not ref.startswith("refs/tags/") or not wanted(name):
            continue
        if kind == "commit":
            out.append(TagRef(name, oid, None))
            continue
        if kind in ("tree", "blob"):
            continue  # not a release (`revisions.not_releases` says so)
        tag = parse_tag(oid, raw) if kind == "tag" else None
        if tag is None or tag.target_type == "tag":
            return None  # a tag of a tag, or an odd one: GitPython follows it
        if tag.target_type == "commit":
            out.append(TagRef(name, oid, tag))
    return out


# Each tag: its object id, type and ref name, then (an annotated tag) its raw object
# with its size first, so any bytes in a message are read exactly. `%(raw)` is
# git 2.36 and later; an older git refuses the format, and GitPython answers.
_FORMAT = ("%(objectname) %(objecttype) %(refname)%00%(if:equals=tag)%(objecttype)%(then)"
           "%(raw:size)%00%(raw)%(else)0%00%(end)")


def _listing(git_dir) -> list[tuple[str, str, str, bytes]] | None:
    """(object id, type, ref name, raw tag object or b"") of every tag, in one git
    call; None when git does not simply answer."""
    try:
        proc = subprocess.run(gitread.command(git_dir, "for-each-ref", f"--format={_FORMAT}",
                                              "refs/tags"),
                              capture_output=True, env=gitread.git_env(), check=False)
    except OSError:
        return None
    if proc.returncode or proc.stderr.strip():
        return None
    out, data, pos = [], proc.stdout, 0
    try:
        while pos < len(data):
            head_end = data.index(b"\x00", pos)
            size_end = data.index(b"\x00", head_end + 1)
            size = int(data[head_end + 1:size_end])
            raw = data[size_end + 1:size_end + 1 + size]
            header = data[pos:head_end].decode("utf-8", "surrogateescape").split(" ", 2)
            pos = size_end + 1 + size
            if len(raw) != size or data[pos:pos + 1] != b"\n" or len(header) != 3:
                return None
            pos += 1
            out.append((*header, raw))
    except ValueError:
        return None
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

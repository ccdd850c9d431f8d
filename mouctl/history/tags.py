"""The text of a release tag: written by `mouctl release`, read back by everyone.

A release is an annotated git tag `mou-vVERSION` whose message a person can read
with `git show mou-v1.1` and mouctl can parse: a subject line, the reason, the
substantive changes, and `Key: value` trailers (as in git commit trailers) with
the fingerprints of the data and of the rendered document. Pure: no git here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

TAG_PREFIX = "mou-v"
_VERSION = re.compile(r"^[0-9]+(\.[0-9]+){0,2}\Z")  # ASCII digits only: `２.０` is no version
# The first MoU's tags are `mou-v1.0`; a new MoU that replaces it starts its own
# series `mou2-v1.0`, so the two lives never share a tag.
_TAG = re.compile(r"^mou([2-9]|[1-9][0-9]+)?-v([0-9]+(?:\.[0-9]+){0,2})\Z")
_TRAILER = re.compile(r"^([A-Z][A-Za-z-]+): (.+)$")

DATA_FINGERPRINT = "Data-Fingerprint"
DOCUMENT_FINGERPRINT = "Document-Fingerprint"
TEMPLATES_FINGERPRINT = "Templates-Fingerprint"  # the network's templates/; `none`
WORDING_CHANGED = "Wording-Changed"  # template files changed since the previous release
PREVIOUS_RELEASE = "Previous-Release"
AMENDMENT = "Amendment"
EFFECTIVE = "Effective"  # the date an amendment takes effect (release --effective)
SUPERSEDES = "Supersedes"  # a new MoU: the last release of the MoU it replaces
SIGNERS = "Signers"  # who signs this release: `none`, or the adherents' ids; absent: all
WITHDRAWN = "Withdrawn"  # partners that left by withdrawal since the previous release


def is_version(text: str) -> bool:
    """`1`, `1.1` or `2.0.1`: digits separated by dots."""
    return bool(_VERSION.match(text))


def version_key(version: str) -> tuple[int, int, int]:
    """A sortable key: `1.1` < `1.10` < `2`; `1` == `1.0`."""
    parts = [int(p) for p in version.split(".")]
    return tuple((parts + [0, 0, 0])[:3])  # type: ignore[return-value]


def tag_name(version: str, mou: int = 1) -> str:
    """`1.1` -> `mou-v1.1`; of the second MoU: `mou2-v1.1`."""
    return f"{TAG_PREFIX}{version}" if mou == 1 else f"mou{mou}-v{version}"


def parse_tag(tag: str) -> tuple[int, str] | None:
    """`mou2-v1.1` -> (2, "1.1"), `mou-v1.0` -> (1, "1.0"); None for other tags."""
    match = _TAG.match(tag)
    return (int(match.group(1) or 1), match.group(2)) if match else None


def version_of(tag: str) -> str | None:
    """`mou-v1.1` -> `1.1`; None for tags that are not releases of the first MoU."""
    parsed = parse_tag(tag)
    return parsed[1] if parsed and parsed[0] == 1 else None


@dataclass
class TagMessage:
    """What a release tag says, in parts."""

    version: str
    reason: str
    substantive: list[str] = field(default_factory=list)
    administrative: int = 0
    trailers: dict[str, str] = field(default_factory=dict)
    mou: int = 1  # 2 for the first MoU that replaced the original one, ...

    @property
    def data_fingerprint(self) -> str | None:
        return self.trailers.get(DATA_FINGERPRINT)

    @property
    def document_fingerprint(self) -> str | None:
        return self.trailers.get(DOCUMENT_FINGERPRINT)


def format_message(msg: TagMessage) -> str:
    """The tag message text (ends with the trailers, one per line)."""
    previous = msg.trailers.get(PREVIOUS_RELEASE)
    subject = "MoU" if msg.mou == 1 else f"MoU {msg.mou}"
    lines = [f"{subject} release {msg.version}", "", f"Reason: {msg.reason.strip()}", ""]
    since = f"since {previous}" if previous else "(first release)"
    if previous is None and msg.trailers.get(SUPERSEDES):
        lines.append(f"First release of a new MoU that replaces the MoU released as "
                     f"{msg.trailers[SUPERSEDES]}.")
    elif previous is None:
        lines.append("First release of the MoU.")
    elif msg.substantive:
        lines.append(f"Substantive changes {since}:")
        lines += [f"- {line}" for line in msg.substantive]
    else:
        lines.append(f"No substantive changes {since}.")
    if msg.administrative:
        lines.append(f"Administrative changes: {msg.administrative} (no re-signing needed).")
    lines.append("")
    lines += [f"{key}: {value}" for key, value in msg.trailers.items()]
    return "\n".join(lines) + "\n"


def parse_message(version: str, text: str) -> TagMessage:
    """Read a tag message back; tolerant of hand-made tags (missing parts stay empty)."""
    msg = TagMessage(version=version, reason="")
    section = None
    for line in text.splitlines():
        if line.startswith("Reason: "):
            msg.reason = line[len("Reason: "):].strip()
            section = "reason"
        elif line.startswith("Substantive changes"):
            section = "substantive"
        elif section == "substantive" and line.startswith("- "):
            msg.substantive.append(line[2:])
        elif line.startswith("Administrative changes: "):
            count = line.split(": ", 1)[1].split(" ", 1)[0]
            msg.administrative = int(count) if count.isdigit() else 0
        elif match := _TRAILER.match(line):
            if match.group(1) not in ("Reason",):
                msg.trailers[match.group(1)] = match.group(2).strip()
            section = None
        elif section == "reason" and line.strip():
            msg.reason += " " + line.strip()
        else:
            section = None if not line.strip() else section
    if not msg.reason:
        # A tag made by hand: its first line is the best reason there is.
        first = next((line for line in text.splitlines() if line.strip()), "")
        msg.reason = first.strip()
    return msg


def change_line(change) -> str:
    """One change as a line of the tag, worded as `mouctl diff` words it."""
    from mouctl.changes.phrasing import describe

    return describe(change)

"""The one wording of a change for the coordinator: ids kept, full values (pure).

`diff`, `status`, `release`'s output and the release tag all say a change with
`describe`, so they cannot disagree ("joined" in one, "added" in another). The
document's wording (printed names, the document's language, for the amendment)
builds on the same `Change` fields.
"""

from __future__ import annotations

import json
import re

from mouctl.changes.compare import Change

_JOINS = {"partners", "covered_organisations"}
_ID_LIKE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Joining and leaving as the MoU's own terms provide (changes.lifecycle).
_LIFECYCLE_VERB = {"joins-by-adhesion": "joins by adhesion",
                   "withdrew-by-notice": "withdrew by notice"}


def describe(change: Change) -> str:
    """`Unit mech-u3 "Hydraulics": ecvet_points 10 -> 15`, `Partner x "X" left`."""
    if change.field == "":
        verb = {"added": "joined", "removed": "left"} if change.section in _JOINS else {}
        verb = _LIFECYCLE_VERB.get(change.rule, verb.get(change.action, change.action))
        return f"{change.label} {verb}"
    if change.action == "added":
        return f"{change.label}: {change.field} added {value(change.new)}"
    if change.action == "removed":
        return f"{change.label}: {change.field} removed {value(change.old)}"
    return f"{change.label}: {change.field} {value(change.old)} -> {value(change.new)}"


def value(v) -> str:
    """A JSON value the way a coordinator reads it: quoted texts, bare ids and numbers."""
    if v is None:
        return "(none)"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, str):
        return v if _DATE.match(v) else json.dumps(v, ensure_ascii=False)
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {value(x)}" for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(x if isinstance(x, str) and _ID_LIKE.match(x) else value(x)
                               for x in v) + "]"
    return str(v)

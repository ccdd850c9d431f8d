"""The one wording of a change for the coordinator: ids kept, full values (pure).

`diff`, `status`, `release`'s output and the release tag all say a change with
`describe`, so they cannot disagree ("joined" in one, "added" in another). The
document's wording (printed names, the document's language, for the amendment)
builds on the same `Change` fields.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from mouctl.changes.compare import Change

_JOINS = {"partners", "organisations", "covered_organisations"}
_ID_LIKE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Joining and leaving as the MoU's own terms provide (changes.lifecycle).
_LIFECYCLE_VERB = {"joins-by-adhesion": "joins by adhesion",
                   "withdrew-by-notice": "withdrew by notice"}


def describe(change: Change) -> str:
    """`Unit mech-u3 "Hydraulics": ecvet_points 10 -> 15`, `Partner x "X" left`."""
    if change.section == "annexes":
        return f"{change.label}: its text changed"
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


# -- the document's wording: printed names, the document's language -----------------

# Fields that hold ids of organisations: the document prints their legal names.
_ORG_FIELDS = {"covered_by", "awarding_institution", "hosts", "assessment.assessed_by",
               "coordinator", "review.reviewers", "assessed_by", "reviewers"}


@dataclass(frozen=True)
class Worded:
    """One change as the amendment prints it: no ids, no field paths, full values."""

    subject: str           # "Partner: Berufsschule am Hafen", "Validity"
    verb: str              # "joins", "leaves", "is added", "is removed", "changes"
    field: str | None      # "ECVET points"; None when the whole item joins or leaves
    old: str | None        # the full old text (None when added)
    new: str | None        # the full new text (None when removed)
    substantive: bool


def for_document(change: Change, old, new, say, *, date=None) -> Worded:
    """`change` in the document's words; `old`/`new` are the two networks,
    `say(key, default)` looks a fixed text up in the document's language and
    `date(iso)` writes a date as the document does."""
    lang = new.languages[0] if new is not None else old.languages[0]
    subject = _subject(change, old, new, say, lang)
    field = None
    if change.field and change.section in ENTITY:
        field = _field_words(change.field, say)
    if change.field == "":
        verb = say(f"amendment.verbs.{'joins' if change.action == 'added' else 'leaves'}"
                   if change.section in _JOINS else f"amendment.verbs.{change.action}",
                   change.action)
    else:
        verb = say(f"amendment.verbs.{change.action}", change.action)
    show = _Shower(old, new, lang, change.field, date)
    old_text = None if change.field == "" and change.action == "added" else show(change.old)
    new_text = None if change.field == "" and change.action == "removed" else show(change.new)
    if change.field == "":
        old_text = new_text = None
    return Worded(subject, verb, field, old_text, new_text, change.substantive)


ENTITY = ("partners", "covered_organisations", "qualifications", "units")


def _subject(change: Change, old, new, say, lang: str) -> str:
    if change.section in ENTITY:
        kind = say(f"amendment.kinds.{change.section}", change.section)
        name = (_entity_name(change.section, change.item, new, lang)
                or _entity_name(change.section, change.item, old, lang) or change.item)
        return f"{kind}: {name}"
    if change.section == "annexes":
        return f"{say('sections.annexes', 'Annexes')}: {change.item}"
    if change.section == "arrangements":
        key = change.field.split(".")[0] or change.item
        return say(f"arrangements.{key}", _human(key))
    return _field_words(change.field or change.item, say)


def _entity_name(section: str, ident: str, network, lang: str) -> str | None:
    from mouctl.model.network import text

    if network is None:
        return None
    if section == "partners":
        found = next((p for p in network.partners if p.id == ident), None)
        return text(found.name, lang) if found else None
    if section == "covered_organisations":
        found = next((c for c in network.covered_organisations if c.id == ident), None)
        return text(found.name, lang) if found else None
    for qual in network.qualifications:
        if section == "qualifications" and qual.id == ident:
            return text(qual.title, lang)
        if section == "units":
            for unit in qual.units:
                if unit.id == ident:
                    return f"{text(unit.title, lang)} ({text(qual.title, lang)})"
    return None


def _field_words(path: str, say) -> str:
    parts = [p for p in path.split(".") if p]
    words = [say(f"labels.{p}", None) or _human(p) for p in parts]
    if len(words) > 1 and words[0].lower() in ("learning outcomes", "assessment"):
        return words[-1]
    return " – ".join(words) if words else ""


def _human(key: str) -> str:
    return key.replace("_", " ").capitalize()


class _Shower:
    """Values in full, as the document prints them: texts in its language, ids as names."""

    def __init__(self, old, new, lang: str, field: str, date=None) -> None:
        self.nets = [n for n in (new, old) if n is not None]
        self.lang = lang
        self.date = date
        self.orgs = field.split(".")[-1] in {f.split(".")[-1] for f in _ORG_FIELDS} or \
            field in _ORG_FIELDS

    def __call__(self, value) -> str | None:
        if value is None or value == [] or value == "":
            return None
        if isinstance(value, bool):
            return "✓" if value else "✗"
        if isinstance(value, dict):
            if value and all(isinstance(v, str) for v in value.values()):
                return value.get(self.lang) or next(iter(value.values()))
            return "; ".join(f"{_human(k)}: {self(v)}" for k, v in value.items()
                             if self(v) is not None)
        if isinstance(value, list):
            shown = [self(v) for v in value]
            return "; ".join(s for s in shown if s)
        if isinstance(value, str) and self.orgs:
            return self._org(value)
        if isinstance(value, str) and self.date and _DATE.match(value):
            return self.date(value)
        return str(value)

    def _org(self, ident: str) -> str:
        for net in self.nets:
            for section in ("partners", "covered_organisations"):
                name = _entity_name(section, ident, net, self.lang)
                if name:
                    return name
        return ident

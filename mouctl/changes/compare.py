"""What an amendment changes, in the domain's words (pure: no git, no I/O).

`compare(old, new)` lists every difference between two versions of a network as
`Change`s: the entity (partner, covered organisation, qualification, unit), the
arrangements or the MoU's terms; the field; old and new values; and whether it is
substantive (every partner must re-sign) or administrative, with the name of the
rule in `change_rules` that decided it.

Entities are matched by id, so where an entity is written (inline in
network.yaml or in a split file) does not matter: the model is the same. An id
that disappears while an entity with the same content appears under a new id is
a rename, and references to it (a unit's hosts, a qualification's awarding
institution ...) are followed before comparing, so a rename shows once.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Collection, Iterable
from dataclasses import asdict, dataclass

from mouctl.changes import rules as change_rules
from mouctl.model.network import Network, text

SECTIONS = ("partners", "organisations", "covered_organisations", "qualifications", "units",
            "arrangements", "terms")
ENTITY_SECTIONS = SECTIONS[:5]
_KIND = {"partners": "Partner", "organisations": "Organisation",
         "covered_organisations": "Covered organisation",
         "qualifications": "Qualification", "units": "Unit"}
_NAME_FIELD = {"partners": "name", "organisations": "name", "covered_organisations": "name",
               "qualifications": "title", "units": "title"}
# Lists of texts compared item by item ("learning outcome added: ...").
ITEMISED = {"objectives", "learning_outcomes.knowledge", "learning_outcomes.skills",
            "learning_outcomes.competence", "assessment.methods", "assessment.criteria"}
# Fields that hold ids of other entities: followed through renames.
_ORGANISATIONS = ("partners", "organisations", "covered_organisations")
_REFERENCES = {
    ("covered_organisations", "covered_by"): ("partners",),
    ("qualifications", "awarding_institution"): _ORGANISATIONS,
    ("units", "qualification"): ("qualifications",),
    ("units", "also_part_of"): ("qualifications",),
    ("units", "hosts"): _ORGANISATIONS,
    ("units", "assessment.assessed_by"): _ORGANISATIONS,
    ("terms", "coordinator"): _ORGANISATIONS,
    ("terms", "review.reviewers"): _ORGANISATIONS,
    ("terms", "assessment.assessed_by"): _ORGANISATIONS,
}


@dataclass(frozen=True)
class Change:
    """One difference between two versions of the network."""

    section: str      # one of SECTIONS
    item: str         # the entity's id; the field name for arrangements and terms
    label: str        # `Unit mech-u3 "Hydraulics"`, `MoU`, `Arrangements`
    field: str        # dotted field path; "" for a whole entity added or removed
    action: str       # added | removed | changed | renamed
    old: object       # JSON value (None when added)
    new: object       # JSON value (None when removed)
    substantive: bool
    rule: str         # name of the rule in change_rules.RULES that classified it

    def as_dict(self) -> dict:
        """The stable JSON form (keys in this order, values JSON types)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Change:
        """The Change back from `as_dict` output."""
        return cls(**{k: data[k] for k in cls.__dataclass_fields__})


def compare(old: Network, new: Network, *, withdrawn: Collection[str] = ()) -> list[Change]:
    """Every change from `old` to `new`, grouped by section in document order.

    `withdrawn`: partners whose notice of withdrawal the ledger records (their
    leaving is then administrative where the MoU provides for withdrawal).
    """
    from mouctl.changes import lifecycle

    before, after = _Snapshot(old), _Snapshot(new)
    renames: dict[str, dict[str, str]] = {}
    found: list[Change] = []
    for section in ENTITY_SECTIONS:
        found += _compare_entities(section, before, after, renames)
    for section in ("arrangements", "terms"):
        found += _compare_fields(section, "", _label(section), before.fields[section],
                                 _follow(section, before.fields[section], renames),
                                 after.fields[section], by_item=True)
    return lifecycle.apply(found, old, new, withdrawn=withdrawn)


def needs_resigning(changes: Iterable[Change]) -> bool:
    """True when any change is substantive."""
    return any(c.substantive for c in changes)


def must_sign(changes: Iterable[Change], network: Network) -> list[str]:
    """Ids of the partners who must (re-)sign `network` after these changes."""
    from mouctl.changes import lifecycle

    return lifecycle.signers(changes, network)


def to_json(changes: Iterable[Change]) -> list[dict]:
    """The changes as a JSON-ready list (see Change.as_dict)."""
    return [c.as_dict() for c in changes]


_NOUN = {"partners": "partner", "organisations": "organisation",
         "covered_organisations": "covered organisation",
         "qualifications": "qualification", "units": "unit",
         "arrangements": "arrangement", "terms": "term"}
_ACTION_ORDER = ("added", "removed", "renamed", "changed", "reordered")


def summarise(changes: Iterable[Change]) -> str:
    """One line in domain words: `2 units changed, partner added; administrative: ...`.

    An item counts as substantive when any of its changes is; the purely
    administrative ones follow after `administrative:`.
    """
    changes = list(changes)
    if not changes:
        return "no changes"
    heavy = {(c.section, c.item) for c in changes if c.substantive}
    substantive = _phrases([c for c in changes if (c.section, c.item) in heavy])
    administrative = _phrases([c for c in changes if (c.section, c.item) not in heavy])
    if not substantive:
        return f"{administrative} (administrative)"
    return f"{substantive}; administrative: {administrative}" if administrative \
        else substantive


def _phrases(changes: list[Change]) -> str:
    items: dict[tuple[str, str], set[str]] = {}
    for c in changes:
        if c.field == "" or c.action == "renamed":
            action = c.action
        else:
            action = "reordered" if c.field == "order" else "changed"
        items.setdefault((c.section, action), set()).add(c.item)
    parts = []
    for section in SECTIONS:
        for action in _ACTION_ORDER:
            ids = items.get((section, action))
            if not ids:
                continue
            noun = _NOUN[section]
            if action == "reordered":
                parts.append(f"{'units' if section == 'units' else noun + 's'} reordered")
            elif section in ("arrangements", "terms") and len(ids) == 1:
                parts.append(f"{next(iter(ids))} {action}")
            else:
                parts.append(f"{noun} {action}" if len(ids) == 1
                             else f"{len(ids)} {noun}s {action}")
    return ", ".join(parts)


# -- reading a network into comparable dictionaries --------------------------------

class _Snapshot:
    """A network as ordered {id: {dotted field: JSON value}} per section."""

    def __init__(self, network: Network) -> None:
        self.lang = network.languages[0]
        data = network.model_dump(mode="json")
        self.entities: dict[str, dict[str, dict]] = {s: {} for s in ENTITY_SECTIONS}
        for section in ("partners", "organisations", "covered_organisations"):
            for entity in data.get(section) or []:
                self.entities[section][entity["id"]] = _flatten(entity)
        for qual in data["qualifications"]:
            units = qual.pop("units")
            self.entities["qualifications"][qual["id"]] = _flatten(qual)
            for unit in units:
                self.entities["units"][unit["id"]] = {**_flatten(unit),
                                                      "qualification": qual["id"]}
        self.fields = {"arrangements": _flatten(data.pop("arrangements") or {})}
        for section in ("partners", "organisations", "covered_organisations",
                        "qualifications"):
            data.pop(section, None)
        self.fields["terms"] = _flatten(data)

    def label(self, section: str, ident: str) -> str:
        name = text(self.entities[section][ident].get(_NAME_FIELD[section]), self.lang)
        return f'{_KIND[section]} {ident} "{name}"' if name else f"{_KIND[section]} {ident}"


def _flatten(data: dict, prefix: str = "") -> dict:
    """{"a": {"b": 1}} -> {"a.b": 1}; a nested record that is None becomes no fields.

    Text values given per language ({en: ..., de: ...}) are values, not records.
    """
    out: dict = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if key in _RECORDS and isinstance(value, dict):
            out.update(_flatten(value, path + "."))
        elif key in _RECORDS and value is None:
            continue
        else:
            out[path] = value
    return out


# Fields holding a nested record (flattened); the other dicts are texts per language.
_RECORDS = {"contact", "signatory", "learning_outcomes", "assessment", "review",
            "mobility_duration", "learning_outcomes_annex", "project", "replaces"}
# (`withdrawal` stays one value: `withdrawal: {}` says the MoU provides for it.)


def _label(section: str) -> str:
    return "Arrangements" if section == "arrangements" else "MoU"


def _follow(section: str, fields: dict, renames: dict[str, dict[str, str]]) -> dict:
    """`fields` with references to renamed ids replaced by the new ids."""
    out = dict(fields)
    for (sec, field), targets in _REFERENCES.items():
        mapping = {k: v for t in targets for k, v in renames.get(t, {}).items()}
        if sec != section or not mapping or field not in out:
            continue
        value = out[field]
        if isinstance(value, list):
            out[field] = [mapping.get(v, v) for v in value]
        elif isinstance(value, str):
            out[field] = mapping.get(value, value)
    return out


def _key(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _compare_entities(section: str, before: _Snapshot, after: _Snapshot,
                      renames: dict[str, dict[str, str]]) -> list[Change]:
    olds, news = before.entities[section], after.entities[section]
    followed = {i: _follow(section, f, renames) for i, f in olds.items()}
    renamed = _find_renames(followed, news)
    renames[section] = renamed
    new_id = {i: renamed.get(i, i) for i in olds}
    # new id -> old ids, in the old order: one pass instead of one per new entity
    # (2,000 units compared 2,000 times took most of `diff` on a large network).
    old_ids_of: dict[str, list[str]] = {}
    for old, new in new_id.items():
        old_ids_of.setdefault(new, []).append(old)
    found: list[Change] = []
    # Document order of the new version; what left follows in the old order.
    for ident in news:
        label = after.label(section, ident)
        old_ids = old_ids_of.get(ident, [])
        if not old_ids:
            found.append(_change(section, ident, label, "", "added", None, dict(news[ident])))
            continue
        previous = old_ids[0]
        if previous != ident:
            found.append(_change(section, ident, label, "id", "renamed", previous, ident))
        found += _compare_fields(section, ident, label, olds[previous], followed[previous],
                                 news[ident])
    for ident in olds:
        if new_id[ident] not in news:
            found.append(_change(section, ident, before.label(section, ident), "",
                                 "removed", dict(olds[ident]), None))
    found += _order_changes(section, followed, news, new_id, after)
    return found


def _find_renames(olds: dict[str, dict], news: dict[str, dict]) -> dict[str, str]:
    """{old id: new id} for entities that left and came back with the same content."""
    arrived: dict[str, list[str]] = {}
    for ident, fields in news.items():
        if ident not in olds:
            arrived.setdefault(_key({**fields, "id": None}), []).append(ident)
    pairs = {}
    for ident, fields in olds.items():
        if ident in news:
            continue
        candidates = arrived.get(_key({**fields, "id": None}))
        if candidates:
            pairs[ident] = candidates.pop(0)
    return pairs


def _order_changes(section: str, followed: dict[str, dict], news: dict[str, dict],
                   new_id: dict[str, str], after: _Snapshot) -> list[Change]:
    """Entities kept but listed in another order (units: within their qualification)."""

    def group(fields: dict) -> str:
        return fields.get("qualification", "") if section == "units" else ""

    old_order: dict[str, list[str]] = {}
    for old_ident, fields in followed.items():
        ident = new_id[old_ident]
        if ident in news and group(fields) == group(news[ident]):
            old_order.setdefault(group(fields), []).append(ident)
    kept = {i for ids in old_order.values() for i in ids}
    new_order: dict[str, list[str]] = {}
    for ident, fields in news.items():
        if ident in kept:
            new_order.setdefault(group(fields), []).append(ident)
    found = []
    for where, before in old_order.items():
        if before != new_order[where]:
            label = after.label("qualifications", where) if where else f"{_KIND[section]}s"
            found.append(_change(section, where, label, "order", "changed", before,
                                 new_order[where]))
    return found


def _compare_fields(section: str, item: str, label: str, raw_old: dict, old: dict,
                    new: dict, *, by_item: bool = False) -> list[Change]:
    """Changes between two flattened records; `old` has references followed."""
    found: list[Change] = []
    fields = list(new) + [f for f in old if f not in new]
    for field in fields:
        if field == "id":
            continue
        a, b = old.get(field), new.get(field)
        # A field left out and an empty list mean the same thing in a network file.
        if a == b or (a in (None, []) and b in (None, [])):
            continue
        where = field.split(".")[0] if by_item else item
        shown = raw_old.get(field, a)
        if field in ITEMISED and isinstance(a, list | None) and isinstance(b, list | None):
            found += _compare_items(section, where, label, field, a or [], b or [])
        else:
            found.append(_change(section, where, label, field, _action(a, b), shown, b))
    return found


def _action(old, new) -> str:
    """added / removed / changed, the same either way round (B->A mirrors A->B)."""
    if old is None:
        return "added"
    if new is None:
        return "removed"
    if old == []:
        return "added"
    return "removed" if new == [] else "changed"


def _compare_items(section: str, item: str, label: str, field: str, old: list,
                   new: list) -> list[Change]:
    """Item by item changes of a list of texts (learning outcomes, criteria ...)."""
    if sorted(map(_key, old)) == sorted(map(_key, new)):
        return [_change(section, item, label, field, "changed", old, new)]
    found = []
    matcher = difflib.SequenceMatcher(None, [_key(v) for v in old], [_key(v) for v in new],
                                      autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        pairs = min(i2 - i1, j2 - j1)
        for k in range(pairs):
            found.append(_change(section, item, label, field, "changed", old[i1 + k],
                                 new[j1 + k]))
        for k in range(i1 + pairs, i2):
            found.append(_change(section, item, label, field, "removed", old[k], None))
        for k in range(j1 + pairs, j2):
            found.append(_change(section, item, label, field, "added", None, new[k]))
    return found


def _change(section: str, item: str, label: str, field: str, action: str, old,
            new) -> Change:
    rule = change_rules.classify(section, field, action, old, new)
    return Change(section, item, label, field, action, old, new, rule.substantive, rule.name)

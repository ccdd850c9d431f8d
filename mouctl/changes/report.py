"""A comparison in words for people (text lines) and tools (JSON). Pure: no printing.

    Units
      ~ Unit mech-u3 "Hydraulics": ecvet_points 10 -> 15  [substantive: unit-points]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mouctl.changes import compare as changes_mod
from mouctl.changes.compare import Change
from mouctl.changes.phrasing import describe, value  # noqa: F401  (value: used by callers)
from mouctl.text import plural

if TYPE_CHECKING:  # the diff use case (history) hands its result to this pure wording
    from mouctl.history.comparison import Comparison

SECTION_TITLES = {
    "partners": "Partners", "organisations": "Organisations taking part without signing",
    "covered_organisations": "Covered organisations",
    "qualifications": "Qualifications", "units": "Units",
    "arrangements": "Arrangements", "terms": "Terms of the MoU", "annexes": "Annex files",
}
_MARK = {"added": "+", "removed": "-", "changed": "~", "renamed": ">"}
_STYLE = {"added": "green", "removed": "red", "changed": "yellow", "renamed": "cyan"}

Line = tuple[str, str | None]  # text and rich style


def classification(change: Change) -> str:
    return f"[{'substantive' if change.substantive else 'administrative'}: {change.rule}]"


def text_lines(comparison: Comparison) -> list[Line]:
    """The domain view: a header, changes grouped by section, totals, who must sign."""
    old, new = comparison.old, comparison.new
    lines: list[Line] = [(f"Changes from {_version(old)} to {_version(new)}", "bold")]
    by_section: dict[str, list[Change]] = {}
    for change in comparison.changes:
        by_section.setdefault(change.section, []).append(change)
    for section in changes_mod.SECTIONS:
        if section not in by_section:
            continue
        lines += [("", None), (SECTION_TITLES[section], "bold")]
        for change in by_section[section]:
            lines.append((f"  {_MARK[change.action]} {describe(change)}  "
                          f"{classification(change)}", _STYLE[change.action]))
    lines.append(("", None))
    lines += footer(comparison)
    return lines


def footer(comparison: Comparison) -> list[Line]:
    """Totals and the consequence: who must sign, or that a notice is enough."""
    found = comparison.changes
    wording = getattr(comparison, "wording", [])
    note = [(f"The wording of the document changed: the network's template "
             f"({', '.join(wording)}) differs; see it with `mouctl diff --rendered`.",
             "yellow")] if wording else []
    if not found:
        if wording:
            return [*note, ("The agreement's data did not change: no re-signing needed; "
                            "send the partners the new wording.", None)]
        return [(f"No changes from {comparison.old.label} to {comparison.new.label}.", None)]
    substantive = sum(c.substantive for c in found)
    total = (f"{plural(len(found), 'change')} ({substantive} substantive, "
             f"{len(found) - substantive} administrative): {changes_mod.summarise(found)}")
    if not comparison.substantive:
        return [(total, None), *note, ("No re-signing needed: only administrative changes; "
                                       "notify the partners.", "green")]
    network = comparison.new.with_partners()
    who = []
    for ident in comparison.must_sign:
        partner = network.partner(ident)
        signatory = partner.signatory.name if partner and partner.signatory else None
        who.append(f"{ident} ({signatory})" if signatory else ident)
    from mouctl.changes import lifecycle

    if lifecycle.is_adhesion(found):
        return [(total, None), *note, (f"Must sign an adhesion declaration: {', '.join(who)}"
                                       "; nobody else signs again.", "bold red")]
    return [(total, None), *note,
            (f"Must sign the amended MoU: {', '.join(who)}", "bold red")]


def _version(version) -> str:
    found = version.data_fingerprint()
    return f"{version.label} (data {found})" if found else version.label


def json_report(comparison: Comparison) -> dict:
    """The comparison for tools: both versions, the changes, summary, who must sign."""
    def version(v) -> dict:
        return {"revision": v.rev, "label": v.label, "valid": v.valid,
                "fingerprint": v.data_fingerprint(),
                "diagnostics": [d.as_dict() for d in v.diagnostics
                                if d.severity == "error"]}

    return {
        "old": version(comparison.old),
        "new": version(comparison.new),
        "valid": comparison.valid,
        "summary": changes_mod.summarise(comparison.changes) if comparison.valid else None,
        "substantive": comparison.substantive,
        "exit_code": comparison.exit_code,
        "must_sign": comparison.must_sign,
        "changes": changes_mod.to_json(comparison.changes),
        "wording": list(getattr(comparison, "wording", [])),
    }

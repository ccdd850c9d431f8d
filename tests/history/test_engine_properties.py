"""The history engine answers exactly as a full re-parse of every version.

Random histories (edits of every kind: fields, units, partners joining, leaving and
renamed, reorderings, comments, anchors, broken YAML and rule errors, the layout
switched between one file and split files) are committed to real git repositories;
`log`'s summaries, `diff`'s changes, the fingerprints and the working tree read by
the incremental engine must equal those of the engine reading everything in full.
"""

from __future__ import annotations

import copy
import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks import synth
from benchmarks.generate import split_files
from mouctl.history import log as log_mod
from mouctl.history import revisions as history
from mouctl.history.engine import Engine
from mouctl.history.parsecache import Store
from mouctl.source import loader as source
from tests.gitnet import git

BASE = synth.network(synth.Size("T", 4, 2, 6))

EDITS = ["points", "outcome", "contact", "title", "join", "leave", "rename", "reorder",
         "unit-order", "move-unit", "comment", "anchor", "syntax", "duplicate",
         "unknown-ref", "layout", "nothing"]


def _apply(data: dict, edit: str, n: int) -> tuple[dict, str | None]:
    """The data after `edit` (n picks where) and a text edit to make on the files."""
    data = copy.deepcopy(data)
    partners, quals = data["partners"], data["qualifications"]
    units = [u for q in quals for u in q["units"]]
    text_edit = None
    if edit == "points" and units:
        units[n % len(units)]["ecvet_points"] = [5, 10, 15, 20, 400][n % 5]
    elif edit == "outcome" and units:
        units[n % len(units)]["learning_outcomes"]["skills"][0] += f" (v{n})"
    elif edit == "contact":
        partners[n % len(partners)]["contact"]["email"] = f"c{n}@example.org"
    elif edit == "title":
        data["title"]["en"] += f" {n}"
    elif edit == "join":
        new = copy.deepcopy(partners[n % len(partners)])
        new["id"] = f"joined-{n}"
        partners.append(new)
    elif edit == "leave" and len(partners) > 1:
        gone = partners.pop(n % len(partners))
        _replace_refs(data, gone["id"], partners[0]["id"])
    elif edit == "rename":
        old = partners[n % len(partners)]["id"]
        partners[n % len(partners)]["id"] = f"renamed-{n}"
        if n % 3:  # sometimes the references are left behind: unknown partners
            _replace_refs(data, old, f"renamed-{n}")
    elif edit == "reorder":
        partners.reverse()
    elif edit == "unit-order" and quals[0]["units"]:
        quals[0]["units"].reverse()
    elif edit == "move-unit" and len(quals) > 1 and quals[0]["units"]:
        quals[1]["units"].append(quals[0]["units"].pop())
    elif edit == "duplicate" and len(units) > 1:
        units[0]["id"] = units[1]["id"]
    elif edit == "unknown-ref" and units:
        units[n % len(units)]["hosts"] = ["nobody-here"]
    elif edit in ("comment", "anchor", "syntax"):
        text_edit = edit
    return data, text_edit


def _replace_refs(data: dict, old: str, new: str) -> None:
    if data["coordinator"] == old:
        data["coordinator"] = new
    data["review"]["reviewers"] = [new if r == old else r for r in data["review"]["reviewers"]]
    for org in data["covered_organisations"]:
        if org.get("covered_by") == old:
            org["covered_by"] = new
    for qual in data["qualifications"]:
        if qual.get("awarding_institution") == old:
            qual["awarding_institution"] = new
        for unit in qual["units"]:
            unit["hosts"] = [new if h == old else h for h in unit["hosts"]]
            unit["assessment"]["assessed_by"] = [
                new if h == old else h for h in unit["assessment"]["assessed_by"]]


def _files(data: dict, split: bool, text_edit: str | None, n: int) -> dict[str, str]:
    files = split_files(data) if split else {"network.yaml": synth.document(data)}
    names = sorted(files)
    name = names[n % len(names)]
    text = files[name]
    if text_edit == "comment":
        lines = text.split("\n")
        lines.insert(n % len(lines), "# a comment" if n % 2 else "")
        files[name] = "\n".join(lines)
    elif text_edit == "anchor":
        files[name] = text.replace("eqf_level: 4", "eqf_level: &level 4", 1).replace(
            "eqf_level: 4", "eqf_level: *level", 1)
    elif text_edit == "syntax":
        files[name] = text.replace(":", "::", 1) if n % 2 else text + "\n  - [unclosed\n"
    return files


def _write(root: Path, files: dict[str, str]) -> None:
    for path in list(root.rglob("*.yaml")):
        path.unlink()
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


histories = st.lists(st.tuples(st.sampled_from(EDITS), st.integers(0, 50)),
                     min_size=2, max_size=7)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories, st.booleans(), st.integers(0, 10_000))
def test_incremental_log_and_diff_equal_a_full_reparse(edits, split, seed) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "net"
        root.mkdir()
        git(root, "init", "-q", "--initial-branch=main")
        data, commits = BASE, []
        for i, (edit, n) in enumerate([("nothing", 0), *edits]):
            if edit == "layout":
                split = not split
            data_next, text_edit = _apply(data, edit, n + seed)
            if text_edit != "syntax":  # a broken file does not change the data
                data = data_next
            _write(root, _files(data_next, split, text_edit, n + seed))
            git(root, "add", "-A")
            git(root, "commit", "-q", "--allow-empty", "-m", f"{i} {edit}",
                date=f"2026-01-{i + 1:02d}T10:00:00+00:00")
            commits.append(git(root, "rev-parse", "HEAD").strip())
        loc = history.locate(root)
        fast = Engine(loc, [""], Store(Path(tmp) / "fast"))
        full = Engine(loc, [""], Store(Path(tmp) / "full"), incremental=False)
        for engine in (fast, full):
            engine.prepare(commits)
        parents = [None, *commits[:-1]]
        for sha, parent in zip(commits, parents, strict=True):
            assert log_mod.summary(fast, sha, parent) == log_mod.summary(full, sha, parent)
            new, reference = fast.version(sha), full.version(sha)
            assert new.valid == reference.valid and new.problem == reference.problem
            if new.valid:
                assert new.network == reference.network
                assert fast.fingerprint(new) == reference.network.fingerprint()
        # diff: any two versions, not only neighbours
        for old_sha in commits[::2]:
            for new_sha in commits[1::2]:
                a, b = fast.version(old_sha), fast.version(new_sha)
                if a.valid and b.valid:
                    assert fast.compare(a, b) == full.compare(full.version(old_sha),
                                                              full.version(new_sha))
        # the working tree (status, diff against it) read in parts
        files, _ = source.read_folder(root)
        version = fast.from_files(files)
        loaded = source.load(root, today=dt.date(2000, 1, 1))
        assert (version is not None) <= (not loaded.errors)
        if version is not None:
            assert version.network == loaded.network
        fast.close()
        # A second command on the filled cache: versions put together from the cached
        # layouts, entities decoded only where compared or asked for.
        warm = Engine(loc, [""], Store(Path(tmp) / "fast"))
        warm.prepare(commits)
        for old_sha in commits[::2]:
            for new_sha in commits[1::2]:
                a, b = warm.version(old_sha), warm.version(new_sha)
                reference_a, reference_b = full.version(old_sha), full.version(new_sha)
                assert (a.valid, b.valid) == (reference_a.valid, reference_b.valid)
                if a.valid and b.valid:
                    assert warm.compare(a, b) == full.compare(reference_a, reference_b)
        for sha in commits:
            new, reference = warm.version(sha), full.version(sha)
            if new.valid:
                assert warm.fingerprint(new) == reference.network.fingerprint()
                assert new.only("partners").partners == reference.network.partners
                assert new.network == reference.network
        warm.close()
        full.close()

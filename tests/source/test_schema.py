"""The JSON Schemas are as strict as `validate` wherever JSON Schema can say it.

check-jsonschema (what editors' YAML servers and pre-commit use) runs over the
hostile-input corpus: every case whose errors the schema can express must be
rejected by it, and tests/golden/schema/corpus.txt lists what it catches and what
only `mouctl validate` can (syntax, duplicate keys, references, dates in order).
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from mouctl.model import schema
from mouctl.source import loader

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
TODAY = dt.date(2026, 3, 1)

# Diagnostics codes of problems JSON Schema can state (types, required and unknown
# keys, choices, patterns, ranges, lengths, country and language codes, dates).
EXPRESSIBLE = {"wrong-type", "missing-field", "unknown-field", "bad-id", "too-long",
               "bad-choice", "bad-language", "eqf-range", "bad-oid", "bad-pic",
               "bad-country", "out-of-range", "invalid-date", "not-a-mapping"}
# Files that are no YAML document a schema could apply to; some (alias bombs, deep
# nesting) would hang an editor's YAML parser, so check-jsonschema does not see them.
UNPARSED = {"yaml-syntax", "alias-bomb", "recursive-alias", "too-deep", "binary", "encoding",
            "empty-file", "merge-conflict", "yaml-tag", "merge-key", "bad-key",
            "unreadable", "outside-network", "file-too-large"}
# Cases the schema could judge but check-jsonschema's YAML reader stops on first.
UNREADABLE_FOR_THE_TOOL = {
    "type-huge-number": "a 5,000-digit number stops the YAML reader of check-jsonschema",
    "explicit-tag-mismatch": "`!!int four` stops the YAML reader of check-jsonschema"}
# Problems only validate sees, and why.
VALIDATE_ONLY = {
    **dict.fromkeys(UNPARSED, "not a YAML document a schema applies to"),
    "duplicate-key": "YAML readers keep one of the values; the schema never sees the other",
    "unknown-reference": "a reference to another entry",
    "wrong-kind": "a reference to an entry of another kind",
    "validity-order": "two dates compared",
    "control-character": "invisible characters in free text",
    "not-finite": "JSON has no infinity or NaN to forbid",
    "file-name-mismatch": "the file name is not in the data",
    "wrong-name": "the file name is not in the data",
}

# The keywords of JSON Schema 2020-12 that the schemas may use: anything else (such
# as pydantic's `ge`) is silently ignored by every validator.
KEYWORDS = {"$schema", "$defs", "$ref", "type", "properties", "required", "items",
            "additionalProperties", "patternProperties", "propertyNames", "anyOf", "allOf",
            "oneOf", "enum", "const", "pattern", "minimum", "maximum", "exclusiveMinimum",
            "exclusiveMaximum", "minLength", "maxLength", "minItems", "maxItems",
            "uniqueItems", "format", "title", "description", "default", "examples"}


def _keywords(node, found: set) -> set:
    if isinstance(node, dict):
        for key, value in node.items():
            found.add(key)
            if key in ("properties", "$defs", "patternProperties"):
                for sub in value.values():
                    _keywords(sub, found)
            else:
                _keywords(value, found)
    elif isinstance(node, list):
        for item in node:
            _keywords(item, found)
    return found


@pytest.mark.parametrize("kind", schema.KINDS)
def test_schemas_use_only_json_schema_keywords(kind):
    unknown = _keywords(schema.build(kind), set()) - KEYWORDS
    assert not unknown, f"{kind}: not JSON Schema keywords: {sorted(unknown)}"


def _cases() -> list[tuple[str, set[str]]]:
    """Corpus cases with their data in the repository, and validate's error codes."""
    out = []
    for case in sorted(CORPUS.iterdir()):
        folder = case / "network"
        if (folder / "network.yaml").is_file() and not (folder / "network.yaml").is_symlink():
            codes = {d.code for d in loader.load(folder, today=TODAY).errors}
            out.append((case.name, codes))
    return out


def _rejected(tmp_path: Path, cases: list[str]) -> set[str]:
    """The cases check-jsonschema rejects (a file it cannot parse is not rejected)."""
    rejected = set()
    for kind, pattern in (("network", "network.yaml"), ("partner", "partners/*.yaml"),
                          ("qualification", "qualifications/*.yaml")):
        schema_file = tmp_path / schema.file_name(kind)
        schema_file.write_text(schema.text(kind), encoding="utf-8")
        files = [f for name in cases for f in (CORPUS / name / "network").glob(pattern)]
        if not files:
            continue
        proc = subprocess.run([sys.executable, "-m", "check_jsonschema", "--schemafile",
                               str(schema_file), "-o", "json", *map(str, files)],
                              capture_output=True, text=True, timeout=120)
        report = json.loads(proc.stdout)
        for error in report["errors"]:
            rejected.add(Path(error["filename"]).relative_to(CORPUS).parts[0])
    return rejected


def test_schema_catches_every_corpus_mistake_it_can_express(tmp_path, golden):
    cases = _cases()
    rejected = _rejected(tmp_path, [name for name, codes in cases if not codes & UNPARSED
                                    and name not in UNREADABLE_FOR_THE_TOOL])
    lines, missed = [], []
    for name, codes in cases:
        if name in UNREADABLE_FOR_THE_TOOL:
            lines.append(f"not checked     {name} ({UNREADABLE_FOR_THE_TOOL[name]})")
            continue
        expressible = codes & EXPRESSIBLE
        if not codes:
            lines.append(f"valid data      {name} (a case for another command)")
        elif name in rejected:
            lines.append(f"caught          {name} ({', '.join(sorted(codes))})")
        else:
            # A code in neither list shows as itself: classify it when it appears.
            why = "; ".join(VALIDATE_ONLY.get(c, f"not classified: {c}")
                            for c in sorted(codes - EXPRESSIBLE))
            lines.append(f"validate only   {name} ({why or 'no error'})")
        if codes & UNPARSED:
            continue
        if expressible and name not in rejected:
            missed.append(f"{name}: {sorted(expressible)}")
    assert not missed, "the schema misses mistakes it can express:\n" + "\n".join(missed)
    golden("schema/corpus.txt", "\n".join(lines) + "\n")


def test_the_four_common_editor_mistakes_are_caught(tmp_path):
    """Negative points, EQF 9, a country name and a short OID: each flagged."""
    common = ["points-negative", "eqf-level-9", "country-name", "oid-malformed"]
    assert _rejected(tmp_path, common) == set(common)


def test_valid_networks_pass_every_schema(tmp_path):
    examples = Path(__file__).resolve().parents[2] / "examples"
    for kind, pattern in (("network", "*/network.yaml"), ("partner", "*/partners/*.yaml"),
                          ("qualification", "*/qualifications/*.yaml")):
        files = sorted(examples.glob(pattern))
        if not files:
            continue
        schema_file = tmp_path / schema.file_name(kind)
        schema_file.write_text(schema.text(kind), encoding="utf-8")
        proc = subprocess.run([sys.executable, "-m", "check_jsonschema", "--schemafile",
                               str(schema_file), *map(str, files)],
                              capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, (kind, proc.stdout + proc.stderr)


def test_validate_notices_a_stale_schema_and_says_how_to_refresh(run, tmp_path):
    assert run("init", "net", "--yes", "--no-git", cwd=tmp_path).code == 0
    net = tmp_path / "net"
    assert {p.name for p in net.glob("*.schema.json")} == {
        "network.schema.json", "partner.schema.json", "qualification.schema.json"}
    assert run("validate", "--strict", cwd=net).code == 0
    old = json.loads((net / "partner.schema.json").read_text())
    del old["properties"]["pic"]  # as an older mouctl wrote it
    (net / "partner.schema.json").write_text(json.dumps(old))
    result = run("validate", "-N", "net", cwd=tmp_path)
    assert result.code == 0
    assert "net/partner.schema.json: warning: partner.schema.json differs" in result.output
    assert "refresh it with `mouctl schema --write -N net`" in result.output
    assert run("schema", "--write", cwd=net).code == 0
    assert run("validate", "--strict", cwd=net).code == 0

"""JSON Schemas for editors: one per kind of file, as strict as JSON Schema can say.

`network.yaml` gets `network.schema.json`; a split file `partners/ID.yaml` gets
`partner.schema.json` and `qualifications/ID.yaml` `qualification.schema.json`
(each starts with the modeline `# yaml-language-server: $schema=../KIND.schema.json`).
The schemas come from the pydantic models, then one generic pass makes them strict
JSON Schema: pydantic writes constraints on unions under its own names (`ge`, `le`),
which JSON Schema ignores, and leaves per-language texts open to any key. Every
field, including fields added later, goes through the same pass.
"""

from __future__ import annotations

import json
from pathlib import Path

DIALECT = "https://json-schema.org/draft/2020-12/schema"
KINDS = ("network", "partner", "qualification")
# pydantic's names for numeric bounds -> JSON Schema's
_BOUNDS = {"ge": "minimum", "le": "maximum", "gt": "exclusiveMinimum", "lt": "exclusiveMaximum"}


def file_name(kind: str) -> str:
    """`partner` -> `partner.schema.json`."""
    return f"{kind}.schema.json"


def modeline(kind: str, depth: int = 0) -> str:
    """The first line that points yaml-language-server at the schema of `kind`."""
    return f"# yaml-language-server: $schema={'../' * depth}{file_name(kind)}"


def build(kind: str) -> dict:
    """The JSON Schema for a file of `kind` (network, partner or qualification)."""
    from mouctl.model import network as model

    models = {"network": model.Network, "partner": model.Partner,
              "qualification": model.Qualification}
    schema = models[kind].model_json_schema()
    schema = {"$schema": DIALECT, **_strict(schema)}
    return schema


def text(kind: str) -> str:
    """The schema as the file `mouctl schema` writes."""
    return json.dumps(build(kind), indent=2, ensure_ascii=False) + "\n"


def _strict(node):
    """`node` with pydantic-only keywords turned into JSON Schema (recursively)."""
    if isinstance(node, list):
        return [_strict(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key in _BOUNDS and isinstance(value, int | float) and not isinstance(value, bool):
            out[_BOUNDS[key]] = value
        elif key == "allow_inf_nan":
            continue  # JSON has no infinity or NaN to allow
        elif key in ("properties", "$defs", "patternProperties"):
            out[key] = {name: _strict(sub) for name, sub in value.items()}
        else:
            out[key] = _strict(value)
    if "anyOf" in out and any(k in out for k in _BOUNDS.values()):
        # A bound next to `anyOf` applies to every branch; put it where editors look.
        bounds = {k: out.pop(k) for k in list(out) if k in _BOUNDS.values()}
        out["anyOf"] = [{**branch, **bounds} if branch.get("type") in ("integer", "number")
                        else branch for branch in out["anyOf"]]
    patterns = out.get("patternProperties")
    if patterns and "properties" not in out and "additionalProperties" not in out:
        # A per-language text: only language codes are keys.
        out["additionalProperties"] = False
        if len(patterns) == 1:
            out["propertyNames"] = {**out.get("propertyNames", {}),
                                    "pattern": next(iter(patterns))}
    return out


def stale(folder: Path) -> list[tuple[str, str]]:
    """The schema files in `folder` that differ from this mouctl's: (file, kind)."""
    found = []
    for kind in KINDS:
        path = folder / file_name(kind)
        if not path.is_file():
            continue
        try:
            current = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            current = None
        if current != build(kind):
            found.append((path.name, kind))
    return found


def write_all(folder: Path) -> list[Path]:
    """Write (or refresh) every schema file in `folder`; return the paths."""
    from mouctl.files import write_atomic

    written = []
    for kind in KINDS:
        path = folder / file_name(kind)
        write_atomic(path, text(kind))
        written.append(path)
    return written

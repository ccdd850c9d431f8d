"""The README's generated reference sections: the data format and the commands.

Both come from the code (field descriptions of the model, each command's --help),
so that the documentation cannot drift from what mouctl accepts and does. The
README holds them between marker comments; a test checks that they match.

    python -m mouctl.cli.reference            # print both sections
    python -m mouctl.cli.reference --write README.md
    python -m mouctl.cli.reference --check README.md   # exit 1 when README.md is stale
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import types
import typing
from pathlib import Path

from pydantic import BaseModel

from mouctl.mobility import model as mobility
from mouctl.model import network as model

# Generated sections, in the order they appear in the README.
SECTIONS = ("data-format", "commands")
HELP_WIDTH = 88

# The models in the order a reader meets them in network.yaml.
MODELS: tuple[type[BaseModel], ...] = (
    model.Network, model.Partner, model.Person, model.CoveredOrganisation,
    model.Qualification, model.Unit, model.LearningOutcomes, model.Assessment,
    model.Review, model.MobilityDuration, model.Arrangements,
    mobility.Mobility, mobility.Learner, mobility.Steps, mobility.HostAssessment,
    mobility.UnitResult,
)
_NAMED = {  # annotated aliases of model.py, described in words
    "Text": "text",
    "Id": "id",
    "Country": "country code",
    "LanguageCode": "language code",
    "Points": "number",
}


def data_format() -> str:
    """The data-format reference: one table per part of network.yaml."""
    out = [
        "Generated from the field descriptions of `mouctl/model/network.py` "
        "(`python -m mouctl.cli.reference --write README.md`). Every *text* is either one "
        "string or one string per language of the MoU (`{en: ..., de: ...}`). "
        "Unknown keys are errors. `mouctl schema` prints the same as a JSON Schema.",
        "",
    ]
    for cls in MODELS:
        out += [f"#### {_title(cls)}", "", _doc(cls), ""]
        out += ["| key | type | required | description |", "| --- | --- | --- | --- |"]
        hints = typing.get_type_hints(cls, include_extras=True)
        for name, info in cls.model_fields.items():
            required = "yes" if info.is_required() else ""
            desc = (info.description or "").replace("|", "\\|")
            out.append(f"| `{name}` | {_type_name(hints[name])} | {required} | {desc} |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _title(cls: type) -> str:
    where = {
        model.Network: "the top level of `network.yaml`",
        model.Partner: "each item of `partners` (or one file each in `partners/`)",
        model.Person: "`contact` and `signatory` of a partner; a mobility's `mentor` and "
                      "`assessment.assessor`",
        model.CoveredOrganisation: "each item of `covered_organisations`",
        model.Qualification: "each item of `qualifications` (or one file each in "
                             "`qualifications/`)",
        model.Unit: "each item of a qualification's `units`",
        model.LearningOutcomes: "a unit's `learning_outcomes`",
        model.Assessment: "a unit's `assessment`",
        model.Review: "`review`",
        model.MobilityDuration: "`mobility_duration`",
        model.Arrangements: "`arrangements`",
        mobility.Mobility: "the top level of a mobility file, `mobilities/ID.yaml`",
        mobility.Learner: "a mobility's `learner`",
        mobility.Steps: "a mobility's `steps`",
        mobility.HostAssessment: "a mobility's `assessment`, recorded by the host",
        mobility.UnitResult: "each item of the assessment's `units`",
    }
    return f"{cls.__name__}: {where[cls]}"


def _doc(cls: type) -> str:
    return " ".join((cls.__doc__ or "").split())


def _type_name(hint) -> str:
    """A field's type in a coordinator's words: `list of text`, `date`, `Person`."""
    for alias, words in _NAMED.items():
        if hint == getattr(model, alias):
            return words
    origin = typing.get_origin(hint)
    if origin is typing.Annotated:
        return _type_name(typing.get_args(hint)[0])
    if origin in (typing.Union, types.UnionType):
        parts = [a for a in typing.get_args(hint) if a is not type(None)]
        return " or ".join(dict.fromkeys(_type_name(a) for a in parts))
    if origin is list:
        return f"list of {_type_name(typing.get_args(hint)[0])}"
    if isinstance(hint, type):
        if issubclass(hint, BaseModel):
            return f"`{hint.__name__}`"
        if issubclass(hint, model.Role):
            return "role"
        return {str: "string", int: "integer", float: "number", bool: "true/false",
                dt.date: "date (YYYY-MM-DD)"}.get(hint, hint.__name__)
    return str(hint)


def commands() -> str:
    """The command reference: `mouctl --help` and each command's --help, verbatim."""
    import typer.main

    from mouctl.cli import app
    from mouctl.cli.clickapi import click

    group = typer.main.get_command(app)
    out = ["Generated from `--help` (`python -m mouctl.cli.reference --write README.md`).", ""]
    out += _help_block("mouctl", group, None)
    ctx = click.Context(group, info_name="mouctl")
    for name in group.list_commands(ctx):
        out += _help_block(f"mouctl {name}", group.get_command(ctx, name), ctx)
    return "\n".join(out).rstrip() + "\n"


def _help_block(title: str, command, parent) -> list[str]:
    from mouctl.cli.clickapi import click

    ctx = click.Context(command, info_name=title.split()[-1], parent=parent,
                        help_option_names=["-h", "--help"],
                        terminal_width=HELP_WIDTH, max_content_width=HELP_WIDTH)
    text = command.get_help(ctx)
    return [f"#### `{title}`", "", "```text", text.rstrip(), "```", ""]


def generate(section: str) -> str:
    """The text of one generated section."""
    return {"data-format": data_format, "commands": commands}[section]()


def _markers(section: str) -> tuple[str, str]:
    return (f"<!-- generated: {section} (python -m mouctl.cli.reference --write README.md) -->",
            f"<!-- end generated: {section} -->")


def extract(readme: str, section: str) -> str | None:
    """The current text of a generated section in `readme`, or None without markers."""
    begin, end = _markers(section)
    match = re.search(re.escape(begin) + r"\n(.*?)" + re.escape(end), readme, re.S)
    return match.group(1) if match else None


def update(readme: str) -> str:
    """`readme` with every generated section replaced by its current text."""
    for section in SECTIONS:
        begin, end = _markers(section)
        if extract(readme, section) is None:
            raise SystemExit(f"README has no '{begin}' ... '{end}' markers")
        pattern = re.escape(begin) + r"\n.*?" + re.escape(end)
        fresh = f"{begin}\n{generate(section)}{end}"
        readme = re.sub(pattern, lambda _m, fresh=fresh: fresh, readme, flags=re.S)
    return readme


def main(argv: list[str]) -> int:
    if not argv:
        for section in SECTIONS:
            sys.stdout.write(generate(section) + "\n")
        return 0
    if len(argv) == 2 and argv[0] in ("--write", "--check"):
        path = Path(argv[1])
        current = path.read_text(encoding="utf-8")
        fresh = update(current)
        if argv[0] == "--check":
            if fresh != current:
                print(f"{path} is out of date: run python -m mouctl.cli.reference --write {path}",
                      file=sys.stderr)
                return 1
            return 0
        if fresh != current:
            from mouctl.files import write_atomic

            write_atomic(path, fresh)
        return 0
    print(__doc__.strip(), file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

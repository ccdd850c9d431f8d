"""Commands on the network's git history: diff, log, release, sign, status."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from mouctl.cli.app import NetworkDir, app, today

# -- diff (changes helper; log, release, sign, status follow below) ----------------

# With --exit-code, 1 and 2 mean "administrative" and "substantive changes", so a
# failure to compare (unknown revision, invalid data) must not look like either.
DIFF_FAILED = 4


class DiffFormat(StrEnum):
    text = "text"
    json = "json"
    md = "md"
    html = "html"


@app.command("diff")
def diff_cmd(
    old: Annotated[str | None, typer.Argument(
        help="Revision to compare from: a release tag, branch, HEAD~2, hash.",
        show_default="the last release, else HEAD")] = None,
    new: Annotated[str | None, typer.Argument(
        help="Revision to compare to.", show_default="the working tree, with edits")] = None,
    network: NetworkDir = Path("."),
    rendered: Annotated[bool, typer.Option(
        "--rendered", help="Show a word-level redline of the rendered MoU instead.")] = False,
    format: Annotated[DiffFormat, typer.Option(
        "--format", "-f", help="text or json; with --rendered: text (terminal), md or html "
        "(a track-changes document).")] = DiffFormat.text,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write to this file instead of standard output.",
        dir_okay=False)] = None,
    lang: Annotated[str | None, typer.Option(
        "--lang", help="Language of the rendered MoU (default: its first language).")] = None,
    exit_code: Annotated[bool, typer.Option(
        "--exit-code", help="Exit 0 without changes, 1 with only administrative changes, "
        "2 with substantive ones (4 when the versions cannot be compared).")] = False,
) -> int:
    """Show what an amendment changes in the agreement, and who must sign again.

    Compares the network at OLD (default: the last release, or HEAD before the
    first one) with NEW (default: the working tree, uncommitted edits included).
    Each change names the item, the field, the old and new value, and whether it
    is substantive (every partner re-signs) or administrative, with the rule
    that decided (see docs/amendments.md). With --rendered it shows the rendered
    MoU with insertions and deletions marked instead; `--format md|html -o FILE`
    writes it as a track-changes document to send to the partners.

    Example: mouctl diff mou-v1.0 --rendered --format html -o amendment.html
    """
    from mouctl.errors import MouError

    try:
        return _diff(old, new, network, rendered, format, output, lang, exit_code)
    except MouError as exc:
        if exit_code:
            exc.exit_code = DIFF_FAILED
        raise


def _diff(old, new, network, rendered, format, output, lang, exit_code) -> int:
    import json

    from mouctl import amendment, change_report, console
    from mouctl.errors import InvalidNetwork, UsageError

    if format in (DiffFormat.md, DiffFormat.html) and not rendered:
        raise UsageError(f"--format {format} writes the rendered redline",
                         "add --rendered, or use --format text or json for the changes")
    if rendered and format is DiffFormat.json:
        raise UsageError("the rendered redline has no JSON form",
                         "use `mouctl diff --format json` for the changes as data")
    comparison = amendment.compare_revisions(network, old, new, today=today())
    code = comparison.exit_code if exit_code else 0
    if format is DiffFormat.json:
        _emit(json.dumps(change_report.json_report(comparison), indent=2,
                         ensure_ascii=False) + "\n", output)
    if not comparison.valid:
        for version in (comparison.old, comparison.new):
            if not version.valid and format is not DiffFormat.json:
                console.say(f"The network data at {version.label} is not valid:")
                console.diagnostics(version.loaded.errors)
        bad = " and ".join(v.label for v in (comparison.old, comparison.new) if not v.valid)
        raise InvalidNetwork(
            comparison.old.loaded.errors + comparison.new.loaded.errors,
            f"cannot compare: the network data at {bad} has errors")
    if format is DiffFormat.json:
        return code
    if not rendered:
        lines = change_report.text_lines(comparison)
        if output is None:
            console.styled([[line] for line in lines])
        else:
            _emit("\n".join(text for text, _ in lines) + "\n", output)
        return code
    from mouctl import redline

    marked = amendment.rendered_redline(comparison, lang=lang)
    labels = {"old_label": comparison.old.label, "new_label": comparison.new.label}
    if format is DiffFormat.text and output is None:
        console.styled(redline.to_terminal(marked, **labels))
        return code
    labels["title"] = _title(comparison, lang)
    if format is DiffFormat.html:
        _emit(redline.to_html(marked, **labels), output)
    elif format is DiffFormat.md:
        _emit(redline.to_markdown(marked, **labels), output)
    else:
        lines = redline.to_terminal(marked, old_label=labels["old_label"],
                                    new_label=labels["new_label"])
        _emit("\n".join("".join(t for t, _ in line) for line in lines) + "\n", output)
    return code


def _title(comparison, lang: str | None) -> str:
    from mouctl.model import text

    network = comparison.new.loaded.network
    return text(network.title, lang or network.languages[0], network.languages[0]) or "MoU"


def _emit(text: str, output: Path | None) -> None:
    from mouctl import console
    from mouctl.files import write_atomic

    if output is None:
        console.out(text)
    else:
        write_atomic(output, text)
        console.success(f"wrote {output}")

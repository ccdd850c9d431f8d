"""Commands that produce the MoU document: render."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from mouctl.cli.app import NetworkDir, app, today


class DocumentFormat(StrEnum):
    md = "md"
    html = "html"
    docx = "docx"
    pdf = "pdf"


_EXTENSIONS = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html",
               ".docx": "docx", ".pdf": "pdf"}
NETWORK_TEMPLATES = "templates"


@app.command()
def render(
    network: NetworkDir = Path("."),
    format: Annotated[
        DocumentFormat | None,
        typer.Option("--format", "-f", help="md, html, docx or pdf.",
                     show_default="from the -o extension, else md"),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file (atomically).",
                     show_default="Markdown/HTML to standard output"),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option("--lang", "-l", help="Language of the fixed text and the data texts.",
                     show_default="the MoU's first language"),
    ] = None,
    bilingual: Annotated[
        str | None,
        typer.Option("--bilingual", metavar="LANG2",
                     help="Add a second language: side by side in HTML/PDF, one after "
                     "the other in Markdown and Word."),
    ] = None,
    template: Annotated[
        Path | None,
        typer.Option("--template", "-t", metavar="PATH",
                     help="A template folder or file.",
                     show_default="the network's templates/ folder, else the default"),
    ] = None,
    at: Annotated[
        str | None,
        typer.Option("--at", metavar="REV",
                     help="Render the network as it was at a git revision (tag, commit)."),
    ] = None,
) -> int:
    """Render the common MoU as a document to read and sign: Markdown, HTML, Word or PDF.

    The footer names the version (release, commit, or draft) and a fingerprint of the
    data, so every printed copy can be traced to the data it came from. Invalid data
    is refused with the same messages as `mouctl validate`.

    Example: mouctl render --lang de --bilingual en -o mou.pdf
    """
    from mouctl.cli import console
    from mouctl.errors import UsageError
    from mouctl.files import write_atomic
    from mouctl.render import engine as rendering

    fmt = _format(format, output)
    if output is None and fmt in ("docx", "pdf"):
        raise UsageError(f"a {fmt.upper()} document cannot be printed to the terminal",
                         f"write it to a file: mouctl render -o mou.{fmt}")
    net = _load(network, at)
    if template is None and (network / NETWORK_TEMPLATES).is_dir():
        template = network / NETWORK_TEMPLATES
        console.detail(f"using the network's templates in {template}")
        if at is not None:
            console.warn(f"using the templates/ folder of the working tree, not those at {at}")
    warnings: list[str] = []
    notices: list[str] = []
    data = rendering.render(net, fmt, lang=lang, version=_version(network, at),
                            template=template, bilingual=bilingual, warnings=warnings,
                            notices=notices)
    for message in notices:
        console.say(f"note: {message}")
    for message in warnings:
        console.warn(message)
    if output is None:
        console.out(data.decode("utf-8"))
    else:
        write_atomic(output, data)
        console.success(f"wrote {output} ({fmt}, {len(net.partners)} partners, "
                        f"data fingerprint {net.fingerprint()})")
    return 0


def _format(chosen: DocumentFormat | None, output: Path | None) -> str:
    from mouctl.errors import UsageError

    by_extension = _EXTENSIONS.get(output.suffix.lower()) if output is not None else None
    if chosen is not None:
        # A Word or PDF file named after the other format would not open: say so.
        if by_extension is not None and by_extension != chosen.value:
            raise UsageError(f"--format {chosen.value} does not match the file name "
                             f"'{output.name}'; nothing was written",
                             f"name the file *.{chosen.value} or leave --format out")
        return chosen.value
    if output is None:
        return "md"
    if by_extension is None:
        raise UsageError(f"cannot tell the format from '{output.name}'",
                         "add --format md|html|docx|pdf, or use one of the extensions "
                         ".md, .html, .docx, .pdf")
    return by_extension


def _load(folder: Path, at: str | None):
    """The valid network (now or at a revision); invalid data prints its diagnostics."""
    from mouctl.cli import console
    from mouctl.errors import InvalidNetwork
    from mouctl.history import revisions as history

    loaded = history.network_at(folder, at, today=today())
    if loaded.network is None or loaded.errors:
        console.diagnostics(loaded.diagnostics, show_warnings=False)
        errors = len(loaded.errors)
        where = f" at {at}" if at else ""
        raise InvalidNetwork(loaded.diagnostics,
                             f"cannot render: the network data{where} has {errors} error(s)")
    return loaded.network


def _version(folder: Path, at: str | None) -> str:
    """The footer's version label: the release tag, `commit abc1234`, or a draft."""
    from mouctl.history import repo as gitrepo
    from mouctl.history import revisions as history

    if at is None:
        return history.describe_version(folder)
    commit = gitrepo.resolve_commit(history.locate(folder).repo, at)
    tags = [r.tag for r in history.releases(folder) if r.commit == commit.hexsha]
    return tags[0] if tags else f"commit {commit.hexsha[:7]}"

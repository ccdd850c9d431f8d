"""Commands that produce the MoU document: render."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from mouctl.cli import completion
from mouctl.cli.app import NetworkDir, app, today


class DocumentFormat(StrEnum):
    md = "md"
    html = "html"
    docx = "docx"
    pdf = "pdf"


_EXTENSIONS = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html",
               ".docx": "docx", ".pdf": "pdf"}


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
        typer.Option("--output", "-o",
                     help="Write to this file (atomically); `-` is standard output.",
                     show_default="standard output (Word/PDF only into a pipe)"),
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
        typer.Option("--at", metavar="REV", autocompletion=completion.release_tags,
                     help="Render the network as it was at a git revision (tag, commit)."),
    ] = None,
) -> int:
    """Render the common MoU as a document to read and sign: Markdown, HTML, Word or PDF.

    The footer names the version (release, commit, or draft) and a fingerprint of the
    data, so every printed copy can be traced to the data it came from. Invalid data
    is refused with the same messages as `mouctl validate`.

    Example: mouctl render --lang de --bilingual en -o mou.pdf
    """
    import sys

    from mouctl import api
    from mouctl.cli import console
    from mouctl.errors import UsageError

    fmt = _format(format, output)
    if console.is_stdout(output) and fmt in ("docx", "pdf") and sys.stdout.isatty():
        raise UsageError(f"a {fmt.upper()} document cannot be printed to the terminal",
                         f"write it to a file (mouctl render -o mou.{fmt}), or pipe it: "
                         f"mouctl render -f {fmt} -o - | ...")
    if template is None and api.templates_for(network) is not None:
        console.detail(f"using the network's templates in {api.templates_for(network)}")
    # Loading and rendering pause the cyclic collector themselves (loader, engine); a
    # command run from the shell runs without it altogether (mouctl.cli).
    made = api.render_document(network, fmt, at=at, lang=lang, bilingual=bilingual,
                               template=template, today=today())
    if emit_document(made, fmt, output, network):
        console.success(f"wrote {output} ({fmt}, {made.partners} partners, "
                        f"data fingerprint {made.fingerprint})")
    return 0


def emit_document(made, fmt: str, output, network) -> bool:
    """Say a rendered document's notes and warnings, then write it to `output`; True
    when it went to a file (the caller then says what it wrote)."""
    from mouctl.cli import console

    for message in made.notices:
        console.say(f"note: {message}")
    for message in made.warnings:
        console.warn(message)
    data = made.data.decode("utf-8") if fmt in ("md", "html") else made.data
    return console.emit(output, data, what=f"a {fmt.upper()} document", network=network)


def _format(chosen: DocumentFormat | None, output: Path | None) -> str:
    from mouctl.errors import UsageError

    if output is not None and str(output) == "-":
        output = None  # standard output: no extension to go by
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

"""The fonts a PDF is drawn with: bundled, so that Greek and Cyrillic print anywhere.

A fresh machine (CI, a container) may have no font with Greek or Cyrillic glyphs, and
WeasyPrint would then draw empty boxes in a Bulgarian or Greek MoU. The default
template ships Liberation Sans 2 (SIL Open Font License, see fonts/OFL.txt), which
covers Latin (Maltese, Romanian, Turkish included), Greek and Cyrillic, and the PDF
writer hands it to WeasyPrint as `data:` URLs: the only URLs a PDF may load.
"""

from __future__ import annotations

import base64
from functools import cache
from pathlib import Path

FAMILY = "Liberation Sans"
FACES = (  # file, font-weight, font-style
    ("LiberationSans-Regular.ttf", "normal", "normal"),
    ("LiberationSans-Bold.ttf", "bold", "normal"),
    ("LiberationSans-Italic.ttf", "normal", "italic"),
    ("LiberationSans-BoldItalic.ttf", "bold", "italic"),
)


def folder() -> Path:
    """The bundled fonts of the default template."""
    from mouctl.render.engine import DEFAULT_TEMPLATE, templates_root

    return templates_root() / DEFAULT_TEMPLATE / "fonts"


@cache
def font_faces() -> str:
    """CSS @font-face rules for the bundled family, each font inlined as a data: URL."""
    rules = []
    for name, weight, style in FACES:
        data = base64.b64encode((folder() / name).read_bytes()).decode("ascii")
        rules.append(f'@font-face {{ font-family: "{FAMILY}"; font-weight: {weight}; '
                     f"font-style: {style}; "
                     f'src: url("data:font/ttf;base64,{data}") format("truetype"); }}')
    return "\n".join(rules)


def embed(html: str) -> str:
    """The HTML with the bundled fonts declared first in its <head> (for WeasyPrint)."""
    style = f"<style>\n{font_faces()}\n</style>\n"
    at = html.find("<head>")
    if at < 0:
        return style + html
    at += len("<head>")
    return html[:at] + "\n" + style + html[at:]

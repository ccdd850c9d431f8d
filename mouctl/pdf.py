"""HTML -> PDF through WeasyPrint (the optional `pdf` extra).

WeasyPrint lays out the print CSS of the HTML template: A4 pages, page numbers in
the margin boxes, rows and signature blocks kept whole. PDF metadata carries no
creation date, so the same HTML gives the same PDF.
"""

from __future__ import annotations

import logging

from mouctl.errors import MouError

INSTALL_HINT = "install the PDF extra: python3 -m pip install 'mouctl[pdf]' " \
               "(or render HTML or Word instead)"


def available() -> bool:
    """Whether WeasyPrint can be imported (its system libraries included)."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


def from_html(html: str) -> bytes:
    """The PDF of a self-contained HTML document."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: pango/cairo libraries missing
        raise MouError(f"PDF output needs WeasyPrint, which is not available ({exc})",
                       INSTALL_HINT) from None
    # WeasyPrint logs every CSS property it ignores; users cannot act on that.
    logger = logging.getLogger("weasyprint")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        return weasyprint.HTML(string=html).write_pdf()
    finally:
        logger.setLevel(level)

"""HTML -> PDF through WeasyPrint (the optional `pdf` extra).

WeasyPrint lays out the print CSS of the HTML template: A4 pages, page numbers in
the margin boxes, rows and signature blocks kept whole. PDF metadata carries no
creation date, so the same HTML gives the same PDF. The PDF is PDF/A-2a: tagged,
with bookmarks and the document's language. It does carry, in the
document information dictionary, the version label, the data fingerprint and the
language(s) (`MouctlVersion`, `MouctlFingerprint`, `MouctlLanguages`): what
`mouctl verify` needs to render the same release again and compare.
"""

from __future__ import annotations

import logging

from mouctl.errors import MouError

PDF_VARIANT = "pdf/a-2a"
INSTALL_HINT = "install the PDF extra: python3 -m pip install 'mouctl[pdf]' " \
               "(or render HTML or Word instead)"


def available() -> bool:
    """Whether WeasyPrint can be imported (its system libraries included)."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


def from_html(html: str, metadata: dict[str, str] | None = None) -> bytes:
    """The PDF of a self-contained HTML document, with `metadata` in its information
    dictionary (keys of letters and digits)."""
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
        # Fetch nothing: the document is self-contained, and a network's template must
        # not pull local files (file:///home/u/.ssh/id_rsa) into the PDF as attachments.
        document = weasyprint.HTML(string=html, url_fetcher=_fetcher(weasyprint)).render()
        document.metadata.custom.update(metadata or {})
        # PDF/A-2a: an archivable PDF that is also tagged (structure tree, reading order,
        # the document's /Lang from <html lang>), with bookmarks from the headings.
        return document.write_pdf(custom_metadata=bool(metadata), pdf_variant=PDF_VARIANT,
                                  pdf_tags=True)
    finally:
        logger.setLevel(level)


def _fetcher(weasyprint):
    """A URL fetcher that loads only inline `data:` URLs."""
    urls = weasyprint.urls
    if hasattr(urls, "URLFetcher"):  # WeasyPrint 68 and later
        return urls.URLFetcher(allowed_protocols={"data"})

    def refuse(url: str, *args, **kwargs):
        if url.startswith("data:"):
            return urls.default_url_fetcher(url, *args, **kwargs)
        raise ValueError(f"templates may not load external resources ({url[:80]})")

    return refuse


# The information-dictionary keys `mouctl verify` reads back.
VERSION_KEY, FINGERPRINT_KEY, LANGUAGES_KEY = "MouctlVersion", "MouctlFingerprint", \
    "MouctlLanguages"


def metadata(context: dict) -> dict[str, str]:
    """What a PDF says about itself: version label, data fingerprint, language(s)."""
    return {VERSION_KEY: str(context["version"]), FINGERPRINT_KEY: str(context["fingerprint"]),
            LANGUAGES_KEY: ",".join(context["langs"])}


def append(document: bytes, annexes: list[tuple[str, bytes | None]],
           warnings: list[str]) -> bytes:
    """`document` with the pages of each PDF annex appended, its information
    dictionary (version, fingerprint, languages) kept; an annex that cannot be read
    is left out with a warning."""
    try:
        from pypdf import PdfReader, PdfWriter
        from pypdf.errors import PyPdfError
    except ImportError:
        warnings.append("PDF annexes are listed but not appended: install pypdf "
                        "(python3 -m pip install 'mouctl[pdf]')")
        return document
    import io

    main = PdfReader(io.BytesIO(document))
    writer = PdfWriter(clone_from=main)
    for name, content in annexes:
        if content is None:
            warnings.append(f"annex '{name}' could not be read; it is listed but not appended")
            continue
        try:
            writer.append(PdfReader(io.BytesIO(content)))
        except (PyPdfError, ValueError, OSError) as exc:
            warnings.append(f"annex '{name}' is not a readable PDF ({exc}); it is listed but "
                            "not appended")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

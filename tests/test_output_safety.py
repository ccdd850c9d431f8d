"""Templates and output under attack: data stays data, templates stay in the sandbox.

- data holding Jinja syntax renders literally (it is never evaluated);
- a template reaching for Python internals, the file system (also through a
  symbolic link out of its folder) or unbounded work is refused with a message
  that names the template line;
- no markup from the data reaches HTML (no new tags, no `on...` attribute, no
  `javascript:` link), in the HTML output or in the Markdown once rendered;
- Markdown tables keep their shape whatever `|`, line breaks or backticks the
  data holds; very long names, right-to-left and CJK text render in every format.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from mouctl.errors import TemplateError
from mouctl.model.network import Network
from mouctl.render import engine as rendering
from mouctl.source import loader as source
from mouctl.source import yamldoc

BASE = Path(__file__).parent / "corpus" / "base.yaml"
TODAY = dt.date(2026, 3, 1)


def base_data() -> dict:
    return copy.deepcopy(yamldoc.read("base.yaml", BASE.read_bytes()).data)


def network_with(text_for) -> Network:
    """The base network with every text field a partner writes set by `text_for(field)`,
    loaded through YAML as a partner's file would be."""
    data = base_data()
    data["title"] = text_for("title")
    data["objectives"] = [text_for("objective")]
    data["additional_information"] = text_for("additional")
    data["arrangements"] = {"assessment": text_for("arrangement")}
    for i, partner in enumerate(data["partners"]):
        partner.update(name=text_for(f"partner{i}"), short_name=text_for(f"short{i}"),
                       city=text_for("city"), address=text_for("address"),
                       email=text_for("email"), website=text_for("website"),
                       phone=text_for("phone"))
        partner["signatory"]["name"] = text_for("signatory")
        partner["contact"] = {"name": text_for("contact"), "email": text_for("email")}
    unit = data["qualifications"][0]["units"][0]
    data["qualifications"][0]["title"] = text_for("qualification")
    unit["title"] = text_for("unit")
    unit["learning_outcomes"]["skills"] = [text_for("outcome")]
    unit["assessment"]["criteria"] = [text_for("criterion")]
    loaded = source.load_documents({"network.yaml": yamldoc.dump(data).encode()}, today=TODAY)
    return loaded.require()


def docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def markdown_html(markdown: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").render(markdown)


# -- data is never template code ---------------------------------------------------------

JINJA = "{{ 7*7 }} {% include '/etc/passwd' %} {# x #} {{ cycler.__init__.__globals__ }}"


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_jinja_syntax_in_data_renders_literally(fmt):
    network = network_with(lambda name: f"{name} {JINJA}")
    out = rendering.render(network, fmt)
    if fmt == "docx":
        shown = docx_text(out)
    elif fmt == "md":
        shown = _visible(markdown_html(out.decode()))
    else:
        shown = _visible(out.decode())
    assert "partner0 " + JINJA in shown
    assert "unit " + JINJA in shown
    assert "root:x:0:0" not in shown and " 49 " not in shown


def _visible(html: str) -> str:
    import html as html_module

    return html_module.unescape(re.sub(r"<[^>]+>", "", html))


# -- templates stay in the sandbox -------------------------------------------------------

ESCAPES = [
    "{{ ''.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ joiner.__init__.__globals__.os }}",
    "{{ lipsum.__globals__['os'] }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ self._TemplateReference__context }}",
    "{{ mou|attr('__class__') }}",
    "{{ mou.title.upper.__self__ }}",
    "{{ mou.__dict__ }}",
]
FILES = [
    "{% include '/etc/passwd' %}",
    "{% include '../../../../../../etc/passwd' %}",
    "{% import '/etc/hostname' as h %}",
    "{% extends '/etc/passwd' %}",
]
UNBOUNDED = [
    "{{ 'a' * 10**9 }}",
    "{{ [0] * 10**8 }}",
    "{{ 10 ** 100000 }}",
    "{{ ((10 ** 999) ** 999) ** 999 }}",
    "{{ range(10**9)|list|length }}",
]


@pytest.fixture(scope="module")
def network() -> Network:
    return network_with(lambda name: name)


@pytest.mark.parametrize("expression", ESCAPES + FILES + UNBOUNDED)
def test_a_template_cannot_leave_the_sandbox(network, tmp_path, expression):
    template = tmp_path / "evil.md.j2"
    template.write_text(f"# The MoU\n{expression}\n", encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        rendering.render(network, "md", template=template)
    message = caught.value.message
    if expression in FILES:
        assert "not found" in message, message
    else:
        assert "evil.md.j2:2: " in message, message
        assert "not allowed in a template" in message or "Range too big" in message, message
    assert caught.value.hint


def test_a_template_cannot_read_a_file_through_a_symbolic_link(network, tmp_path):
    # A partner commits templates/ with a link to a private file of whoever renders.
    secret = tmp_path / "private" / "id_rsa"
    secret.parent.mkdir()
    secret.write_text("-----BEGIN PRIVATE KEY-----\n")
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "footer.md.j2").symlink_to(secret)
    (folder / "mou.md.j2").write_text("# MoU\n{% include 'footer.md.j2' %}\n")
    with pytest.raises(TemplateError) as caught:
        rendering.render(network, "md", template=folder)
    assert "mou.md.j2:2: not allowed in a template: template 'footer.md.j2' links to " \
        in caught.value.message
    assert "outside the template folder" in caught.value.message
    (folder / "mou.md.j2").unlink()
    (folder / "mou.md.j2").symlink_to(secret)  # the main template itself
    with pytest.raises(TemplateError, match="outside the template folder"):
        rendering.render(network, "md", template=folder)


def test_a_link_inside_the_template_folder_still_works(network, tmp_path):
    folder = tmp_path / "templates"
    (folder / "parts").mkdir(parents=True)
    (folder / "parts" / "footer.md.j2").write_text("Signed in Bremen.\n")
    (folder / "footer.md.j2").symlink_to(folder / "parts" / "footer.md.j2")
    (folder / "mou.md.j2").write_text("# MoU\n{% include 'footer.md.j2' %}\n")
    assert "Signed in Bremen." in rendering.render(network, "md", template=folder).decode()


def test_the_cli_refuses_a_sandbox_escape_without_a_traceback(run, tmp_path):
    folder = tmp_path / "net"
    folder.mkdir()
    (folder / "network.yaml").write_bytes(BASE.read_bytes())
    (folder / "evil.md.j2").write_text("# x\n{{ cycler.__init__.__globals__.os }}\n")
    result = run("render", "--template", "evil.md.j2", "-o", "mou.md", cwd=folder)
    assert result.code == 1
    assert "Traceback" not in result.output
    assert "error: evil.md.j2:2: not allowed in a template: access to attribute '__init__'" \
        in result.stderr
    assert not (folder / "mou.md").exists()


# -- no markup from the data -------------------------------------------------------------

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "' onmouseover='alert(1)",
    "javascript:alert(1)",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "<javascript:alert(1)>",
    "</td></tr></table><iframe src=//evil.example>",
    "<!-- <style>body{display:none}</style>",
    "<![CDATA[ ]]> &lt;b&gt; &#60;script&#62;",
    "<details open ontoggle=alert(1)>",
]


class _Tags(HTMLParser):
    """Every tag and attribute in a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]


def _markup(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("fmt", ["html", "md"])
def test_no_markup_from_the_data_reaches_html(network, fmt, payload):
    def page(net: Network) -> str:
        out = rendering.render(net, fmt).decode()
        return out if fmt == "html" else markdown_html(out)

    clean = _markup(page(network))
    attacked = _markup(page(network_with(lambda name: f"{name} {payload}")))
    assert attacked.tags <= clean.tags, attacked.tags - clean.tags
    for tag, name, value in attacked.attributes:
        assert not name.startswith("on"), (tag, name, value)
        assert "javascript:" not in value.lower(), (tag, name, value)
        assert "evil.example" not in value, (tag, name, value)


# -- Markdown tables keep their shape -----------------------------------------------------

TABLE_BREAKERS = ["a | b", "a\\|b", "| lead", "trail |", "line\nbreak", "line\r\nbreak",
                  "`code | pipe`", "``", "a`b", "- item", "# heading", "1. first",
                  "***", "<br>", "\\", "a  \nb", "|||", "---|---"]


@pytest.mark.parametrize("breaker", TABLE_BREAKERS)
def test_markdown_tables_keep_their_shape(breaker):
    from markdown_it import MarkdownIt

    markdown = rendering.render_markdown(network_with(lambda name: f"{name} {breaker}"))
    clean = rendering.render_markdown(network_with(lambda name: name))
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    shapes = _table_shapes(tokens)
    assert shapes == _table_shapes(MarkdownIt("commonmark").enable("table").parse(clean))
    assert markdown.count("\n#") == clean.count("\n#")  # no heading made from data


def _table_shapes(tokens) -> list[list[int]]:
    """Per table, the number of cells of each row."""
    tables: list[list[int]] = []
    cells = 0
    for token in tokens:
        if token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            cells = 0
        elif token.type in ("th_open", "td_open"):
            cells += 1
        elif token.type == "tr_close":
            tables[-1].append(cells)
    return tables


# -- long, right-to-left and CJK text -------------------------------------------------------

SCRIPTS = {
    "long": "Landesberufsbildungszentrum " * 80,
    "arabic": "مدرسة التدريب المهني للطهاة في الدار البيضاء",
    "hebrew": "בית הספר המקצועי לבישול בתל אביב",
    "mixed-bidi": "Lycée \u202eHÔTELIER\u202c مدرسة 2026",
    "cjk": "上海市商业学校 烹饪专业 職業訓練校 조리과",
    "emoji-combining": "Cafe\u0301 👩🏽‍🍳 Ǆemal",
}


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_long_rtl_and_cjk_text_render_in_every_format(script):
    text = SCRIPTS[script].strip()
    network = network_with(lambda name: text if name == "partner1" else name)
    assert text in _visible(markdown_html(rendering.render(network, "md").decode()))
    assert text in _visible(rendering.render(network, "html").decode())
    assert text in docx_text(rendering.render(network, "docx"))


def test_long_rtl_and_cjk_text_render_as_pdf():
    try:
        import weasyprint  # noqa: F401
    except Exception:  # noqa: BLE001 - ImportError, or OSError without Pango
        pytest.skip("WeasyPrint (with its Pango libraries) is not available")
    pdftotext = pytest.importorskip("shutil").which("pdftotext")
    text = " / ".join(SCRIPTS[k] for k in ("arabic", "cjk", "long"))
    network = network_with(lambda name: text if name == "partner1" else name)
    data = rendering.render(network, "pdf")
    assert data.startswith(b"%PDF")
    if pdftotext:
        import subprocess

        shown = subprocess.run([pdftotext, "-", "-"], input=data, capture_output=True,
                               check=True).stdout.decode()
        assert "Landesberufsbildungszentrum" in shown


def test_pdf_loads_no_local_file_a_template_links(tmp_path):
    """A network template cannot smuggle a local file into the PDF as an attachment."""
    try:
        import weasyprint  # noqa: F401
    except Exception:  # noqa: BLE001 - ImportError, or OSError without Pango
        pytest.skip("WeasyPrint (with its Pango libraries) is not available")
    from mouctl.render import pdf

    secret = tmp_path / "id_rsa"
    secret.write_text("PRIVATE KEY\n")
    html = (f'<html><head><link rel="attachment" href="file://{secret}"></head>'
            "<body><p>MoU</p></body></html>")
    assert b"EmbeddedFile" not in pdf.from_html(html)

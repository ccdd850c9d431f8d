"""`mouctl render` as users run it: files, formats, custom templates, errors."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from tests.conftest import git

SIX = Path(__file__).parents[1] / "networks" / "six-partners"


@pytest.fixture
def six(tmp_path) -> Path:
    folder = tmp_path / "six"
    shutil.copytree(SIX, folder)
    return folder


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_markdown_goes_to_stdout_and_notices_to_stderr(run, six):
    # French is not a language of the [en, de] MoU: a translation, said once, no warnings.
    result = run("render", "-N", str(six), "--lang", "fr")
    assert result.code == 0, result.stderr
    assert result.stdout.startswith("# EuroCook Mobility Network")
    assert "## 1. Objectifs du protocole d’accord" in result.stdout
    assert result.stderr == ("note: the MoU is drawn up in en, de; this rendering in fr is "
                             "a translation, and the document says so\n")


@pytest.mark.parametrize(("name", "magic"), [
    ("mou.md", b"# EuroCook"), ("mou.html", b"<!DOCTYPE html>"), ("mou.docx", b"PK"),
])
def test_the_format_follows_the_output_extension(run, six, tmp_path, name, magic):
    out = tmp_path / name
    result = run("render", "-N", str(six), "-o", str(out))
    assert result.code == 0, result.stderr
    assert out.read_bytes().startswith(magic)
    assert f"wrote {out}" in result.stderr


def test_an_unknown_extension_asks_for_the_format(run, six, tmp_path):
    result = run("render", "-N", str(six), "-o", str(tmp_path / "mou.txt"))
    assert result.code == 2
    assert "cannot tell the format from 'mou.txt'" in result.stderr
    assert not (tmp_path / "mou.txt").exists()


def test_invalid_data_is_refused_with_the_validate_messages(run, six, tmp_path):
    text = (six / "network.yaml").read_text(encoding="utf-8")
    (six / "network.yaml").write_text(text.replace("country: FI\n", "country: Finland\n", 1),
                                      encoding="utf-8")
    out = write(tmp_path / "mou.md", "previous version\n")
    result = run("render", "-N", str(six), "-o", str(out))
    assert result.code == 1
    assert "six/network.yaml:71:14: error: partners[1].country: 'Finland' is not a " \
           "two-letter country code" in result.stderr
    assert result.stdout == ""
    assert "error: cannot render: the network data has 1 error" in result.stderr
    assert out.read_text() == "previous version\n"


TYPO = """{% extends "default/mou.md.j2" %}
{% block partners %}
{% for partner in mou.partners %}
- {{ partner.nmae }}
{% endfor %}
{% endblock %}
"""


def test_a_template_typo_names_the_line_and_writes_nothing(run, six, tmp_path):
    write(six / "templates" / "mou.md.j2", TYPO)
    out = write(tmp_path / "mou.md", "previous version\n")
    result = run("render", "-N", str(six), "-o", str(out))
    assert result.code == 1
    # The run's current folder is tmp_path: the template is shown relative to it.
    assert "error: six/templates/mou.md.j2:4: 'partner.nmae' is undefined" in result.stderr
    assert "Traceback" not in result.stderr
    assert out.read_text() == "previous version\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".mou")] == []


def test_a_template_path_inside_the_current_folder_is_shown_relative(run, six):
    write(six / "templates" / "mou.md.j2", TYPO)
    result = run("render", cwd=six)
    assert "error: templates/mou.md.j2:4: 'partner.nmae' is undefined" in result.stderr


def test_a_template_syntax_error_names_the_line(run, six, tmp_path):
    tpl = write(tmp_path / "broken.md.j2", "# {{ mou.title }}\n{% if mou.title %}\nno end\n")
    result = run("render", "-N", str(six), "--template", str(tpl))
    assert result.code == 1
    assert "error: broken.md.j2:3: Unexpected end of template" in result.stderr


@pytest.mark.parametrize("expression", [
    "{{ mou.__class__.__mro__ }}", "{{ ''.__class__.__subclasses__() }}",
    "{{ mou.partners.__len__() }}",
])
def test_templates_run_in_a_sandbox(run, six, tmp_path, expression):
    tpl = write(tmp_path / "evil.md.j2", f"# title\n{expression}\n")
    result = run("render", "-N", str(six), "--template", str(tpl))
    assert result.code == 1
    assert "error: evil.md.j2:2: not allowed in a template: access to attribute '__" \
        in result.stderr
    assert "is unsafe" in result.stderr


def test_a_custom_template_overrides_single_blocks(run, six):
    write(six / "templates" / "mou.md.j2", """{% extends "default/mou.md.j2" %}
{% block objectives %}
## 1. {{ t.sections.objectives }}

Our own objectives for {{ mou.partners|length }} partners.

{% endblock %}
""")
    result = run("render", "-N", str(six))
    assert result.code == 0, result.stderr
    assert "Our own objectives for 6 partners." in result.stdout
    assert "The purpose of this Memorandum" not in result.stdout
    assert "## 2. Organisations signing the Memorandum of Understanding" in result.stdout


def test_a_custom_template_can_replace_the_whole_document(run, six, tmp_path):
    tpl = write(tmp_path / "one-page.md.j2",
                "# {{ mou.title }}\n\n{% for p in mou.partners %}- {{ p.name }}\n{% endfor %}")
    out = tmp_path / "mou.html"
    result = run("render", "-N", str(six), "--template", str(tpl), "-o", str(out))
    assert result.code == 0, result.stderr
    html = out.read_text()
    assert "<h1>EuroCook Mobility Network" in html
    assert html.count("<li>") == 6
    assert "<h2>" not in html  # nothing of the default document


def test_an_html_template_gets_a_migration_message(run, six, tmp_path):
    write(six / "templates" / "mou.html.j2", "{% extends 'default/mou.html.j2' %}\n")
    out = tmp_path / "mou.pdf"
    result = run("render", "-N", str(six), "-o", str(out))
    assert result.code == 1
    assert "templates/mou.html.j2: HTML templates are no longer used" in result.stderr
    assert "move wording changes into mou.md.j2" in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()


def test_render_at_a_revision_and_the_version_label(run, six):
    git(six, "init", "-q")
    git(six, "add", "-A")
    git(six, "commit", "-qm", "first MoU")
    git(six, "tag", "-a", "mou-v1.0", "-m", "First signed version")
    text = (six / "network.yaml").read_text(encoding="utf-8")
    (six / "network.yaml").write_text(text.replace("2028-08-31", "2029-08-31"), "utf-8")
    now = run("render", "-N", str(six))
    assert "until 31 August 2029" in now.stdout
    assert "version draft (uncommitted changes on " in now.stdout
    then = run("render", "-N", str(six), "--at", "mou-v1.0")
    assert then.code == 0, then.stderr
    assert "until 31 August 2028" in then.stdout
    assert "version mou-v1.0, data fingerprint" in then.stdout
    missing = run("render", "-N", str(six), "--at", "nope")
    assert missing.code == 1
    assert "unknown revision 'nope'" in missing.stderr


def test_pdf_without_weasyprint_says_how_to_install_it(run, six, tmp_path):
    blocker = write(tmp_path / "block" / "weasyprint.py",
                    "raise ImportError(\"No module named 'weasyprint'\")\n")
    out = write(tmp_path / "mou.pdf", "previous\n")
    result = run("render", "-N", str(six), "-o", str(out),
                 env={"PYTHONPATH": str(blocker.parent)})
    assert result.code == 1
    assert "PDF output needs WeasyPrint" in result.stderr
    assert "pip install 'mouctl[pdf]'" in result.stderr
    assert out.read_text() == "previous\n"


def test_pdf_with_weasyprint(run, tmp_path):
    import datetime as dt

    from mouctl.render import engine as rendering
    from mouctl.render import pdf
    from mouctl.render.edition import Edition
    from mouctl.source import loader as source

    if not pdf.available():
        pytest.skip("WeasyPrint is not installed")
    minimal = tmp_path / "minimal"  # outside any git repository: "draft (not in git)"
    shutil.copytree(Path(__file__).parents[1] / "networks" / "minimal", minimal)
    out = tmp_path / "mou.pdf"
    result = run("render", "-N", str(minimal), "-o", str(out),
                 env={"MOUCTL_TODAY": "2026-03-01"})
    assert result.code == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF-")
    net = source.load_or_raise(minimal)
    # No timestamps in the PDF: the same data (and draft date) gives the same bytes.
    draft = Edition(label="draft (not in git)", date=dt.date(2026, 3, 1))
    assert rendering.render(net, "pdf", version=draft.label, edition=draft) == \
        out.read_bytes()


def test_docx_is_a_stable_zip(run, six, tmp_path):
    out = tmp_path / "mou.docx"
    assert run("render", "-N", str(six), "-o", str(out)).code == 0
    with zipfile.ZipFile(out) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert "word/document.xml" in z.namelist()


def test_format_that_contradicts_the_file_name_is_refused(run, six, tmp_path):
    out = write(tmp_path / "mou.docx", "previous\n")
    result = run("render", "-N", str(six), "--format", "pdf", "-o", str(out))
    assert result.code == 2
    assert "--format pdf does not match the file name 'mou.docx'" in result.stderr
    assert out.read_text() == "previous\n"

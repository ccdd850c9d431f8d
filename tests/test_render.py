"""Rendering the MoU: golden documents, languages, escaping, determinism."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mouctl import rendering, source

from conftest import EXAMPLES

HERE = Path(__file__).parent
FIXTURES = {"six-partners": HERE / "networks" / "six-partners"}
NETWORKS = {**FIXTURES, **{f"example-{p.parent.name}": p.parent
                          for p in sorted(EXAMPLES.glob("*/network.yaml"))}}
TODAY = dt.date(2026, 3, 1)


def load(folder: Path):
    return source.load(folder, today=TODAY).require()


@pytest.mark.parametrize("name", sorted(NETWORKS))
def test_markdown_matches_golden(name, golden):
    golden(f"render/{name}.md", rendering.render_markdown(load(NETWORKS[name])))


def test_cli_prints_markdown_and_refuses_binary_to_terminal(run, network):
    folder = network("six-partners")
    result = run("render", "-N", str(folder))
    assert result.code == 0, result.stderr
    assert result.stdout.startswith("# EuroCook Mobility Network")
    refused = run("render", "-N", str(folder), "--format", "docx")
    assert refused.code == 2
    assert "write it to a file: mouctl render -o mou.docx" in refused.stderr


@pytest.mark.parametrize("name", sorted(NETWORKS))
def test_html_matches_golden(name, golden):
    html = rendering.render(load(NETWORKS[name]), "html").decode("utf-8")
    golden(f"render/{name}.html", html)

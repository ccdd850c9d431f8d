"""The compiled default templates kept between runs (render/compiled.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mouctl.render import engine
from mouctl.source import loader

SIX = Path(__file__).parents[1] / "networks" / "six-partners"


@pytest.fixture
def network():
    return loader.load(SIX, today=dt.date(2026, 3, 1)).require()


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.delenv("MOUCTL_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "mouctl" / "templates"


def _markdown(network) -> bytes:
    return engine.render(network, "md", version="draft")


def test_the_default_template_is_compiled_once_and_read_back(network, cache):
    first = _markdown(network)
    entries = sorted(cache.iterdir())
    assert len(entries) == 1 and entries[0].stat().st_size > 10_000
    stamp = entries[0].stat().st_mtime_ns
    assert _markdown(network) == first
    assert entries[0].stat().st_mtime_ns == stamp  # read, not written again


def test_a_damaged_entry_is_ignored_and_written_again(network, cache):
    expected = _markdown(network)
    (entry,) = cache.iterdir()
    for damage in (b"", b"garbage", entry.read_bytes()[:200]):
        entry.write_bytes(damage)
        assert _markdown(network) == expected
        assert entry.stat().st_size > 10_000


def test_a_cache_folder_that_cannot_be_written_is_no_error(network, tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.delenv("MOUCTL_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert _markdown(network).startswith(b"# ")


def test_caching_can_be_turned_off(network, cache, monkeypatch):
    monkeypatch.setenv("MOUCTL_NO_CACHE", "1")
    _markdown(network)
    assert not cache.exists()


def test_a_users_template_is_never_cached(network, cache, tmp_path):
    own = tmp_path / "own"
    own.mkdir()
    (own / "mou.md.j2").write_text('{% extends "default/mou.md.j2" %}\n'
                                   "{% block footer %}our footer{% endblock %}\n")
    text = engine.render(network, "md", template=own).decode()
    assert text.rstrip().endswith("our footer")
    assert not cache.exists()

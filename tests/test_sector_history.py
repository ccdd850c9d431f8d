"""examples/sector/make_history.py: a reproducible history of releases and signatures."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys

from mouctl import source
from tests.conftest import EXAMPLES


def _script():
    spec = importlib.util.spec_from_file_location(
        "make_history", EXAMPLES / "sector" / "make_history.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while defining
    spec.loader.exec_module(module)
    return module


def _states():
    """The data of every step, as the script replays it (no git needed)."""
    mh = _script()
    files = mh._initial_state(mh._bundled_files())
    out = [(mh.STEPS[0], files)]
    for step in mh.STEPS[1:]:
        files = mh._apply(files, step)
        out.append((step, files))
    return out


def test_every_state_of_the_history_is_valid_without_warnings():
    for step, files in _states():
        loaded = source.load_documents({k: v.encode() for k, v in files.items()},
                                       today=dt.date.fromisoformat(step.date))
        assert loaded.diagnostics == [], (step.date, loaded.diagnostics)


def test_the_history_grows_the_network_and_ends_at_the_bundled_data():
    mh = _script()
    states = _states()
    sizes = [sum(name.startswith("partners/") for name in files) for _, files in states]
    assert sizes == [22, 22, 26, 26, 28]
    assert states[-1][1] == mh._bundled_files()
    assert [s.release for s in mh.STEPS if s.release] == ["1.0", "1.1", "1.2", "2.0"]


def test_sector_example_is_large_and_split_into_files():
    n = source.load_or_raise(EXAMPLES / "sector")
    assert len(n.partners) >= 25
    assert len({p.country for p in n.partners}) >= 10
    assert (EXAMPLES / "sector" / "partners").is_dir()
    assert len(list((EXAMPLES / "sector" / "qualifications").glob("*.yaml"))) == 4


def test_script_refuses_an_existing_folder(tmp_path):
    import subprocess

    proc = subprocess.run([sys.executable, str(EXAMPLES / "sector" / "make_history.py"),
                           str(tmp_path)], capture_output=True, text=True)
    assert proc.returncode == 1
    assert "already exists" in proc.stderr
    assert list(tmp_path.iterdir()) == []

"""Releases tagged by mouctl before issue 12 still match their data.

tests/legacy/*.bundle are git repositories of the three examples, each released as
mou-v1.0 by the code as it was before the model grew (organisations, variants,
unit groups, annexes, kinds ...). A field added with a default must not change the
data fingerprint of a network that does not use it: otherwise every signed release
would stop matching its signatures after an upgrade.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mouctl.history import revisions as history
from tests.conftest import git

LEGACY = Path(__file__).resolve().parents[1] / "legacy"


@pytest.fixture(params=["bilateral", "consortium", "sector"])
def legacy(request, tmp_path) -> Path:
    folder = tmp_path / request.param
    git(tmp_path, "clone", "-q", str(LEGACY / f"{request.param}.bundle"), str(folder))
    return folder


def test_the_release_still_matches_its_recorded_fingerprint(legacy):
    release = history.last_release(legacy)
    assert release is not None and release.tag == "mou-v1.0"
    loaded = history.network_at(legacy, release.commit)
    assert loaded.errors == []
    assert loaded.network.fingerprint() == release.data_fingerprint


def test_a_partner_can_still_sign_the_old_release(run, legacy):
    partner = history.network_at(legacy, "HEAD").network.partners[0]
    result = run("sign", partner.id, "--signatory", partner.signatory.name, "--place", "Bremen",
                 "--date", "2026-02-01", cwd=legacy)
    assert result.code == 0, result.output
    status = run("status", cwd=legacy)
    assert "no change to the agreement" in status.stdout
    assert "no longer matches" not in status.output

"""Shared fixtures. Data written by others lives in ../shared (beside the repo) and is never copied in here."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
TEST_DATA = Path(__file__).resolve().parent / "data"


def _shared_root() -> Path:
    return Path(os.environ.get("AKHBAR_SHARED", REPO.parent / "shared"))


@pytest.fixture(scope="session")
def shared_root() -> Path:
    root = _shared_root()
    if not root.is_dir():
        pytest.skip(f"../shared not found at {root} (set AKHBAR_SHARED); tests on real data are skipped")
    return root


@pytest.fixture(scope="session")
def shared_root_or_none() -> Path | None:
    """../shared when present (tests that can use real data but do not need it)."""
    root = _shared_root()
    return root if root.is_dir() else None


@pytest.fixture(scope="session")
def shared_data(shared_root: Path) -> Path:
    data = shared_root / "data"
    if not data.is_dir():
        pytest.skip(f"{data} not found; tests on the shared datasets are skipped")
    return data


@pytest.fixture(scope="session")
def seed_sample(shared_root: Path) -> Path:
    path = shared_root / "samples" / "000_3a0885cf1020a608.txt"
    if not path.is_file():
        pytest.skip(f"seed sample {path} not found")
    return path

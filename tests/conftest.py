"""Shared fixtures: the bundled sample reports and, where present, ../shared."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "data" / "reports"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def sample_reports() -> list[Path]:
    return sorted(REPORTS.glob("*.txt"))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "gold").is_dir() or not (SHARED / "dev-reports").is_dir():
        pytest.skip(f"development set not found at {SHARED} (CI has it beside the clone)")
    return SHARED

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


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium driven by Playwright, one per test module (the browser tests skip without it)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    from serve_support import CHROMIUM, CHROMIUM_ARGS

    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()

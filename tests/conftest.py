from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.fixtures import build_fixture_warehouse  # noqa: E402


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory) -> Path:
    """Path to the fixture warehouse (built once per test session by the real ETL)."""
    return build_fixture_warehouse(tmp_path_factory.mktemp("warehouse") / "fixture.duckdb")


@pytest.fixture(scope="session")
def geo_inputs():
    """Geography, segments and validation context (loaded once per session)."""
    from etl.build import load_inputs

    return load_inputs()

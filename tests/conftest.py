from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.fixtures import build_fixture_warehouse  # noqa: E402

# The staff desk's durable folder (uploads, audit, corrections; etl/corrections.py): every test and every
# build it starts (subprocesses inherit the environment) uses an empty temporary one, never the real var/.
os.environ["BEAUTYVALLEY_VAR"] = tempfile.mkdtemp(prefix="bv-test-var-")
os.environ.pop("BEAUTYVALLEY_CORRECTIONS", None)


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory) -> Path:
    """Path to the fixture warehouse (built once per test session by the real ETL)."""
    return build_fixture_warehouse(tmp_path_factory.mktemp("warehouse") / "fixture.duckdb")


@pytest.fixture(scope="session")
def geo_inputs():
    """Geography, segments and validation context (loaded once per session)."""
    from etl.build import load_inputs

    return load_inputs()

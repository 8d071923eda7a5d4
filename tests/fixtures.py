"""The one deterministic fixture warehouse every test uses: built by the real ETL from small synthetic
sample files under tests/samples/ (every name there is labelled synthetic or is a hostile test string)."""
from __future__ import annotations

from pathlib import Path

from etl.build import build_warehouse

SAMPLES = Path(__file__).resolve().parent / "samples"
FIXTURE_REGISTRY = SAMPLES / "fixture_registry.csv"
FIXTURE_INDICATORS = SAMPLES / "fixture_indicators.csv"
FIXTURE_INBOX = SAMPLES / "fixture_inbox"


def build_fixture_warehouse(path: Path) -> Path:
    build_warehouse(Path(path), FIXTURE_INBOX, registry=FIXTURE_REGISTRY, indicators_csv=FIXTURE_INDICATORS)
    return Path(path)

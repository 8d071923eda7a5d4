"""Default locations of the ETL's inputs and output, relative to the repository root."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
DEFAULT_DB = DATA_DIR / "beautyvalley.duckdb"
DEFAULT_INBOX = DATA_DIR / "inbox"
REGISTRY_CSV = DATA_DIR / "organisations.csv"
INDICATORS_CSV = DATA_DIR / "indicators.csv"
SEGMENTS_CSV = DATA_DIR / "segments.csv"
MEASURES_CSV = DATA_DIR / "measures.csv"
COMPARABLE_GROUPS_CSV = DATA_DIR / "comparable_groups.csv"
SQL_DIR = Path(__file__).resolve().parent / "sql"
MERGERS_CSV = DATA_DIR / "comuni_mergers.csv"
CAPABILITIES_CSV = DATA_DIR / "capabilities.csv"
CAPABILITY_TAGS_CSV = DATA_DIR / "capability_tags.csv"
VOCABULARIES_CSV = DATA_DIR / "vocabularies.csv"

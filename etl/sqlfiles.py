"""The ETL's SQL files (etl/sql/): read by name, and staging tables made from Python frames.

Python loads a source into a frame (etl/sources/*); the frame is registered as `raw_<name>` for the
length of one statement and an `etl/sql/staging/stg_*.sql` model shapes it (names, types, order), so
every staging table's columns are declared in SQL.
"""
from __future__ import annotations

from . import paths


def sql(name: str) -> str:
    """The text of etl/sql/<name>."""
    return (paths.SQL_DIR / name).read_text(encoding="utf-8")


def create_from_frames(con, table: str, model: str, **frames) -> None:
    """CREATE TABLE <table> AS <etl/sql/<model>>, with each frame registered under its keyword's name."""
    for name, frame in frames.items():
        con.register(name, frame)
    try:
        con.execute(f"CREATE TABLE {table} AS " + sql(model))  # table, model: fixed names in the ETL's code
    finally:
        for name in frames:
            con.unregister(name)

"""Beauty Valley ETL: builds the DuckDB warehouse (raw -> staging -> mart) from sourced inputs."""

-- staging.ateco_in_use: every ATECO code of a site or of a segment, with its ISTAT title and level
-- (looked up in the `ateco` package by etl/build.py) and the segments that list it.
SELECT
    code::VARCHAR AS code,
    title_it::VARCHAR AS title_it,
    level::VARCHAR AS level,
    CAST(segments AS VARCHAR[]) AS segments
FROM raw_ateco_in_use

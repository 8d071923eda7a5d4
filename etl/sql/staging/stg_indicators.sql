-- staging.indicators: the figures of data/indicators.csv that passed etl/sources/indicators.py's checks
-- (value parsed, year in range, source URL present), typed.
SELECT
    indicator_id::VARCHAR AS indicator_id,
    entity::VARCHAR AS entity,
    entity_type::VARCHAR AS entity_type,
    metric::VARCHAR AS metric,
    value::DOUBLE AS value,
    unit::VARCHAR AS unit,
    year::BIGINT AS year,
    year_basis::VARCHAR AS year_basis,
    scope::VARCHAR AS scope,
    comparable_group::VARCHAR AS comparable_group,
    source_url::VARCHAR AS source_url,
    source_date::VARCHAR AS source_date,
    note::VARCHAR AS note,
    scope_it::VARCHAR AS scope_it,
    note_it::VARCHAR AS note_it,
    file::VARCHAR AS file,
    line::BIGINT AS line
FROM raw_indicators_valid

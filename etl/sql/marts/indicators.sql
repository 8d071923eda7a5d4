-- mart.indicators: every sourced figure; disagreeing sources stay as separate rows.
SELECT indicator_id, entity, entity_type, metric, value, unit, year::INTEGER AS year, year_basis, scope,
       comparable_group, source_url, source_date, note, scope_it, note_it
FROM staging.indicators
ORDER BY entity, metric, year, indicator_id

-- Rows of mart.indicators, restricted to $entities and $metrics (empty list = all).
SELECT indicator_id, entity, entity_type, metric, value, unit, year, year_basis, scope,
       comparable_group, source_url, source_date, note, scope_it, note_it
FROM mart.indicators
WHERE (len($entities::VARCHAR[]) = 0 OR list_contains($entities::VARCHAR[], entity))
  AND (len($metrics::VARCHAR[]) = 0 OR list_contains($metrics::VARCHAR[], metric))
ORDER BY entity, metric, comparable_group, year NULLS FIRST, indicator_id

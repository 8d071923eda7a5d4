-- Newest published figure per (canonical measure, entity), with its year, scope and source.
WITH m AS (SELECT measure, unnest(comparable_groups) AS comparable_group FROM mart.measures),
r AS (
  SELECT m.measure, i.entity, i.entity_type, i.value, i.unit, i.year, i.scope, i.scope_it,
         i.comparable_group, i.source_url, i.source_date,
         row_number() OVER (PARTITION BY m.measure, i.entity
                            ORDER BY i.year DESC NULLS LAST, i.source_date DESC NULLS LAST,
                                     i.indicator_id) AS rn
  FROM m INNER JOIN mart.indicators AS i USING (comparable_group)
)
SELECT * EXCLUDE (rn)
FROM r
WHERE rn = 1
ORDER BY measure, entity

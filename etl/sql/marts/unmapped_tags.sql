-- mart.unmapped_tags: specialty tags of loaded rows that data/capability_tags.csv does not map, per input
-- file, so that they are listed (Sources page) and can be added to the mapping instead of being lost.
WITH tagged AS (
    SELECT file, unnest(specialties) AS tag FROM staging.registry_rows
)
SELECT t.file, t.tag, count(*) AS n_rows
FROM tagged t
JOIN staging.specialty_keys k USING (tag)
WHERE NOT EXISTS (SELECT 1 FROM staging.capability_tags ct WHERE ct.tag_key = k.tag_key)
GROUP BY t.file, t.tag
ORDER BY t.file, n_rows DESC, t.tag

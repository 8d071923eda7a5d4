-- mart.organisation_capabilities: one row per piece of evidence that a site has a capability: a specialty
-- tag on one of its input rows that data/capability_tags.csv maps to that capability (tags compared folded).
-- `source` is the input file (user files as inbox/<name>), `line` the row's line, `source_urls` its pages.
WITH tagged AS (
    SELECT label, file, line, source_urls, unnest(specialties) AS tag
    FROM staging.registry_rows
)
SELECT DISTINCT ids.org_id, ct.capability, t.tag, t.file AS source, t.line, t.source_urls
FROM tagged t
JOIN staging.site_ids ids USING (label)
JOIN staging.specialty_keys k ON k.tag = t.tag
JOIN staging.capability_tags ct ON ct.tag_key = k.tag_key
ORDER BY ids.org_id, ct.capability, source, t.line

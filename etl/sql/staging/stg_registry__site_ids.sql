-- One id per organisation site (label): the curated org_id, else a slug of the first row's name and
-- ISTAT comune code; a repeated slug gets -2, -3, ... in load order. Used by mart.organisations and by
-- mart.organisation_capabilities (which traces each tag back to its input row).
WITH s AS (
    SELECT label, first_position,
        coalesce(org_id,
                 trim(regexp_replace(lower(strip_accents(coalesce(nullif(first_name_key, ''), name))), '[^a-z0-9]+', '-', 'g'), '-')[:50]
                 || '-' || coalesce(first_comune_code, 'nd')) AS base_id
    FROM staging.sites
), ided AS (
    SELECT *, row_number() OVER (PARTITION BY base_id ORDER BY first_position) AS dup_n FROM s
)
SELECT label, CASE WHEN dup_n = 1 THEN base_id ELSE base_id || '-' || dup_n END AS org_id
FROM ided

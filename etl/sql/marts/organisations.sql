-- mart.organisations: one row per organisation site, placed on its comune (centroid) unless a source
-- gave coordinates inside that comune. Ids: the curated org_id, else a slug of name and comune.
WITH slugged AS (
    -- the name slug is computed once per site (it is the id's base and the default group)
    SELECT *,
        trim(regexp_replace(lower(strip_accents(coalesce(nullif(first_name_key, ''), name))), '[^a-z0-9]+', '-', 'g'), '-')[:50]
            AS slug
    FROM staging.sites
), s AS (
    SELECT *, coalesce(org_id, slug || '-' || coalesce(first_comune_code, 'nd')) AS base_id
    FROM slugged
), vat_groups AS (
    -- sites of one company (same partita IVA: head office and local units) share its group
    SELECT vat, arg_min(coalesce(group_id, slug), first_position) AS vat_group
    FROM s WHERE vat IN (SELECT vat FROM s WHERE vat IS NOT NULL GROUP BY vat HAVING count(*) > 1)
    GROUP BY vat
), ided AS (
    SELECT s.*, vg.vat_group, row_number() OVER (PARTITION BY base_id ORDER BY first_position) AS dup_n
    FROM s LEFT JOIN vat_groups vg USING (vat)
)
SELECT
    CASE WHEN dup_n = 1 THEN base_id ELSE base_id || '-' || dup_n END AS org_id,
    i.label AS _label,
    coalesce(i.group_id, i.vat_group, i.slug) AS group_id,
    i.name,
    coalesce(i.kind, 'company') AS kind,
    i.segments,
    i.specialties,
    i.ateco,
    c.comune_code,
    c.name AS comune,
    c.province,
    c.region,
    coalesce(i.place.lat, c.lat) AS lat,
    coalesce(i.place.lon, c.lon) AS lon,
    CASE WHEN i.place.lat IS NOT NULL THEN 'address' WHEN c.comune_code IS NOT NULL THEN 'comune' ELSE 'unknown' END
        AS location_precision,
    i.address,
    i.site_type,
    i.emp.v::INTEGER AS employees,
    i.emp.y::INTEGER AS employees_year,
    i.emp_class.lo::INTEGER AS employees_min,
    i.emp_class.hi::INTEGER AS employees_max,
    i.emp_class.label AS employees_class,
    i.rev.v AS revenue_eur,
    i.rev.y::INTEGER AS revenue_year,
    i.figure_scope,
    i.status,
    i.founded::INTEGER AS founded,
    i.website,
    i.vat,
    i.cluster_role,
    i.cluster_role_source,
    i.source_urls,
    i.source_files,
    i.source_date,
    i.checked,
    i.note
FROM ided i
LEFT JOIN staging.comuni c ON c.comune_code = i.place.code
ORDER BY org_id

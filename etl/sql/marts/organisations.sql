-- mart.organisations: one row per organisation site, placed on its comune (centroid) unless a source
-- gave coordinates inside that comune. Ids come from staging.site_ids (stg_registry__site_ids.sql).
SELECT
    ids.org_id,
    coalesce(i.group_id, trim(regexp_replace(lower(strip_accents(coalesce(nullif(i.first_name_key, ''), i.name))), '[^a-z0-9]+', '-', 'g'), '-')[:50]) AS group_id,
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
    i.rev.v AS revenue_eur,
    i.rev.y::INTEGER AS revenue_year,
    i.figure_scope,
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
FROM staging.sites i
JOIN staging.site_ids ids USING (label)
LEFT JOIN staging.comuni c ON c.comune_code = i.place.code
ORDER BY ids.org_id

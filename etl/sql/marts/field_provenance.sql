-- mart.field_provenance: for each site and each figure the KPIs use (employees, revenue_eur, founded,
-- ateco, vat, comune), every value seen: the value, its source (URL, else file), file and line, year, and
-- whether it is the value shown in mart.organisations. Earlier years read from the same row (AIDA
-- `Anno - 1`, `Anno - 2`) are included with `shown` false: they are the site's time series.
-- Only sites built from two or more rows, or with earlier years, are listed: a site from one row has one
-- value per field, whose source is its `source_urls` / `source_files` (this keeps a million-row build cheap).
WITH multi AS (
    SELECT label FROM staging.sites WHERE n_rows > 1  -- n_rows: the site's rows in staging.registry_rows
    UNION
    SELECT rr.label FROM staging.figure_history h JOIN staging.registry_rows rr ON rr.file = h.file AND rr.line = h.line
), r AS (
    SELECT rr.* EXCLUDE (org_id), i.org_id,
           coalesce(rr.source_urls[1], rr.file) AS source,
           rr.src_order * 10000000000 + rr.line AS position
    FROM staging.registry_rows rr JOIN multi USING (label) JOIN staging.site_ids i USING (label)
), vals AS (
    SELECT r.org_id, f.field, f.value, f.num, f.year, r.source, r.file, r.line, r.position
    FROM r, LATERAL (VALUES
        ('employees', CAST(r.employees::BIGINT AS VARCHAR), r.employees, r.employees_year),
        ('employees_class', r.employees_class, NULL::DOUBLE, r.employees_year),
        ('revenue_eur', CAST(r.revenue_eur AS VARCHAR), r.revenue_eur, r.revenue_year),
        ('founded', CAST(r.founded AS VARCHAR), r.founded::DOUBLE, NULL::INTEGER),
        ('ateco', r.ateco, NULL::DOUBLE, NULL::INTEGER),
        ('vat', r.vat, NULL::DOUBLE, NULL::INTEGER),
        ('comune', r.comune_code, NULL::DOUBLE, NULL::INTEGER)
    ) f(field, value, num, year)
    WHERE f.value IS NOT NULL
    UNION ALL
    SELECT i.org_id, h.field, CAST(CASE WHEN h.field = 'employees' THEN h.value::BIGINT::VARCHAR ELSE h.value::VARCHAR END AS VARCHAR),
           h.value, h.year, coalesce(rr.source_urls[1], rr.file), rr.file, rr.line, NULL
    FROM staging.figure_history h
    JOIN staging.registry_rows rr ON rr.file = h.file AND rr.line = h.line
    JOIN staging.site_ids i ON i.label = rr.label
)
SELECT v.org_id, v.field, v.value, v.year, v.source, v.file, v.line,
       v.position IS NOT NULL AND CASE v.field
           WHEN 'employees' THEN v.num = o.employees AND v.year IS NOT DISTINCT FROM o.employees_year
           WHEN 'employees_class' THEN v.value = o.employees_class
           WHEN 'revenue_eur' THEN v.num = o.revenue_eur AND v.year IS NOT DISTINCT FROM o.revenue_year
           WHEN 'founded' THEN v.num = o.founded
           WHEN 'ateco' THEN v.value = o.ateco
           WHEN 'vat' THEN v.value = o.vat
           WHEN 'comune' THEN v.value = o.comune_code
       END AS shown
FROM vals v JOIN mart.organisations o USING (org_id)
ORDER BY v.org_id, v.field, v.year DESC NULLS LAST, v.line

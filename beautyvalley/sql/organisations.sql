-- The filtered organisation sites (filtered), the columns the pages and downloads show; the first $max_rows of them
-- (NULL: every one).
SELECT org_id, group_id, name, kind, segments, specialties, ateco, comune_code, comune, province,
       region, lat, lon, location_precision, address, site_type, employees, employees_year,
       revenue_eur, revenue_year, figure_scope, founded, website, vat, cluster_role, source_urls,
       source_files, source_date, note
FROM f
ORDER BY name, org_id
LIMIT $max_rows

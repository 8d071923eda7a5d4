-- One row per organisation site. Rows sharing a `label` (same partita IVA, or same normalised name
-- in the same comune) are merged: every source URL and file is kept, and each field takes the newest
-- non-empty value (newest = latest source_date, then later file, then later line).
-- A row from a user file without a source date is dated by its file (modification date).
-- Pairs that belong together (employees+year, revenue+year, comune+coordinates, a head-count class and
-- its bounds) travel together.
-- Nothing overwrites silently: when the rows of a site disagree on employees or revenue by a factor of
-- 10 or more, the curated registry's value (src_order 0) is kept if it has one (the build warns and
-- mart.field_provenance keeps every value with its source).
WITH multi AS (
    -- the sites built from two or more rows: only their rows are ranked and aggregated
    SELECT label, count(*) AS n_rows FROM staging.registry_rows GROUP BY label HAVING count(*) > 1
), r AS (
    SELECT rr.* REPLACE (CASE WHEN rr.src_order > 0 THEN coalesce(rr.source_date, rr.file_date)
                              ELSE rr.source_date END AS source_date),  -- user files: the file's date
           m.n_rows,
           -- partial dates count from the start of their period: 2024 = 2024-01-01, 2024-06 = 2024-06-01
           ((CASE length(coalesce(rr.source_date, rr.file_date))
                 WHEN 4 THEN coalesce(rr.source_date, rr.file_date) || '-01-01'
                 WHEN 7 THEN coalesce(rr.source_date, rr.file_date) || '-01'
                 ELSE coalesce(rr.source_date, rr.file_date) END)
            || '|' || lpad(src_order::VARCHAR, 6, '0') || '|' || lpad(line::VARCHAR, 10, '0')) AS recency,
           src_order * 10000000000 + line AS position
    FROM staging.registry_rows rr JOIN multi m USING (label)
), conflicts AS (
    SELECT label,
           coalesce(max(employees) >= 10 * nullif(min(employees), 0), false) AS emp_conflict,
           coalesce(max(revenue_eur) >= 10 * nullif(min(revenue_eur), 0), false) AS rev_conflict
    FROM r GROUP BY label
), singles AS (
    -- most sites come from one row: no aggregation, and the row is read straight from staging.registry_rows
    SELECT label, 1 AS n_rows, src_order * 10000000000 + line AS first_position, org_id, group_id, name, name_key,
           name_key AS first_name_key, comune_code AS first_comune_code, kind, ateco,
           CASE WHEN comune_code IS NOT NULL THEN {'code': comune_code, 'lat': lat, 'lon': lon} END AS place,
           CASE WHEN employees IS NOT NULL THEN {'v': employees, 'y': employees_year} END AS emp,
           CASE WHEN revenue_eur IS NOT NULL THEN {'v': revenue_eur, 'y': revenue_year} END AS rev,
           CASE WHEN employees_class IS NOT NULL THEN {'lo': employees_min, 'hi': employees_max, 'label': employees_class} END AS emp_class,
           coalesce(status, 'active') AS status, site_role,
           founded, website, vat,
           CASE WHEN src_order > 0 THEN coalesce(source_date, file_date) ELSE source_date END AS source_date,
           address, note, checked, cluster_role, cluster_role_source,
           site_type, figure_scope, list_sort(list_distinct(segments)) AS segments,
           list_sort(list_distinct(specialties)) AS specialties,
           -- one URL (the usual case) is already distinct: list_distinct only for the others
           CASE WHEN len(source_urls) = 1 AND source_urls[1] IS NOT NULL THEN source_urls
                ELSE list_distinct(source_urls) END AS source_urls,
           [file] AS source_files
    FROM staging.registry_rows WHERE label NOT IN (SELECT label FROM multi)
), merged AS (
    SELECT
        label,
        count(*) AS n_rows,
        min(position) AS first_position,
        arg_min(org_id, position) FILTER (WHERE org_id IS NOT NULL) AS org_id,
        arg_min(group_id, position) FILTER (WHERE group_id IS NOT NULL) AS group_id,
        arg_max(name, recency) AS name,
        arg_max(name_key, recency) AS name_key,
        arg_min(name_key, position) AS first_name_key,  -- ids come from the first row, so they stay stable
        arg_min(comune_code, position) FILTER (WHERE comune_code IS NOT NULL) AS first_comune_code,
        arg_max(kind, recency) FILTER (WHERE kind IS NOT NULL) AS kind,
        arg_max(ateco, recency) FILTER (WHERE ateco IS NOT NULL) AS ateco,
        arg_max({'code': comune_code, 'lat': lat, 'lon': lon}, recency) FILTER (WHERE comune_code IS NOT NULL) AS place,
        arg_max({'v': employees, 'y': employees_year},
                [CASE WHEN c.emp_conflict AND src_order = 0 THEN '1' ELSE '0' END, recency])
            FILTER (WHERE employees IS NOT NULL) AS emp,
        arg_max({'v': revenue_eur, 'y': revenue_year},
                [CASE WHEN c.rev_conflict AND src_order = 0 THEN '1' ELSE '0' END, recency])
            FILTER (WHERE revenue_eur IS NOT NULL) AS rev,
        arg_max({'lo': employees_min, 'hi': employees_max, 'label': employees_class}, recency)
            FILTER (WHERE employees_class IS NOT NULL) AS emp_class,
        -- a merge never drops the year of the value it keeps: an undated row repeating a dated value keeps the year
        list({'v': employees, 'y': employees_year}) FILTER (WHERE employees_year IS NOT NULL) AS emp_years,
        list({'v': revenue_eur, 'y': revenue_year}) FILTER (WHERE revenue_year IS NOT NULL) AS rev_years,
        coalesce(arg_max(status, recency) FILTER (WHERE status IS NOT NULL), 'active') AS status,
        arg_min(site_role, position) FILTER (WHERE site_role IS NOT NULL) AS site_role,
        arg_max(founded, recency) FILTER (WHERE founded IS NOT NULL) AS founded,
        arg_max(website, recency) FILTER (WHERE website IS NOT NULL) AS website,
        arg_max(vat, recency) FILTER (WHERE vat IS NOT NULL) AS vat,
        max(source_date) AS source_date,
        arg_max(address, recency) FILTER (WHERE address IS NOT NULL) AS address,
        arg_max(note, recency) FILTER (WHERE note IS NOT NULL) AS note,
        max(checked) AS checked,
        arg_max(cluster_role, recency) FILTER (WHERE cluster_role IS NOT NULL) AS cluster_role,
        arg_max(cluster_role_source, recency) FILTER (WHERE cluster_role_source IS NOT NULL) AS cluster_role_source,
        arg_max(site_type, recency) FILTER (WHERE site_type IS NOT NULL) AS site_type,
        arg_max(figure_scope, recency) FILTER (WHERE figure_scope IS NOT NULL) AS figure_scope,
        list_sort(list_distinct(flatten(list(segments)))) AS segments,
        list_sort(list_distinct(flatten(list(specialties)))) AS specialties,
        list_distinct(flatten(list(source_urls ORDER BY position))) AS source_urls,
        list_distinct(list(file ORDER BY position)) AS source_files
    FROM r LEFT JOIN conflicts c USING (label)
    GROUP BY label
)
SELECT * FROM singles
UNION ALL BY NAME
SELECT * EXCLUDE (emp_years, rev_years) REPLACE (
    CASE WHEN emp IS NOT NULL THEN {'v': emp.v, 'y': coalesce(emp.y,
        list_max(list_transform(list_filter(emp_years, lambda x: x.v = emp.v), lambda x: x.y)))} END AS emp,
    CASE WHEN rev IS NOT NULL THEN {'v': rev.v, 'y': coalesce(rev.y,
        list_max(list_transform(list_filter(rev_years, lambda x: x.v = rev.v), lambda x: x.y)))} END AS rev)
FROM merged

-- Warnings for the sites whose rows disagree on employees or revenue by a factor of 10 or more
-- (e.g. a member list in thousands of euro against the curated revenue in euro). One warning per site and
-- field, on the row of the latest file, naming every value with its file, line and year; the value kept is
-- the curated one when the registry has one (see stg_registry__sites.sql), and every value stays in
-- mart.field_provenance.
WITH multi AS (
    SELECT label FROM staging.sites WHERE n_rows > 1  -- n_rows: the site's rows in staging.registry_rows
), vals AS (
    SELECT r.label, f.field, f.v, f.y, r.file, r.line, r.src_order * 10000000000 + r.line AS position
    FROM staging.registry_rows r JOIN multi USING (label),
         LATERAL (VALUES ('employees', r.employees, r.employees_year), ('revenue_eur', r.revenue_eur, r.revenue_year)) f(field, v, y)
    WHERE f.v IS NOT NULL
), conflicted AS (
    SELECT label, field FROM vals GROUP BY label, field HAVING max(v) >= 10 * nullif(min(v), 0)
)
SELECT arg_max(v.file, v.position) AS file, arg_max(v.line, v.position) AS line, v.field,
       string_agg(format('{:,.0f}', v.v), ' vs ' ORDER BY v.position) AS value,
       'warning' AS severity,
       'values differ by a factor of 10 or more for the same site: '
           || string_agg(format('{:,.0f}', v.v) || ' (' || v.file || ' line ' || v.line
                         || coalesce(', ' || v.y, '') || ')', ' vs ' ORDER BY v.position)
           || '; nothing overwritten silently: the curated value is kept when there is one, every value is in mart.field_provenance'
           AS message
FROM vals v JOIN conflicted c USING (label, field)
GROUP BY v.label, v.field

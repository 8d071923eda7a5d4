-- Accepted public corrections (etl/corrections.py) applied to mart.organisations, before the marts that
-- count it. v_corrections: one parsed, checked correction per row. Per site and field the latest review
-- wins. A corrected head count or revenue without a corrected year loses its old year (the pair travels
-- together: an old year must not date a new figure). The site keeps every source and gains the
-- correction's source URL and the corrections file ($label).
WITH latest AS (
    SELECT org_id, field,
           arg_max(value_text, reviewed_at || lpad(line::VARCHAR, 10, '0')) AS value_text,
           arg_max(value_number, reviewed_at || lpad(line::VARCHAR, 10, '0')) AS value_number
    FROM v_corrections GROUP BY org_id, field
), c AS (
    SELECT org_id,
        max(value_text) FILTER (WHERE field = 'name') AS name,
        max(value_text) FILTER (WHERE field = 'kind') AS kind,
        max(value_text) FILTER (WHERE field = 'address') AS address,
        max(value_text) FILTER (WHERE field = 'website') AS website,
        max(value_number) FILTER (WHERE field = 'employees') AS employees,
        max(value_number) FILTER (WHERE field = 'employees_year') AS employees_year,
        max(value_number) FILTER (WHERE field = 'revenue_eur') AS revenue_eur,
        max(value_number) FILTER (WHERE field = 'revenue_year') AS revenue_year,
        max(value_number) FILTER (WHERE field = 'founded') AS founded,
        bool_or(field = 'employees') AS has_employees,
        bool_or(field = 'revenue_eur') AS has_revenue
    FROM latest GROUP BY org_id
), src AS (
    SELECT org_id, list_distinct(list(source_url ORDER BY reviewed_at) FILTER (WHERE source_url IS NOT NULL)) AS urls
    FROM v_corrections GROUP BY org_id
)
UPDATE mart.organisations o SET
    name = coalesce(c.name, o.name),
    kind = coalesce(c.kind, o.kind),
    address = coalesce(c.address, o.address),
    website = coalesce(c.website, o.website),
    employees = coalesce(c.employees::INTEGER, o.employees),
    employees_year = CASE WHEN c.employees_year IS NOT NULL THEN c.employees_year::INTEGER
                          WHEN c.has_employees THEN NULL ELSE o.employees_year END,
    revenue_eur = coalesce(c.revenue_eur, o.revenue_eur),
    revenue_year = CASE WHEN c.revenue_year IS NOT NULL THEN c.revenue_year::INTEGER
                        WHEN c.has_revenue THEN NULL ELSE o.revenue_year END,
    founded = coalesce(c.founded::INTEGER, o.founded),
    source_urls = list_distinct(list_concat(o.source_urls, coalesce(src.urls, []))),
    source_files = list_distinct(list_append(o.source_files, $label))
FROM c LEFT JOIN src USING (org_id)
WHERE o.org_id = c.org_id

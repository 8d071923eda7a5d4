-- mart.organisations: one row per organisation site, placed on its comune (centroid) unless a source
-- gave coordinates inside that comune. Ids: the curated org_id, else a slug of name and comune.
WITH sited AS NOT MATERIALIZED (
    -- each site with its id's parts, computed from the site's own row: the name slug (the id's base and the
    -- default group): lower case without accents, each run of characters other than a-z, 0-9 one '-', none
    -- at the ends, 50 characters at most. A name key is mostly words of a-z, 0-9 between single spaces: its
    -- slug is then replace(' ', '-'), without the regular expression's replace (twice as slow); a slug is
    -- ASCII, so left(..., 50) counts as [:50]. Not materialized: the narrow CTEs below read only the id
    -- columns, and the final SELECT reads the wide rows once, so no join ever holds a row per site
    SELECT *,
        left(CASE WHEN regexp_matches(folded, '[^a-z0-9 ]|^ | $|  ')
                  THEN trim(regexp_replace(folded, '[^a-z0-9]+', '-', 'g'), '-')
                  ELSE replace(folded, ' ', '-') END, 50) AS slug,
        coalesce(org_id, slug || '-' || coalesce(first_comune_code, 'nd')) AS base_id
    FROM (SELECT *, lower(strip_accents(coalesce(nullif(first_name_key, ''), name))) AS folded FROM staging.sites) AS f
), ids AS (
    -- only the columns the ids need, one narrow row per site
    SELECT label, first_position, vat, group_id, slug, base_id FROM sited
), vat_groups AS (
    -- sites of one company (same partita IVA: head office and local units) share its group
    SELECT vat, arg_min(coalesce(group_id, slug), first_position) AS vat_group
    FROM ids WHERE vat IN (SELECT vat FROM ids WHERE vat IS NOT NULL GROUP BY vat HAVING count(*) > 1)
    GROUP BY vat
), dup_n AS (
    -- sites whose base id repeats get -2, -3, ... in load order (the only ones the window has to sort);
    -- like vat_groups, it holds only the exceptions, so the final joins build small hash tables
    SELECT label, row_number() OVER (PARTITION BY base_id ORDER BY first_position) AS dup_n
    FROM ids WHERE base_id IN (SELECT base_id FROM ids GROUP BY base_id HAVING count(*) > 1)
)
SELECT
    CASE WHEN coalesce(d.dup_n, 1) = 1 THEN s.base_id ELSE s.base_id || '-' || d.dup_n END AS org_id,
    s.label AS _label,
    coalesce(s.group_id, vg.vat_group, s.slug) AS group_id,
    s.name,
    coalesce(s.kind, 'company') AS kind,
    s.segments,
    s.specialties,
    s.ateco,
    c.comune_code,
    c.name AS comune,
    c.province,
    c.region,
    coalesce(s.place.lat, c.lat) AS lat,
    coalesce(s.place.lon, c.lon) AS lon,
    CASE WHEN s.place.lat IS NOT NULL THEN 'address' WHEN c.comune_code IS NOT NULL THEN 'comune' ELSE 'unknown' END
        AS location_precision,
    s.address,
    s.site_type,
    s.emp.v::INTEGER AS employees,
    s.emp.y::INTEGER AS employees_year,
    s.emp_class.lo::INTEGER AS employees_min,
    s.emp_class.hi::INTEGER AS employees_max,
    s.emp_class.label AS employees_class,
    s.rev.v AS revenue_eur,
    s.rev.y::INTEGER AS revenue_year,
    s.figure_scope,
    s.status,
    s.founded::INTEGER AS founded,
    s.website,
    s.vat,
    s.cluster_role,
    s.cluster_role_source,
    s.source_urls,
    s.source_files,
    s.source_date,
    s.checked,
    s.note
FROM sited s
LEFT JOIN vat_groups vg USING (vat)
LEFT JOIN dup_n d USING (label)
LEFT JOIN staging.comuni c ON c.comune_code = s.place.code
ORDER BY org_id

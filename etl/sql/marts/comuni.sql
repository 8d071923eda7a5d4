-- mart.comuni: Lombardy's comuni with population, area, a point inside, boundary and organisation counts:
-- n_organisations, then one n_<kind> column per kind of data/vocabularies.csv, in its order (a PIVOT over
-- staging.vocabularies, so a new kind is a new column without editing this file).
WITH sites AS (
    SELECT g.comune_code, o.org_id, o.kind
    FROM staging.lombardy_comuni g
    LEFT JOIN mart.organisations o ON o.comune_code = g.comune_code
), by_kind AS (
    PIVOT sites
    ON kind IN (SELECT code FROM staging.vocabularies WHERE vocabulary = 'kind' ORDER BY sort_order)
    USING count(org_id)
    GROUP BY comune_code
), totals AS (
    SELECT comune_code, count(org_id) AS n_organisations FROM sites GROUP BY comune_code
)
SELECT
    g.comune_code, g.name, g.province, g.province_name, g.region, g.population, g.area_km2,
    g.lat, g.lon, g.geometry,
    t.n_organisations,
    -- DuckDB's COLUMNS rename: n_ + the kind (sqlfluff reads the pattern as an identifier)
    COLUMNS(k.* EXCLUDE (comune_code)) AS 'n_\0'  -- noqa: RF05
FROM staging.lombardy_comuni g
JOIN totals t ON t.comune_code = g.comune_code
JOIN by_kind k ON k.comune_code = g.comune_code
ORDER BY g.comune_code

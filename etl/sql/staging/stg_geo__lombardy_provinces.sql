-- staging.lombardy_provinces: Lombardy's provinces with population, surface, a point inside and boundary.
SELECT
    province::VARCHAR AS province,
    name::VARCHAR AS name,
    region::VARCHAR AS region,
    population::BIGINT AS population,
    area_km2::DOUBLE AS area_km2,
    lat::DOUBLE AS lat,
    lon::DOUBLE AS lon,
    geometry::VARCHAR AS geometry
FROM raw_lombardy_provinces

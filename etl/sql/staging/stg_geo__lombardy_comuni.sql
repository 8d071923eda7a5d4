-- staging.lombardy_comuni: Lombardy's comuni (staging.comuni's columns) with their equal-area surface and
-- simplified boundary (raw_lombardy_comuni, from etl/sources/geography.py).
SELECT
    c.*,
    l.area_km2::DOUBLE AS area_km2,
    l.geometry::VARCHAR AS geometry
FROM raw_lombardy_comuni l
JOIN staging.comuni c ON c.comune_code = l.comune_code
ORDER BY c.comune_code

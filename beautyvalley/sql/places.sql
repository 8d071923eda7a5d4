-- Every Italian comune with its point, for the "near" picker (sorted by name, then province).
SELECT comune_code, name, province, region, lat, lon
FROM staging.comuni
WHERE lat IS NOT NULL AND lon IS NOT NULL
ORDER BY name, province

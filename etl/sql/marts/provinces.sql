-- mart.provinces: Lombardy's provinces with population, area, boundary and organisation counts
-- (the sums of their comuni's counts in mart.comuni).
SELECT
    p.province, p.name, p.region, p.population, p.area_km2, p.lat, p.lon, p.geometry,
    sum(COLUMNS('^n_'))::BIGINT
FROM staging.lombardy_provinces p
JOIN mart.comuni c ON c.province = p.province
GROUP BY ALL
ORDER BY p.province

-- Comuni of the chosen provinces with the filtered site counts (filtered) and sites per 10,000 people.
WITH n AS (
  SELECT comune_code, count(*) AS n FROM f
  WHERE comune_code IS NOT NULL GROUP BY comune_code
)
SELECT c.comune_code, c.name, c.province, c.population, c.area_km2, c.lat, c.lon,
       c.geometry, coalesce(n.n, 0) AS count,
       CASE WHEN c.population > 0
            THEN coalesce(n.n, 0) * 10000.0 / c.population END AS density
FROM mart.comuni AS c
LEFT JOIN n ON n.comune_code = c.comune_code
WHERE (len($provinces::VARCHAR[]) = 0
       OR list_contains($provinces::VARCHAR[], c.province))
ORDER BY c.comune_code

-- Comuni of the chosen provinces ($provinces, empty = all) that host at least one organisation.
SELECT DISTINCT c.comune_code, c.name, c.province
FROM mart.comuni AS c
INNER JOIN mart.organisations AS o ON o.comune_code = c.comune_code
WHERE len($provinces::VARCHAR[]) = 0 OR list_contains($provinces::VARCHAR[], c.province)
ORDER BY c.name, c.province

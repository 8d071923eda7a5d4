-- The specialty tags the registry uses.
SELECT DISTINCT unnest(specialties) AS s
FROM mart.organisations
ORDER BY s

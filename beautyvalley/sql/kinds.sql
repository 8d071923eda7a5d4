-- The kinds the registry uses.
SELECT DISTINCT kind
FROM mart.organisations
WHERE kind IS NOT NULL
ORDER BY kind

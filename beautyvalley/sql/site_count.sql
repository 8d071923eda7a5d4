-- The number of filtered sites (filtered).
SELECT count(*) AS sites
FROM f

-- mart.ateco: the ATECO 2025 codes in use by organisations or by the value-chain segments, with ISTAT
-- titles; n_organisations counts sites whose code is this one or below it (20.42 counts 20.42.00).
WITH codes AS (
    SELECT ateco, count(*) AS n FROM mart.organisations WHERE ateco IS NOT NULL GROUP BY ateco
)
SELECT a.code, a.title_it, a.level,
       coalesce((SELECT sum(c.n) FROM codes c WHERE c.ateco = a.code OR starts_with(c.ateco, a.code || '.')), 0)
           ::BIGINT AS n_organisations,
       a.segments
FROM staging.ateco_in_use a
ORDER BY a.code

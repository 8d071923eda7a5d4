-- mart.ateco: the ATECO 2025 codes in use by organisations or by the value-chain segments, with ISTAT titles.
SELECT a.code, a.title_it, a.level,
       (SELECT count(*) FROM mart.organisations o WHERE o.ateco = a.code OR starts_with(o.ateco, a.code || '.'))
           AS n_organisations,
       a.segments
FROM staging.ateco_in_use a
ORDER BY a.code

-- Per input file, how many rows start a site (loaded) and how many are folded into a site started by an
-- earlier row (merged): the accounting of meta.load_files. A site starts at its first row, whose position
-- (src_order * 10000000000 + line) is staging.sites.first_position: a file (one src_order) loaded as many
-- rows as the sites starting in it, and merged the rest of its rows.
WITH per_file AS (
    SELECT file, src_order, count(*) AS n_rows
    FROM staging.registry_rows
    GROUP BY file, src_order
), started AS (
    SELECT first_position // 10000000000 AS src_order, count(*) AS n_sites
    FROM staging.sites
    GROUP BY ALL
)
SELECT f.file, x.how, sum(x.n) AS n  -- summed: two files of one name count together, as in meta.load_files
FROM per_file AS f
LEFT JOIN started AS s ON s.src_order = f.src_order,
    LATERAL (VALUES ('loaded', coalesce(s.n_sites, 0)), ('merged', f.n_rows - coalesce(s.n_sites, 0))) AS x (how, n)
WHERE x.n > 0
GROUP BY ALL

-- Per input file, how many rows start a site (loaded) and how many are folded into a site started by an
-- earlier row (merged): the accounting of meta.load_files.
WITH firsts AS (
    SELECT label, min(src_order * 10000000000 + line) AS first_pos
    FROM staging.registry_rows
    GROUP BY label
)
SELECT
    r.file,
    CASE WHEN r.src_order * 10000000000 + r.line = f.first_pos THEN 'loaded' ELSE 'merged' END AS how,
    count(*) AS n
FROM staging.registry_rows r
JOIN firsts f USING (label)
GROUP BY ALL

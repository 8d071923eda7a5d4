-- ATECO classes of the filtered organisations (filtered) with their ISTAT titles.
SELECT f.ateco AS code, a.title_it, count(DISTINCT f.group_id) AS organisations
FROM f
LEFT JOIN mart.ateco AS a ON a.code = f.ateco
WHERE f.ateco IS NOT NULL
GROUP BY ALL
ORDER BY organisations DESC, code

-- Organisations and sites per province and kind among the filtered sites (filtered).
SELECT f.province, p.name AS province_name, f.kind,
       count(DISTINCT f.group_id) AS organisations, count(*) AS sites
FROM f
LEFT JOIN mart.provinces AS p ON p.province = f.province
WHERE f.province IS NOT NULL
GROUP BY ALL
ORDER BY f.province, f.kind

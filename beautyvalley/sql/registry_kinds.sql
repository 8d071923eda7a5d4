-- Members of the Lombard cluster (cluster_role stated) per kind.
SELECT kind, count(DISTINCT group_id) AS n
FROM mart.organisations
WHERE cluster_role IS NOT NULL
GROUP BY kind
ORDER BY n DESC, kind

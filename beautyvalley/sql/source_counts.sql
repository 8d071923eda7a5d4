-- Every source URL with the number of organisation / indicator rows citing it.
WITH u AS (
  SELECT unnest(source_urls) AS source_url, 'organisations' AS dataset
  FROM mart.organisations
  UNION ALL
  SELECT source_url, 'indicators' AS dataset FROM mart.indicators
)
SELECT source_url, dataset, count(*) AS rows
FROM u
WHERE source_url IS NOT NULL AND source_url <> ''
GROUP BY ALL
ORDER BY count(*) DESC, source_url

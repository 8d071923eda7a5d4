-- Every segment x chosen province (filtered), with 0 where the territory lacks that link.
WITH cells AS (
  SELECT province, unnest(segments) AS segment, group_id FROM f
  WHERE province IS NOT NULL
),
provs AS (
  SELECT province FROM mart.provinces
  WHERE len($provinces::VARCHAR[]) = 0
     OR list_contains($provinces::VARCHAR[], province)
  UNION
  SELECT DISTINCT province FROM cells
)
SELECT s.segment, p.province, count(DISTINCT c.group_id) AS organisations
FROM mart.segments AS s
CROSS JOIN provs AS p
LEFT JOIN cells AS c ON c.segment = s.segment AND c.province = p.province
GROUP BY ALL
ORDER BY s.segment, p.province

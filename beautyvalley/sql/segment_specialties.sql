-- Organisations per segment and specialty among the filtered sites (filtered; specialty NULL = none stated).
WITH seg AS (SELECT group_id, unnest(segments) AS segment, specialties FROM f),
sp AS (SELECT group_id, segment,
              unnest(CASE WHEN len(specialties) > 0 THEN specialties
                          ELSE [NULL::VARCHAR] END) AS specialty FROM seg
)
SELECT segment, specialty, count(DISTINCT group_id) AS organisations
FROM sp
GROUP BY ALL
ORDER BY segment, specialty NULLS LAST

-- The filtered sites counted per comune (filtered), for the map when the selection holds more sites than it
-- draws one by one (maps.MAX_SITES): the comune's centroid (mart.comuni), its sites, those with a map position
-- (located), those of them placed at the comune's centre (approximate), and its most frequent kind with that
-- kind's count (ties: the first kind code). One row with comune_code NULL counts the sites without a comune.
WITH per_kind AS (
  SELECT comune_code, kind, count(*) AS n,
         count(*) FILTER (WHERE lat IS NOT NULL AND lon IS NOT NULL) AS located,
         count(*) FILTER (WHERE lat IS NOT NULL AND lon IS NOT NULL
                            AND location_precision = 'comune') AS approximate
  FROM f
  GROUP BY comune_code, kind
),
per_comune AS (
  SELECT comune_code, sum(n) AS sites, sum(located) AS located, sum(approximate) AS approximate,
         first(kind ORDER BY n DESC, kind NULLS LAST) AS kind, max(n) AS kind_sites
  FROM per_kind
  GROUP BY comune_code
)
SELECT p.comune_code, c.name, c.province, c.lat, c.lon,
       p.sites::BIGINT AS sites, p.located::BIGINT AS located, p.approximate::BIGINT AS approximate,
       p.kind, p.kind_sites::BIGINT AS kind_sites
FROM per_comune AS p
LEFT JOIN mart.comuni AS c ON p.comune_code = c.comune_code
ORDER BY p.comune_code NULLS LAST

-- Organisations (distinct group_id) per segment and capability among the filtered sites `f`
-- (filtered: queries.warehouse_query; capability NULL = the site has none).
WITH seg AS (SELECT group_id, org_id, unnest(segments) AS segment FROM f),
oc AS (SELECT DISTINCT org_id, capability FROM mart.organisation_capabilities),
cap AS (
  SELECT s.group_id, s.segment, oc.capability
  FROM seg AS s LEFT JOIN oc USING (org_id)
)
SELECT segment, capability, count(DISTINCT group_id) AS organisations
FROM cap GROUP BY ALL ORDER BY segment, capability NULLS LAST

-- Organisations (distinct group_id) per segment and capability among the filtered sites `f`
-- (prefixed by queries.FILTERED; capability NULL = the site has none).
, seg AS (SELECT group_id, org_id, unnest(segments) AS segment FROM f),
cap AS (SELECT s.group_id, s.segment, oc.capability
        FROM seg s LEFT JOIN (SELECT DISTINCT org_id, capability FROM mart.organisation_capabilities) oc
          USING (org_id))
SELECT segment, capability, count(DISTINCT group_id) AS organisations
FROM cap GROUP BY ALL ORDER BY segment, capability NULLS LAST

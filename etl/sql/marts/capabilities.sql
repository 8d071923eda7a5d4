-- mart.capabilities: the capability vocabulary (data/capabilities.csv), the registry tags mapped to each
-- capability (data/capability_tags.csv) and the number of sites that have it, directly or through one of
-- its narrower capabilities.
WITH direct AS (
    SELECT DISTINCT org_id, capability FROM mart.organisation_capabilities
), rolled AS (
    SELECT org_id, capability FROM direct
    UNION
    SELECT d.org_id, c.parent FROM direct d JOIN staging.capabilities c ON c.code = d.capability
    WHERE c.parent IS NOT NULL
), counts AS (
    SELECT capability AS code, count(DISTINCT org_id) AS n FROM rolled GROUP BY capability
), tags AS (
    SELECT capability AS code, list(tag ORDER BY tag) AS tags FROM staging.capability_tags
    WHERE via = 'mapping' GROUP BY capability
)
SELECT c.code, c.label_it, c.label_en, c.segment, c.parent, c.level, c.synonyms_it, c.synonyms_en,
       coalesce(t.tags, []::VARCHAR[]) AS tags, c.description_it, c.description_en,
       coalesce(n.n, 0) AS n_organisations, c.sort_order
FROM staging.capabilities c
LEFT JOIN tags t USING (code)
LEFT JOIN counts n USING (code)
ORDER BY c.sort_order

-- The capability codes of every organisation site (mart.organisation_capabilities), one row per site.
SELECT org_id, list(DISTINCT capability) AS capabilities
FROM mart.organisation_capabilities
GROUP BY org_id

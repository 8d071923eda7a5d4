-- mart.provinces: Lombardy's provinces with population, area, boundary and organisation counts.
SELECT
    p.province, p.name, p.region, p.population, p.area_km2, p.lat, p.lon, p.geometry,
    count(o.org_id) AS n_organisations,
    count(o.org_id) FILTER (WHERE o.kind = 'company') AS n_company,
    count(o.org_id) FILTER (WHERE o.kind = 'university') AS n_university,
    count(o.org_id) FILTER (WHERE o.kind = 'research_centre') AS n_research_centre,
    count(o.org_id) FILTER (WHERE o.kind = 'testing_lab') AS n_testing_lab,
    count(o.org_id) FILTER (WHERE o.kind = 'association') AS n_association,
    count(o.org_id) FILTER (WHERE o.kind = 'cluster') AS n_cluster,
    count(o.org_id) FILTER (WHERE o.kind = 'training') AS n_training,
    count(o.org_id) FILTER (WHERE o.kind = 'incubator') AS n_incubator,
    count(o.org_id) FILTER (WHERE o.kind = 'public_body') AS n_public_body
FROM staging.lombardy_provinces p
LEFT JOIN mart.organisations o ON o.province = p.province
GROUP BY ALL
ORDER BY p.province

-- mart.comuni: Lombardy's comuni with population, area, a point inside, boundary and organisation counts.
SELECT
    g.comune_code, g.name, g.province, g.province_name, g.region, g.population, g.area_km2,
    g.lat, g.lon, g.geometry,
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
FROM staging.lombardy_comuni g
LEFT JOIN mart.organisations o ON o.comune_code = g.comune_code
GROUP BY ALL
ORDER BY g.comune_code

-- Province polygons (GeoJSON text) for the map's borders.
SELECT province, name, population, area_km2, lat, lon, geometry, n_organisations
FROM mart.provinces
ORDER BY province

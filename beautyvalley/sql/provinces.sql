-- Lombardy's provinces (the sidebar's options).
SELECT province, name, population, n_organisations
FROM mart.provinces
ORDER BY name

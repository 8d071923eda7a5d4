-- The filtered sites the map draws one by one (filtered): only the columns of its points and tooltips
-- (maps.points_data), in the order of organisations.sql.
SELECT org_id, group_id, name, kind, segments, comune_code, comune, province, lat, lon, location_precision,
       website, employees, employees_year, figure_scope
FROM f
ORDER BY name, org_id

-- Status and head-count class of one site (for the organisation card).
SELECT coalesce(status, 'active') AS status, employees_class, employees_min, employees_max, figure_scope
FROM mart.organisations
WHERE org_id = $org_id

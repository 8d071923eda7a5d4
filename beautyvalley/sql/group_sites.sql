-- The other sites ($org_id excluded) of the same organisation ($group_id).
SELECT org_id, name, site_type, comune, province, address, location_precision
FROM mart.organisations
WHERE group_id = $group_id AND org_id <> $org_id
ORDER BY province, comune, org_id

-- What the registry itself states about the Lombard cluster; $provinces: the four Beauty Valley provinces.
SELECT
  (SELECT count(DISTINCT group_id) FROM mart.organisations WHERE cluster_role IS NOT NULL)
    AS members_by_kind,
  (SELECT count(DISTINCT group_id) FROM mart.organisations
    WHERE cluster_role IS NOT NULL AND kind = 'company') AS member_companies,
  (SELECT count(DISTINCT group_id) FROM mart.organisations WHERE cluster_role = 'founder')
    AS founding_members,
  (SELECT count(*) FROM mart.organisations WHERE list_contains($provinces::VARCHAR[], province))
    AS sites_four_provinces

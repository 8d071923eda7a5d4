-- staging.site_ids: site label (staging.registry_rows.label) -> org_id, for the marts that go back to the
-- input rows (capabilities, corrections); the label then leaves mart.organisations.
SELECT
    _label AS label,
    org_id
FROM mart.organisations

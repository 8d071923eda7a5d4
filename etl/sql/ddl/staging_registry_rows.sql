-- staging.registry_rows: every loaded input row, validated and typed (etl/registry/validation.py), with its
-- site label (rows with one label form one site in stg_registry__sites.sql) and load position.
CREATE TABLE staging.registry_rows (
    label BIGINT, src_order INTEGER, file VARCHAR, line BIGINT, file_date VARCHAR,
    name VARCHAR, name_key VARCHAR, kind VARCHAR, ateco VARCHAR, comune_code VARCHAR,
    lat DOUBLE, lon DOUBLE, employees DOUBLE, employees_year INTEGER, revenue_eur DOUBLE, revenue_year INTEGER,
    founded INTEGER, website VARCHAR, vat VARCHAR, source_date VARCHAR, address VARCHAR, note VARCHAR,
    checked VARCHAR, cluster_role VARCHAR, cluster_role_source VARCHAR, site_type VARCHAR, figure_scope VARCHAR,
    org_id VARCHAR, group_id VARCHAR, status VARCHAR, site_role VARCHAR,
    employees_min INTEGER, employees_max INTEGER, employees_class VARCHAR,
    segments VARCHAR [], specialties VARCHAR [], source_urls VARCHAR []
)

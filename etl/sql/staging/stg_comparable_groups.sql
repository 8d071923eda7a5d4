-- staging.comparable_groups: what each comparable group measures (data/comparable_groups.csv).
SELECT
    comparable_group::VARCHAR AS comparable_group,
    description_it::VARCHAR AS description_it,
    description_en::VARCHAR AS description_en
FROM raw_comparable_groups

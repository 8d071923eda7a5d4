-- mart.comparable_groups: what each comparable_group of mart.indicators measures, in both languages
-- (data/comparable_groups.csv).
SELECT comparable_group, description_it, description_en
FROM staging.comparable_groups
ORDER BY comparable_group

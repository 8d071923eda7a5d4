-- staging.measures: the comparison measures (data/measures.csv, validated by etl/sources/measures.py).
SELECT
    measure::VARCHAR AS measure,
    "order"::BIGINT AS "order",
    label_it::VARCHAR AS label_it,
    label_en::VARCHAR AS label_en,
    description_it::VARCHAR AS description_it,
    description_en::VARCHAR AS description_en,
    CAST(comparable_groups AS VARCHAR[]) AS comparable_groups,
    registry::VARCHAR AS registry
FROM raw_measures

-- staging.vocabularies: the controlled vocabularies (data/vocabularies.csv, validated by etl/vocab.py).
SELECT
    vocabulary::VARCHAR AS vocabulary,
    code::VARCHAR AS code,
    sort_order::INTEGER AS sort_order,
    label_key::VARCHAR AS label_key,
    colour::VARCHAR AS colour,
    CAST(groups AS VARCHAR[]) AS groups
FROM raw_vocabularies

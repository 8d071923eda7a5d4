-- staging.capabilities: the capability vocabulary (data/capabilities.csv, validated by
-- etl/sources/capabilities.py).
SELECT
    code::VARCHAR AS code,
    label_it::VARCHAR AS label_it,
    label_en::VARCHAR AS label_en,
    segment::VARCHAR AS segment,
    parent::VARCHAR AS parent,
    level::INTEGER AS level,
    CAST(synonyms_it AS VARCHAR[]) AS synonyms_it,
    CAST(synonyms_en AS VARCHAR[]) AS synonyms_en,
    description_it::VARCHAR AS description_it,
    description_en::VARCHAR AS description_en,
    sort_order::INTEGER AS sort_order
FROM raw_capabilities

-- staging.segments: the value chain (data/segments.csv, validated by etl/sources/segments.py), in file order.
SELECT
    segment::VARCHAR AS segment,
    label_it::VARCHAR AS label_it,
    label_en::VARCHAR AS label_en,
    description_it::VARCHAR AS description_it,
    description_en::VARCHAR AS description_en,
    CAST(ateco_classes AS VARCHAR[]) AS ateco_classes,
    sort_order::BIGINT AS sort_order
FROM raw_segments

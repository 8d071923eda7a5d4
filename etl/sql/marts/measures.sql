-- mart.measures: the canonical comparison measures (data/measures.csv), in table order.
SELECT measure, "order", label_it, label_en, description_it, description_en,
       comparable_groups::VARCHAR[] AS comparable_groups, registry
FROM staging.measures
ORDER BY "order"

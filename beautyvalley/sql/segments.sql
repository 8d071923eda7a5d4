-- The value-chain segments with their labels in both languages.
SELECT segment, label_it, label_en, description_it, description_en, ateco_classes
FROM mart.segments
ORDER BY segment

-- mart.segments: the value chain, with the number of organisation sites in each segment.
WITH tagged AS (
    SELECT unnest(segments) AS segment FROM mart.organisations
), counts AS (
    SELECT segment, count(*) AS n FROM tagged GROUP BY segment
)
SELECT s.segment, s.label_it, s.label_en, s.description_it, s.description_en, s.ateco_classes,
       coalesce(c.n, 0) AS n_organisations
FROM staging.segments s
LEFT JOIN counts c USING (segment)
ORDER BY s.sort_order

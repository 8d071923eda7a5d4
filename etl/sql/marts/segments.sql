-- mart.segments: the value chain, with the number of organisations in each segment.
SELECT s.segment, s.label_it, s.label_en, s.description_it, s.description_en, s.ateco_classes,
       (SELECT count(*) FROM mart.organisations o WHERE list_contains(o.segments, s.segment)) AS n_organisations
FROM staging.segments s
ORDER BY s.sort_order

-- The capability vocabulary in display order (mart.capabilities).
SELECT code, label_it, label_en, segment, parent, level, synonyms_it, synonyms_en, tags,
       description_it, description_en, n_organisations
FROM mart.capabilities
ORDER BY sort_order

-- mart.vocabularies: the controlled vocabularies (kinds, site types, figure scopes, statuses, cluster roles,
-- location precisions) with display order, text key, colour and groups, as in data/vocabularies.csv.
SELECT vocabulary, code, sort_order, label_key, colour, groups
FROM staging.vocabularies
ORDER BY vocabulary, sort_order

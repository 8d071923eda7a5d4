-- The filtered organisation sites: the table `f` of every query declared `filtered=True`
-- (queries.warehouse_query puts `WITH f AS (<this statement>)` before the query). The WHERE clause is
-- filter_spec.ORG_WHERE, one predicate per filter dimension (filter_spec.DIMS), written in place of the marker.
SELECT o.*
FROM mart.organisations AS o
WHERE /* filter_spec.ORG_WHERE */ TRUE

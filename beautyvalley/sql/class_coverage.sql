-- Over the filtered sites `f` (filtered: queries.warehouse_query). Head-count classes are ranges: they are never
-- summed; the Overview reports the companies known only by their class apart. Sites hidden by the
-- status filter are counted over the whole registry, so the page can say what it leaves out.
SELECT
  (SELECT count(DISTINCT group_id) FROM f
    WHERE kind = 'company' AND employees_class IS NOT NULL
      AND group_id NOT IN (SELECT group_id FROM f WHERE kind = 'company' AND employees IS NOT NULL
                                                      AND coalesce(figure_scope, 'company') <> 'group'))
    AS companies_class_only,
  (SELECT count(*) FROM mart.organisations o
    WHERE NOT (len($statuses::VARCHAR[]) = 0 OR list_contains($statuses::VARCHAR[], coalesce(o.status, 'active'))))
    AS sites_hidden_by_status

-- Metric-card numbers of the filtered sites (filtered), with their coverage. Sums and their coverage are
-- about companies: site figures per site, company figures once per organisation, group-wide figures never.
-- population: the chosen comuni, else the chosen provinces, else Lombardy.
WITH c AS (SELECT * FROM f WHERE kind = 'company'),
emp AS (
  SELECT employees AS v FROM c WHERE employees IS NOT NULL AND figure_scope = 'site'
  UNION ALL
  SELECT max(employees) FROM c
   WHERE employees IS NOT NULL AND coalesce(figure_scope, 'company') = 'company' GROUP BY group_id
),
rev AS (
  SELECT revenue_eur AS v FROM c WHERE revenue_eur IS NOT NULL AND figure_scope = 'site'
  UNION ALL
  SELECT max(revenue_eur) FROM c
   WHERE revenue_eur IS NOT NULL AND coalesce(figure_scope, 'company') = 'company' GROUP BY group_id
),
only_group AS (  -- companies whose only known figures are group-wide
  SELECT group_id FROM c WHERE figure_scope = 'group' AND (employees IS NOT NULL OR revenue_eur IS NOT NULL)
  EXCEPT
  SELECT group_id FROM c WHERE coalesce(figure_scope, 'company') <> 'group'
    AND (employees IS NOT NULL OR revenue_eur IS NOT NULL)
)
SELECT
  (SELECT count(*) FROM f) AS sites,
  (SELECT count(DISTINCT group_id) FROM f) AS organisations,
  (SELECT count(DISTINCT group_id) FROM f WHERE kind = 'company') AS companies,
  (SELECT count(DISTINCT group_id) FROM f
    WHERE kind IN (SELECT code FROM mart.vocabularies  -- data/vocabularies.csv, group "research"
                   WHERE vocabulary = 'kind' AND list_contains(groups, 'research')))
    AS research,
  (SELECT count(DISTINCT group_id) FROM f WHERE kind = 'company' AND employees IS NOT NULL
     AND coalesce(figure_scope, 'company') <> 'group') AS companies_with_employees,
  (SELECT count(DISTINCT group_id) FROM f WHERE kind = 'company' AND revenue_eur IS NOT NULL
     AND coalesce(figure_scope, 'company') <> 'group') AS companies_with_revenue,
  (SELECT count(*) FROM only_group) AS groups_not_added,
  (SELECT count(DISTINCT group_id) FROM f WHERE employees IS NOT NULL)
    AS organisations_with_employees,
  (SELECT sum(v) FROM emp) AS employees,
  (SELECT sum(v) FROM rev) AS revenue_eur,
  (SELECT min(employees_year) FROM f) AS employees_year_min,
  (SELECT max(employees_year) FROM f) AS employees_year_max,
  (SELECT min(revenue_year) FROM f) AS revenue_year_min,
  (SELECT max(revenue_year) FROM f) AS revenue_year_max,
  (SELECT CASE
      WHEN len($comuni::VARCHAR[]) > 0 THEN
        (SELECT sum(population) FROM mart.comuni
          WHERE list_contains($comuni::VARCHAR[], comune_code))
      WHEN len($provinces::VARCHAR[]) > 0 THEN
        (SELECT sum(population) FROM mart.provinces
          WHERE list_contains($provinces::VARCHAR[], province))
      ELSE (SELECT sum(population) FROM mart.provinces)
    END) AS population

-- The newest build run recorded in the warehouse (queries.build_info).
SELECT run_id, build_id, started, finished, status
FROM meta.load_runs
ORDER BY coalesce(finished, started) DESC NULLS LAST
LIMIT 1

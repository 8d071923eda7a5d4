-- Every build run, newest first.
SELECT run_id, build_id, started, finished, status, package_versions
FROM meta.load_runs
ORDER BY started DESC NULLS LAST

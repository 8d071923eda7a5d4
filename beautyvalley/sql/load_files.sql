-- Files read by the build run $run_id (all runs when NULL).
SELECT file, role, sha256, encoding, delimiter, sheet, rows_in, rows_loaded,
       rows_merged, rows_rejected, warnings, error
FROM meta.load_files
WHERE $run_id IS NULL OR CAST(run_id AS VARCHAR) = $run_id
ORDER BY role, file

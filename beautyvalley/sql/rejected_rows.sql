-- Rows the build rejected, field by field.
SELECT file, line, field, value, reason, code, params
FROM staging.rejected_rows
ORDER BY file, line, field

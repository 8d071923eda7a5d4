-- Rows the build rejected, field by field.
SELECT file, line, field, value, reason
FROM staging.rejected_rows
ORDER BY file, line, field

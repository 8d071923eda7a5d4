-- Warnings and errors the build recorded.
SELECT file, line, field, value, severity, message, code, params
FROM staging.load_issues
ORDER BY severity, file, line, field

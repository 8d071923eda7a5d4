-- staging.specialty_keys: every distinct specialty tag of the loaded rows with its folded key
-- (folded in Python by etl/sources/capabilities.py with the same `fold` as the mapping).
SELECT
    tag::VARCHAR AS tag,
    tag_key::VARCHAR AS tag_key
FROM raw_specialty_keys

-- staging.capability_tags: specialty tag (and its folded key) -> capability, via `mapping`
-- (data/capability_tags.csv) or `vocabulary` (a tag that reads like a label or synonym).
SELECT
    tag::VARCHAR AS tag,
    tag_key::VARCHAR AS tag_key,
    capability::VARCHAR AS capability,
    via::VARCHAR AS via
FROM raw_capability_tags

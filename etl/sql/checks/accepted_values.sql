-- Build check `accepted_values`: rows whose check_column is not a code of the vocabulary $vocabulary
-- (staging.vocabularies, from data/vocabularies.csv). Must be 0.
SELECT count(*) AS failures
FROM check_table
WHERE check_column IS NOT NULL
    AND check_column NOT IN (SELECT code FROM staging.vocabularies WHERE vocabulary = $vocabulary)

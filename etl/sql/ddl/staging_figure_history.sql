-- staging.figure_history: earlier years of a figure read from the same row (AIDA 'Anno - 1', 'Anno - 2').
CREATE TABLE staging.figure_history (file VARCHAR, line BIGINT, field VARCHAR, year INTEGER, value DOUBLE)

-- raw.indicators: data/indicators.csv as read (every cell text), with file, sha256 and line.
SELECT * FROM raw_indicators

"""Registry exports: header aliases, reading (encodings, delimiters), values, validation, merging."""

"""One module per source: geography, classification, segments, indicators, registry files."""

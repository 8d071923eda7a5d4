"""Beauty Valley dashboard library: the app's own modules.

Data flows one way: warehouse (DuckDB file) -> queries (parameterised SQL) -> pages.
- warehouse: read-only connection, build id used as cache key, build-if-missing
- queries:   every SQL the pages run
- filters:   filter state <-> st.session_state <-> st.query_params
- i18n:      Italian/English texts, number and date formatting
- export:    CSV / Excel-CSV / GeoJSON writers, formula neutralisation, citation
- charts, maps: plotly and pydeck builders (pure functions)
"""

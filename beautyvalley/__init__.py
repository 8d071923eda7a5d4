"""Beauty Valley dashboard library: the app's own modules.

Data flows one way: warehouse (DuckDB file) -> queries (parameterised SQL) -> pages.
- warehouse: read-only connection, build id used as cache key, build-if-missing
- queries:   the query layer (@warehouse_query / frame_query over sql/*.sql, one bounded cache each)
- filter_spec: each filter dimension (Dim, DIMS) and page URL parameter (Param) declared once; Filters
- filters:   filter state <-> st.session_state <-> st.query_params (the sidebar: a loop over DIMS)
- indicators: the pandas logic over indicator rows (newest values, shared metrics, disagreements)
- i18n:      Italian/English texts, number and date formatting
- export:    CSV / Excel-CSV / GeoJSON writers, formula neutralisation, citation
- charts, maps: plotly and pydeck builders (pure functions)
"""

"""How an outside source gets in: fetching, article imports and the extraction core.

- `fetching`: the SSRF-safe HTTP client every outside read goes through.
- `extraction`: the pure timeline extraction core (text in, proposed moments out).
- `articles`: article imports, from submission through the background run to proposals.
"""

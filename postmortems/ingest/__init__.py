"""How an outside source gets in: fetching, article imports and the extraction core.

- `fetching`: the SSRF-safe HTTP client every outside read goes through.
- `extraction`: the pure timeline extraction core (text in, proposed moments out).
- `decoding`: uploaded and downloaded bytes to text (encodings, file types, size caps).
- `markup`: HTML, Markdown or plain text to the article text an import reads.
- `articles`: what an article submission must be; how a run reads and extracts it.
- `services`: every write of an import: submit, dispatch, sweep, run, review of proposals.
- `selectors`: the reads behind the import pages, the API and the sweep.
- `proposals`: grouping proposals that tell one moment (pure over prefetched events).
- `highlight`: a source text cut into plain runs and highlighted quotes.
- `feeds`: providers' status feeds, polled into incidents, and cross-provider links.
"""

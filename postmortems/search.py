"""Search across incidents, events, postmortems and sources.

On PostgreSQL this is full-text search: a ``websearch_to_tsquery`` (quoted phrases, ``or``,
``-word``) matched against weighted ``tsvector`` expressions, ranked with ``ts_rank`` and
highlighted with ``ts_headline``. Each ``*_document()`` expression below is indexed by a GIN
expression index of exactly the same SQL (migration ``0004_search_indexes``); if you change
one here, change the migration too, or the planner silently stops using the index
(``test_postgres_search_uses_the_gin_indexes`` catches that).

The text-search configuration is ``simple``: lower-casing without stemming or stop words.
The knowledge base holds English and German articles, and a language-specific config
would stem one language and mangle the other ("Ausfälle" is not an English word); with
``simple`` a search for "DNS" or "Ausfall" finds exactly those words in any language. The
price is no stemming: "outage" does not find "outages" (use ``outage or outages``).

On SQLite (the embedded default) there is no full-text engine to lean on, so every term
must occur somewhere in the record (``icontains``, so ASCII-only case folding) and a hit
in a title scores above a hit in a body.

Filters apply to the incident a hit belongs to (for a source, the incidents it is linked
to). Every kind of hit is one query capped at ``PER_KIND`` rows that also counts all of
its matches (``COUNT(*) OVER ()``), so the page's query count does not depend on the hits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.postgres.search import (
    CombinedSearchVector,
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, NullIf
from django.http import QueryDict
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from postmortems.filters import IncidentFilter
from postmortems.markdown import markdown_to_text
from postmortems.models import Event, Impact, Incident, Postmortem, ReviewState, Service, Source

SEARCH_CONFIG = "simple"
PER_KIND = 10
SNIPPET_CHARS = 240

# ts_headline wraps matches in these; they are turned into <mark> only after the text is
# escaped. Private-use characters do not occur in real articles, and if one does it can
# at worst produce a harmless, balanced <mark>.
_START, _STOP = "\ue000", "\ue001"
_MARKED = re.compile(f"{_START}(.*?){_STOP}", re.DOTALL)
_HEADLINE_OPTIONS = {
    "start_sel": _START,
    "stop_sel": _STOP,
    "max_words": 35,
    "min_words": 15,
    "max_fragments": 2,
    "fragment_delimiter": " … ",
}


# The documents. The GIN indexes in migration 0004 are built from these very expressions.


def incident_document() -> CombinedSearchVector:
    """Return the incident's searchable text: the title weighs more than the summary."""
    return SearchVector("title", config=SEARCH_CONFIG, weight="A") + SearchVector(
        "summary", config=SEARCH_CONFIG, weight="B"
    )


def event_document() -> CombinedSearchVector:
    """Return the event's searchable text: title, then description, then the quoted sentence."""
    return (
        SearchVector("title", config=SEARCH_CONFIG, weight="A")
        + SearchVector("description", config=SEARCH_CONFIG, weight="B")
        + SearchVector("quote", config=SEARCH_CONFIG, weight="C")
    )


def postmortem_text() -> Coalesce:
    """Return the postmortem text a reader sees: the published version, else the draft."""
    return Coalesce(
        NullIf("published_body", Value(""), output_field=TextField()),
        F("body"),
        output_field=TextField(),
    )


def postmortem_document() -> SearchVector:
    """Return the postmortem's searchable text."""
    return SearchVector(postmortem_text(), config=SEARCH_CONFIG, weight="B")


def source_document() -> CombinedSearchVector:
    """Return the source's searchable text: the title weighs more than the article."""
    return SearchVector("title", config=SEARCH_CONFIG, weight="A") + SearchVector(
        "text", config=SEARCH_CONFIG, weight="B"
    )


# Results.


@dataclass(frozen=True)
class SearchHit:
    kind: str
    title: SafeString
    snippet: SafeString
    url: str
    incident: Incident | None = None
    extra: str = ""
    incidents: tuple[Incident, ...] = ()


@dataclass(frozen=True)
class SearchGroup:
    kind: str
    label: str
    hits: list[SearchHit]
    total: int


@dataclass(frozen=True)
class SearchResults:
    query: str
    groups: list[SearchGroup] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Return how many records matched, of every kind."""
        return sum(group.total for group in self.groups)


def search(
    query: str, *, incidents: QuerySet[Incident] | None = None, per_kind: int = PER_KIND
) -> SearchResults:
    """Return the hits for ``query`` of every kind, best first, ``per_kind`` of each at most.

    ``incidents`` narrows the hits to those incidents (a filtered queryset); None means all.
    """
    query = " ".join(query.split())
    if not query:
        return SearchResults(query="")
    backend = (
        _PostgresSearch(query) if connection.vendor == "postgresql" else _FallbackSearch(query)
    )
    if not backend.searchable:
        return SearchResults(query=query)
    groups = []
    for kind, label, build, to_hit in (
        ("incident", "Incidents", backend.incidents, backend.incident_hit),
        ("event", "Events", backend.events, backend.event_hit),
        ("postmortem", "Postmortems", backend.postmortems, backend.postmortem_hit),
        ("source", "Sources", backend.sources, backend.source_hit),
    ):
        rows = list(build(incidents)[:per_kind])
        total = rows[0].match_count if rows else 0
        groups.append(
            SearchGroup(kind=kind, label=label, hits=[to_hit(row) for row in rows], total=total)
        )
    groups.append(_impacted_group(query, incidents, per_kind))
    return SearchResults(query=query, groups=groups)


def _impacted_group(query: str, incidents: QuerySet[Incident] | None, per_kind: int) -> SearchGroup:
    """Return the incidents that impacted a service named (or aliased) exactly ``query``.

    A service's name rarely appears in an incident's own words ("Signal" is in the
    articles, not the summary), yet "which incidents hit Signal?" is the first question.
    """
    wanted = query.casefold()
    service_ids = [
        pk
        for pk, name, aliases in Service.objects.values_list("pk", "name", "aliases")
        if wanted == name.casefold()
        or any(isinstance(alias, str) and wanted == alias.casefold() for alias in aliases or ())
    ]
    label = "Incidents that impacted the service"
    if not service_ids:
        return SearchGroup(kind="impacted", label=label, hits=[], total=0)
    impacts = Impact.objects.filter(service_id__in=service_ids).select_related("service")
    matching = _scoped_incidents(incidents).filter(impacts__service_id__in=service_ids)
    rows = list(
        Incident.objects.filter(pk__in=matching.values("pk"))
        .annotate(match_count=_match_count())
        .prefetch_related(Prefetch("impacts", queryset=impacts, to_attr="named_impacts"))
        .order_by("-started_at", "-pk")[:per_kind]
    )
    hits = [
        SearchHit(
            kind="incident",
            title=escape(incident.title),
            snippet=escape(
                "Impacted: "
                + "; ".join(
                    f"{impact.service.name} ({impact.get_level_display().lower()}, "
                    f"{impact.get_role_display().lower()})"
                    for impact in incident.named_impacts
                )
            ),
            url=incident.get_absolute_url(),
            incident=incident,
            extra=f"{incident.get_severity_display()} · {incident.provider}",
        )
        for incident in rows
    ]
    return SearchGroup(
        kind="impacted", label=label, hits=hits, total=rows[0].match_count if rows else 0
    )


def _incident_scope(
    queryset: QuerySet, incidents: QuerySet[Incident] | None, lookup: str
) -> QuerySet:
    if incidents is None:
        return queryset
    return queryset.filter(**{f"{lookup}__in": incidents.values("pk")})


def _scoped_incidents(incidents: QuerySet[Incident] | None) -> QuerySet[Incident]:
    return _incident_scope(Incident.objects.confirmed(), incidents, "pk")


def _scoped_events(incidents: QuerySet[Incident] | None) -> QuerySet[Event]:
    # Rejected proposals are noise; proposed ones are shown, marked as such.
    queryset = (
        Event.objects.exclude(review_state=ReviewState.REJECTED)
        .filter(incident__is_draft=False)
        .select_related("incident")
    )
    return _incident_scope(queryset, incidents, "incident")


def _scoped_postmortems(incidents: QuerySet[Incident] | None) -> QuerySet[Postmortem]:
    return _incident_scope(
        Postmortem.objects.filter(incident__is_draft=False).select_related("incident"),
        incidents,
        "incident",
    )


def _scoped_sources(incidents: QuerySet[Incident] | None) -> QuerySet[Source]:
    queryset = Source.objects.defer("raw_content").prefetch_related(
        Prefetch(
            "incidents",
            queryset=Incident.objects.confirmed()
            .only("slug", "title")
            .order_by("-started_at", "-id"),
        )
    )
    if incidents is None:
        return queryset
    # A subquery rather than a join, so a source linked to two matching incidents is one hit.
    linked = Source.incidents.through.objects.filter(incident__in=incidents.values("pk")).values(
        "source_id"
    )
    return queryset.filter(pk__in=linked)


def _match_count() -> Window:
    return Window(expression=Count("*"))


class _PostgresSearch:
    def __init__(self, query: str) -> None:
        self.query_text = query
        self.searchable = True
        # Titles are shown whole and highlighted here rather than by ts_headline, whose
        # parser drops anything that looks like an HTML tag ("Use <Foo> for bar").
        wanted, _ = parse_terms(query)
        self.words = [word for term in wanted for word in term.split()]

    def _query(self) -> SearchQuery:
        return SearchQuery(self.query_text, search_type="websearch", config=SEARCH_CONFIG)

    def _headline(self, expression: str | Coalesce, **options: object) -> SearchHeadline:
        return SearchHeadline(
            expression, self._query(), config=SEARCH_CONFIG, **{**_HEADLINE_OPTIONS, **options}
        )

    def _ranked(
        self, queryset: QuerySet, document: SearchVector | CombinedSearchVector
    ) -> QuerySet:
        # The filter repeats the document expression verbatim; that is what lets the
        # planner use the GIN expression index.
        return (
            queryset.alias(document=document)
            .filter(document=self._query())
            .annotate(rank=SearchRank(F("document"), self._query()), match_count=_match_count())
            .order_by("-rank", "-pk")
        )

    def incidents(self, incidents: QuerySet[Incident] | None) -> QuerySet[Incident]:
        return self._ranked(_scoped_incidents(incidents), incident_document()).annotate(
            snippet_marked=self._headline("summary")
        )

    def events(self, incidents: QuerySet[Incident] | None) -> QuerySet[Event]:
        return self._ranked(_scoped_events(incidents), event_document()).annotate(
            snippet_marked=self._headline(
                Coalesce(
                    NullIf("description", Value(""), output_field=TextField()),
                    F("quote"),
                    output_field=TextField(),
                ),
            ),
        )

    def postmortems(self, incidents: QuerySet[Incident] | None) -> QuerySet[Postmortem]:
        return (
            self._ranked(_scoped_postmortems(incidents), postmortem_document())
            .defer("body", "published_body")
            .annotate(snippet_marked=self._headline(postmortem_text()))
        )

    def sources(self, incidents: QuerySet[Incident] | None) -> QuerySet[Source]:
        return (
            self._ranked(_scoped_sources(incidents), source_document())
            .defer("text")
            .annotate(snippet_marked=self._headline("text"))
        )

    def incident_hit(self, incident: Incident) -> SearchHit:
        return _incident_hit(incident, self._title(incident.title), marked(incident.snippet_marked))

    def event_hit(self, event: Event) -> SearchHit:
        return _event_hit(event, self._title(event.title), marked(event.snippet_marked))

    def postmortem_hit(self, postmortem: Postmortem) -> SearchHit:
        return _postmortem_hit(postmortem, marked(postmortem.snippet_marked, markdown=True))

    def source_hit(self, source: Source) -> SearchHit:
        return _source_hit(source, self._title(source.title), marked(source.snippet_marked))

    def _title(self, title: str) -> SafeString:
        return highlight(title, self.words, whole_words=True)


class _FallbackSearch:
    def __init__(self, query: str) -> None:
        self.terms, self.excluded = parse_terms(query)
        self.searchable = bool(self.terms)

    def _matching(
        self, queryset: QuerySet, title_fields: Iterable[str], body_fields: Iterable[str]
    ) -> QuerySet:
        fields = [*title_fields, *body_fields]
        condition = Q()
        for term in self.terms:
            condition &= _any_contains(fields, term)
        for term in self.excluded:
            condition &= ~_any_contains(fields, term)
        score = Value(0)
        for term in self.terms:
            for name in title_fields:
                score = score + Case(
                    When(**{f"{name}__icontains": term}, then=Value(3)), default=Value(0)
                )
            for name in body_fields:
                score = score + Case(
                    When(**{f"{name}__icontains": term}, then=Value(1)), default=Value(0)
                )
        return (
            queryset.filter(condition)
            .annotate(
                rank=Coalesce(score, Value(0), output_field=IntegerField()),
                match_count=_match_count(),
            )
            .order_by("-rank", "-pk")
        )

    def incidents(self, incidents: QuerySet[Incident] | None) -> QuerySet[Incident]:
        return self._matching(_scoped_incidents(incidents), ["title"], ["summary"])

    def events(self, incidents: QuerySet[Incident] | None) -> QuerySet[Event]:
        return self._matching(_scoped_events(incidents), ["title"], ["description", "quote"])

    def postmortems(self, incidents: QuerySet[Incident] | None) -> QuerySet[Postmortem]:
        queryset = _scoped_postmortems(incidents).annotate(readable_body=postmortem_text())
        return self._matching(queryset, [], ["readable_body"])

    def sources(self, incidents: QuerySet[Incident] | None) -> QuerySet[Source]:
        return self._matching(_scoped_sources(incidents), ["title"], ["text"])

    def incident_hit(self, incident: Incident) -> SearchHit:
        return _incident_hit(
            incident, highlight(incident.title, self.terms), snippet(incident.summary, self.terms)
        )

    def event_hit(self, event: Event) -> SearchHit:
        return _event_hit(
            event,
            highlight(event.title, self.terms),
            snippet(event.description or event.quote, self.terms),
        )

    def postmortem_hit(self, postmortem: Postmortem) -> SearchHit:
        return _postmortem_hit(
            postmortem, snippet(markdown_to_text(postmortem.readable_body), self.terms)
        )

    def source_hit(self, source: Source) -> SearchHit:
        return _source_hit(
            source, highlight(source.title, self.terms), snippet(source.text, self.terms)
        )


def _any_contains(fields: Iterable[str], term: str) -> Q:
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__icontains": term})
    return condition


# Turning rows into hits.


def _incident_hit(incident: Incident, title: SafeString, snippet_html: SafeString) -> SearchHit:
    return SearchHit(
        kind="incident",
        title=title or escape(incident.title),
        snippet=snippet_html,
        url=incident.get_absolute_url(),
        incident=incident,
        extra=f"{incident.get_severity_display()} · {incident.provider}",
    )


def _event_hit(event: Event, title: SafeString, snippet_html: SafeString) -> SearchHit:
    url = event.incident.get_absolute_url()
    # Only accepted events are on the incident's timeline, with an anchor each.
    if event.review_state == ReviewState.ACCEPTED:
        url += f"#event-{event.pk}"
    extra = f"{event.get_kind_display()} · {event.occurred_at:%Y-%m-%d %H:%M} UTC"
    if event.review_state != ReviewState.ACCEPTED:
        extra += f" · {event.get_review_state_display()}"
    return SearchHit(
        kind="event",
        title=title,
        snippet=snippet_html,
        url=url,
        incident=event.incident,
        extra=extra,
    )


def _postmortem_hit(postmortem: Postmortem, snippet_html: SafeString) -> SearchHit:
    return SearchHit(
        kind="postmortem",
        title=escape(f"Postmortem: {postmortem.incident.title}"),
        snippet=snippet_html,
        url=postmortem_url(postmortem.incident),
        incident=postmortem.incident,
        extra=postmortem.get_status_display(),
    )


def _source_hit(source: Source, title: SafeString, snippet_html: SafeString) -> SearchHit:
    linked = tuple(source.incidents.all())
    if source.url:
        url = source.url
    elif linked:
        url = linked[0].get_absolute_url()
    else:
        url = ""
    return SearchHit(
        kind="source",
        title=title or escape(str(source)),
        snippet=snippet_html,
        url=url,
        extra=" · ".join(part for part in (source.publisher, source.language) if part),
        incidents=linked,
    )


def postmortem_url(incident: Incident) -> str:
    """Return the page that shows an incident's postmortem."""
    return reverse("postmortems:postmortem_detail", args=[incident.slug])


# Highlighting. Text is always escaped first; only our own <mark> tags are added after.


def marked(fragment: str | None, *, markdown: bool = False) -> SafeString:
    """Return a ts_headline fragment as safe HTML: escaped, with its matches in <mark>."""
    text = fragment or ""
    if markdown:
        text = markdown_to_text(text)
    html = _MARKED.sub(r"<mark>\1</mark>", str(escape(text)))
    # A stray marker (unbalanced, or from the text itself) must not survive.
    return mark_safe(html.replace(_START, "").replace(_STOP, ""))


_TERM = re.compile(r'(-?)"([^"]+)"|(-?)(\S+)')


def parse_terms(query: str) -> tuple[list[str], list[str]]:
    """Return the terms a query asks for and the ones it excludes ("-word"), web-search style."""
    wanted: list[str] = []
    excluded: list[str] = []
    for match in _TERM.finditer(query):
        negated = match.group(1) or match.group(3)
        term = (match.group(2) or match.group(4) or "").strip()
        if not term or (not match.group(2) and term.lower() == "or"):
            continue
        (excluded if negated else wanted).append(term)
    return wanted, excluded


def _match_spans(
    text: str, terms: Iterable[str], *, whole_words: bool = False
) -> list[tuple[int, int]]:
    spans = []
    for term in terms:
        pattern = rf"(?<!\w){re.escape(term)}(?!\w)" if whole_words else re.escape(term)
        spans += [(m.start(), m.end()) for m in re.finditer(pattern, text, flags=re.IGNORECASE)]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, terms: Iterable[str], *, whole_words: bool = False) -> SafeString:
    """Return ``text`` escaped, with every occurrence of a term wrapped in <mark>."""
    parts = []
    position = 0
    for start, end in _match_spans(text, terms, whole_words=whole_words):
        parts += [escape(text[position:start]), "<mark>", escape(text[start:end]), "</mark>"]
        position = end
    parts.append(escape(text[position:]))
    return mark_safe("".join(str(part) for part in parts))


def snippet(text: str, terms: Iterable[str], *, width: int = SNIPPET_CHARS) -> SafeString:
    """Return about ``width`` characters of ``text`` around its first match, highlighted."""
    text = " ".join((text or "").split())
    spans = _match_spans(text, terms)
    start = 0
    if spans and spans[0][0] > width // 3:
        start = text.rfind(" ", 0, spans[0][0] - width // 3) + 1
    end = start + width
    if end < len(text):
        end = text.rfind(" ", start, end) if " " in text[start:end] else end
    piece = text[start:end]
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + highlight(piece, terms) + suffix)


# The filters: the incident list's, minus its own text search.

SEARCH_FILTERS = (
    "service",
    "provider",
    "severity",
    "root_cause_category",
    "tag",
    "date_from",
    "date_to",
)


def search_filterset(data: QueryDict) -> IncidentFilter:
    """Return the incident filters of a search request, bound to its filter values."""
    values = data.copy()
    values.pop("q", None)
    values.pop("page", None)
    return IncidentFilter(values, queryset=Incident.objects.confirmed())


def filtered_incidents(filterset: IncidentFilter) -> QuerySet[Incident] | None:
    """Return the incidents the filters leave, or None when no filter is set (sources
    linked to no incident then still count)."""
    cleaned = filterset.form.cleaned_data
    if not any(cleaned.get(name) not in (None, "", []) for name in filterset.filters):
        return None
    return filterset.qs

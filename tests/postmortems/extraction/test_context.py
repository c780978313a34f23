"""Step 1, document context: dates with their years, declared zones, publication date."""

from __future__ import annotations

from datetime import date

from postmortems.ingest.extraction.context import DocumentMetadata, read_context
from postmortems.ingest.extraction.text import prepare_text


def context_of(text: str, metadata: DocumentMetadata | None = None, reference: date | None = None):
    prepared = prepare_text(text)
    return read_context(text, prepared, "en", metadata or DocumentMetadata(), reference)


def test_declarations_are_found_with_where_they_stand() -> None:
    text = (
        "All times are Pacific Daylight Time (PDT).\n\n"
        + "Filler sentence. " * 80
        + "\nTimes below are in UTC."
    )
    context = context_of(text)
    first, second = context.declarations
    assert (first.zone.name, first.where) == ("America/Los_Angeles", "the preamble")
    assert (second.zone.name, second.where) == ("UTC", "a note at the end")


def test_the_declaration_in_force_is_the_last_one_before_a_position() -> None:
    text = "All times UTC. First part.\n\nAll times are in CEST. Second part."
    context = context_of(text)
    assert context.declaration_at(text.index("First")).zone.name == "UTC"
    assert context.declaration_at(text.index("Second")).zone.name == "Europe/Berlin"


def test_a_closing_declaration_covers_the_times_before_it() -> None:
    text = "Am 19. Juli 2024 begann es.\n\nAlle Zeitangaben in MESZ."
    context = context_of(text)
    assert context.declaration_at(0).zone.name == "Europe/Berlin"


def test_yearless_dates_take_the_year_of_the_date_before_them() -> None:
    context = context_of("On December 30, 2021 it began. On Jan 2 it ended.")
    assert [d.day for d in context.days] == [date(2021, 12, 30), date(2022, 1, 2)]


def test_yearless_dates_take_the_year_of_the_title_or_the_url() -> None:
    by_title = context_of("On Jan 4 it began.", DocumentMetadata(title="Outage report 2021"))
    by_url = context_of("On Jan 4 it began.", DocumentMetadata(url="https://x.example/2019/04/r"))
    assert by_title.days[0].day == date(2021, 1, 4)
    assert by_url.days[0].day == date(2019, 1, 4)


def test_yearless_date_without_any_year_is_a_warning() -> None:
    context = context_of("On Jan 4 it began.")
    assert context.days == ()
    assert [w.code for w in context.warnings] == ["date_without_year"]


def test_publication_date_comes_from_metadata_first() -> None:
    context = context_of(
        "Published: 3 May 2024\n\nText.", DocumentMetadata(published_at=date(2024, 5, 4))
    )
    assert context.published is not None
    assert context.published.day == date(2024, 5, 4)
    assert "page metadata" in context.published.evidence


def test_publication_lines_datelines_and_news_stamps_are_not_prose_dates() -> None:
    for text in (
        "Published: 3 May 2024\n\nThe outage began.",
        "LONDON, May 3 (Newswire) - The outage began, officials said in 2024.",
        "Outage hits banks\n\n03.05.2024, 09:26\n\nDie Störung begann am Morgen.",
    ):
        context = context_of(text, reference=date(2024, 5, 3))
        assert context.days == (), text
        assert context.published is not None
        assert context.published.day == date(2024, 5, 3)


def test_weekday_counts_back_from_the_publication_date() -> None:
    context = context_of(
        "The outage started on Tuesday.", DocumentMetadata(published_at=date(2025, 3, 12))
    )
    (weekday,) = context.days
    assert (weekday.day, weekday.origin) == (date(2025, 3, 11), "weekday")


def test_weekday_inside_a_full_date_is_not_read_twice() -> None:
    context = context_of(
        "On Tuesday, March 11, 2025 it began.", DocumentMetadata(published_at=date(2025, 3, 12))
    )
    assert [d.origin for d in context.days] == ["prose"]


def test_headline_and_heading_dates_say_where_they_stand() -> None:
    context = context_of(
        "Outage of 19-20 October 2025\n\n## October 21, 2025\n\nIt ended on October 22, 2025."
    )
    assert [(d.origin, d.written) for d in context.days] == [
        ("headline", "19-20 October 2025"),
        ("heading", "October 21, 2025"),
        ("prose", "October 22, 2025"),
    ]


def test_cited_source_dates_point_at_the_incident() -> None:
    context = context_of("Sources:\n- https://example.com/outage-analysis-october-20-2025\n")
    assert context.sources == (date(2025, 10, 20),)
    anchor = context.incident_anchor()
    assert anchor is not None
    assert anchor.day == date(2025, 10, 20)


def test_a_date_line_after_the_section_name_dates_the_weekdays() -> None:
    text = (
        "Kartenzahlungen wieder möglich\n\nFinanzen | 04.03.2024\n\n"
        "Am Sonntag waren die Störungen bei Kartenzahlungen ganz beseitigt."
    )
    context = context_of(text)
    weekday = [d for d in context.days if d.origin == "weekday"]
    assert [d.day for d in weekday] == [date(2024, 3, 3)]
    assert [d.origin for d in context.days if d.day == date(2024, 3, 4)] == ["dateline"]

"""Issue 12: an import keeps its incident, drafts wait for confirmation, the review says what it does."""
# ruff: noqa: F811  (the import tests' fixtures are shared by importing them)

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from rest_framework.test import APIClient

from postmortems.dashboard import dashboard, dashboard_incidents
from postmortems.ingest import articles
from postmortems.ingest.extraction.model import ProposedService
from postmortems.ingest.markup import article_from_content, plain_text_headline
from postmortems.ingest.services import (
    incident_confirm,
    proposal_accept,
    proposal_conflict_resolve,
    proposals_accept_all,
)
from postmortems.ingest.titles import kind_title, proposal_title
from postmortems.models import (
    Citation,
    Event,
    Incident,
    IncidentOrigin,
    ReviewState,
    Service,
    SourceImport,
)
from postmortems.selectors import incident_list, related_incidents
from tests.factories import EventFactory, IncidentFactory, SourceFactory
from tests.postmortems.test_import import (  # noqa: F401 (fixtures)
    GERMAN_ARTICLE,
    OUTAGE_START,
    RECOVERY_UTC,
    TRIGGER_2021_UTC,
    catalogue,
    eager_tasks,
    on_commit,
    submit,
)

GERMAN_FILE = (
    Path(__file__).resolve().parents[2] / "postmortems/demo_data/aws-us-east-1-outage-de.txt"
)


@pytest.fixture
def outage(db) -> Incident:
    return IncidentFactory(slug="aws-2025", started_at=OUTAGE_START, provider="AWS")


# --- 1. the import keeps its incident at every door ---------------------------------------


def test_incident_page_link_passes_the_slug_and_the_form_keeps_the_incident(
    editor_client: Client, outage, catalogue
) -> None:
    page = editor_client.get(outage.get_absolute_url()).content.decode()
    assert f'href="/imports/new/?incident={outage.slug}"' in page

    form = editor_client.get(f"/imports/new/?incident={outage.slug}").content.decode()
    assert f'<option value="{outage.slug}" selected>' in form

    before = Incident.objects.count()
    response = editor_client.post(
        "/imports/new/", {"text": GERMAN_ARTICLE, "incident": outage.slug, "language": "de"}
    )
    assert response.status_code == 302
    source_import = SourceImport.objects.get()
    assert source_import.incident == outage
    assert Incident.objects.count() == before  # no draft made behind the user's back


def test_import_form_understands_an_incident_id_from_an_old_link(
    editor_client: Client, outage
) -> None:
    form = editor_client.get(f"/imports/new/?incident={outage.pk}").content.decode()
    assert f'<option value="{outage.slug}" selected>' in form


def test_api_import_keeps_the_incident(editor, outage, catalogue) -> None:
    api = APIClient()
    api.force_authenticate(editor)
    response = api.post(
        "/api/v1/imports/", {"text": GERMAN_ARTICLE, "incident": outage.slug}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["incident"] == outage.slug
    assert SourceImport.objects.get().incident == outage
    assert not Incident.objects.drafts().exists()


def test_command_line_import_keeps_the_incident(outage, catalogue, capsys) -> None:
    call_command("import_article", str(GERMAN_FILE), "--incident", outage.slug)
    source_import = SourceImport.objects.get()
    assert source_import.incident == outage
    assert not Incident.objects.drafts().exists()
    assert outage.slug in capsys.readouterr().out


def test_command_line_refuses_an_unknown_incident(db) -> None:
    with pytest.raises(CommandError, match="No incident has the slug"):
        call_command("import_article", str(GERMAN_FILE), "--incident", "nope")
    assert not SourceImport.objects.exists()


# --- 2. drafts ---------------------------------------------------------------------------


def test_plain_text_headline_skips_the_sites_teasers() -> None:
    assert plain_text_headline(GERMAN_ARTICLE) == (
        "Wenn DNS-Ausfälle durch Cloud-Infrastruktur kaskadieren"
    )
    assert not GERMAN_ARTICLE.startswith("Wenn DNS")  # the first line is a teaser


def test_a_text_without_headline_gives_no_title_rather_than_its_first_line() -> None:
    assert plain_text_headline("Short teaser\n22/10/2025Another teaser\n" + "x" * 300) == ""


def test_draft_from_an_upload_is_named_by_the_heading_never_the_file_name(
    submit, catalogue
) -> None:
    markdown = (
        "# DynamoDB outage in us-east-1\n\nAt 07:11 UTC on 20 October 2025 DynamoDB failed.\n"
    )
    source_import = submit(kind="upload", filename="notes-final-v2.md", payload=markdown)
    incident = source_import.incident
    assert incident.title == "DynamoDB outage in us-east-1"
    assert "notes-final" not in incident.title
    assert incident.is_draft
    assert incident.origin == IncidentOrigin.IMPORT
    assert incident.started_at == datetime(2025, 10, 20, 7, 11, tzinfo=UTC)


def test_pasted_draft_is_dated_by_the_article_not_by_its_old_moment(submit, catalogue) -> None:
    incident = submit(kind="text", payload=GERMAN_ARTICLE).incident
    assert incident.started_at.date() == RECOVERY_UTC.date()


def test_html_article_date_comes_from_page_metadata() -> None:
    html = (
        '<html><head><title>Outage report</title><meta property="article:published_time" '
        'content="2025-10-21T08:00:00Z"></head><body><article><h1>Outage report</h1>'
        + "<p>"
        + "Words about the outage. " * 30
        + "</p></article></body></html>"
    )
    article = article_from_content(html, content_type="text/html")
    assert article.title == "Outage report"
    assert article.published is not None
    assert article.published.isoformat() == "2025-10-21"


@pytest.fixture
def with_draft(submit, catalogue, outage) -> Incident:
    """The demo-like outage, confirmed, and a draft an import made beside it."""
    outage.root_cause_category = "unknown"
    outage.save()
    draft = submit(kind="text", payload=GERMAN_ARTICLE).incident
    draft.root_cause_category = "unknown"
    draft.save()
    return draft


def test_drafts_stay_out_of_incident_list_dashboard_and_related(with_draft, outage) -> None:
    assert list(incident_list()) == [outage]
    figures = dashboard(dashboard_incidents())
    assert figures.incident_count == 1
    assert with_draft not in [item.incident for item in related_incidents(outage)]


def test_incident_list_page_and_search_leave_drafts_out(
    editor_client: Client, with_draft, outage, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(12):
        page = editor_client.get("/").content.decode()
    assert outage.title in page
    assert with_draft.title not in page
    results = editor_client.get("/search/", {"q": "kaskadieren"}).content.decode()
    assert f'href="{with_draft.get_absolute_url()}"' not in results


def test_draft_list_shows_drafts_and_confirming_lists_the_incident(
    editor_client: Client, with_draft, outage, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(10):
        page = editor_client.get("/imports/drafts/").content.decode()
    assert with_draft.title in page
    assert outage.title not in page
    assert "Confirm this incident" in page

    response = editor_client.post(f"/incidents/{with_draft.slug}/confirm/", {"next": "drafts"})
    assert response.status_code == 302
    with_draft.refresh_from_db()
    assert not with_draft.is_draft
    assert set(incident_list()) == {outage, with_draft}
    assert dashboard(dashboard_incidents()).incident_count == 2
    assert "No drafts waiting" in editor_client.get("/imports/drafts/").content.decode()


def test_confirming_is_for_editors(viewer_client: Client, with_draft) -> None:
    assert viewer_client.post(f"/incidents/{with_draft.slug}/confirm/").status_code in (302, 403)
    with_draft.refresh_from_db()
    assert with_draft.is_draft


def test_confirm_service_is_idempotent(with_draft) -> None:
    incident_confirm(incident=with_draft)
    incident_confirm(incident=with_draft)
    assert Incident.objects.confirmed().filter(pk=with_draft.pk).exists()


# --- 3. warnings first, other incident's moments set apart -------------------------------


@pytest.fixture
def reviewed(submit, catalogue, outage) -> SourceImport:
    return submit(kind="text", payload=GERMAN_ARTICLE, incident=outage)


def test_review_page_leads_with_the_mixed_incident_warning(
    editor_client: Client, reviewed, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(25):
        page = editor_client.get("/incidents/aws-2025/review/").content.decode()
    warning = page.index("more than one incident")
    assert warning < page.index('class="review-layout"')
    assert "1 moment from another incident" in page
    assert "Make it a separate draft incident" in page


def test_accept_all_never_accepts_the_other_incidents_moment(reviewed, editor) -> None:
    assert proposals_accept_all(incident=reviewed.incident, user=editor) == 1
    states = dict(Event.objects.values_list("occurred_at", "review_state"))
    assert states == {RECOVERY_UTC: ReviewState.ACCEPTED, TRIGGER_2021_UTC: ReviewState.PROPOSED}


def test_making_a_separate_incident_moves_the_old_moment_into_a_draft(
    editor_client: Client, reviewed
) -> None:
    response = editor_client.post("/incidents/aws-2025/review/split/")
    assert response.status_code == 302
    old = Event.objects.get(occurred_at=TRIGGER_2021_UTC)
    assert old.incident != reviewed.incident
    assert old.incident.is_draft
    assert old.incident.started_at == TRIGGER_2021_UTC
    assert reviewed.source in old.incident.sources.all()
    assert Event.objects.get(occurred_at=RECOVERY_UTC).incident == reviewed.incident
    page = editor_client.get("/incidents/aws-2025/review/").content.decode()
    assert "from another incident" not in page


def test_moments_attach_to_the_existing_incident_they_match(
    editor_client: Client, reviewed
) -> None:
    old_outage = IncidentFactory(
        slug="aws-2021",
        title="AWS us-east-1 network congestion",
        started_at=datetime(2021, 12, 7, 15, 30, tzinfo=UTC),
        resolved_at=datetime(2021, 12, 7, 22, 30, tzinfo=UTC),
    )
    page = editor_client.get("/incidents/aws-2025/review/").content.decode()
    assert "Move it to “AWS us-east-1 network congestion”" in page

    editor_client.post("/incidents/aws-2025/review/split/", {"attach_to": "aws-2021"})
    assert Event.objects.get(occurred_at=TRIGGER_2021_UTC).incident == old_outage
    assert not Incident.objects.drafts().exists()


# --- 4. the same content twice, the same moment twice -------------------------------------


def test_importing_the_same_text_again_lands_on_the_first_import(
    editor_client: Client, reviewed
) -> None:
    response = editor_client.post(
        "/imports/new/", {"text": GERMAN_ARTICLE, "incident": "aws-2025"}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"/imports/{reviewed.pk}/"
    assert "imported before" in response.content.decode()
    assert SourceImport.objects.count() == 1
    assert Event.objects.count() == 2


@pytest.fixture
def in_timeline(reviewed, catalogue) -> Event:
    """An event already accepted at the recovery's minute, from another source."""
    return EventFactory(
        incident=reviewed.incident,
        source=SourceFactory(title="AWS summary"),
        occurred_at=RECOVERY_UTC,
        kind="recovery",
        title="Services restored",
        review_state=ReviewState.ACCEPTED,
    )


def test_proposal_equal_to_an_accepted_event_is_shown_as_already_in_the_timeline(
    editor_client: Client, in_timeline
) -> None:
    page = editor_client.get("/incidents/aws-2025/review/").content.decode()
    assert "Already in the timeline" in page
    assert "Add as a second source of the timeline&#x27;s event" in page or (
        "Add as a second source of the timeline's event" in page
    )


def test_adding_as_second_source_cites_it_on_the_existing_event_without_a_duplicate(
    editor_client: Client, reviewed, in_timeline
) -> None:
    proposal = Event.objects.get(occurred_at=RECOVERY_UTC, source=reviewed.source)
    editor_client.post(f"/proposals/{proposal.pk}/accept/")

    accepted = Event.objects.filter(
        incident=reviewed.incident, occurred_at=RECOVERY_UTC, review_state=ReviewState.ACCEPTED
    )
    assert list(accepted) == [in_timeline]
    citation = Citation.objects.get(event=in_timeline)
    assert citation.source == reviewed.source
    assert citation.quote == proposal.quote
    proposal.refresh_from_db()
    assert proposal.review_state == ReviewState.REJECTED
    assert f"Merged into event {in_timeline.pk}" in proposal.review_note


def test_accept_all_merges_instead_of_duplicating(reviewed, in_timeline, editor) -> None:
    proposals_accept_all(incident=reviewed.incident, user=editor)
    assert (
        Event.objects.filter(occurred_at=RECOVERY_UTC, review_state=ReviewState.ACCEPTED).count()
        == 1
    )
    assert Citation.objects.filter(event=in_timeline).count() == 1


def test_keep_this_one_rejects_every_other_event_of_the_moment(
    editor_client: Client, outage, catalogue
) -> None:
    # Three sources, each telling the recovery once, at three times.
    first, second, third = SourceFactory(), SourceFactory(), SourceFactory()
    for source in (first, second, third):
        source.incidents.add(outage)
    keep = EventFactory(
        incident=outage,
        source=first,
        occurred_at=RECOVERY_UTC,
        kind="recovery",
        review_state=ReviewState.PROPOSED,
    )
    other = EventFactory(
        incident=outage,
        source=second,
        occurred_at=RECOVERY_UTC + timedelta(minutes=20),
        kind="recovery",
        review_state=ReviewState.PROPOSED,
    )
    accepted_other = EventFactory(
        incident=outage,
        source=third,
        occurred_at=RECOVERY_UTC + timedelta(minutes=40),
        kind="recovery",
        review_state=ReviewState.ACCEPTED,
    )
    page = editor_client.get("/incidents/aws-2025/review/").content.decode()
    assert "Keep this one, reject the other 2" in page

    editor_client.post(f"/proposals/{keep.pk}/keep/")

    states = {
        event.pk: event.review_state
        for event in Event.objects.filter(pk__in=[keep.pk, other.pk, accepted_other.pk])
    }
    assert states == {
        keep.pk: ReviewState.ACCEPTED,
        other.pk: ReviewState.REJECTED,
        accepted_other.pk: ReviewState.REJECTED,
    }


def test_keep_this_one_returns_what_it_rejected(outage, editor) -> None:
    source = SourceFactory()
    keep = EventFactory(
        incident=outage,
        source=source,
        occurred_at=RECOVERY_UTC,
        kind="recovery",
        review_state=ReviewState.PROPOSED,
    )
    other = EventFactory(
        incident=outage,
        source=SourceFactory(),
        kind="recovery",
        occurred_at=RECOVERY_UTC + timedelta(minutes=15),
        review_state=ReviewState.PROPOSED,
    )
    assert [event.pk for event in proposal_conflict_resolve(keep=keep, user=editor)] == [other.pk]


# --- 5. titles ----------------------------------------------------------------------------


AT = datetime(2025, 10, 20, 9, 35, tzinfo=UTC)


@pytest.mark.parametrize(
    ("sentence", "kind", "services", "title"),
    [
        (
            "At 11:48 PM PDT on October 19, the DynamoDB DNS record was emptied by a race "
            "condition in the automation.",
            "trigger",
            ["DynamoDB"],
            "DynamoDB DNS record emptied",
        ),
        ("Services recovered at 09:35 UTC.", "recovery", [], "Services recovered"),
        (
            "At 2:25 AM PDT, all DNS information was restored, and DynamoDB recovered by "
            "2:40 AM PDT as cached DNS records expired.",
            "recovery",
            ["DynamoDB"],
            "DynamoDB recovered",
        ),
    ],
)
def test_english_titles_are_short_clauses(sentence, kind, services, title) -> None:
    assert proposal_title(sentence, kind=kind, at=AT, language="en", services=services) == title


@pytest.mark.parametrize(
    ("sentence", "kind", "services", "title"),
    [
        (
            "Diese Interventionsstrategien, die Echtzeitanalyse und praktische Korrekturen "
            "erforderten, stellten die Dienste schließlich um 09:35 UTC wieder her.",
            "recovery",
            [],
            "Wiederherstellung um 09:35 UTC",
        ),
        (
            "Die DNS-Einträge von DynamoDB wurden um 06:48 UTC gelöscht.",
            "trigger",
            ["DynamoDB"],
            "Die DNS-Einträge von DynamoDB gelöscht",
        ),
        (
            "Am 7. Dezember 2021 um 12:35 Uhr demonstrierte das, was als einfacher "
            "DNS-Auflösungsfehler begann, wie schnell sich Probleme ausbreiten.",
            "trigger",
            [],
            "Auslöser um 09:35 UTC",
        ),
    ],
)
def test_german_titles_are_short_clauses_in_german(sentence, kind, services, title) -> None:
    assert proposal_title(sentence, kind=kind, at=AT, language="de", services=services) == title


def test_kind_title_falls_back_to_english_for_unknown_languages() -> None:
    assert kind_title(kind="recovery", at=AT, language="fr") == "Recovery at 09:35 UTC"


def test_imported_proposals_get_clause_titles_and_keep_the_full_sentence(reviewed) -> None:
    recovery = Event.objects.get(occurred_at=RECOVERY_UTC)
    assert recovery.title == "Wiederherstellung um 09:35 UTC"
    assert recovery.quote.endswith("wieder her.")
    assert len(recovery.quote) > len(recovery.title)


# --- 6. new services and evidence from the extractor --------------------------------------


@pytest.fixture
def richer_extractor(monkeypatch):
    """Every proposal names a service the catalogue lacks, with the extractor's evidence."""
    original = articles.extract_timeline

    def extract(text, **kwargs):
        result = original(text, **kwargs)
        events = tuple(
            replace(
                event,
                new_services=(ProposedService(name="Lambda", provider="AWS"),),
                date_evidence="date from the cited source's URL: 2025-10-20",
                zone_evidence="zone stated: UTC",
            )
            for event in result.events
        )
        return replace(result, events=events)

    monkeypatch.setattr(articles, "extract_timeline", extract)


def test_review_page_offers_new_services_and_shows_the_evidence(
    editor_client: Client, richer_extractor, reviewed
) -> None:
    page = editor_client.get("/incidents/aws-2025/review/").content.decode()
    assert "New service: Lambda (AWS)" in page
    assert "Add to catalogue" in page
    assert "date from the cited source&#x27;s URL: 2025-10-20" in page
    assert "zone stated: UTC" in page


def test_every_event_read_in_a_guessed_zone_is_marked_for_checking(
    editor_client: Client, submit, catalogue, outage
) -> None:
    # No zone anywhere: both times are read as Berlin time. The warning points at the
    # first; the second, read the same way, must be marked all the same.
    submit(
        kind="text",
        payload="Am 20. Oktober 2025 um 08:50 Uhr fielen die Dienste aus. "
        "Um 11:35 Uhr lief wieder alles.",
        incident=outage,
    )
    proposals = list(Event.objects.filter(review_state=ReviewState.PROPOSED))
    assert len(proposals) == 2
    assert {event.proposal_details.get("zone_guess") for event in proposals} == {
        "time_without_zone"
    }
    page = editor_client.get("/incidents/aws-2025/review/").content.decode()
    cards = {
        int(chunk.split('"', 1)[0]): chunk.split("</article>", 1)[0]
        for chunk in page.split('id="proposal-')[1:]
    }
    assert set(cards) == {event.pk for event in proposals}
    for card in cards.values():
        assert "Zone assumed: the text gives none" in card


def test_accepting_events_with_a_new_service_creates_it_once(
    richer_extractor, reviewed, editor
) -> None:
    for event in Event.objects.filter(review_state=ReviewState.PROPOSED):
        proposal_accept(event=event, user=editor)
    lambdas = Service.objects.filter(name="Lambda", provider="AWS")
    assert lambdas.count() == 1
    assert set(lambdas.get().events.values_list("pk", flat=True)) == set(
        Event.objects.filter(review_state=ReviewState.ACCEPTED).values_list("pk", flat=True)
    )


def test_add_to_catalogue_button_creates_the_service(
    editor_client: Client, richer_extractor, reviewed
) -> None:
    proposal = Event.objects.get(occurred_at=RECOVERY_UTC)
    editor_client.post(f"/proposals/{proposal.pk}/add-service/", {"name": "Lambda"})
    editor_client.post(f"/proposals/{proposal.pk}/add-service/", {"name": "Lambda"})
    assert Service.objects.filter(name="Lambda", provider="AWS").count() == 1
    editor_client.post(f"/proposals/{proposal.pk}/add-service/", {"name": "Not offered"})
    assert not Service.objects.filter(name="Not offered").exists()


# --- 7. a large paste never holds the request ---------------------------------------------


def _record_run_threads(monkeypatch) -> list[str]:
    import threading

    from postmortems import tasks

    threads: list[str] = []
    original = tasks.source_import_run

    def recording(**kwargs):
        threads.append(threading.current_thread().name)
        return original(**kwargs)

    monkeypatch.setattr(tasks, "source_import_run", recording)
    return threads


@pytest.mark.django_db(transaction=True)
def test_a_large_paste_is_extracted_outside_the_web_request(
    editor_client: Client, catalogue, monkeypatch
) -> None:
    import threading

    from postmortems.ingest import services as ingest_services

    threads = _record_run_threads(monkeypatch)
    started: list[threading.Thread] = []
    original = ingest_services._dispatch_in_background

    def keeping(import_id: int) -> threading.Thread:
        started.append(original(import_id))
        return started[-1]

    monkeypatch.setattr(ingest_services, "_dispatch_in_background", keeping)
    large = GERMAN_ARTICLE + "\n\n" + ("Weitere Einzelheiten folgen. " * 800)
    assert len(large) > 20_000

    response = editor_client.post("/imports/new/", {"text": large})

    assert response.status_code == 302
    # Wait for the background run itself rather than polling its row: the test database is
    # one shared in-memory SQLite, where a read during the thread's write transaction is
    # refused ("table is locked") instead of waiting as a file database in WAL mode does.
    assert len(started) == 1
    started[0].join(timeout=60)
    assert not started[0].is_alive()
    source_import = SourceImport.objects.get()
    assert source_import.status == "done", source_import.error
    assert threads == [f"import-{source_import.pk}"]
    assert threads[0] != threading.current_thread().name


def test_a_small_paste_is_extracted_in_the_request(
    editor_client: Client, catalogue, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    import threading

    threads = _record_run_threads(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post("/imports/new/", {"text": GERMAN_ARTICLE})
    assert threads == [threading.current_thread().name]
    assert SourceImport.objects.get().status == "done"


def test_extractor_is_given_the_pages_headline_date_and_address(
    submit, catalogue, monkeypatch
) -> None:
    seen: dict[str, object] = {}
    original = articles.extract_timeline

    def spy(text, **kwargs):
        seen.update(kwargs)
        return original(text, **kwargs)

    monkeypatch.setattr(articles, "extract_timeline", spy)
    html = (
        '<html><head><title>Outage report</title><meta property="article:published_time" '
        'content="2025-10-21T08:00:00Z"></head><body><article><h1>Outage report</h1><p>'
        + "At 07:11 UTC on 20 October 2025 DynamoDB failed. " * 10
        + "</p></article></body></html>"
    )
    submit(kind="upload", filename="report.html", payload=html)
    assert seen["title"] == "Outage report"
    assert str(seen["published_at"]) == "2025-10-21"


def test_api_incident_list_leaves_drafts_out_unless_asked(editor, with_draft, outage) -> None:
    api = APIClient()
    api.force_authenticate(editor)
    listed = api.get("/api/v1/incidents/").json()
    slugs = [item["slug"] for item in listed.get("results", listed)]
    assert slugs == [outage.slug]
    drafts = api.get("/api/v1/incidents/", {"drafts": "only"}).json()
    assert [item["slug"] for item in drafts.get("results", drafts)] == [with_draft.slug]
    assert api.get(f"/api/v1/incidents/{with_draft.slug}/").status_code == 200


def test_every_warning_the_extractor_can_give_has_a_title_for_the_reviewer() -> None:
    # The review page opens each warning with a few plain words; a code without them showed
    # its message alone (six codes did, among them weekday_reference_conflict). Every code
    # the extraction package writes, literally or through GUESSED_ZONES, needs its title.
    from postmortems.ingest.extraction.model import GUESSED_ZONES
    from postmortems.views.imports import WARNING_TITLES

    package = Path(__file__).resolve().parents[2] / "postmortems" / "ingest" / "extraction"
    written = {
        code
        for source in package.glob("*.py")
        for code in re.findall(
            r'(?:ExtractionWarning|\.warn)\(\s*"([a-z_]+)"', source.read_text("utf-8")
        )
    }
    assert len(written) >= 10
    assert sorted((written | set(GUESSED_ZONES.values())) - set(WARNING_TITLES)) == []

"""Each database constraint, proven by a write it must refuse."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from postmortems.models import (
    Dependency,
    Event,
    Incident,
    Postmortem,
    PostmortemDraft,
    PostmortemRevision,
    Region,
    Service,
    Source,
    SourceImport,
    Tag,
)
from tests.factories import EventFactory, ImpactFactory, IncidentFactory, ServiceFactory

pytestmark = pytest.mark.django_db
T0 = datetime(2025, 10, 20, 6, 48, tzinfo=UTC)


def _refused(create) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_service_name_is_unique_per_provider_ignoring_case() -> None:
    Service.objects.create(name="DynamoDB", provider="AWS")
    _refused(lambda: Service.objects.create(name="dynamodb", provider="aws"))
    Service.objects.create(name="DynamoDB", provider="Other cloud")  # another provider is fine


def test_service_cannot_depend_on_itself() -> None:
    service = ServiceFactory()
    _refused(lambda: Dependency.objects.create(downstream=service, upstream=service))


def test_dependency_pair_is_recorded_once() -> None:
    ec2, dynamodb = ServiceFactory(), ServiceFactory()
    Dependency.objects.create(downstream=ec2, upstream=dynamodb)
    _refused(lambda: Dependency.objects.create(downstream=ec2, upstream=dynamodb, kind="soft"))
    Dependency.objects.create(
        downstream=dynamodb, upstream=ec2
    )  # the other direction is another edge


def test_incident_slug_is_unique() -> None:
    IncidentFactory(slug="aws-2025")
    _refused(lambda: Incident.objects.create(slug="aws-2025", title="Again"))


@pytest.mark.parametrize("severity", [0, 6])
def test_incident_severity_is_sev1_to_sev5(severity: int) -> None:
    _refused(lambda: Incident.objects.create(slug=f"s{severity}", title="x", severity=severity))


def test_impact_start_is_unique_per_incident_and_service() -> None:
    impact = ImpactFactory()
    _refused(
        lambda: ImpactFactory(
            incident=impact.incident, service=impact.service, started_at=impact.started_at
        )
    )


def test_source_url_is_unique_but_many_sources_may_have_none() -> None:
    Source.objects.create(url="https://example.com/a", title="a")
    _refused(lambda: Source.objects.create(url="https://example.com/a", title="b"))
    Source.objects.create(title="pasted 1")
    Source.objects.create(title="pasted 2")


def test_source_content_hash_is_unique_but_may_be_empty() -> None:
    Source.objects.create(content_hash="ab" * 32)
    _refused(lambda: Source.objects.create(content_hash="ab" * 32, url="https://example.com/other"))
    Source.objects.create(content_hash="")
    Source.objects.create(content_hash="")


def test_event_quote_span_cannot_end_before_it_starts() -> None:
    event = EventFactory()
    _refused(
        lambda: Event.objects.create(
            incident=event.incident, occurred_at=T0, title="bad span", quote_start=10, quote_end=5
        )
    )


def test_event_may_be_earlier_than_its_incident_start() -> None:
    """Sources disagree about times: such an event is stored and flagged later, not refused."""
    incident = IncidentFactory(started_at=T0)
    Event.objects.create(
        incident=incident, occurred_at=datetime(2021, 12, 7, tzinfo=UTC), title="early"
    )


def test_one_postmortem_per_incident() -> None:
    incident = IncidentFactory()
    Postmortem.objects.create(incident=incident)
    _refused(lambda: Postmortem.objects.create(incident=incident))


def test_postmortem_version_starts_at_one() -> None:
    _refused(lambda: Postmortem.objects.create(incident=IncidentFactory(), version=0))


def test_revision_version_is_unique_per_postmortem() -> None:
    postmortem = Postmortem.objects.create(incident=IncidentFactory())
    PostmortemRevision.objects.create(postmortem=postmortem, version=1)
    _refused(lambda: PostmortemRevision.objects.create(postmortem=postmortem, version=1))


def test_region_code_and_tag_name_are_unique() -> None:
    Region.objects.create(code="us-east-1")
    _refused(lambda: Region.objects.create(code="us-east-1"))
    Tag.objects.create(name="dns")
    _refused(lambda: Tag.objects.create(name="dns"))


def test_an_import_proposes_each_moment_of_a_source_once() -> None:
    event = EventFactory(quote="At 06:48 it failed.", quote_start=0, quote_end=19)
    _refused(
        lambda: Event.objects.create(
            incident=event.incident,
            source=event.source,
            occurred_at=event.occurred_at,
            kind=event.kind,
            title="the same moment again",
            quote_start=0,
            quote_end=19,
        )
    )
    # The same sentence may carry another moment (a range's end), and typed events carry none.
    Event.objects.create(
        incident=event.incident,
        source=event.source,
        occurred_at=event.occurred_at + timedelta(hours=1),
        kind=event.kind,
        title="the range's end",
        quote_start=0,
        quote_end=19,
    )
    Event.objects.create(
        incident=event.incident, occurred_at=event.occurred_at, kind=event.kind, title="typed"
    )
    Event.objects.create(
        incident=event.incident, occurred_at=event.occurred_at, kind=event.kind, title="typed"
    )


def test_an_import_submission_is_recorded_once_per_dedupe_key() -> None:
    SourceImport.objects.create(kind="text", payload="x", dedupe_key="k" * 64)
    _refused(lambda: SourceImport.objects.create(kind="text", payload="x", dedupe_key="k" * 64))


def test_import_progress_is_a_percentage() -> None:
    _refused(lambda: SourceImport.objects.create(kind="text", dedupe_key="p" * 64, progress=101))


def test_one_autosaved_draft_per_author_and_postmortem(editor: User) -> None:
    postmortem = Postmortem.objects.create(incident=IncidentFactory())
    PostmortemDraft.objects.create(postmortem=postmortem, author=editor, body="a", base_version=1)
    _refused(
        lambda: PostmortemDraft.objects.create(
            postmortem=postmortem, author=editor, body="b", base_version=1
        )
    )

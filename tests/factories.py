"""Small factories for records, for tests that need more rows than the demo has."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import factory

from postmortems import models

BASE_TIME = datetime(2025, 1, 1, tzinfo=UTC)


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Service

    name = factory.Sequence(lambda n: f"service-{n}")
    provider = "ACME"
    category = models.ServiceCategory.COMPUTE


class IncidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Incident
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"incident-{n}")
    title = factory.Sequence(lambda n: f"Incident {n}")
    provider = "ACME"
    severity = models.Severity.SEV2
    status = models.IncidentStatus.RESOLVED
    started_at = factory.Sequence(lambda n: BASE_TIME + timedelta(days=n))
    resolved_at = factory.LazyAttribute(lambda o: o.started_at + timedelta(hours=3))

    @factory.post_generation
    def tags(self, create: bool, extracted: list[models.Tag] | None, **kwargs: object) -> None:
        if create and extracted:
            self.tags.set(extracted)

    @factory.post_generation
    def regions(
        self, create: bool, extracted: list[models.Region] | None, **kwargs: object
    ) -> None:
        if create and extracted:
            self.regions.set(extracted)


class ImpactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Impact

    incident = factory.SubFactory(IncidentFactory)
    service = factory.SubFactory(ServiceFactory)
    started_at = factory.LazyAttribute(lambda o: o.incident.started_at)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Source

    title = factory.Sequence(lambda n: f"Article {n}")
    text = factory.Sequence(lambda n: f"Article text {n}.")


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Event
        skip_postgeneration_save = True

    incident = factory.SubFactory(IncidentFactory)
    occurred_at = factory.LazyAttribute(lambda o: o.incident.started_at)
    kind = models.EventKind.IMPACT
    title = factory.Sequence(lambda n: f"Event {n}")
    review_state = models.ReviewState.ACCEPTED
    source = factory.SubFactory(SourceFactory)

    @factory.post_generation
    def services(
        self, create: bool, extracted: list[models.Service] | None, **kwargs: object
    ) -> None:
        if create and extracted:
            self.services.set(extracted)

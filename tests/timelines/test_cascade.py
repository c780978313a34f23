"""Tests for the cascade reconstruction core: hand-built graphs, no database."""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timelines.cascade import (
    CascadeWarning,
    DependencyEdge,
    EventRecord,
    ImpactRecord,
    IncidentTimes,
    Phases,
    PropagationEdge,
    Reconstruction,
    ServiceNode,
    format_offset,
    reconstruct,
)

T0 = datetime(2024, 3, 1, 10, 0, tzinfo=UTC)

DB, API, WEB, CACHE, LB, QUEUE = 1, 2, 3, 4, 5, 6
SERVICES = [
    ServiceNode(DB, "Database"),
    ServiceNode(API, "API"),
    ServiceNode(WEB, "Web"),
    ServiceNode(CACHE, "Cache"),
    ServiceNode(LB, "Load balancer"),
    ServiceNode(QUEUE, "Queue"),
]


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def minutes(count: float) -> timedelta:
    return timedelta(minutes=count)


def depends(downstream_id: int, upstream_id: int, *, hard: bool = True) -> DependencyEdge:
    return DependencyEdge(downstream_id=downstream_id, upstream_id=upstream_id, hard=hard)


def impact(
    impact_id: int,
    service_id: int,
    started: float,
    ended: float | None = None,
    level: str = "outage",
) -> ImpactRecord:
    return ImpactRecord(
        id=impact_id,
        service_id=service_id,
        level=level,
        started_at=at(started),
        ended_at=None if ended is None else at(ended),
    )


def event(
    event_id: int,
    when: float,
    kind: str,
    *service_ids: int,
    source_id: int | None = None,
    precision: str = "minute",
) -> EventRecord:
    return EventRecord(
        id=event_id,
        at=at(when),
        kind=kind,
        service_ids=service_ids,
        source_id=source_id,
        precision=precision,
    )


def run(
    *,
    dependencies: Sequence[DependencyEdge] = (),
    impacts: Sequence[ImpactRecord] = (),
    events: Sequence[EventRecord] = (),
    incident: IncidentTimes | None = None,
    services: Sequence[ServiceNode] = SERVICES,
    source_names: dict[int, str] | None = None,
) -> Reconstruction:
    return reconstruct(
        incident=incident or IncidentTimes(started_at=None),
        services=services,
        dependencies=dependencies,
        impacts=impacts,
        events=events,
        source_names=source_names,
    )


def codes(result: Reconstruction) -> list[str]:
    return [warning.code for warning in result.warnings]


# ------------------------------------------------------------------------ propagation


def test_linear_chain_links_each_service_to_its_upstream_with_its_lag() -> None:
    result = run(
        dependencies=[depends(API, DB), depends(WEB, API)],
        impacts=[impact(10, DB, 0, 30), impact(11, API, 5, 40), impact(12, WEB, 12, 45)],
    )

    assert result.edges == (
        PropagationEdge(
            upstream_id=DB, downstream_id=API, lag=minutes(5), path=(DB, API), hard=True
        ),
        PropagationEdge(
            upstream_id=API, downstream_id=WEB, lag=minutes(7), path=(API, WEB), hard=True
        ),
    )
    assert result.roots == (DB,)
    assert result.unexplained == ()
    assert result.depth == {DB: 0, API: 1, WEB: 2}
    assert result.blast_radius == (1, 1, 1)
    assert result.critical_path == (DB, API, WEB)
    assert result.start == at(0)
    assert result.end == at(45)
    assert result.warnings == ()


def test_diamond_links_the_bottom_to_the_later_of_its_two_upstreams() -> None:
    result = run(
        dependencies=[depends(API, DB), depends(CACHE, DB), depends(WEB, API), depends(WEB, CACHE)],
        impacts=[impact(10, DB, 0), impact(11, API, 5), impact(12, CACHE, 8), impact(13, WEB, 10)],
    )

    assert [(e.upstream_id, e.downstream_id, e.lag) for e in result.edges] == [
        (DB, API, minutes(5)),
        (DB, CACHE, minutes(8)),
        (CACHE, WEB, minutes(2)),
    ]
    assert result.roots == (DB,)
    assert result.depth == {DB: 0, API: 1, CACHE: 1, WEB: 2}
    assert result.blast_radius == (1, 2, 1)


def test_two_independent_origins_are_both_roots_with_their_own_trees() -> None:
    result = run(
        dependencies=[depends(API, DB), depends(WEB, CACHE)],
        impacts=[impact(10, DB, 0), impact(11, API, 3), impact(12, CACHE, 10), impact(13, WEB, 11)],
    )

    assert result.roots == (DB, CACHE)
    assert [(e.upstream_id, e.downstream_id) for e in result.edges] == [(DB, API), (CACHE, WEB)]
    assert result.blast_radius == (2, 2)
    assert result.unexplained == ()


def test_service_impacted_before_its_only_upstream_is_unexplained_not_linked_nor_root() -> None:
    result = run(
        dependencies=[depends(API, DB)],
        impacts=[impact(10, API, 0, 20), impact(11, DB, 10, 30)],
    )

    assert result.edges == ()
    assert result.roots == (DB,)
    assert result.unexplained == (API,)
    assert result.depth == {API: 0, DB: 0}
    assert result.warnings == (
        CascadeWarning(
            code="impact_without_cause",
            message=(
                "API was impacted at 2024-03-01 10:00 UTC, before any impacted service it "
                "depends on; the earliest, Database, was only impacted at 2024-03-01 10:10 UTC."
            ),
            service_ids=(API, DB),
            impact_ids=(10,),
        ),
    )


def test_impacted_service_in_between_is_the_carrier_not_a_pass_through() -> None:
    # Web's failure could only reach it through the API, which was fine until after Web
    # broke, so the earlier database failure does not explain it.
    result = run(
        dependencies=[depends(API, DB), depends(WEB, API)],
        impacts=[impact(10, DB, 0), impact(11, API, 20), impact(12, WEB, 10)],
    )

    assert [(e.upstream_id, e.downstream_id) for e in result.edges] == [(DB, API)]
    assert result.unexplained == (WEB,)
    assert result.warnings[0].service_ids == (WEB, API)


def test_dependency_cycle_is_reported_and_the_cascade_still_reconstructed() -> None:
    result = run(
        dependencies=[depends(API, DB), depends(WEB, API), depends(DB, WEB), depends(QUEUE, WEB)],
        impacts=[
            impact(10, DB, 0, 20),
            impact(11, API, 5, 25),
            impact(12, WEB, 10, 30),
            impact(13, QUEUE, 12, 50),
        ],
    )

    assert [(e.upstream_id, e.downstream_id, e.lag) for e in result.edges] == [
        (DB, API, minutes(5)),
        (API, WEB, minutes(5)),
        (WEB, QUEUE, minutes(2)),
    ]
    # The database depends (round the cycle) on Web, which failed after it: the first
    # failure in a cycle has no earlier impacted upstream to blame.
    assert result.roots == ()
    assert result.unexplained == (DB,)
    assert result.critical_path == (DB, API, WEB, QUEUE)
    assert codes(result) == ["dependency_cycle", "impact_without_cause"]
    assert result.warnings[0].service_ids == (DB, API, WEB)
    assert result.warnings[0].message.startswith("Database, API and Web depend on each other")


def test_own_failure_coming_back_round_a_cycle_is_not_a_cause() -> None:
    # The API and the load balancer depend on each other; the database feeds the load
    # balancer but failed after the API, so nothing explains the API's impact.
    result = run(
        dependencies=[depends(LB, API), depends(API, LB), depends(LB, DB)],
        impacts=[impact(10, API, 0), impact(11, DB, 5)],
    )

    assert result.edges == ()
    assert result.roots == (DB,)
    assert result.unexplained == (API,)
    assert codes(result) == ["dependency_cycle", "impact_without_cause"]


def test_self_dependency_is_reported_as_a_cycle_and_ignored() -> None:
    result = run(dependencies=[depends(API, API)], impacts=[impact(10, API, 0)])

    assert result.roots == (API,)
    assert result.warnings == (
        CascadeWarning(
            code="dependency_cycle",
            message="API is listed as depending on itself.",
            service_ids=(API,),
        ),
    )


def test_simultaneous_impacts_around_a_cycle_do_not_cause_each_other() -> None:
    result = run(
        dependencies=[depends(API, DB), depends(DB, API)],
        impacts=[impact(10, DB, 0), impact(11, API, 0)],
    )

    assert [(e.upstream_id, e.downstream_id, e.lag) for e in result.edges] == [
        (DB, API, minutes(0))
    ]
    assert result.roots == (DB,)
    assert result.unexplained == ()
    assert codes(result) == ["dependency_cycle"]


def test_simultaneous_impact_along_a_dependency_links_upstream_even_with_higher_id() -> None:
    result = run(
        dependencies=[depends(API, QUEUE)],
        impacts=[impact(10, API, 0), impact(11, QUEUE, 0)],
    )

    assert [(e.upstream_id, e.downstream_id, e.lag) for e in result.edges] == [
        (QUEUE, API, minutes(0))
    ]
    assert result.roots == (QUEUE,)


def test_failure_travels_through_an_unimpacted_intermediate() -> None:
    result = run(
        dependencies=[depends(LB, DB), depends(WEB, LB, hard=False)],
        impacts=[impact(10, DB, 0), impact(11, WEB, 4)],
    )

    assert result.edges == (
        PropagationEdge(
            upstream_id=DB, downstream_id=WEB, lag=minutes(4), path=(DB, LB, WEB), hard=False
        ),
    )
    assert LB not in result.depth


def test_latest_upstream_that_began_before_the_downstream_wins() -> None:
    result = run(
        dependencies=[depends(WEB, DB), depends(WEB, CACHE), depends(WEB, QUEUE)],
        impacts=[
            impact(10, DB, 0),
            impact(11, CACHE, 6),
            impact(12, WEB, 10),
            impact(13, QUEUE, 15),
        ],
    )

    assert result.edge_into(WEB) == PropagationEdge(
        upstream_id=CACHE, downstream_id=WEB, lag=minutes(4), path=(CACHE, WEB), hard=True
    )


def test_simultaneous_upstreams_tie_goes_to_the_shorter_path() -> None:
    result = run(
        dependencies=[depends(LB, DB), depends(WEB, LB), depends(WEB, CACHE)],
        impacts=[impact(10, DB, 2), impact(11, CACHE, 2), impact(12, WEB, 10)],
    )

    # The database has the lower id, but the cache is one hop away, not two.
    edge = result.edge_into(WEB)
    assert edge is not None
    assert (edge.upstream_id, edge.path) == (CACHE, (CACHE, WEB))


def test_equal_lag_and_length_prefers_a_hard_dependency_then_the_lowest_id() -> None:
    result = run(
        dependencies=[
            depends(WEB, DB, hard=False),
            depends(WEB, CACHE),
            depends(API, DB),
            depends(API, CACHE),
        ],
        impacts=[impact(10, DB, 2), impact(11, CACHE, 2), impact(12, WEB, 10), impact(13, API, 10)],
    )

    web_edge, api_edge = result.edge_into(WEB), result.edge_into(API)
    assert web_edge is not None
    assert api_edge is not None
    assert (web_edge.upstream_id, web_edge.hard) == (CACHE, True)
    assert (api_edge.upstream_id, api_edge.hard) == (DB, True)


def test_missing_recovery_leaves_the_window_open_and_the_critical_path_ends_there() -> None:
    result = run(
        dependencies=[depends(API, DB), depends(WEB, DB)],
        impacts=[impact(10, DB, 0, 20), impact(11, API, 5, 90)],
        events=[event(1, 7, "impact", WEB), event(2, 95, "recovery", API)],
    )

    web = result.window_for(WEB)
    assert web is not None
    assert (web.started_at, web.ended_at, web.is_open) == (at(7), None, True)
    assert web.segments == ((at(7), None, "degraded"),)
    assert result.critical_path == (DB, WEB)
    # A service is still down, so the incident has not recovered.
    assert result.phases.recovered_at is None
    assert result.end is None


# ---------------------------------------------------------------------------- windows


def test_outage_and_degraded_impacts_become_separate_segments() -> None:
    result = run(
        impacts=[
            impact(10, API, 0, 30, level="degraded"),
            impact(11, API, 10, 20, level="outage"),
            impact(12, API, 40, 50, level="degraded"),
        ]
    )

    (window,) = result.windows
    assert window.segments == (
        (at(0), at(10), "degraded"),
        (at(10), at(20), "outage"),
        (at(20), at(30), "degraded"),
        (at(40), at(50), "degraded"),
    )
    assert (window.started_at, window.ended_at, window.level) == (at(0), at(50), "outage")
    assert window.impact_ids == (10, 11, 12)


def test_window_of_only_degraded_impacts_is_degraded() -> None:
    result = run(impacts=[impact(10, API, 0, 30, level="degraded")])

    assert result.windows[0].level == "degraded"


def test_recovery_event_ends_an_open_impact() -> None:
    result = run(impacts=[impact(10, API, 0)], events=[event(1, 25, "recovery", API)])

    window = result.windows[0]
    assert (window.ended_at, window.segments) == (at(25), ((at(0), at(25), "outage"),))
    assert window.event_ids == (1,)


def test_a_window_says_whether_the_records_the_events_or_both_gave_it() -> None:
    result = run(
        impacts=[impact(10, API, 0, 30), impact(11, WEB, 5), impact(12, CACHE, 0, 5)],
        events=[
            event(1, 25, "recovery", WEB),
            event(2, 10, "impact", LB),
            event(3, 40, "recovery", LB),
            # A recovery inside the recorded window changes nothing.
            event(4, 2, "recovery", CACHE),
        ],
    )

    source = {window.service_id: window.source for window in result.windows}
    assert source == {API: "record", WEB: "record_and_events", LB: "events", CACHE: "record"}


def test_an_end_before_the_start_leaves_the_record_open_for_the_events() -> None:
    result = run(impacts=[impact(10, API, 10, 5)], events=[event(1, 30, "recovery", API)])

    (window,) = result.windows
    assert (window.ended_at, window.source) == (at(30), "record_and_events")


def test_impact_event_just_before_a_record_runs_into_it_at_the_record_level() -> None:
    result = run(impacts=[impact(10, API, 5, 20)], events=[event(1, 3, "trigger", API)])

    assert result.windows[0].segments == ((at(3), at(20), "outage"),)


def test_recovery_after_the_recorded_impact_end_keeps_the_record_and_warns() -> None:
    result = run(
        impacts=[impact(10, API, 5, 20)],
        events=[event(1, 30, "recovery", API, source_id=7, precision="approximate")],
        source_names={7: "Team notes"},
    )

    window = result.windows[0]
    assert (window.ended_at, window.segments) == (at(20), ((at(5), at(20), "outage"),))
    [warning] = [w for w in result.warnings if w.code == "impact_window_disagrees"]
    assert (warning.service_ids, warning.impact_ids, warning.event_ids) == ((API,), (10,), (1,))
    assert warning.message == (
        "API: the impact record says 2024-03-01 10:05–10:20 UTC, the events say "
        "2024-03-01 10:05–10:30 UTC (recovery “” at 10:30, approximate, from Team notes). "
        "The record is shown; keep it or adopt the events' window."
    )


def test_impact_event_long_before_the_record_is_a_disagreement_not_a_longer_window() -> None:
    result = run(impacts=[impact(10, API, 30, 60)], events=[event(1, 0, "impact", API)])

    assert result.windows[0].segments == ((at(30), at(60), "outage"),)
    assert [w.code for w in result.warnings] == ["impact_window_disagrees"]


def test_a_record_kept_over_the_events_window_silences_the_warning_until_events_change() -> None:
    kept = ImpactRecord(
        id=10,
        service_id=API,
        level="outage",
        started_at=at(5),
        ended_at=at(20),
        kept_over_events=(at(5), at(30)),
    )
    quiet = run(impacts=[kept], events=[event(1, 30, "recovery", API)])
    louder = run(impacts=[kept], events=[event(1, 45, "recovery", API)])

    assert quiet.windows[0].ended_at == at(20)
    assert quiet.warnings == ()
    assert [w.code for w in louder.warnings] == ["impact_window_disagrees"]


def test_recovery_within_five_minutes_of_the_record_end_is_agreement() -> None:
    result = run(impacts=[impact(10, API, 5, 20)], events=[event(1, 24, "recovery", API)])

    assert result.windows[0].ended_at == at(24)
    assert result.warnings == ()


def test_impact_event_inside_a_recorded_impact_adds_nothing() -> None:
    result = run(impacts=[impact(10, API, 0, 20)], events=[event(1, 5, "impact", API)])

    assert result.windows[0].segments == ((at(0), at(20), "outage"),)


# ----------------------------------------------------------------------------- phases


PHASE_EVENTS = [
    event(1, 0, "trigger", DB),
    event(2, 3, "impact", API),
    event(3, 7, "detection"),
    event(4, 20, "mitigation"),
    event(5, 30, "recovery", API),
    event(6, 35, "recovery", DB),
]


def test_phases_come_from_events_when_the_incident_times_are_unset() -> None:
    result = run(dependencies=[depends(API, DB)], events=PHASE_EVENTS)

    assert result.start == at(0)
    assert result.end == at(35)
    assert result.phases == Phases(
        trigger_at=at(0),
        detected_at=at(7),
        mitigated_at=at(20),
        recovered_at=at(35),
        time_to_detect=minutes(7),
        time_to_mitigate=minutes(20),
        time_to_recover=minutes(35),
    )
    assert [(e.upstream_id, e.downstream_id) for e in result.edges] == [(DB, API)]


def test_incident_times_take_precedence_over_events() -> None:
    incident = IncidentTimes(
        started_at=at(-5), detected_at=at(4), mitigated_at=at(15), resolved_at=at(40)
    )

    result = run(dependencies=[depends(API, DB)], events=PHASE_EVENTS, incident=incident)

    assert result.start == at(-5)
    assert result.end == at(40)
    assert result.phases == Phases(
        trigger_at=at(-5),
        detected_at=at(4),
        mitigated_at=at(15),
        recovered_at=at(40),
        time_to_detect=minutes(9),
        time_to_mitigate=minutes(20),
        time_to_recover=minutes(45),
    )
    assert result.warnings == ()


def test_start_is_the_earliest_trigger_or_impact_when_the_incident_start_is_unset() -> None:
    result = run(impacts=[impact(10, API, 0)], events=[event(1, -3, "trigger")])

    assert result.start == at(-3)
    assert result.phases.trigger_at == at(-3)


def test_nothing_to_go_on_gives_an_empty_reconstruction() -> None:
    result = run()

    assert (result.start, result.end, result.windows, result.edges) == (None, None, (), ())
    assert (result.critical_path, result.blast_radius, result.offsets) == ((), (), {})


# ---------------------------------------------------------------------------- offsets


@pytest.mark.parametrize(
    ("delta", "expected"),
    [
        (timedelta(0), "T+00:00"),
        (minutes(5), "T+00:05"),
        (minutes(-5), "T-00:05"),
        (timedelta(hours=26, minutes=5), "T+26:05"),
        (-timedelta(hours=26, minutes=5), "T-26:05"),
        (timedelta(hours=100), "T+100:00"),
        (timedelta(seconds=90), "T+00:01"),
        (timedelta(seconds=-30), "T+00:00"),
        (timedelta(seconds=-59.5), "T+00:00"),
        (timedelta(seconds=-60.5), "T-00:01"),
    ],
)
def test_format_offset(delta: timedelta, expected: str) -> None:
    assert format_offset(delta) == expected


def test_offsets_are_keyed_by_event_id_and_measured_from_the_start() -> None:
    result = run(
        events=[event(1, -10, "note"), event(2, 65, "communication"), event(3, 1565, "note")],
        incident=IncidentTimes(started_at=at(0)),
    )

    assert result.offsets == {1: "T-00:10", 2: "T+01:05", 3: "T+26:05"}


# ---------------------------------------------------------------------------- warnings


@pytest.mark.parametrize("second_source", [2, None])
def test_sources_disagreeing_on_a_moment_beyond_precision_are_flagged(
    second_source: int | None,
) -> None:
    result = run(
        events=[
            event(1, 10, "detection", API, WEB, source_id=1),
            event(2, 20, "detection", WEB, API, source_id=second_source),
        ]
    )

    assert result.warnings == (
        CascadeWarning(
            code="conflicting_times",
            message=(
                "Sources disagree on the detection time of API and Web: from 2024-03-01 "
                "10:10 UTC to 2024-03-01 10:20 UTC, further apart than their precision allows."
            ),
            event_ids=(1, 2),
            service_ids=(API, WEB),
        ),
    )


def test_disagreement_within_one_source_is_not_a_conflict() -> None:
    result = run(
        events=[
            event(1, 10, "detection", API, source_id=1),
            event(2, 30, "detection", API, source_id=1),
        ]
    )

    assert result.warnings == ()


def test_different_kinds_or_services_are_different_moments() -> None:
    result = run(
        events=[
            event(1, 10, "detection", API, source_id=1),
            event(2, 30, "detection", WEB, source_id=2),
            event(3, 50, "mitigation", API, source_id=2),
            event(4, 70, "impact", API, source_id=2),
        ]
    )

    assert "conflicting_times" not in codes(result)


@pytest.mark.parametrize(
    ("precisions", "apart", "flagged"),
    [
        (("minute", "minute"), 4, False),
        (("minute", "minute"), 6, True),
        (("minute", "hour"), 50, False),
        (("hour", "minute"), 70, True),
        (("minute", "approximate"), 110, False),
        (("day", "minute"), 23 * 60, False),
        (("approximate", "approximate"), 3 * 60, True),
    ],
)
def test_conflict_tolerance_is_the_looser_precision_of_the_two(
    precisions: tuple[str, str], apart: int, flagged: bool
) -> None:
    result = run(
        events=[
            event(1, 0, "recovery", source_id=1, precision=precisions[0]),
            event(2, apart, "recovery", source_id=2, precision=precisions[1]),
        ]
    )

    assert (codes(result) == ["conflicting_times"]) is flagged


def test_only_the_events_that_disagree_are_named() -> None:
    result = run(
        events=[
            event(1, 10, "trigger", DB, source_id=1),
            event(2, 12, "trigger", DB, source_id=2),
            event(3, 13, "trigger", DB, source_id=3),
            event(4, 40, "trigger", DB, source_id=3),
        ]
    )

    # 4 disagrees with 1 and 2; 3 is within five minutes of every other source's time.
    (warning,) = [w for w in result.warnings if w.code == "conflicting_times"]
    assert warning.event_ids == (1, 2, 4)


def test_conflict_is_found_past_several_events_from_one_source() -> None:
    result = run(
        events=[
            event(1, 0, "mitigation", source_id=1),
            event(2, 1, "mitigation", source_id=1),
            event(3, 50, "mitigation", source_id=2),
            event(4, 100, "mitigation", source_id=1),
        ]
    )

    assert [w.event_ids for w in result.warnings] == [(1, 2, 3, 4)]


def test_events_outside_the_incident_start_and_resolution_are_flagged() -> None:
    result = run(
        events=[
            event(1, -30, "note"),
            event(2, -0.5, "detection"),
            event(3, 90, "communication", API),
            event(4, -600, "note", precision="day"),
            event(5, 45, "recovery"),
        ],
        incident=IncidentTimes(started_at=at(0), resolved_at=at(60)),
    )

    assert [(w.code, w.event_ids) for w in result.warnings] == [
        ("event_outside_window", (1,)),
        ("event_outside_window", (3,)),
    ]
    assert result.warnings[1].service_ids == (API,)
    assert "after the incident was resolved at 2024-03-01 11:00 UTC" in result.warnings[1].message


def test_events_are_not_checked_against_derived_start_and_end() -> None:
    result = run(
        impacts=[impact(10, API, 0, 20)],
        events=[event(1, -30, "note"), event(2, 300, "communication")],
    )

    assert result.warnings == ()


def test_recovery_event_before_the_impact_start_is_flagged() -> None:
    result = run(impacts=[impact(10, DB, 10, 30)], events=[event(1, 2, "recovery", DB)])

    assert result.warnings == (
        CascadeWarning(
            code="recovery_before_impact",
            message=(
                "Database is reported recovered at 2024-03-01 10:02 UTC, before its impact "
                "began at 2024-03-01 10:10 UTC."
            ),
            event_ids=(1,),
            service_ids=(DB,),
        ),
    )
    assert result.windows[0].ended_at == at(30)


def test_impact_ending_before_it_starts_is_flagged_and_its_end_ignored() -> None:
    result = run(impacts=[impact(10, API, 10, 5)], events=[event(1, 40, "recovery", API)])

    assert [(w.code, w.impact_ids, w.service_ids) for w in result.warnings] == [
        ("recovery_before_impact", (10,), (API,))
    ]
    assert result.windows[0].ended_at == at(40)


# -------------------------------------------------------------------------- scale


def test_long_chain_does_not_hit_the_recursion_limit() -> None:
    length = 5000
    services = [ServiceNode(i, f"s{i}") for i in range(length)]
    dependencies = [depends(i + 1, i) for i in range(length - 1)]
    dependencies.append(depends(0, length - 1))
    impacts = [impact(i, i, i) for i in range(0, length, 50)]

    result = run(dependencies=dependencies, impacts=impacts, services=services)

    assert len(result.edges) == len(impacts) - 1
    assert result.edges[0].path == tuple(range(0, 51))
    assert result.unexplained == (0,)


# ------------------------------------------------------------------------- properties


@st.composite
def cascades(draw: st.DrawFn, *, acyclic: bool) -> tuple[list[DependencyEdge], list[ImpactRecord]]:
    count = draw(st.integers(min_value=1, max_value=10))
    pairs = st.tuples(st.integers(0, count - 1), st.integers(0, count - 1), st.booleans())
    dependencies = []
    for first, second, hard in draw(st.lists(pairs, max_size=25)):
        if acyclic:
            if first == second:
                continue
            # Lower ids are upstream, so the graph can have no cycle.
            first, second = min(first, second), max(first, second)
        dependencies.append(depends(second, first, hard=hard))
    impacted = draw(st.lists(st.integers(0, count - 1), unique=True, max_size=count))
    starts = st.integers(min_value=0, max_value=6)
    impacts = [impact(100 + service_id, service_id, draw(starts)) for service_id in impacted]
    return dependencies, impacts


def nearest_impacted_ancestors(
    service_id: int, dependencies: list[DependencyEdge], impacted: set[int]
) -> set[int]:
    """Impacted services that reach this one through un-impacted services only."""
    upstream: dict[int, list[int]] = {}
    for edge in dependencies:
        upstream.setdefault(edge.downstream_id, []).append(edge.upstream_id)
    found, seen, queue = set(), {service_id}, deque([service_id])
    while queue:
        for dependency in upstream.get(queue.popleft(), []):
            if dependency in impacted:
                found.add(dependency)
            elif dependency not in seen:
                seen.add(dependency)
                queue.append(dependency)
    found.discard(service_id)
    return found


@settings(max_examples=300, deadline=None)
@given(cascades(acyclic=True))
def test_every_impacted_service_is_exactly_one_of_root_linked_or_unexplained(
    cascade: tuple[list[DependencyEdge], list[ImpactRecord]],
) -> None:
    dependencies, impacts = cascade
    result = run(dependencies=dependencies, impacts=impacts)

    starts = {record.service_id: record.started_at for record in impacts}
    linked = [edge.downstream_id for edge in result.edges]
    assert sorted([*result.roots, *linked, *result.unexplained]) == sorted(starts)

    hard_pairs = {(e.upstream_id, e.downstream_id) for e in dependencies if e.hard}
    all_pairs = {(e.upstream_id, e.downstream_id) for e in dependencies}
    for edge in result.edges:
        assert edge.lag == starts[edge.downstream_id] - starts[edge.upstream_id] >= timedelta(0)
        assert edge.path[0] == edge.upstream_id
        assert edge.path[-1] == edge.downstream_id
        steps = list(pairwise(edge.path))
        assert all(step in all_pairs for step in steps)
        assert not set(edge.path[1:-1]) & set(starts)
        assert edge.hard == all(step in hard_pairs for step in steps)
        assert result.depth[edge.downstream_id] == result.depth[edge.upstream_id] + 1

    for service_id, started_at in starts.items():
        ancestors = nearest_impacted_ancestors(service_id, dependencies, set(starts))
        earlier = {a for a in ancestors if starts[a] <= started_at}
        if not ancestors:
            assert service_id in result.roots
        elif not earlier:
            assert service_id in result.unexplained
        else:
            edge = result.edge_into(service_id)
            assert edge is not None
            assert edge.upstream_id in earlier
            # Exact "latest wins" among the direct dependencies that were impacted.
            direct = {a for a in earlier if (a, service_id) in all_pairs}
            if direct:
                assert edge.lag <= min(started_at - starts[a] for a in direct)

    links = {(edge.upstream_id, edge.downstream_id) for edge in result.edges}
    assert all(step in links for step in pairwise(result.critical_path))
    if result.critical_path:
        assert result.critical_path[0] in (*result.roots, *result.unexplained)


kinds = st.sampled_from(
    ["trigger", "detection", "impact", "escalation", "mitigation", "recovery", "communication"]
)
precisions = st.sampled_from(["minute", "hour", "day", "approximate", "unknown"])


@settings(max_examples=300, deadline=None)
@given(
    cascades(acyclic=False),
    st.lists(
        st.tuples(
            kinds,
            st.integers(-120, 600),
            st.lists(st.integers(0, 9), max_size=3),
            st.none() | st.integers(1, 3),
            precisions,
        ),
        max_size=15,
    ),
    st.none() | st.integers(-60, 60),
)
def test_reconstruct_never_raises_on_graphs_with_cycles_and_stays_consistent(
    cascade: tuple[list[DependencyEdge], list[ImpactRecord]],
    raw_events: list[tuple[str, int, list[int], int | None, str]],
    started: int | None,
) -> None:
    dependencies, impacts = cascade
    events = [
        event(number, when, kind, *service_ids, source_id=source, precision=precision)
        for number, (kind, when, service_ids, source, precision) in enumerate(raw_events)
    ]
    incident = IncidentTimes(started_at=None if started is None else at(started))

    result = run(dependencies=dependencies, impacts=impacts, events=events, incident=incident)

    impacted = {window.service_id for window in result.windows}
    linked = [edge.downstream_id for edge in result.edges]
    assert sorted([*result.roots, *linked, *result.unexplained]) == sorted(impacted)
    assert all(edge.lag >= timedelta(0) for edge in result.edges)
    all_pairs = {(e.upstream_id, e.downstream_id) for e in dependencies}
    for edge in result.edges:
        assert all(step in all_pairs for step in pairwise(edge.path))
    assert sum(result.blast_radius) == len(impacted)
    assert set(result.offsets) == ({e.id for e in events} if result.start else set())

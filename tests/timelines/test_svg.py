"""Tests for the SVG timeline and cascade pictures: parsed back as XML, no database."""

from __future__ import annotations

import itertools
import random
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timelines.cascade import (
    DependencyEdge,
    EventRecord,
    ImpactRecord,
    IncidentTimes,
    Reconstruction,
    ServiceNode,
    reconstruct,
)
from timelines.svg import MARKER_KINDS, cascade_graph_svg, swimlanes_svg, tick_step, ticks
from timelines.wording import duration

NS = "{http://www.w3.org/2000/svg}"
T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
LADDER = {
    *(timedelta(minutes=count) for count in (1, 2, 5, 10, 15, 30)),
    *(timedelta(hours=count) for count in (1, 2, 3, 6, 12)),
    *(timedelta(days=count) for count in (1, 2, 7)),
}

DB, API, WEB, EDGE, SEARCH = 1, 2, 3, 4, 5
EVIL = '<script>alert(1)</script> & "x"'


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


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


def event(event_id: int, when: float, kind: str, *service_ids: int, title: str = "") -> EventRecord:
    return EventRecord(
        id=event_id, at=at(when), kind=kind, service_ids=service_ids, title=title or kind
    )


def services_map(*nodes: ServiceNode) -> dict[int, ServiceNode]:
    return {node.id: node for node in nodes}


CHAIN_SERVICES = services_map(
    ServiceNode(DB, "Database"),
    ServiceNode(API, "API"),
    ServiceNode(WEB, "Web"),
    ServiceNode(EDGE, "Edge"),
)
# Database -> API -> Web -> Edge, API via a soft dependency for Web.
CHAIN_EVENTS = (
    event(100, 35, "trigger", DB, title="Bad migration applied"),
    event(101, 47, "detection", title="Pager fired"),
    event(102, 50, "escalation", title="Incident commander paged"),
    event(103, 41, "impact", WEB, title="Web 5xx rising"),
    event(104, 65, "mitigation", DB, API, title="Rolled back"),
    event(105, 55, "communication", title="Status page updated"),
    event(106, 70, "note", EDGE, title="Edge caches stale"),
    event(107, 100, "recovery", DB, title="Database healthy"),
)


def chain() -> Reconstruction:
    return reconstruct(
        incident=IncidentTimes(started_at=None),
        services=list(CHAIN_SERVICES.values()),
        dependencies=[depends(API, DB), depends(WEB, API, hard=False), depends(EDGE, WEB)],
        impacts=[
            impact(10, DB, 35, 100),
            impact(11, API, 38, 45, level="degraded"),
            impact(12, API, 45, 90),
            impact(13, WEB, 41),
            impact(14, EDGE, 44, 80, level="degraded"),
        ],
        events=CHAIN_EVENTS,
    )


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def classes(element: ET.Element) -> list[str]:
    return element.get("class", "").split()


def with_class(root: ET.Element, name: str, tag: str = "*") -> list[ET.Element]:
    return [
        element
        for element in root.iter(f"{NS}{tag}" if tag != "*" else tag)
        if name in classes(element)
    ]


def lanes(root: ET.Element) -> list[ET.Element]:
    return with_class(root, "lane", "g")


def lane_of(root: ET.Element, service_id: int | None) -> ET.Element:
    wanted = None if service_id is None else str(service_id)
    return next(lane for lane in lanes(root) if lane.get("data-service-id") == wanted)


# ------------------------------------------------------------------------------ ticks


@pytest.mark.parametrize(
    ("span", "expected_step"),
    [
        (timedelta(minutes=20), timedelta(minutes=2)),
        (timedelta(hours=3), timedelta(minutes=30)),
        (timedelta(hours=15), timedelta(hours=2)),
        (timedelta(days=3), timedelta(hours=12)),
        (timedelta(days=40), timedelta(days=7)),
    ],
)
def test_tick_step_picks_a_ladder_step_giving_a_readable_number_of_ticks(
    span: timedelta, expected_step: timedelta
) -> None:
    step = tick_step(span)
    start = datetime(2024, 3, 1, 9, 17, tzinfo=UTC)
    moments = ticks(start, start + span)

    assert step == expected_step
    assert step in LADDER
    assert 4 <= len(moments) <= 14
    assert all(later - earlier == step for earlier, later in itertools.pairwise(moments))
    assert start <= moments[0]
    assert moments[-1] <= start + span


def test_ticks_land_on_round_clock_times_and_weekly_ticks_on_mondays() -> None:
    start = datetime(2024, 3, 1, 9, 17, 33, tzinfo=UTC)

    half_hours = ticks(start, start + timedelta(hours=3))
    weeks = ticks(start, start + timedelta(days=40))

    assert half_hours[0] == datetime(2024, 3, 1, 9, 30, tzinfo=UTC)
    assert all(moment.minute in (0, 30) and moment.second == 0 for moment in half_hours)
    assert all(moment.weekday() == 0 and moment.hour == 0 for moment in weeks)


def test_tick_step_keeps_growing_past_the_ladder_for_very_long_spans() -> None:
    step = tick_step(timedelta(days=365))

    assert step > timedelta(days=7)
    assert step % timedelta(days=7) == timedelta(0)
    assert 4 <= timedelta(days=365) / step <= 14


def test_tick_step_of_an_empty_span_is_the_smallest_step() -> None:
    assert tick_step(timedelta(0)) == timedelta(minutes=1)
    assert ticks(T0, T0) == [T0]


# -------------------------------------------------------------------------- swimlanes


def test_timeline_is_a_standalone_accessible_svg() -> None:
    root = parse(swimlanes_svg(chain(), services=CHAIN_SERVICES, events=CHAIN_EVENTS))

    assert root.tag == f"{NS}svg"
    assert root.get("viewBox") == f"0 0 1100 {root.get('height')}"
    assert root.get("role") == "img"
    title, desc = root.find(f"{NS}title"), root.find(f"{NS}desc")
    assert title is not None
    assert "4 impacted services" in (title.text or "")
    assert desc is not None
    assert "Database was impacted first" in (desc.text or "")
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert root.find(f"{NS}style") is not None


def test_lanes_follow_cascade_depth_after_an_incident_lane() -> None:
    root = parse(swimlanes_svg(chain(), services=CHAIN_SERVICES, events=CHAIN_EVENTS))

    order = [(lane.get("data-service-id"), lane.get("data-depth")) for lane in lanes(root)]

    assert order == [(None, None), ("1", "0"), ("2", "1"), ("3", "2"), ("4", "3")]
    assert "incident" in classes(lanes(root)[0])


def test_each_segment_is_one_bar_classed_by_its_level() -> None:
    result = chain()
    root = parse(swimlanes_svg(result, services=CHAIN_SERVICES, events=CHAIN_EVENTS))

    for window in result.windows:
        bars = with_class(lane_of(root, window.service_id), "bar", "rect")
        assert [classes(bar)[1] for bar in bars] == [segment.level for segment in window.segments]
    api_bars = with_class(lane_of(root, API), "bar", "rect")
    assert [classes(bar)[:2] for bar in api_bars] == [["bar", "degraded"], ["bar", "outage"]]
    assert len(with_class(root, "bar")) == sum(len(window.segments) for window in result.windows)


def test_degraded_bars_are_patterned_not_only_coloured() -> None:
    root = parse(swimlanes_svg(chain(), services=CHAIN_SERVICES, events=CHAIN_EVENTS))

    degraded = with_class(root, "degraded", "rect")
    pattern = root.find(f".//{NS}pattern")

    assert pattern is not None
    assert all(
        bar.get("fill") == f"url(#{pattern.get('id')})" for bar in degraded if "bar" in classes(bar)
    )
    assert all(
        bar.get("fill") is None
        for bar in with_class(root, "outage", "rect")
        if "bar" in classes(bar)
    )


def test_an_open_window_runs_to_now_with_an_open_end() -> None:
    result = chain()
    now = at(180)
    svg = swimlanes_svg(result, services=CHAIN_SERVICES, events=CHAIN_EVENTS, now=now)
    root = parse(svg)

    web_bars = with_class(lane_of(root, WEB), "bar", "rect")
    closed = with_class(lane_of(root, DB), "bar", "rect")
    last_tick = max(float(text.get("x", 0)) for text in with_class(root, "tick-label", "text"))

    assert [classes(bar) for bar in web_bars] == [["bar", "outage", "open"]]
    assert float(web_bars[0].get("x", 0)) + float(web_bars[0].get("width", 0)) >= last_tick
    assert with_class(lane_of(root, WEB), "open-end")
    assert not any("open" in classes(bar) for bar in closed)


def test_now_does_not_stretch_the_axis_of_a_closed_incident() -> None:
    result = reconstruct(
        incident=IncidentTimes(started_at=None),
        services=list(CHAIN_SERVICES.values()),
        dependencies=[depends(API, DB)],
        impacts=[impact(1, DB, 0, 30), impact(2, API, 5, 25)],
        events=(),
    )
    root = parse(swimlanes_svg(result, services=CHAIN_SERVICES, events=(), now=at(60 * 24 * 90)))

    labels = with_class(root, "tick-label", "text")

    assert labels[-1].get("data-utc", "") < "2024-03-01T10:00:00Z"


def test_markers_carry_kind_event_id_focus_and_a_timed_title() -> None:
    root = parse(swimlanes_svg(chain(), services=CHAIN_SERVICES, events=CHAIN_EVENTS))

    markers = with_class(root, "marker", "g")
    by_event: dict[str, list[ET.Element]] = {}
    for marker in markers:
        by_event.setdefault(marker.get("data-event-id", ""), []).append(marker)

    # The rollback names two impacted services, so it is drawn in both lanes.
    assert len(markers) == len(CHAIN_EVENTS) + 1
    assert {classes(marker)[1] for marker in markers} == {f"kind-{kind}" for kind in MARKER_KINDS}
    assert len(by_event["104"]) == 2
    assert all(marker.get("tabindex") == "0" for marker in markers)
    trigger = by_event["100"][0]
    title = trigger.find(f"{NS}title")
    assert title is not None
    assert title.text == "09:35 UTC \u2014 trigger: Bad migration applied [Database]"
    assert title.get("data-utc") == "2024-03-01T09:35:00Z"
    assert title.get("data-offset") == "T+00:00"
    assert "t" in classes(title)


def test_every_kind_has_its_own_shape() -> None:
    root = parse(swimlanes_svg(chain(), services=CHAIN_SERVICES, events=CHAIN_EVENTS))

    shapes = {}
    for marker in with_class(root, "marker", "g"):
        path = marker.find(f"{NS}path")
        assert path is not None
        shapes[classes(marker)[1]] = path.get("d")

    assert len(set(shapes.values())) == len(MARKER_KINDS)


def test_events_naming_no_impacted_service_go_to_the_incident_lane() -> None:
    root = parse(swimlanes_svg(chain(), services=CHAIN_SERVICES, events=CHAIN_EVENTS))

    incident_markers = with_class(lane_of(root, None), "marker", "g")
    mitigation_lanes = [
        lane.get("data-service-id")
        for lane in lanes(root)
        if any(m.get("data-event-id") == "104" for m in with_class(lane, "marker", "g"))
    ]

    assert sorted(marker.get("data-event-id") for marker in incident_markers) == [
        "101",
        "102",
        "105",
    ]
    assert mitigation_lanes == ["1", "2"]


def test_without_unassigned_events_there_is_no_incident_lane() -> None:
    events = [e for e in CHAIN_EVENTS if e.service_ids]
    root = parse(swimlanes_svg(chain(), services=CHAIN_SERVICES, events=events))

    assert [lane.get("data-service-id") for lane in lanes(root)] == ["1", "2", "3", "4"]


def test_phase_bands_cover_detect_mitigate_and_recover() -> None:
    result = chain()
    root = parse(swimlanes_svg(result, services=CHAIN_SERVICES, events=CHAIN_EVENTS, now=at(120)))

    bands = {band.get("data-phase"): band for band in with_class(root, "phase-band", "g")}
    detect = bands["detect"].find(f"{NS}rect")
    mitigate = bands["mitigate"].find(f"{NS}rect")
    labels = "".join(text.text or "" for text in with_class(root, "phase-label", "text"))

    assert list(bands) == ["detect", "mitigate", "recover"]
    assert detect is not None
    assert mitigate is not None
    # Detect runs from the start to detection and mitigate picks up where it ends.
    assert float(detect.get("x", 0)) + float(detect.get("width", 0)) == pytest.approx(
        float(mitigate.get("x", 0)), abs=0.11
    )
    # Bands name the same figures as the page's cards: time since the start.
    assert f"Detect · TTD {duration(result.phases.time_to_detect)}" in labels
    assert f"Mitigate · TTM {duration(result.phases.time_to_mitigate)}" in labels
    assert "TTM 30m" in labels
    # Web never recovered, so the recover phase is still under way.
    assert "open" in classes(bands["recover"].find(f"{NS}rect"))  # type: ignore[arg-type]


def test_axis_ticks_are_time_labels_with_utc_and_offset() -> None:
    root = parse(swimlanes_svg(chain(), services=CHAIN_SERVICES, events=CHAIN_EVENTS, now=at(120)))

    labels = with_class(root, "tick-label", "text")
    caption = with_class(root, "tz", "text")

    assert 4 <= len(labels) <= 14
    assert all("t" in classes(label) for label in labels)
    assert all(
        re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:00Z", label.get("data-utc", ""))
        for label in labels
    )
    assert labels[0].text == "1 Mar 09:40"  # ten-minute ticks; the first names its day
    assert all(re.fullmatch(r"\d\d:\d\d", label.text or "") for label in labels[1:])
    ten_past_ten = next(
        label for label in labels if label.get("data-utc") == "2024-03-01T10:10:00Z"
    )
    assert ten_past_ten.text == "10:10"
    assert ten_past_ten.get("data-offset") == "T+00:35"
    assert caption
    assert "UTC" in (caption[0].text or "")


def test_multi_day_axis_labels_dates() -> None:
    result = reconstruct(
        incident=IncidentTimes(started_at=None),
        services=list(CHAIN_SERVICES.values()),
        dependencies=[depends(API, DB)],
        impacts=[impact(1, DB, 0, 60 * 24 * 4), impact(2, API, 60 * 5, 60 * 24 * 3)],
        events=(),
    )
    root = parse(swimlanes_svg(result, services=CHAIN_SERVICES, events=()))

    labels = [label.text or "" for label in with_class(root, "tick-label", "text")]

    assert labels[:2] == ["1 Mar 12:00", "2 Mar 00:00"]
    assert "3 Mar 00:00" in labels


def test_source_timezone_adds_source_labels_without_changing_utc_text() -> None:
    root = parse(
        swimlanes_svg(
            chain(),
            services=CHAIN_SERVICES,
            events=CHAIN_EVENTS,
            source_timezone="America/New_York",
        )
    )
    bad_zone = parse(
        swimlanes_svg(
            chain(), services=CHAIN_SERVICES, events=CHAIN_EVENTS, source_timezone="Mars/Olympus"
        )
    )

    title = next(
        m for m in with_class(root, "marker", "g") if m.get("data-event-id") == "100"
    ).find(f"{NS}title")

    assert root.get("data-source-tz") == "America/New_York"
    assert title is not None
    assert title.get("data-src") == "04:35"
    assert (title.text or "").startswith("09:35 UTC")
    assert bad_zone.get("data-source-tz") is None


def test_user_text_is_escaped_everywhere() -> None:
    names = services_map(ServiceNode(DB, EVIL), ServiceNode(API, "API"))
    events = [event(1, 0, "trigger", DB, title=EVIL), event(2, 3, "note", title=f"{EVIL}\x00\x1b")]
    result = reconstruct(
        incident=IncidentTimes(started_at=None),
        services=list(names.values()),
        dependencies=[depends(API, DB)],
        impacts=[impact(1, DB, 0, 20), impact(2, API, 2, 15)],
        events=events,
    )

    for svg in (
        swimlanes_svg(result, services=names, events=events, width=2000),
        cascade_graph_svg(result, services=names, width=2000),
    ):
        root = parse(svg)
        assert "<script" not in svg
        assert not any(element.tag.endswith("script") for element in root.iter())
        texts = [element.text or "" for element in root.iter()]
        assert any(EVIL in text for text in texts)  # readable once parsed, as text
        assert "&lt;script&gt;" in svg


def test_unexplained_services_are_marked() -> None:
    names = services_map(
        ServiceNode(DB, "Database"), ServiceNode(API, "API"), ServiceNode(SEARCH, "Search")
    )
    result = reconstruct(
        incident=IncidentTimes(started_at=None),
        services=list(names.values()),
        dependencies=[depends(API, DB), depends(SEARCH, DB)],
        impacts=[impact(1, SEARCH, 0, 30), impact(2, DB, 10, 40), impact(3, API, 12, 35)],
        events=(),
    )
    assert result.unexplained == (SEARCH,)

    timeline = parse(swimlanes_svg(result, services=names, events=()))
    graph = parse(cascade_graph_svg(result, services=names))

    assert "unexplained" in classes(lane_of(timeline, SEARCH))
    assert not any(
        "unexplained" in classes(lane)
        for lane in lanes(timeline)
        if lane.get("data-service-id") != "5"
    )
    search_node = next(n for n in with_class(graph, "node", "g") if n.get("data-service-id") == "5")
    assert "unexplained" in classes(search_node)
    assert any(
        "Unexplained" in (text.text or "") for text in with_class(graph, "legend-label", "text")
    )


def test_ids_are_prefixed_and_differ_between_pictures() -> None:
    timeline = parse(swimlanes_svg(chain(), services=CHAIN_SERVICES, events=CHAIN_EVENTS))
    graph = parse(cascade_graph_svg(chain(), services=CHAIN_SERVICES))
    custom = parse(
        swimlanes_svg(chain(), services=CHAIN_SERVICES, events=CHAIN_EVENTS, id_prefix="cz-inc42-")
    )

    timeline_ids = {element.get("id") for element in timeline.iter() if element.get("id")}
    graph_ids = {element.get("id") for element in graph.iter() if element.get("id")}
    custom_ids = {element.get("id") for element in custom.iter() if element.get("id")}

    assert timeline_ids
    assert graph_ids
    assert all(str(identifier).startswith("cz-") for identifier in timeline_ids | graph_ids)
    assert not timeline_ids & graph_ids
    assert all(str(identifier).startswith("cz-inc42-") for identifier in custom_ids)
    with pytest.raises(ValueError, match="id_prefix"):
        swimlanes_svg(chain(), services=CHAIN_SERVICES, events=(), id_prefix='x" onload="alert(1)')


def test_rendering_is_deterministic() -> None:
    first = swimlanes_svg(chain(), services=CHAIN_SERVICES, events=CHAIN_EVENTS)
    second = swimlanes_svg(chain(), services=CHAIN_SERVICES, events=CHAIN_EVENTS)

    assert first == second


def test_styles_are_scoped_to_the_picture_and_reference_nothing_outside() -> None:
    for svg, root_class in (
        (swimlanes_svg(chain(), services=CHAIN_SERVICES, events=CHAIN_EVENTS), "cz-timeline"),
        (cascade_graph_svg(chain(), services=CHAIN_SERVICES), "cz-cascade"),
    ):
        root = parse(svg)
        style = root.find(f"{NS}style")
        assert style is not None
        assert style.text
        selectors = [rule.split("{")[0] for rule in style.text.split("}") if rule.strip()]
        assert all(
            part.strip().startswith(f".{root_class}")
            for selector in selectors
            for part in selector.split(",")
        )
        assert root_class in classes(root)
        assert "@import" not in svg
        assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert not any(
            element.get("href") or element.get("{http://www.w3.org/1999/xlink}href")
            for element in root.iter()
        )


def test_legend_lists_levels_and_every_marker_kind() -> None:
    root = parse(swimlanes_svg(chain(), services=CHAIN_SERVICES, events=CHAIN_EVENTS))

    labels = [text.text for text in with_class(root, "legend-label", "text")]

    assert {"Outage", "Degraded", "Still impacted"} <= set(labels)
    assert {kind.capitalize() for kind in MARKER_KINDS} <= set(labels)


def test_an_incident_with_nothing_recorded_still_renders() -> None:
    empty = reconstruct(
        incident=IncidentTimes(started_at=None), services=[], dependencies=[], impacts=[], events=[]
    )

    timeline = parse(swimlanes_svg(empty, services={}, events=()))
    graph = parse(cascade_graph_svg(empty, services={}))

    assert not lanes(timeline)
    assert not with_class(graph, "node")


def test_events_only_incident_draws_the_incident_lane() -> None:
    events = [event(1, 0, "detection"), event(2, 30, "communication")]
    result = reconstruct(
        incident=IncidentTimes(started_at=at(0)),
        services=[],
        dependencies=[],
        impacts=[],
        events=events,
    )

    root = parse(swimlanes_svg(result, services={}, events=events))

    assert [lane.get("data-service-id") for lane in lanes(root)] == [None]
    assert len(with_class(root, "marker", "g")) == 2


# ---------------------------------------------------------------------- cascade graph


def graph_nodes(root: ET.Element) -> dict[int, ET.Element]:
    return {int(node.get("data-service-id", 0)): node for node in with_class(root, "node", "g")}


def node_y(node: ET.Element) -> float:
    rect = node.find(f"{NS}rect")
    assert rect is not None
    return float(rect.get("y", 0))


def test_graph_has_one_node_per_impacted_service_with_its_start_time() -> None:
    result = chain()
    root = parse(cascade_graph_svg(result, services=CHAIN_SERVICES))

    nodes = graph_nodes(root)
    db_time = with_class(nodes[DB], "node-time", "text")[0]

    assert sorted(nodes) == sorted(window.service_id for window in result.windows)
    assert db_time.text == "09:35"
    assert db_time.get("data-utc") == "2024-03-01T09:35:00Z"
    assert "t" in classes(db_time)


def test_graph_edges_carry_lag_labels_and_arrows() -> None:
    result = chain()
    root = parse(cascade_graph_svg(result, services=CHAIN_SERVICES))

    edges = {
        (int(e.get("data-from", 0)), int(e.get("data-to", 0))): e
        for e in with_class(root, "edge", "g")
    }
    lags = {key: with_class(edge, "lag", "text")[0].text for key, edge in edges.items()}

    assert set(edges) == {(edge.upstream_id, edge.downstream_id) for edge in result.edges}
    assert lags == {(DB, API): "+3m", (API, WEB): "+3m", (WEB, EDGE): "+3m"}
    for edge in edges.values():
        path = edge.find(f"{NS}path")
        assert path is not None
        assert re.fullmatch(r"url\(#cz-[0-9a-f]+-arrow(-critical)?\)", path.get("marker-end", ""))


def test_lag_labels_read_in_hours_and_minutes() -> None:
    names = services_map(
        ServiceNode(DB, "Database"), ServiceNode(API, "API"), ServiceNode(WEB, "Web")
    )
    result = reconstruct(
        incident=IncidentTimes(started_at=None),
        services=list(names.values()),
        dependencies=[depends(API, DB), depends(WEB, DB)],
        impacts=[impact(1, DB, 0), impact(2, API, 5 * 60 + 42), impact(3, WEB, 0)],
        events=(),
    )
    root = parse(cascade_graph_svg(result, services=names))

    lags = sorted(
        with_class(edge, "lag", "text")[0].text or "" for edge in with_class(root, "edge", "g")
    )

    assert lags == ["+0m", "+5h 42m"]


def test_graph_puts_roots_on_top_and_each_depth_below_the_last() -> None:
    result = chain()
    nodes = graph_nodes(parse(cascade_graph_svg(result, services=CHAIN_SERVICES)))

    assert node_y(nodes[DB]) == min(node_y(node) for node in nodes.values())
    assert node_y(nodes[DB]) < node_y(nodes[API]) < node_y(nodes[WEB]) < node_y(nodes[EDGE])


def test_soft_edges_are_dashed_and_critical_path_is_highlighted() -> None:
    result = chain()
    root = parse(cascade_graph_svg(result, services=CHAIN_SERVICES))

    edges = {
        (int(e.get("data-from", 0)), int(e.get("data-to", 0))): e
        for e in with_class(root, "edge", "g")
    }
    soft = edges[(API, WEB)]
    hard = edges[(DB, API)]
    nodes = graph_nodes(root)

    assert "soft" in classes(soft)
    assert soft.find(f"{NS}path").get("stroke-dasharray")  # type: ignore[union-attr]
    assert hard.find(f"{NS}path").get("stroke-dasharray") is None  # type: ignore[union-attr]
    assert result.critical_path == (DB, API, WEB)
    assert {sid for sid, node in nodes.items() if "critical" in classes(node)} == {DB, API, WEB}
    assert {key for key, edge in edges.items() if "critical" in classes(edge)} == {
        (DB, API),
        (API, WEB),
    }


def test_cycle_in_dependencies_renders() -> None:
    names = services_map(
        ServiceNode(DB, "Database"), ServiceNode(API, "API"), ServiceNode(WEB, "Web")
    )
    result = reconstruct(
        incident=IncidentTimes(started_at=None),
        services=list(names.values()),
        dependencies=[depends(API, DB), depends(DB, API), depends(WEB, API)],
        impacts=[impact(1, DB, 0, 20), impact(2, API, 4, 25), impact(3, WEB, 6, 30)],
        events=(),
    )
    assert any(warning.code == "dependency_cycle" for warning in result.warnings)

    timeline = parse(swimlanes_svg(result, services=names, events=()))
    graph = parse(cascade_graph_svg(result, services=names))

    assert [lane.get("data-service-id") for lane in lanes(timeline)] == ["1", "2", "3"]
    assert len(graph_nodes(graph)) == 3
    assert len(with_class(graph, "edge", "g")) == len(result.edges) == 2


def test_barycenter_ordering_keeps_children_under_their_parents() -> None:
    # Two origins whose children are listed crosswise in propagation order.
    a, b, a1, b1, a2, b2 = 1, 2, 3, 4, 5, 6
    names = services_map(*(ServiceNode(sid, f"S{sid}") for sid in (a, b, a1, b1, a2, b2)))
    result = reconstruct(
        incident=IncidentTimes(started_at=None),
        services=list(names.values()),
        dependencies=[depends(a1, a), depends(a2, a), depends(b1, b), depends(b2, b)],
        impacts=[
            impact(1, a, 0),
            impact(2, b, 1),
            impact(3, b1, 2),
            impact(4, a1, 3),
            impact(5, b2, 4),
            impact(6, a2, 5),
        ],
        events=(),
    )
    nodes = graph_nodes(parse(cascade_graph_svg(result, services=names)))

    def x(service_id: int) -> float:
        rect = nodes[service_id].find(f"{NS}rect")
        assert rect is not None
        return float(rect.get("x", 0))

    left_parent, right_parent = sorted((a, b), key=x)
    children = {a: {a1, a2}, b: {b1, b2}}
    assert max(x(child) for child in children[left_parent]) < min(
        x(child) for child in children[right_parent]
    )


def big_reconstruction(
    count: int = 300, dependency_count: int = 1000
) -> tuple[Reconstruction, dict[int, ServiceNode]]:
    rng = random.Random(7)
    names = {
        sid: ServiceNode(sid, f"service-{sid}-{'x' * rng.randint(0, 30)}")
        for sid in range(1, count + 1)
    }
    pairs: set[tuple[int, int]] = set()
    for sid in range(2, count + 1):
        pairs.add((sid, rng.randint(max(1, sid - 40), sid - 1)))
    while len(pairs) < dependency_count:
        downstream, upstream = rng.sample(range(1, count + 1), 2)
        pairs.add((downstream, upstream))
    result = reconstruct(
        incident=IncidentTimes(started_at=None),
        services=list(names.values()),
        dependencies=[depends(down, up, hard=rng.random() < 0.8) for down, up in sorted(pairs)],
        impacts=[
            impact(sid, sid, sid * 0.5 + rng.random(), sid + 90) for sid in range(1, count + 1)
        ],
        events=(),
    )
    return result, names


def test_big_graph_grows_wider_and_keeps_every_box_inside() -> None:
    result, names = big_reconstruction()
    assert len(result.windows) == 300

    root = parse(cascade_graph_svg(result, services=names, width=900))
    width = float(root.get("width", 0))

    assert root.get("viewBox", "").startswith(f"0 0 {root.get('width')} ")
    assert width > 900
    assert len(graph_nodes(root)) == 300
    assert len(with_class(root, "edge", "g")) == len(result.edges)
    rects = list(root.iter(f"{NS}rect"))
    assert all(
        float(rect.get("x", 0)) + float(rect.get("width", 0)) <= width
        for rect in rects
        if rect.get("x")
    )
    height = float(root.get("height", 0))
    assert all(
        float(rect.get("y", 0)) + float(rect.get("height", 0)) <= height
        for rect in rects
        if rect.get("y")
    )


def test_big_timeline_renders_every_lane() -> None:
    result, names = big_reconstruction()

    root = parse(swimlanes_svg(result, services=names, events=()))

    assert len(lanes(root)) == 300


def test_a_lane_limit_groups_the_other_services_by_depth_and_keeps_their_events() -> None:
    names = services_map(
        ServiceNode(DB, "Database"),
        ServiceNode(API, "API"),
        ServiceNode(WEB, "Web"),
        ServiceNode(EDGE, "Edge"),
        ServiceNode(SEARCH, "Search"),
    )
    events = [
        event(1, 0, "trigger", DB),
        event(2, 10, "impact", WEB),
        event(3, 20, "note", EDGE),
        event(4, 30, "mitigation", WEB, EDGE),
        event(5, 15, "detection"),
    ]
    result = reconstruct(
        incident=IncidentTimes(started_at=None),
        services=list(names.values()),
        dependencies=[depends(sid, DB) for sid in (API, WEB, EDGE, SEARCH)],
        impacts=[
            impact(1, DB, 0, 60),
            impact(2, API, 5, 50),
            impact(3, WEB, 6, 40, level="degraded"),
            impact(4, EDGE, 7, 30),
            impact(5, SEARCH, 8),
        ],
        events=events,
    )
    root = parse(swimlanes_svg(result, services=names, events=events, now=at(90), lane_limit=2))

    order = [(lane.get("data-service-id"), lane.get("data-depth")) for lane in lanes(root)]
    [summary] = with_class(root, "summary", "g")

    # The incident lane, the first two services in cascade order, then the other three
    # services of depth 1 in one summary lane.
    assert order == [(None, None), ("1", "0"), ("2", "1"), (None, "1")]
    assert summary.get("data-service-ids") == f"{WEB} {EDGE} {SEARCH}"
    assert not with_class(summary, "bar")
    # Their impact is drawn as how many were impacted at once, with a tooltip.
    assert with_class(summary, "load-any", "path")
    assert with_class(summary, "load-outage", "path")
    titles = [title.text or "" for title in summary.iter(f"{NS}title")]
    assert any(text.startswith("3 more services at depth 1: Web, Edge, Search") for text in titles)
    assert any("at most 3 impacted at once" in text for text in titles)
    # Their events stay in the picture, in the summary lane, each once.
    drawn = [
        (marker.get("data-event-id"), lane.get("data-service-id"))
        for lane in lanes(root)
        for marker in with_class(lane, "marker", "g")
    ]
    assert sorted(drawn, key=str) == sorted(
        [("1", "1"), ("2", None), ("3", None), ("4", None), ("5", None)], key=str
    )
    assert [m.get("data-event-id") for m in with_class(summary, "marker", "g")] == ["2", "3", "4"]
    legend = [text.text for text in with_class(root, "legend-label", "text")]
    assert "Services impacted at once (grouped lanes)" in legend


def test_a_depth_with_one_service_past_the_lane_limit_keeps_its_own_lane() -> None:
    result = chain()
    root = parse(
        swimlanes_svg(
            result, services=CHAIN_SERVICES, events=CHAIN_EVENTS, now=at(120), lane_limit=1
        )
    )

    order = [(lane.get("data-service-id"), lane.get("data-depth")) for lane in lanes(root)]

    # API, Web and Edge are each alone at their depth: no "1 more service" lanes.
    assert order == [(None, None), ("1", "0"), ("2", "1"), ("3", "2"), ("4", "3")]
    assert not with_class(root, "summary")


def test_a_lane_limit_past_six_depths_merges_the_deepest_into_one_lane() -> None:
    result, names = big_reconstruction()
    depths = sorted(set(result.depth.values()))
    assert len(depths) > 7

    root = parse(swimlanes_svg(result, services=names, events=(), lane_limit=10))

    services = [lane for lane in lanes(root) if lane.get("data-service-id")]
    summaries = with_class(root, "summary", "g")
    grouped = [int(sid) for lane in summaries for sid in lane.get("data-service-ids", "").split()]
    # The first ten, and a service alone at its depth past them keeps its own lane.
    assert len(services) >= 10
    assert [lane.get("data-service-id") for lane in services[:10]] == [
        str(window.service_id)
        for window in sorted(result.windows, key=lambda w: result.depth[w.service_id])[:10]
    ]
    assert len(summaries) + len(services) - 10 == 6  # six lanes past the limit
    assert all(len(lane.get("data-service-ids", "").split()) > 1 for lane in summaries)
    assert sorted(grouped + [int(lane.get("data-service-id", 0)) for lane in services]) == list(
        range(1, 301)
    )
    assert "\u2013" in (summaries[-1].find(f".//{NS}title").text or "")  # type: ignore[union-attr]
    assert float(root.get("height", 0)) < 30 * 20 + 200


def test_without_a_lane_limit_nothing_is_grouped() -> None:
    root = parse(swimlanes_svg(chain(), services=CHAIN_SERVICES, events=CHAIN_EVENTS, lane_limit=9))

    assert not with_class(root, "summary")
    assert len(lanes(root)) == 5


def test_a_tooltip_says_where_its_time_starts_instead_of_repeating_its_text() -> None:
    names = services_map(ServiceNode(DB, "D\U0001f4a5tabase"), ServiceNode(API, "API"))
    result = reconstruct(
        incident=IncidentTimes(started_at=None),
        services=list(names.values()),
        dependencies=[depends(API, DB)],
        impacts=[impact(1, DB, 0, 20), impact(2, API, 2, 15)],
        events=(),
    )
    root = parse(swimlanes_svg(result, services=names, events=()))

    title = with_class(lane_of(root, DB), "bar", "rect")[0].find(f"{NS}title")
    assert title is not None
    text = title.text or ""
    # The script counts UTF-16 code units: the emoji is two of them.
    units = text.encode("utf-16-le")
    at = int(title.get("data-at", -1))
    assert units[2 * at :].decode("utf-16-le").startswith("09:00 UTC for 20m")
    assert text == "D\U0001f4a5tabase: outage from 09:00 UTC for 20m"
    assert title.get("data-before") is None
    assert title.get("data-fmt") is None
    assert root.get("data-fmt") == "time"


# ------------------------------------------------------------------------- properties

KINDS = st.sampled_from([*MARKER_KINDS, "Other Kind"])


@st.composite
def random_incidents(
    draw: st.DrawFn,
) -> tuple[Reconstruction, dict[int, ServiceNode], list[EventRecord]]:
    count = draw(st.integers(1, 6))
    service_ids = list(range(1, count + 1))
    names = {sid: ServiceNode(sid, draw(st.text(max_size=12))) for sid in service_ids}
    dependencies = draw(
        st.lists(
            st.builds(
                depends,
                st.sampled_from(service_ids),
                st.sampled_from(service_ids),
                hard=st.booleans(),
            ),
            max_size=10,
        )
    )
    impacts = []
    for impact_id in range(draw(st.integers(0, 8))):
        started = draw(st.integers(0, 60 * 24 * 3))
        ended = draw(st.none() | st.integers(-30, 600).map(lambda length, s=started: s + length))
        impacts.append(
            impact(
                impact_id,
                draw(st.sampled_from(service_ids)),
                started,
                ended,
                draw(st.sampled_from(["outage", "degraded"])),
            )
        )
    events = [
        EventRecord(
            id=event_id,
            at=at(draw(st.integers(-120, 60 * 24 * 3))),
            kind=draw(KINDS),
            service_ids=tuple(draw(st.lists(st.sampled_from([*service_ids, 99]), max_size=3))),
            title=draw(st.text(max_size=20)),
        )
        for event_id in range(draw(st.integers(0, 8)))
    ]
    started_at = draw(st.none() | st.integers(-60, 60).map(at))
    resolved = draw(st.none() | st.integers(0, 60 * 24 * 4).map(at))
    result = reconstruct(
        incident=IncidentTimes(started_at=started_at, resolved_at=resolved),
        services=list(names.values()),
        dependencies=dependencies,
        impacts=impacts,
        events=events,
    )
    return result, names, events


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_incidents(), st.integers(200, 1600), st.none() | st.integers(0, 60 * 24 * 5).map(at))
def test_random_incidents_always_give_well_formed_svg(
    incident: tuple[Reconstruction, dict[int, ServiceNode], Sequence[EventRecord]],
    width: int,
    now: datetime | None,
) -> None:
    result, names, events = incident

    timeline = parse(swimlanes_svg(result, services=names, events=events, width=width, now=now))
    graph = parse(cascade_graph_svg(result, services=names, width=width))

    assert len(with_class(timeline, "bar", "rect")) == sum(
        len(window.segments) for window in result.windows
    )
    assert len(graph_nodes(graph)) == len(result.windows)
    view_width = float(graph.get("width", 0))
    assert all(
        float(rect.get("x", 0)) + float(rect.get("width", 0)) <= view_width + 0.01
        for rect in graph.iter(f"{NS}rect")
        if rect.get("x")
    )


def test_offset_ticks_fall_on_round_offsets_from_the_start() -> None:
    result = chain()
    root = parse(swimlanes_svg(result, services=CHAIN_SERVICES, events=CHAIN_EVENTS, now=at(120)))

    offsets = [label.text or "" for label in with_class(root, "offset-label", "text")]

    assert len(offsets) >= 3
    assert all(re.fullmatch(r"T[+-]\d\d:(00|10|20|30|40|50)", text) for text in offsets), offsets
    assert "T+00:00" in offsets


def test_a_view_narrows_the_axis_cuts_bars_and_leaves_out_events_outside_it() -> None:
    result = chain()
    whole = parse(swimlanes_svg(result, services=CHAIN_SERVICES, events=CHAIN_EVENTS, now=at(120)))
    narrow = parse(
        swimlanes_svg(
            result,
            services=CHAIN_SERVICES,
            events=CHAIN_EVENTS,
            now=at(120),
            view=(at(40), at(50)),
        )
    )

    assert narrow.get("data-view-start") == "2024-03-01T09:40:00Z"
    assert narrow.get("data-view-end") == "2024-03-01T09:50:00Z"
    assert narrow.get("data-whole-start") == whole.get("data-view-start")
    left, right = float(narrow.get("data-plot-left", 0)), float(narrow.get("data-plot-right", 0))
    for bar in with_class(narrow, "bar", "rect"):
        x, width = float(bar.get("x", 0)), float(bar.get("width", 0))
        assert left <= x
        assert x + width <= right + 0.1
    shown = len(with_class(narrow, "marker", "g"))
    assert shown + int(narrow.get("data-hidden-events", 0)) >= len(CHAIN_EVENTS) - 1
    assert shown < len(with_class(whole, "marker", "g"))


def test_markers_that_overlap_at_the_drawn_scale_become_one_group_with_a_count() -> None:
    result = chain()
    crowd = [
        EventRecord(id=100 + n, at=at(-25) + timedelta(seconds=n), kind="note", service_ids=(DB,))
        for n in range(40)
    ]
    events = [*CHAIN_EVENTS, *crowd]
    whole = parse(swimlanes_svg(result, services=CHAIN_SERVICES, events=events, now=at(120)))
    groups = with_class(whole, "marker-group", "g")

    [crowded] = [g for g in groups if "100" in g.get("data-event-ids", "").split()]
    assert len(crowded.get("data-event-ids", "").split()) >= 40
    assert with_class(crowded, "group-count", "text")[0].text == str(
        len(crowded.get("data-event-ids", "").split())
    )
    # Zoomed into one minute, the same forty events are far enough apart to draw alone.
    zoomed = parse(
        swimlanes_svg(
            result,
            services=CHAIN_SERVICES,
            events=events,
            now=at(120),
            view=(at(-25), at(-24)),
            width=4000,
        )
    )
    alone = {m.get("data-event-id") for m in with_class(zoomed, "marker", "g")}
    assert {str(100 + n) for n in range(0, 40, 2)} <= alone


def test_a_dense_picture_groups_markers_wider_to_stay_within_its_budget(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from timelines.svg import swimlanes

    start = datetime(2025, 10, 20, 6, 0, tzinfo=UTC)
    services = {n: ServiceNode(id=n, name=f"Service {n}", category="compute") for n in range(1, 7)}
    events = [
        EventRecord(
            id=n,
            at=start + timedelta(minutes=n % 240),
            kind=("impact", "note", "recovery")[(n // 6) % 3],
            service_ids=(1 + n % 6,),
            title=f"Event {n}",
        )
        for n in range(600)
    ]
    rec = reconstruct(
        incident=IncidentTimes(started_at=start),
        services=list(services.values()),
        dependencies=(),
        impacts=(),
        events=events,
    )
    monkeypatch.setattr(swimlanes, "MARKER_BUDGET", 60)
    drawn = swimlanes_svg(rec, services=services, events=events)
    marks = drawn.count('class="marker ') + drawn.count('class="marker-group"')
    assert marks <= 60 + 6  # the budget, give or take one group per lane
    assert (
        sum(int(ids) for ids in re.findall(r'class="group-count"[^>]*>(\d+)<', drawn))
        + (drawn.count('class="marker '))
        == 600
    )
    # A large group says what it holds by kind rather than listing six of its titles.
    assert re.search(r": \d+ (impact|note|recovery), \d+ (impact|note|recovery)", drawn)


def test_bars_cut_by_the_view_say_they_go_on() -> None:
    result = chain()
    narrow = parse(
        swimlanes_svg(
            result, services=CHAIN_SERVICES, events=CHAIN_EVENTS, now=at(120), view=(at(40), at(50))
        )
    )
    whole = parse(swimlanes_svg(result, services=CHAIN_SERVICES, events=CHAIN_EVENTS, now=at(120)))

    assert with_class(narrow, "continues", "path")
    assert not with_class(whole, "continues", "path")

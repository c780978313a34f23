"""Step 6: checks over the whole result that a reviewer must see as warnings."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from .context import DocumentContext
from .model import GUESSED_ZONES, ExtractionWarning, counted
from .placement import INCIDENT_GAP, Moment
from .zones import to_utc

TAIL_REACH = timedelta(days=30)
_TAIL_KINDS = frozenset({"recovery", "mitigation", "communication"})


def check_zones(text: str, moments: tuple[Moment, ...]) -> list[ExtractionWarning]:
    """Warn about times whose zone is a guess (German default, UTC fallback, a place)."""
    warnings: list[ExtractionWarning] = []
    assumed = [m for m in moments if GUESSED_ZONES.get(m.zone_basis) == "time_without_zone"]
    for zone_name in sorted({m.zone.name for m in assumed}):
        group = [m for m in assumed if m.zone.name == zone_name]
        listing = ", ".join(f'"{text[m.mention_start : m.mention_end]}"' for m in group[:5])
        why = "the default for German text" if zone_name != "UTC" else "a guess"
        warnings.append(
            ExtractionWarning(
                "time_without_zone",
                f"{counted(len(group), 'time')} without a zone, and the text declares none: "
                f"{listing}; "
                f"read as {zone_name} ({why}).",
                group[0].mention_start,
                group[0].mention_end,
            )
        )
    warnings += _guessed_clock(
        text,
        moments,
        "dateline",
        "without a zone",
        "read in the clock of the place the dateline names, {label} ({zone}).",
    )
    warnings += _guessed_clock(
        text,
        moments,
        "place",
        "without a zone, and the text declares none",
        "read in the clock of a place the text names with them or most often, {quoted}; "
        "each event says which. Check this guess.",
    )
    return warnings


def _guessed_clock(
    text: str, moments: tuple[Moment, ...], basis: str, why: str, reading: str
) -> list[ExtractionWarning]:
    """Return one warning for the times read in a place's clock because of `basis`."""
    guessed = [m for m in moments if m.zone_basis == basis]
    if not guessed:
        return []
    first = guessed[0]
    listing = ", ".join(f'"{text[m.mention_start : m.mention_end]}"' for m in guessed[:5])
    return [
        ExtractionWarning(
            GUESSED_ZONES[basis],
            f"{counted(len(guessed), 'time')} {why}: {listing}; "
            + reading.format(
                label=first.zone.label, zone=first.zone.name, quoted=first.zone.quoted()
            ),
            first.mention_start,
            first.mention_end,
        )
    ]


def _without_tails(
    clusters: list[list[date]], moments: tuple[Moment, ...], kinds: tuple[str, ...]
) -> list[list[date]]:
    """Merge a later cluster that only reports the end of the earlier one's incident.

    "Every affected site had been restored as of April 18th", "by July 29, 99% of sensors
    were back online": a long recovery is reported days later, and it is the same incident.
    A later cluster of only recovery, mitigation and communication within TAIL_REACH of the
    cluster before it is that incident's tail.
    """
    kinds_on: dict[date, set[str]] = {}
    for moment, kind in zip(moments, kinds, strict=True):
        kinds_on.setdefault(moment.local_day, set()).add(kind)
    merged = [clusters[0]]
    for cluster in clusters[1:]:
        cluster_kinds = set().union(*(kinds_on.get(day, set()) for day in cluster))
        close = cluster[0] - merged[-1][-1] <= TAIL_REACH
        if close and cluster_kinds and cluster_kinds <= _TAIL_KINDS:
            merged[-1] = merged[-1] + cluster
        else:
            merged.append(cluster)
    return merged


def check_incidents(
    text: str, moments: tuple[Moment, ...], kinds: tuple[str, ...]
) -> list[ExtractionWarning]:
    """Warn when the times fall into clusters of dates far apart: two incidents in one text."""
    days = sorted({m.local_day for m in moments})
    if len(days) < 2:
        return []
    clusters: list[list[date]] = [[days[0]]]
    for day in days[1:]:
        if day - clusters[-1][-1] > INCIDENT_GAP:
            clusters.append([day])
        else:
            clusters[-1].append(day)
    clusters = _without_tails(clusters, moments, kinds)
    if len(clusters) < 2:
        return []
    first_in: dict[date, Moment] = {}
    for moment in moments:
        first_in.setdefault(moment.local_day, moment)
    described = []
    for cluster in clusters:
        example = min((first_in[d] for d in cluster), key=lambda m: m.mention_start)
        quoted = text[example.mention_start : example.mention_end]
        described.append(f'{cluster[0].isoformat()} ("{quoted}")')
    first = min((first_in[d] for d in clusters[1]), key=lambda m: m.mention_start)
    return [
        ExtractionWarning(
            "multiple_incidents",
            "The text's times fall on dates more than 3 days apart, which suggests more than "
            "one incident: " + "; ".join(described) + ". Split or drop events before saving.",
            first.mention_start,
            first.mention_end,
        )
    ]


def check_order(
    text: str, moments: tuple[Moment, ...], kinds: tuple[str, ...]
) -> list[ExtractionWarning]:
    """Flag a recovery that comes before the start it follows in the text."""
    warnings: list[ExtractionWarning] = []
    stated = [m for m in moments if m.date_basis == "stated"]
    steps = list(itertools.pairwise(stated))
    if steps and sum(b.at < a.at for a, b in steps) > 0.6 * len(steps):
        return warnings  # newest-first status log: the text runs backwards on purpose
    last_start: Moment | None = None
    for moment, kind in zip(moments, kinds, strict=True):
        if kind in {"trigger", "impact"} and moment.range_role != "end":
            last_start = moment
            continue
        if kind != "recovery" or last_start is None or moment.range_role == "end":
            continue
        recovery_text = text[moment.mention_start : moment.mention_end]
        start_text = text[last_start.mention_start : last_start.mention_end]
        if abs(moment.at - last_start.at) <= INCIDENT_GAP:
            if moment.at < last_start.at:
                warnings.append(
                    ExtractionWarning(
                        "contradictory_times",
                        f'The recovery at "{recovery_text}" ({moment.at:%Y-%m-%d %H:%M} UTC) '
                        f'comes before the start at "{start_text}" '
                        f"({last_start.at:%Y-%m-%d %H:%M} UTC) it follows.",
                        last_start.mention_start,
                        moment.mention_end,
                    )
                )
            continue
        if moment.date_basis == "stated":
            continue
        same_day = to_utc(last_start.local_day, moment.hour, moment.minute, moment.zone)
        if same_day < last_start.at:
            warnings.append(
                ExtractionWarning(
                    "contradictory_times",
                    f'The recovery at "{recovery_text}" has no date of its own. Read on the '
                    f"day of the start it follows ({last_start.local_day.isoformat()}, "
                    f'"{start_text}" = {last_start.at:%H:%M} UTC) it comes before that start; '
                    f"read on {moment.local_day.isoformat()} it belongs to another incident.",
                    last_start.mention_start,
                    moment.mention_end,
                )
            )
    return warnings


def check_sources(
    text: str, moments: tuple[Moment, ...], context: DocumentContext
) -> list[ExtractionWarning]:
    """Warn when a date the text states lies far from the incident its sources describe.

    The stated date is kept (the text wins over any guess); the reviewer is told that the
    cited sources or the title point elsewhere, so an older story retold in passing can be
    dropped by hand.
    """
    anchors = list(context.sources)
    if context.title is not None:
        anchors.append(context.title.day)
    if not anchors:
        return []
    far = [
        m
        for m in moments
        if m.date_basis in {"stated", "sentence"}
        and all(abs(m.local_day - anchor) > INCIDENT_GAP for anchor in anchors)
    ]
    if not far:
        return []
    first = far[0]
    quoted = text[first.mention_start : first.mention_end]
    pointed = ", ".join(sorted({anchor.isoformat() for anchor in anchors}))
    return [
        ExtractionWarning(
            "date_far_from_sources",
            f"{counted(len(far), 'time')} with a date the text states far from the incident its cited "
            f'sources or title point at ({pointed}), first "{quoted}" on '
            f"{first.local_day.isoformat()}. The stated dates were kept; check whether these "
            "moments belong to this incident.",
            first.mention_start,
            first.mention_end,
        )
    ]

"""Day-only moments the extractor read but dropped in the ninth round because their
sentence held no cue word it knew: incident verbs in English ("lost electricity", "ran into
a problem", "was hit by a hacker attack", "advertised faulty routes", "unpublished his
packages") and German verbs of talk and state ("twitterte am Mittwoch", "hatte am Freitag
informiert", "klappt seit Samstag nicht", "arbeitet seit Mittwoch wieder").

Each test uses a short text written for it; none is taken from the labelled articles.
"""

from __future__ import annotations

from datetime import date

import pytest

from postmortems.ingest.extraction import Extraction, extract_timeline


def day_kinds(extraction: Extraction) -> set[tuple[date, str]]:
    return {(e.at.date(), e.kind) for e in extraction.events if e.date_only}


# Each case: the language, the text, the day and the kind it tells. The reference date is
# the told day, as the incident day the importer passes.
TOLD_DAYS = [
    pytest.param(
        "en",
        "Most of the northern province lost electricity on Friday, March 8, and hospitals "
        "ran on generators.",
        date(2024, 3, 8),
        "impact",
        id="lost-electricity",
    ),
    pytest.param(
        "en",
        "The clearing network of Example Banks ran into a problem on Monday, March 4, "
        "leaving customers of six banks unable to send transfers.",
        date(2024, 3, 4),
        "impact",
        id="ran-into-a-problem",
    ),
    pytest.param(
        "en",
        "The network of the regional court was hit by a hacker attack on Tuesday, April 9, "
        "and its sessions were postponed.",
        date(2024, 4, 9),
        "trigger",
        id="hit-by-a-hacker-attack",
    ),
    pytest.param(
        "en",
        "On June 3, a small carrier advertised faulty routes for thousands of networks, and "
        "traffic for them was sent across its links for about twenty minutes.",
        date(2024, 6, 3),
        "trigger",
        id="advertised-routes",
    ),
    pytest.param(
        "en",
        "On May 14, the maintainer unpublished his packages from the registry, among them "
        "a tiny string helper used by many builds.",
        date(2024, 5, 14),
        "trigger",
        id="unpublished-packages",
    ),
    pytest.param(
        "de",
        "Mehrere Nachrichtenportale waren nach einem Stromausfall nicht erreichbar.\n\n"
        "Das Portal Beispiel.de twitterte am Samstag von einem kurzen Serverausfall.",
        date(2024, 3, 9),
        "communication",
        id="twitterte-am",
    ),
    pytest.param(
        "de",
        "Ein Verlag ist Opfer eines Cyberangriffs geworden.\n\n"
        "Der Verlag hatte am Freitag über den Angriff informiert.",
        date(2024, 3, 8),
        "communication",
        id="hatte-informiert",
    ),
    pytest.param(
        "de",
        "Seit Samstag klappt die Anmeldung im Onlinebanking der Beispielbank nicht.",
        date(2024, 3, 9),
        "impact",
        id="klappt-nicht",
    ),
    pytest.param(
        "de",
        "Das Kassensystem der Beispielkette war tagelang gestört.\n\n"
        "Es arbeitet seit Mittwoch wieder ohne Fehler.",
        date(2024, 3, 13),
        "recovery",
        id="arbeitet-wieder",
    ),
]


@pytest.mark.parametrize(("language", "body", "day", "kind"), TOLD_DAYS)
def test_a_cue_verb_by_a_date_makes_a_day_event(
    language: str, body: str, day: date, kind: str
) -> None:
    text = f"Outage report\n\n{body}\n"
    extraction = extract_timeline(text, language=language, reference_date=day)
    assert (day, kind) in day_kinds(extraction)


def test_a_hacker_attack_talked_about_still_dates_nothing() -> None:
    # Giving no details of the attack is no moment of that day: only being hit by it is.
    text = (
        "Ransomware hits a regional water utility\n\n"
        "A ransomware attack crippled the billing systems of Example Water.\n\n"
        "Investigators gave no details of the hacker attack on May 2.\n"
    )
    found = day_kinds(extract_timeline(text, reference_date=date(2024, 5, 6)))
    assert not any(day == date(2024, 5, 2) for day, _ in found)


def test_arbeiten_um_wieder_normal_zu_laufen_ist_keine_erholung() -> None:
    # Working in order to be back is the work going on, not the service back.
    text = (
        "Kassensystem gestört\n\n"
        "Das Kassensystem der Beispielkette war tagelang gestört.\n\n"
        'Am Donnerstag schrieb die Firma: "Wir arbeiten mit Hochdruck, um wieder einen '
        'normalen Betrieb zu gewährleisten."\n'
    )
    found = day_kinds(extract_timeline(text, language="de", reference_date=date(2024, 3, 15)))
    assert (date(2024, 3, 14), "recovery") not in found


def test_the_areas_that_lost_electricity_are_whom_the_fix_is_for() -> None:
    text = (
        "Grid failure darkens the north\n\n"
        "At 3:15 p.m. on March 8 the utility restarted a gas plant to bring power back to "
        "towns that lost electricity after the storm.\n"
    )
    kinds = {e.kind for e in extract_timeline(text, reference_date=date(2024, 3, 10)).events}
    assert "impact" not in kinds

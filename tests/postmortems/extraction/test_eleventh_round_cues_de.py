"""German cue words that make a dated sentence a date-only moment (eleventh round).

Each test uses a short text written for it; none is taken from the labelled articles.
"""

from __future__ import annotations

from datetime import date

import pytest

from postmortems.ingest.extraction import extract_timeline, relevance
from postmortems.ingest.extraction.kinds import find_cues
from postmortems.ingest.extraction.scanning import WordIndex

DAY = date(2024, 5, 6)


def _days(text: str) -> list[tuple[date, str]]:
    extraction = extract_timeline(text, language="de", reference_date=DAY)
    return [(event.at.date(), event.kind) for event in extraction.events if event.date_only]


_TOLD = {
    # trouble told without a word for the outage, or by a compound whose last part names it
    (date(2024, 5, 7), "impact"): (
        "Am 7. Mai 2024 hakte es bundesweit beim Bezahlen mit Karte.",
        "Seit dem 7. Mai 2024 ist die Gemeinde Musterstadt nicht mehr im Netz.",
        "Am 7. Mai 2024 hatten rund 20.000 Haushalte keinen Strom.",
        "Am 7. Mai 2024 ließ sich in vielen Filialen nicht mit Karte bezahlen.",
        "Am 7. Mai 2024 funktionierten die Fahrkartenautomaten in der Region nicht.",
        "Am 7. Mai 2024 war das Rathaus nach dem Befall außer Gefecht.",
        "Am 7. Mai 2024 sorgte eine Computerpanne für lange Schlangen.",
        "IT-Schwierigkeiten gab es am 7. Mai 2024 auch im Rathaus.",
        "Eine Netzstörung traf am 7. Mai 2024 die Kunden im Süden.",
    ),
    # separable verbs of speech with many words between their parts, and their kin
    (date(2024, 5, 8), "communication"): (
        "Das teilte die Stadtverwaltung am 8. Mai 2024 auf ihrer eigenen Internetseite mit.",
        "Das gab der Betreiber am 8. Mai 2024 auf seiner eigenen Seite bekannt.",
        "Am 8. Mai 2024 bat das Unternehmen alle Kunden um Entschuldigung.",
        "Am 8. Mai 2024 äußerte sich der Vorstand zu dem Vorfall.",
        "Am 8. Mai 2024 nannte die Stadt dann weitere Einzelheiten.",
    ),
    # the service back
    (date(2024, 5, 9), "recovery"): (
        "Am 9. Mai 2024 funktioniert das Portal dann wieder.",
        "Seit dem 9. Mai 2024 ist das Bürgeramt wieder voll und wie gewohnt erreichbar.",
        "Am 9. Mai 2024 wurden die ersten Leitungen wieder freigeschaltet.",
    ),
}


@pytest.mark.parametrize(
    ("text", "day", "kind"),
    [(text, day, kind) for (day, kind), texts in _TOLD.items() for text in texts],
)
def test_a_dated_german_sentence_with_a_cue_is_a_day_moment(
    text: str, day: date, kind: str
) -> None:
    assert _days(text) == [(day, kind)]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Der Vorfall hatte sich am 6. Mai 2024 ereignet.", "impact"),
        (
            "Der Angriff auf die Server des Klinikums in der Nachbarstadt sei am frühen "
            "Morgen des 6. Mai 2024 erfolgt.",
            "trigger",
        ),
        ("Am 6. Mai 2024 fielen bei einer Routineprüfung Unregelmäßigkeiten auf.", "detection"),
    ],
)
def test_a_german_sentence_telling_the_incident_happen_dates_it(text: str, kind: str) -> None:
    assert _days(text) == [(date(2024, 5, 6), kind)]


def test_what_became_known_later_keeps_its_own_day() -> None:
    text = "Wie erst am 8. Mai 2024 bekannt wurde, fiel am 6. Mai 2024 das Netz der Stadt aus."
    assert _days(text) == [(date(2024, 5, 6), "impact"), (date(2024, 5, 8), "communication")]


# ---------------------------------------------------------------- guards


def _cue_kinds(text: str) -> list[str]:
    return [cue.kind for cue in find_cues(text, 0, len(text), WordIndex(text))]


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("Ein Systemausfall", ["impact"]),
        ("Eine IT-Störung", ["impact"]),
        ("Ein Erpressungsangriff", ["attack"]),
        # a power outage stays the trigger, whatever its ending
        ("Mehrere Stromausfälle", ["trigger"]),
        # not compounds of a word for trouble
        ("Die Zerstörung des Gebäudes", []),
        ("In dieser Zeitspanne", []),
        ("Das war unproblematisch", []),
        ("Trotz Anlaufschwierigkeiten", []),
    ],
)
def test_compounds_read_by_their_last_part(text: str, kinds: list[str]) -> None:
    assert _cue_kinds(text) == kinds


def test_something_that_goes_unmentioned_is_no_outage() -> None:
    # The cue words' reading; the learned model judges such a sentence on its own
    # (test_twelfth_round_relevance.py).
    with relevance.using(relevance.NEUTRAL):
        assert _days("Am 7. Mai 2024 ging es nicht um die Technik, sondern um Geld.") == []


@pytest.mark.parametrize(
    "text",
    [
        # the speaker between the verb and the date
        "Man prüfe alles, sagte Pressesprecher Hans-Peter Beispiel vom Landkreis Musterstadt "
        "am 8. Mai 2024 der Agentur.",
        # the separable verb around a date written with commas
        "Das teilte die Schule am Mittwoch, 8. Mai 2024, auf ihrer Internetseite mit.",
    ],
)
def test_a_german_verb_of_speech_dates_its_statement(text: str) -> None:
    assert _days(text) == [(date(2024, 5, 8), "communication")]


def test_a_separable_verb_of_speech_ends_in_its_own_clause() -> None:
    text = "Die Firma teilte mit, die Lage stehe im Zusammenhang mit dem Angriff vom 7. Mai 2024."
    with relevance.using(relevance.NEUTRAL):  # the cue words' reading, as above
        assert _days(text) == []

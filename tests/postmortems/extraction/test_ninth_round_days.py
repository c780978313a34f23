"""Day-only moments the extractor dropped in the ninth round: dates it read but made no
event of, because the sentence named the incident only as "the attack".

Each test uses a short text written for it; none is taken from the labelled articles.
"""

from __future__ import annotations

from datetime import date

from postmortems.ingest.extraction import Extraction, extract_timeline


def days(extraction: Extraction) -> set[date]:
    return {e.at.date() for e in extraction.events if e.date_only}


# ------------------------------------------ "the attack" alone, once the story has named it


def test_the_attack_made_public_on_a_date_is_a_day_event() -> None:
    text = (
        "Ransomware hits a regional water utility\n\n"
        "A ransomware attack crippled the billing systems of Example Water.\n\n"
        "The attack was first made public on February 11.\n"
    )
    assert date(2024, 2, 11) in days(extract_timeline(text, reference_date=date(2024, 2, 14)))


def test_der_angriff_der_sich_an_einem_tag_ereignete_ist_ein_tagesereignis() -> None:
    text = (
        "Hackerangriff auf Stadtwerke\n\n"
        "Die Stadtwerke Beispielstadt sind Opfer eines Hackerangriffs geworden.\n\n"
        "Nach Angaben des Versorgers ereignete sich der Angriff bereits am 9. März.\n"
    )
    assert date(2024, 3, 9) in days(
        extract_timeline(text, language="de", reference_date=date(2024, 3, 12))
    )


def test_the_attack_as_a_topic_of_talk_dates_nothing() -> None:
    # Naming the attack is not telling it happened: the day is when nothing was said.
    text = (
        "Ransomware hits a regional water utility\n\n"
        "A ransomware attack crippled the billing systems of Example Water.\n\n"
        "The police gave no details of the attack on February 13.\n"
    )
    assert date(2024, 2, 13) not in days(extract_timeline(text, reference_date=date(2024, 2, 14)))

"""Step 6, checks: warnings over the whole result."""

from __future__ import annotations

from postmortems.ingest.extraction import extract_timeline


def test_a_late_recovery_report_is_the_same_incident() -> None:
    text = (
        "On July 19, 2024 at 04:09 UTC a faulty update crashed hosts.\n"
        "By July 29, 2024 at 8:00 p.m. EDT, 99% of hosts were back online."
    )
    assert "multiple_incidents" not in extract_timeline(text).warning_codes()


def test_a_start_years_apart_is_another_incident() -> None:
    text = (
        "On July 19, 2024 at 04:09 UTC a faulty update crashed hosts.\n"
        "On July 29, 2021 at 10:00 UTC a different change took the site down."
    )
    assert "multiple_incidents" in extract_timeline(text).warning_codes()


def test_a_recovery_long_after_is_still_another_incident() -> None:
    text = (
        "On July 19, 2021 at 04:09 UTC a faulty update crashed hosts.\n"
        "On October 20, 2025 at 09:35 UTC the service recovered."
    )
    assert "multiple_incidents" in extract_timeline(text).warning_codes()


def test_zone_guess_is_warned_once_per_zone_with_examples() -> None:
    extraction = extract_timeline("On May 3, 2024 at 9:00 it failed. At 9:30 it recovered.")
    (warning,) = [w for w in extraction.warnings if w.code == "time_without_zone"]
    assert '"9:00"' in warning.message
    assert "read as UTC" in warning.message

"""Step 5a, kinds: families of words and forms of text that decide a moment's kind.

Each test uses a short text written for it; none is taken from the labelled articles.
"""

from __future__ import annotations

import pytest

from tests.postmortems.extraction.test_unseen_classes import kinds_of

# --------------------------------------------------------------------------- fields


@pytest.mark.parametrize(
    "text",
    [
        "Billing portal incident\n\n- **Reported:** 4 March 2022 08:10 UTC\n"
        "- **Resolved:** 4 March 2022 09:40 UTC",
        "Carrier notice\nOutage Start: March 4, 2022 08:10 GMT\nOutage Clear: March 4, 2022 09:40 GMT",
        "On 4 March 2022 the log read: start time: 08:10 (UTC) end time: 09:40 (UTC).",
        "Störung am 4. März 2022\nBeginn: 08:10 Uhr\nEnde: 09:40 Uhr",
    ],
)
def test_a_field_named_for_a_moment_gives_its_time_that_kind(text: str) -> None:
    assert kinds_of(text) == ["impact", "recovery"]


# --------------------------------------------------------------------------- getting worse


@pytest.mark.parametrize(
    "text",
    [
        "On 4 March 2022 the app failed for many users from 08:10 UTC. Reports jumped to 40,000 at "
        "09:05 UTC.",
        "On 4 March 2022 the app failed for many users from 08:10 UTC. At 09:05 UTC the error "
        "rate rose sharply.",
        "Am 4. März 2022 war die App ab 8:10 Uhr gestört. Ab 9 Uhr schoss die Zahl der Meldungen "
        "in die Höhe.",
        "Am 4. März 2022 war die App ab 8:10 Uhr gestört. Gegen 9 Uhr verzeichnete das Portal einen "
        "sprunghaften Anstieg der Meldungen.",
    ],
)
def test_a_sharp_rise_once_the_trouble_began_is_an_escalation(text: str) -> None:
    assert kinds_of(text) == ["impact", "escalation"]


def test_a_sharp_rise_that_opens_the_story_is_the_impact() -> None:
    text = "On 4 March 2022 at 08:10 UTC monitoring saw a sudden spike in failed logins."
    assert kinds_of(text) == ["impact"]


def test_a_rise_told_after_a_day_of_trouble_keeps_that_day() -> None:
    text = (
        "Die Störung bei der Bank begann am Montag, den 7. März 2022. Ab 9 Uhr schoss die Zahl "
        "der Meldungen in die Höhe."
    )
    assert kinds_of(text) == ["impact", "escalation"]


# --------------------------------------------------------------------------- power


@pytest.mark.parametrize(
    "text",
    [
        "On 4 March 2022 the power outage at the Leeds site began at 08:10 UTC.",
        "On 4 March 2022 at 08:10 UTC utility power to the hall failed.",
        "On 4 March 2022 a faulty transformer tripped at 08:10 UTC.",
        "Am 4. März 2022 ereignete sich um 8:10 Uhr ein Stromausfall im Rechenzentrum.",
    ],
)
def test_the_power_supply_failing_is_the_trigger(text: str) -> None:
    assert kinds_of(text) == ["trigger"]


def test_servers_losing_power_are_the_impact() -> None:
    text = "On 4 March 2022 at 08:10 UTC the racks in hall B began losing power."
    assert kinds_of(text) == ["impact"]


# --------------------------------------------------------------------------- word families


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # "begin"/"begins" as "began": customers starting to report trouble
        ("On 4 March 2022 at 08:10 UTC - shoppers begin to report slow checkouts.", "impact"),
        # "trouble" as "problems": what a start verb starts
        ("On 4 March 2022 riders started having trouble paying fares at 08:10 UTC.", "impact"),
        # "inaccessible" as "unavailable"
        (
            "On 4 March 2022 a configuration change left the portal inaccessible between 08:10 and "
            "08:40 UTC.",
            None,
        ),
        # "all-clear" as "Entwarnung"
        ("On 4 March 2022 the operator gave the all-clear at 09:40 UTC.", "recovery"),
        # "regained" as "recovered"
        ("On 4 March 2022 staff regained access to the mail system by 09:40 UTC.", "recovery"),
        # "back at normal", "returned to some semblance of normality" as "back to normal"
        (
            "On 4 March 2022 at 09:40 UTC after the change error rates sat back at normal levels.",
            "recovery",
        ),
        (
            "On 4 March 2022 by 09:40 UTC the site had returned to some semblance of normality.",
            "recovery",
        ),
    ],
)
def test_a_word_of_a_family_reads_as_its_kin(text: str, kind: str | None) -> None:
    assert kinds_of(text) == ([kind] if kind else ["impact", "recovery"])


# --------------------------------------------------------------------------- German verbs


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        # a separable verb's parts stand apart, the time between them
        (
            "Am 4. März 2022 fiel das Kassensystem der Kette gegen 8:10 Uhr bundesweit aus.",
            ["impact"],
        ),
        (
            "Am 4. März 2022 brach die Leistung um 8:10 Uhr binnen Minuten weg.",
            ["impact"],
        ),
        (
            "Am 4. März 2022 ließ sich das Portal ab 8:10 Uhr weder per App noch im Browser erreichen.",
            ["impact"],
        ),
        (
            "Am 4. März 2022 war das Portal ab 8:10 Uhr gestört. Die Kasse lief nach einem Neustart "
            "gegen 9:40 Uhr wieder.",
            ["impact", "recovery"],
        ),
        (
            "Am 4. März 2022 war die Börse ab 8:10 Uhr gestört. Sie nahm den Handel gegen 9:40 Uhr "
            "wieder auf.",
            ["impact", "recovery"],
        ),
        (
            "Am 4. März 2022 war das Portal ab 8:10 Uhr gestört. Die Störung endete um 9:40 Uhr.",
            ["impact", "recovery"],
        ),
        (
            "Am 4. März 2022 war das Portal ab 8:10 Uhr gestört. Gegen 9:40 Uhr standen alle "
            "Funktionen wieder bereit.",
            ["impact", "recovery"],
        ),
    ],
)
def test_german_verbs_in_all_their_forms(text: str, kinds: list[str]) -> None:
    assert kinds_of(text) == kinds


@pytest.mark.parametrize(
    "text",
    [
        "On 4 March 2022 the airline's systems failed at 08:10 UTC. The ground stop that followed "
        "was lifted at 09:40 UTC.",
        "Am 4. März 2022 fiel das Stellwerk um 8:10 Uhr aus. Die Sperrung wurde um 9:40 Uhr "
        "aufgehoben.",
    ],
)
def test_lifting_a_restriction_ends_the_trouble(text: str) -> None:
    assert kinds_of(text) == ["impact", "recovery"]


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        # the business stopping is how the trouble shows, not a step taken against it
        (
            "On 4 March 2022 the bourse halted trading in all shares from 08:10 to 09:40 UTC.",
            ["impact", "recovery"],
        ),
        (
            "On 4 March 2022 quote feeds failed from 08:10 UTC. At 08:40 UTC trading in all "
            "listed securities was halted.",
            ["impact", "escalation"],
        ),
        ("On 4 March 2022 at 08:10 UTC the gateway stopped accepting card payments.", ["impact"]),
    ],
)
def test_trading_halted_is_the_trouble_not_the_fix(text: str, kinds: list[str]) -> None:
    assert kinds_of(text) == kinds


# --------------------------------------------------------------------------- timeline entries


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        # done by mistake: how it began, whatever the action
        (
            "Timeline, 4 March 2022\n\n- 08:10 UTC | The cache tier is accidentally disabled during a "
            "cleanup.\n- 08:20 UTC | Shoppers see errors at checkout.",
            ["trigger", "impact"],
        ),
        (
            "Am 4. März 2022 löschte ein Techniker um 8:10 Uhr versehentlich eine Routing-Tabelle.",
            ["trigger"],
        ),
        # re-enabling something after the trouble began is work on the fix
        (
            "Timeline, 4 March 2022\n\n- 08:10 UTC | Shoppers see errors at checkout.\n- 08:40 UTC | "
            "The team starts re-enabling the cache tier.",
            ["impact", "mitigation"],
        ),
    ],
)
def test_how_an_entry_acts_decides_its_kind(text: str, kinds: list[str]) -> None:
    assert kinds_of(text) == kinds


# --------------------------------------------------------------------------- cause named


@pytest.mark.parametrize(
    "text",
    [
        "On 5 August 2022 at 18:00 BST the vendor confirmed that a cyber attack was behind the "
        "outage.",
        "On 7 February 2019 at 11:20 a.m. PST the bank issued a statement blaming the problems on "
        "a power shutdown at one of its facilities.",
        "On 14 October 2023 at 5.31pm SGT the carrier said the cause was an issue with a "
        "third-party data centre.",
        "On 9 August 2022 at 17:24 BST a spokesperson said the outage was due to a fire.",
        "Am 5. August 2022 um 18 Uhr teilte der Anbieter mit, die Ursache sei ein Hackerangriff "
        "gewesen.",
    ],
)
def test_a_statement_naming_the_cause_is_the_detection(text: str) -> None:
    assert kinds_of(text) == ["detection"]


def test_a_time_told_after_the_named_cause_is_not_the_statement() -> None:
    text = (
        "On 27 July 2020 the maker said that a faulty update was behind the outage that hit its "
        "app on 23 July 2020 at 10:00 UTC."
    )
    assert kinds_of(text)[-1] != "detection"


def test_a_denied_cause_names_none() -> None:
    text = (
        "On 9 August 2022 at 17:24 BST a spokesperson said the outage was not due to the fire "
        "in Iowa."
    )
    assert kinds_of(text) != ["detection"]


# --------------------------------------------------------------------------- what set it off


@pytest.mark.parametrize(
    "text",
    [
        "On 9 May 2021 cameras recorded a fire breaking out in the battery room at 15:19 KST.",
        "On 9 May 2021 the blaze, which began at 23:10 UTC, forced the site to close.",
        "On 9 May 2021 at 18:40 UTC lightning struck the substation next to the data centre.",
        "On 9 May 2021 at 18:40 UTC severe storms cut off the region's power.",
        "On 9 May 2021 at 18:40 UTC our utility provider lost power at a regional substation.",
        "On 9 May 2021 the portal went dark after the attack struck at about 04:00 UTC.",
        "On 9 May 2021 at 18:40 UTC a small network passed the 10.0.0.0/24 prefix upstream.",
        "Am 9. Mai 2021 wurde der Dienstleister um 1.01 Uhr angegriffen.",
        "Am 9. Mai 2021 schlug um 17:41 Uhr ein Blitz in das Umspannwerk ein.",
        "Von der am 9. Mai 2021 um 2 Uhr ausgeführten Attacke sind alle Filialen betroffen.",
    ],
)
def test_what_struck_from_outside_is_the_trigger(text: str) -> None:
    assert kinds_of(text) == ["trigger"]


def test_a_capitalised_change_inside_a_sentence_is_a_name_not_a_change() -> None:
    text = "On 21 February 2024 at 10:00 UTC, Change Healthcare systems went down."
    assert kinds_of(text) == ["impact"]


# --------------------------------------------------------------------------- posts and returns


@pytest.mark.parametrize(
    "text",
    [
        "On 2 December 2022 an update time-stamped 08:19 PM EST spoke of a significant failure.",
        "The engineer went through the 14 August 2014 outage in an Aug. 22, 2014 blog post.",
        "Am 10. September 2020 um kurz nach 7 Uhr machte die Klinik die Störung bekannt.",
    ],
)
def test_a_post_named_by_its_stamp_is_a_communication(text: str) -> None:
    assert kinds_of(text)[-1] == "communication"


def test_what_a_blog_post_says_happened_keeps_its_kind() -> None:
    text = "On 4 October 2021 the CDN said in a blog post that at 15:58 UTC it noticed the errors."
    assert kinds_of(text) == ["detection"]


@pytest.mark.parametrize(
    "text",
    [
        "On 28 February 2021 the bank said the glitch with its machines was fully fixed by 19:00 JST.",
        "On 1 October 2013 some of the problems seemed to ease just after 12 p.m. CDT.",
        "On 25 April 2013 the rest of the exchange opened at 1 p.m. EDT.",
        "On 3 April 2018 at 15:20 UTC the agency reopened the portal.",
        "On 26 June 2024 at 14:00 UTC the vendor brought a first group of dealers live.",
        "Am 19. Oktober 2022 um 10 Uhr waren die betroffenen Server wieder in Betrieb.",
    ],
)
def test_a_service_back_in_use_is_the_recovery(text: str) -> None:
    assert kinds_of(text) == ["recovery"]


# --------------------------------------------------------------------------- worse, lost, taken down


@pytest.mark.parametrize(
    "text",
    [
        "On 11 April 2016 the VPN service lost traffic from 18:14 UTC.",
        "At 03:22 UTC on 25 August 2017 the internet felt the effects of a large route leak.",
        "On 10 September 2012 at 2 p.m. ET I could no longer upload the graphics.",
        "Am 10. September 2020 um 7 Uhr stand das Computersystem der Klinik still.",
    ],
)
def test_traffic_lost_or_a_standstill_is_the_impact(text: str) -> None:
    assert kinds_of(text) == ["impact"]


def test_an_attack_growing_into_a_wider_outage_is_an_escalation() -> None:
    text = (
        "On 6 September 2019 the site failed for many readers from 17:00 UTC. At 23:30 UTC the "
        "attack grew into a near-total outage."
    )
    assert kinds_of(text) == ["impact", "escalation"]


@pytest.mark.parametrize(
    "text",
    [
        "On 27 June 2024 routes leaked from 18:51 UTC. By 20:08 UTC the CDN had switched off the "
        "peering location.",
        "On 20 June 2016 packet loss began at 12:10 UTC. We had to take our ports down at 12:30 "
        "UTC.",
        "On 2 July 2021 servers were encrypted from 14:00 UTC. At 15:00 UTC the vendor shut its "
        "cloud servers to stop the spread.",
        "Am 25. Dezember 2015 war der Dienst ab 19 Uhr gestört. Der Betreiber nahm die Plattform "
        "gegen 20:30 Uhr vom Netz.",
    ],
)
def test_taking_a_part_out_on_purpose_is_a_mitigation(text: str) -> None:
    assert kinds_of(text)[-1] == "mitigation"


def test_normal_routing_returning_is_the_recovery() -> None:
    text = "On 11 April 2016 at 19:27 UTC normal routing returned."
    assert kinds_of(text) == ["recovery"]


@pytest.mark.parametrize(
    "text",
    [
        "On 30 April 2022 the chain halted at 20:00 UTC. On 1 May 2022 at 03:00 UTC validators "
        "were able to restart the main network.",
        "The pipeline was shut on 7 May 2021. The operator initiated the restart of pipeline "
        "operations on 12 May 2021 at 5 p.m. ET.",
        "Am 30. April 2022 stand die Blockchain ab 22 Uhr still. Am 1. Mai 2022 um 5 Uhr konnten "
        "die Validatoren das Mainnet neu starten.",
    ],
)
def test_the_whole_service_started_again_is_the_recovery(text: str) -> None:
    assert kinds_of(text)[-1] == "recovery"


def test_a_part_restarted_is_still_work_on_the_fix() -> None:
    text = (
        "On 1 May 2022 the API failed from 02:00 UTC. At 02:30 UTC engineers restarted the "
        "database nodes."
    )
    assert kinds_of(text) == ["impact", "mitigation"]


# --------------------------------------------------------------------------- an attack and its effect


@pytest.mark.parametrize(
    "text",
    [
        "On Friday, 12 May 2017, the health service was knocked offline by a ransomware attack.",
        "Am Freitag, 7. Mai 2021, hatte ein Hacker-Angriff die Leitungen des Betreibers lahmgelegt.",
        "On 24 February 2022 a cyber-attack against the satellite network partially interrupted "
        "its broadband service.",
        "Am 6. Juli 2021 machte ein Hacker-Angriff die IT des Landkreises unbrauchbar.",
    ],
)
def test_an_attack_told_with_what_it_did_to_the_victim_is_the_impact(text: str) -> None:
    assert kinds_of(text) == ["impact"]


def test_an_attack_told_alone_is_the_trigger() -> None:
    text = "On 14 May 2021 at 04:00 UTC the health service suffered a ransomware attack."
    assert kinds_of(text) == ["trigger"]


@pytest.mark.parametrize(
    "text",
    [
        "On 16 October 2018 users around the world noticed the site failing around 9:20 PM ET.",
        "On 20 September 2015 the database went down at 3 AM PDT, and hardly anyone noticed.",
        "Am 16. Oktober 2018 um 21:20 Uhr bemerkten Nutzer weltweit, dass die Seite ausfiel.",
    ],
)
def test_users_noticing_is_the_impact_not_the_detection(text: str) -> None:
    assert kinds_of(text) == ["impact"]


def test_the_operator_noticing_stays_the_detection() -> None:
    text = (
        "On 16 October 2018 the site failed from 01:20 UTC. At 01:31 UTC our engineers noticed "
        "the errors."
    )
    assert kinds_of(text) == ["impact", "detection"]


# --------------------------------------------------------------------------- a blackout beginning


@pytest.mark.parametrize(
    "text",
    [
        "The grid operator wrote on 9 May 2023 that the blackout began at 14:20 and left the "
        "valley dark.",
        "Street lamps came on again on 9 May 2023, two hours after the blackouts that began at "
        "14:20.",
        "Am 9. Mai 2023 begann der Blackout in der Talregion gegen 14.20 Uhr.",
        "Der Blackout im Tal begann am 9. Mai 2023 gegen 14.20 Uhr.",
    ],
)
def test_a_blackout_that_begins_is_the_impact_not_its_trigger(text: str) -> None:
    assert kinds_of(text) == ["impact"]


# --------------------------------------------------------------------------- trouble with no verb of failing


@pytest.mark.parametrize(
    "text",
    [
        "On 2 June 2022 the signalling fault, which occurred around 07:40 BST, halted the line.",
        "On 2 June 2022 the incident at the depot was first reported shortly after 07:40 BST.",
        "On 2 June 2022 the exchange saw its traffic falling to zero just after 07:40 UTC.",
        "On 2 June 2022 the feed goes dark at around 07:40 UTC for most viewers.",
        "Am 2. Juni 2022 musste die Bahn den Verkehr gegen 7.40 Uhr unterbrechen.",
        "Am 2. Juni 2022 stellte die Bahn gegen 7.40 Uhr im ganzen Land den Betrieb ein.",
        "Am 2. Juni 2022 ging ab 7.40 Uhr bei der Kasse des Ladens nichts mehr.",
        "Am 2. Juni 2022 war die Hotline ab 7.40 Uhr nicht per Telefon erreichbar.",
    ],
)
def test_trouble_told_without_a_verb_of_failing_is_the_impact(text: str) -> None:
    assert kinds_of(text) == ["impact"]


# --------------------------------------------------------------------------- the end in other words


@pytest.mark.parametrize(
    "text",
    [
        "On 2 June 2022 the card terminals failed at 07:40 BST. By 09:15 BST the number of "
        "complaints had fallen sharply.",
        "On 2 June 2022 the card terminals failed at 07:40 BST. The vendor said the DDoS attacks "
        "had stopped as of 09:15 BST.",
        "Am 2. Juni 2022 fielen um 7.40 Uhr die Kassen aus. Gegen 9.15 Uhr entspannte sich die "
        "Lage.",
        "Am 2. Juni 2022 fielen um 7.40 Uhr die Kassen aus. Gegen 9.15 Uhr waren die Seiten "
        "wieder aufrufbar.",
        "Am 2. Juni 2022 fielen um 7.40 Uhr die Stellwerke aus. Ab 9.15 Uhr rollten die Züge "
        "wieder.",
        "Am 2. Juni 2022 fielen um 7.40 Uhr die Stellwerke aus. Erst um 9.15 Uhr kam der Verkehr "
        "wieder in Gang.",
        "Am 2. Juni 2022 fiel um 7.40 Uhr die Börse aus. Um 9.15 Uhr konnte sie den Handel wieder "
        "aufnehmen.",
    ],
)
def test_the_end_told_in_other_words_is_the_recovery(text: str) -> None:
    assert kinds_of(text) == ["impact", "recovery"]

"""Step 5a, kinds: classes of phrasing seen on write-ups the cue table was not tuned on.

Each test uses a short text written for it; none is taken from the labelled articles.
"""

from __future__ import annotations

import pytest

from postmortems.ingest.extraction import extract_timeline
from tests.postmortems.extraction.test_unseen_classes import kinds_of

# --------------------------------------------------------------------------- statements


@pytest.mark.parametrize(
    "text",
    [
        # An "Update" heading over an entry that only says the work goes on.
        "Update\nOur team is still looking into slow page loads.\nPosted Mar 3, 2021 - 14:20 UTC",
        "Update\nA write-up of the incident is now on our engineering blog.\n"
        "Posted Mar 5, 2021 - 09:00 UTC",
        # The same heading inline, stamped with its own time.
        "On 3 March 2021 the portal stalled.\n\nUpdate 14:20 UTC: The cause is not yet known.",
        # A verb of speech over a state that goes on: the statement is the moment.
        "On 3 March 2021 a post at 14:20 UTC said engineers were still investigating.",
        "On 3 March 2021 an alert at 14:20 UTC said some shoppers were still having trouble.",
    ],
)
def test_a_status_post_that_only_says_work_goes_on_is_a_communication(text: str) -> None:
    assert kinds_of(text)[-1] == "communication"


def test_an_update_heading_gives_way_to_what_the_entry_reports() -> None:
    text = "Update\nWe have restored access for every customer.\nPosted Mar 3, 2021 - 16:05 UTC"
    assert kinds_of(text) == ["recovery"]


@pytest.mark.parametrize(
    "text",
    [
        "On 3 March 2021 at 14:20 UTC the bank confirmed the outage on its website.",
        "On 3 March 2021 at 14:20 UTC the carrier owned up to a routing problem.",
        "On 3 March 2021 at 14:20 UTC the operator released a short statement.",
        "On 3 March 2021 the first post came at 13:50 UTC. A further update followed at 14:20 UTC.",
        "Am 3. März 2021 bestätigte der Anbieter um 14:20 Uhr MEZ die Störung.",
    ],
)
def test_owning_up_to_an_outage_is_a_communication(text: str) -> None:
    assert kinds_of(text)[-1] == "communication"


def test_pushing_back_an_update_is_no_change_going_out() -> None:
    text = "On 3 March 2021 at 14:20 UTC the provider pushed back its next status update."
    assert kinds_of(text) == ["communication"]


# --------------------------------------------------------------------------- spreading


@pytest.mark.parametrize(
    "text",
    [
        "On 3 March 2021 payments failed from 09:00 UTC. At 09:40 UTC the mobile app was now "
        "also having trouble.",
        "On 3 March 2021 payments failed from 09:00 UTC. By 09:40 UTC the errors had spread to "
        "the mobile app.",
        "Am 3. März 2021 gab es ab 9 Uhr MEZ Störungen bei Zahlungen. Um 9:40 Uhr MEZ weitete sich die "
        "Störung auf die App aus.",
    ],
)
def test_a_failure_spreading_to_more_services_is_an_escalation(text: str) -> None:
    assert kinds_of(text) == ["impact", "escalation"]


def test_a_confirmation_that_says_more_gives_way_to_what_it_says() -> None:
    text = (
        "On 3 March 2021 the shop confirmed the problem at 14:20 UTC, saying its staff had "
        "identified a faulty switch."
    )
    assert kinds_of(text) == ["detection"]


@pytest.mark.parametrize(
    "text",
    [
        "On 3 March 2021 at 14:20 UTC the chief executive gave a press conference.",
        "On 3 March 2021 at 14:20 UTC the carrier posts its first updates on social media.",
        "On 3 March 2021 at 14:20 UTC the operator tells the regulator that calls are affected.",
        "Am 3. März 2021 um 14:20 Uhr MEZ teilte der Betreiber mit, dass er die Lage beobachte.",
    ],
)
def test_press_conferences_posts_and_telling_someone_are_communications(text: str) -> None:
    assert kinds_of(text) == ["communication"]


# --------------------------------------------------------------------------- the fix holding


@pytest.mark.parametrize(
    "text",
    [
        "On 3 March 2021 at 14:20 UTC our remediations are working and queues drain.",
        "On 3 March 2021 at 14:20 UTC mitigation was confirmed for the storage nodes.",
        "On 3 March 2021 by 14:20 UTC mail was flowing normally in most regions.",
        "On 3 March 2021 the complaints had died down by 14:20 UTC.",
        "Am 3. März 2021 ging ab 14:20 Uhr MEZ die Zahl der Meldungen deutlich zurück.",
        "Am 3. März 2021 hatte der Anbieter die Lage gegen 14:20 Uhr MEZ im Griff.",
        "Am 3. März 2021 um 14:20 Uhr MEZ teilte der Anbieter mit, die Wiederherstellung laufe.",
    ],
)
def test_a_fix_that_holds_and_reports_that_die_down_are_recovery(text: str) -> None:
    assert kinds_of(text) == ["recovery"]


# --------------------------------------------------------------------------- the response


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (
            "On 3 March 2021 at 14:20 UTC more support teams came in to help the investigation.",
            "escalation",
        ),
        ("On 3 March 2021 at 14:20 UTC all deployments in the region stopped.", "mitigation"),
        ("On 3 March 2021 at 14:20 UTC the team stopped all deployments.", "mitigation"),
        ("Am 3. März 2021 war das Portal ab 14:20 Uhr MEZ nicht verfügbar.", "impact"),
    ],
)
def test_more_teams_a_change_freeze_and_german_unavailability(text: str, kind: str) -> None:
    assert kinds_of(text) == [kind]


# --------------------------------------------------------------------------- third batch


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("On 3 March 2021 the trouble started at 14:20 UTC, when logins failed.", "impact"),
        ("On 3 March 2021 the bank began receiving reports of failures at 14:20 UTC.", "detection"),
        (
            "On 3 March 2021 at 14:20 UTC the status page showed all systems operational.",
            "recovery",
        ),
        ("On 3 March 2021 at 14:20 UTC the board called an emergency meeting.", "escalation"),
        (
            "On 3 March 2021 at 14:20 UTC the manager rang the regulator with an update.",
            "communication",
        ),
    ],
)
def test_trouble_starting_reports_arriving_and_the_all_clear(text: str, kind: str) -> None:
    assert kinds_of(text) == [kind]


def test_a_cue_for_what_happened_afterwards_does_not_name_the_moment() -> None:
    text = "On 3 March 2021 we throttled the job at 14:20 UTC, and errors died down shortly afterwards."
    assert kinds_of(text) == ["mitigation"]


def test_a_statement_that_something_ended_is_the_end_even_if_some_still_suffer() -> None:
    text = (
        "On 3 March 2021 a statement at 14:20 UTC said service had been restored for most "
        "customers, although a few still saw errors."
    )
    assert kinds_of(text) == ["recovery"]


# --------------------------------------------------------------------------- parts and service


@pytest.mark.parametrize(
    "text",
    [
        "On 3 March 2021 mains power was restored at 14:20 UTC, and the racks began to boot.",
        "On 3 March 2021 at 14:20 UTC a restoration script had run for most accounts.",
        "On 3 March 2021 the chiller was repaired at 14:20 UTC, and the shop was back by 16:00 UTC.",
    ],
)
def test_restoring_or_repairing_a_part_is_work_on_the_fix(text: str) -> None:
    assert kinds_of(text)[0] == "mitigation"


def test_a_statement_as_subject_gives_way_to_what_it_said() -> None:
    text = (
        "On 3 March 2021 a media statement at 14:20 UTC said payments had been restored for "
        "nearly all customers."
    )
    assert kinds_of(text) == ["recovery"]


def test_putting_out_a_statement_on_the_outage_is_a_communication() -> None:
    text = "On 3 March 2021 at 14:20 UTC the carrier puts out its first statement on the outage."
    assert kinds_of(text) == ["communication"]


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        (
            "On 3 March 2021 logins failed from 14:00 UTC. At 14:20 UTC we went into emergency "
            "downtime for the session store.",
            ["impact", "mitigation"],
        ),
        (
            "On 3 March 2021 logins failed from 14:00 UTC. At 14:20 UTC we began to roll out a "
            "new session store.",
            ["impact", "mitigation"],
        ),
        (
            "On 3 March 2021 logins failed from 14:00 UTC and recovered at 14:30 UTC. At 15:10 UTC "
            "checkout was failing again.",
            ["impact", "recovery", "escalation"],
        ),
    ],
)
def test_downtime_to_repair_rolling_out_and_failing_again(text: str, kinds: list[str]) -> None:
    assert kinds_of(text) == kinds


# --------------------------------------------------------------------------- fourth batch


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("On 3 March 2021 at 14:20 UTC the search cluster was fully stable.", "recovery"),
        ("On 3 March 2021 at 14:20 UTC we are working to reduce the delays.", "mitigation"),
        (
            "On 3 March 2021 at 14:20 UTC adding capacity to the proxy tier was complete.",
            "mitigation",
        ),
        ("On 3 March 2021 we redeployed the API at 14:20 UTC with more machines.", "mitigation"),
        ("On 3 March 2021 at 14:20 UTC mains power came back.", "mitigation"),
        (
            "On 3 March 2021 at 14:20 UTC we found the config error behind the failures.",
            "detection",
        ),
        ("On 3 March 2021 at 14:20 UTC we established that the primary had gone.", "detection"),
        ('On 3 March 2021 the shop said a "major outage" began at 14:20 UTC.', "impact"),
        ("Am 3. März 2021 meldeten ab 14:20 Uhr MEZ viele Kunden Probleme.", "impact"),
    ],
)
def test_more_word_forms_for_the_fix_the_cause_and_the_start(text: str, kind: str) -> None:
    assert kinds_of(text)[-1] == kind


def test_a_team_deploying_a_patch_after_the_start_is_the_fix() -> None:
    text = "On 3 March 2021 logins failed from 14:00 UTC. At 14:20 UTC the team deploys a patch."
    assert kinds_of(text) == ["impact", "mitigation"]


@pytest.mark.parametrize(
    "text",
    [
        "3 March 2021\n14:20 UTC - The outage of the export service ends",
        "On 3 March 2021 at 14:20 UTC the disruption was over.",
    ],
)
def test_an_outage_that_ends_is_recovery(text: str) -> None:
    assert kinds_of(text) == ["recovery"]


# --------------------------------------------------------------------------- causes


@pytest.mark.parametrize(
    "text",
    [
        "On 3 March 2021 at 14:20 UTC we began to see timeouts caused by a faulty switch.",
        "On 3 March 2021 the errors began at 14:20 UTC with a routine network change.",
        "Starting at 14:20 UTC on 3 March 2021, a burst of retries caused heavy disk load.",
    ],
)
def test_a_start_told_with_its_cause_is_the_trigger(text: str) -> None:
    assert kinds_of(text) == ["trigger"]


def test_a_cause_told_before_the_time_leaves_the_start_an_impact() -> None:
    text = "On 3 March 2021 a bad route caused an outage which started at 14:20 UTC."
    assert kinds_of(text) == ["impact"]


@pytest.mark.parametrize(
    "text",
    [
        "On 3 March 2021 the resolvers failed from 09:00 UTC under a flood. At 11:30 UTC a second "
        "attack started against the name servers.",
        "Am 3. März 2021 legte ab 9 Uhr MEZ ein Angriff die Server lahm. Um 11:30 Uhr MEZ begann "
        "eine zweite Angriffswelle.",
    ],
)
def test_a_second_attack_once_under_way_is_an_escalation(text: str) -> None:
    assert kinds_of(text) == ["impact", "escalation"]


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("On 3 March 2021 around 02:30 UTC staff found problems with the chillers.", ["detection"]),
        ("On 3 March 2021 at 14:20 UTC the team looked into slow queries.", ["detection"]),
        (
            "On 3 March 2021 at 14:20 UTC the official support account replied to users.",
            ["communication"],
        ),
        ("Am 3. März 2021 um 14:20 Uhr MEZ folgte dieselbe Botschaft erneut.", ["communication"]),
    ],
)
def test_finding_looking_into_and_official_accounts(text: str, kinds: list[str]) -> None:
    assert kinds_of(text) == kinds


def test_again_before_a_second_window_is_a_recurrence_not_a_recovery() -> None:
    text = (
        "On 3 March 2021 checkout failed from 09:00 to 09:20 UTC, and again from 11:00 to "
        "11:30 UTC."
    )
    events = sorted(extract_timeline(text).events, key=lambda event: event.at)
    assert [event.kind for event in events] == ["impact", "recovery", "impact", "recovery"]


@pytest.mark.parametrize(
    "text",
    [
        "On 3 March 2021 at 08:00 UTC the web fleet began to grow, in line with the usual "
        "morning pattern.",
        "Am 3. März 2021 startete um 8 Uhr MEZ wie üblich die nächtliche Sicherung.",
    ],
)
def test_business_as_usual_is_no_moment_of_the_incident(text: str) -> None:
    assert kinds_of(text) == ["note"]


def test_a_state_kept_up_until_a_time_ends_then() -> None:
    text = (
        "On 3 March 2021 logins failed from 09:00 UTC. A few shops kept seeing timeouts until "
        "around 11:30 UTC."
    )
    assert kinds_of(text) == ["impact", "recovery"]


def test_an_outage_that_began_and_lasted_until_a_time_is_still_a_range() -> None:
    text = "On 3 March 2021 the outage began at 09:00 UTC and lasted until 11:30 UTC."
    assert kinds_of(text) == ["impact", "recovery"]


@pytest.mark.parametrize(
    "text",
    [
        "On 3 March 2021, in a statement at 7:44a.m. EST, the bank said its app was back up.",
        "On 3 March 2021, as of 11:15 a.m. Eastern time, the carrier said service was restored.",
        "On 3 March 2021, at 6:30 p.m. Pacific, the shop said its checkout was back online.",
    ],
)
def test_a_zone_after_a_m_keeps_the_sentence_and_its_verb_together(text: str) -> None:
    assert kinds_of(text) == ["recovery"]


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        # What starts is trouble: the impact.
        ("On 3 March 2021 at 14:20 UTC the portal began failing for users in Spain.", ["impact"]),
        ("At 09:10 UTC on 3 March 2021 the mail service began a long outage.", ["impact"]),
        ("On 3 March 2021, error pages for shoppers started just after 5:10 a.m. GMT.", ["impact"]),
        # An action someone starts: the fix once the trouble is under way.
        (
            "At 13:00 UTC on 3 March 2021 logins failed. At 14:20 UTC the team started a reboot"
            " of the routers.",
            ["impact", "mitigation"],
        ),
        (
            "Am 3. März 2021 um 13:00 Uhr MEZ fiel die Anmeldung aus. Um 14:20 Uhr begann der"
            " Anbieter, ein neues Zertifikat zu verteilen.",
            ["impact", "mitigation"],
        ),
        # Something that starts on its own, before anything failed: how it began.
        ("At 07:22 UTC on 6 April 2022 a vacuum job started on the main database.", ["trigger"]),
    ],
)
def test_what_a_start_verb_says_starts_decides_its_kind(text: str, kinds: list[str]) -> None:
    assert kinds_of(text) == kinds


@pytest.mark.parametrize(
    "text",
    [
        "Starting at 9:00 AM PST on Monday, March 1, 2021 to 9:30 AM PST, some users could not"
        " send messages.",
        "Affected time: from March 1, 2021 (Mon) 1:35 am (JST) to March 3 (Wed) 3:00 pm.",
        "Die Störung dauerte von 22.33 Uhr am Dienstag, 11. Februar 2020, bis 00.10 Uhr am"
        " Mittwoch.",
    ],
)
def test_the_far_end_of_a_span_with_a_date_inside_is_the_recovery(text: str) -> None:
    assert kinds_of(text) == ["impact", "recovery"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # Said in the progressive, an investigation or an outage goes on: the statement is
        # the moment.
        (
            "On 3 March 2021 at 14:20 UTC the bank said it was investigating failed payments.",
            "communication",
        ),
        (
            "On 3 March 2021 at 14:20 UTC the exchange said it was suffering a full outage.",
            "communication",
        ),
        # Work on the fix is a moment of its own, however it is told.
        (
            "On 3 March 2021 at 14:20 UTC the agency said it was working to restore the system.",
            "mitigation",
        ),
    ],
)
def test_a_statement_that_trouble_is_going_on_is_the_communication(text: str, kind: str) -> None:
    assert kinds_of(text) == [kind]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (
            "On 3 March 2021 at 14:20 UTC the carrier announced that service had been restored.",
            "recovery",
        ),
        (
            "On 3 March 2021 at 14:20 UTC the bank posted on its website that payments had been"
            " restored.",
            "recovery",
        ),
        # Announced, tweeted or posted with nothing said: the post is the moment.
        (
            "On 3 March 2021 at 14:20 UTC the bank posted an update on its status page.",
            "communication",
        ),
    ],
)
def test_announcing_or_posting_that_something_happened_gives_way_to_what_happened(
    text: str, kind: str
) -> None:
    assert kinds_of(text) == [kind]


def test_a_stamp_over_an_entry_that_dates_its_own_moments_is_the_post() -> None:
    text = (
        "Status history\n\nMarch 3, 2021 4:10 PM PST\n\nFrom 9:00 AM PST to 9:30 AM PST on"
        " March 3, 2021, some users could not load messages.\n"
    )
    assert kinds_of(text) == ["communication", "impact", "recovery"]


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        # The entry says what happens at the stamp's own time.
        (
            "Status history\n\nMarch 3, 2021 4:10 PM PST\n\nSome users cannot load messages. We"
            " are looking into it.\n",
            ["detection"],
        ),
        # A state heads the entry: the stamp is that state's moment.
        (
            "Resolved - Between 9:00 AM PST and 9:30 AM PST on March 3, 2021, some users could"
            " not load messages.\nMar 3, 17:50 UTC\n",
            ["impact", "recovery", "recovery"],
        ),
    ],
)
def test_a_stamp_over_an_entry_of_its_own_moment_keeps_the_entry_kind(
    text: str, kinds: list[str]
) -> None:
    assert kinds_of(text) == kinds


@pytest.mark.parametrize(
    "text",
    [
        "On 3 March 2021 the problem with card payments was fixed at 19:10 UTC.",
        "Am 3. März 2021 gegen 19:10 Uhr MEZ waren die Probleme laut Anbieter wieder behoben.",
        "Seit 11 Uhr MEZ am 3. März 2021 sind die Probleme mit den Geldautomaten behoben.",
    ],
)
def test_the_trouble_itself_fixed_is_the_recovery(text: str) -> None:
    assert kinds_of(text) == ["recovery"]


@pytest.mark.parametrize(
    "text",
    [
        "On 3 March 2021, in a statement at 7:44 a.m. EST, the bank confirmed that its app had"
        " been affected and was now back up.",
        'On 3 March 2021 at 00:41 UTC the app tweeted "We\'re back" with a picture of a cat.',
        "On 3 March 2021 at 00:41 UTC the shop wrote: we are back, thanks for your patience.",
    ],
)
def test_what_a_statement_says_is_back_is_the_recovery(text: str) -> None:
    assert kinds_of(text) == ["recovery"]


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        (
            "On 3 March 2021 at 14:20 UTC the network stopped announcing its IPv4 prefixes.",
            ["impact"],
        ),
        (
            "On September 17, 2024, during routine maintenance, the provider accidentally stopped"
            " announcing fifteen IPv4 prefixes.",
            ["impact"],
        ),
        # Noticing that the routes are gone is the detection.
        (
            "At 15:58 UTC on 4 October 2021 a resolver operator noticed the network had stopped"
            " announcing its routes.",
            ["detection"],
        ),
    ],
)
def test_a_network_that_stops_announcing_its_routes_is_no_announcement(
    text: str, kinds: list[str]
) -> None:
    assert kinds_of(text) == kinds


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        (
            "Am 3. März 2021 um 15:00 Uhr MEZ konnte sich niemand mehr bei dem Dienst anmelden.",
            ["impact"],
        ),
        ("Am 3. März 2021 um 15:00 Uhr MEZ konnten Kunden nicht bezahlen.", ["impact"]),
        (
            "Am 3. März 2021 gegen 16.30 Uhr MEZ stand die Ursache fest: Ein Zertifikat war"
            " abgelaufen.",
            ["detection"],
        ),
        (
            "Am 3. März 2021 konnte sich ab 15.00 Uhr MEZ niemand mehr anmelden. Gegen 16.30 Uhr"
            " stand die Ursache fest: Ein Zertifikat war abgelaufen. Gegen 18.00 Uhr begann der"
            " Anbieter, ein neues Zertifikat zu verteilen.",
            ["impact", "detection", "mitigation"],
        ),
    ],
)
def test_german_could_not_and_the_cause_established(text: str, kinds: list[str]) -> None:
    assert kinds_of(text) == kinds


@pytest.mark.parametrize(
    "text",
    [
        "Bis 18.40 Uhr am 3. März 2021 waren die Störungen im Netz nach Angaben des Anbieters"
        " ganz beseitigt.",
        "Am 3. März 2021 um 18.40 Uhr war das Problem mit den Kartenzahlungen beseitigt.",
    ],
)
def test_german_trouble_removed_is_the_recovery(text: str) -> None:
    assert kinds_of(text) == ["recovery"]

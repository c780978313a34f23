"""Fault: 20 people save one postmortem at once; every save lands or gets a conflict.

Real concurrency: gunicorn with four workers of two threads on PostgreSQL, 20 client
threads with a session each. The first round is synchronised so that all 20 saves are
based on the same version; later rounds run free. Nothing is lost: every landed save is
exactly one revision, every refused one answers 409 with the author's text kept.
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.contrib.auth.models import User
from django.test import Client

from postmortems.models import Postmortem, PostmortemRevision
from postmortems.services import postmortem_start, roles_ensure
from tests.factories import IncidentFactory
from tests.faults.live import Browser, hidden_input

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CLIENTS = 20
ROUNDS = 3


def _editors(count: int) -> list[User]:
    editor_group = roles_ensure()["editor"]
    editors = []
    for number in range(count):
        user = User.objects.create_user(username=f"storm-{number}")
        user.groups.add(editor_group)
        editors.append(user)
    return editors


def _session_cookie(user: User) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def test_twenty_concurrent_saves_each_land_or_conflict_and_lose_nothing(live_app) -> None:
    editors = _editors(CLIENTS)
    incident = IncidentFactory(slug="edit-storm", title="Edit storm")
    postmortem = postmortem_start(incident=incident, author=editors[0])
    revisions_before = PostmortemRevision.objects.filter(postmortem=postmortem).count()
    server = live_app(workers=4, threads=2)
    edit_path = f"/incidents/{incident.slug}/postmortem/edit/"

    browsers = []
    for user in editors:
        browser = Browser(server.base_url, timeout=30)
        browser.session.cookies.set("sessionid", _session_cookie(user))
        browsers.append(browser)

    first_round = threading.Barrier(CLIENTS, timeout=60)
    results: list[tuple[int, int, str, int]] = []  # (client, round, body, status)
    conflicts_lost_text: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def edit(number: int, browser: Browser) -> None:
        try:
            for round_number in range(ROUNDS):
                page = browser.get(edit_path)
                assert page.status_code == 200, page.status_code
                base_version = hidden_input(page.text, "base_version")
                body = f"Postmortem text by client-{number} in round-{round_number}."
                if round_number == 0:
                    first_round.wait()  # all 20 read the same version before anyone saves
                saved = browser.post(edit_path, data={"body": body, "base_version": base_version})
                if saved.status_code == 409 and body not in saved.text:
                    conflicts_lost_text.append(body)
                with lock:
                    results.append((number, round_number, body, saved.status_code))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=edit, args=item) for item in enumerate(browsers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert len(results) == CLIENTS * ROUNDS
    statuses = Counter(status for *_, status in results)
    print(f"edit storm: {CLIENTS} clients x {ROUNDS} rounds, answers {dict(statuses)}")
    assert set(statuses) <= {302, 409}, statuses
    first = Counter(status for _, round_number, _, status in results if round_number == 0)
    assert first == {302: 1, 409: CLIENTS - 1}  # same base version: exactly one lands
    assert conflicts_lost_text == []  # a refused author gets their text back

    landed = [body for *_, body, status in results if status == 302]
    revisions = list(PostmortemRevision.objects.filter(postmortem=postmortem).order_by("version"))
    assert len(revisions) == revisions_before + len(landed)
    assert [r.version for r in revisions] == list(range(1, len(revisions) + 1))
    assert Postmortem.objects.get(pk=postmortem.pk).version == len(revisions)
    assert sorted(r.body for r in revisions[revisions_before:]) == sorted(landed)
    assert Postmortem.objects.get(pk=postmortem.pk).body == revisions[-1].body

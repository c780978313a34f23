"""gunicorn: warming the app before it forks, and how many processes and threads it runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connections
from django.template import engines

from config.warmup import _project_templates, warm

ROOT = Path(__file__).resolve().parent.parent


def test_warming_compiles_the_project_templates_without_the_database(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("warm() must not open a database connection before the fork")

    for alias in connections:
        monkeypatch.setattr(connections[alias], "connect", refuse)
    loader = engines["django"].engine.template_loaders[0]
    loader.reset()
    warm()
    names = _project_templates()
    assert "base.html" in names
    assert "postmortems/incident_list.html" in names
    assert [name for name in names if name not in loader.get_template_cache] == []


def test_warming_compiles_the_form_renderers_templates() -> None:
    env = engines["jinja2"].env
    env.cache.clear()
    warm()
    compiled = {name for _loader, name in env.cache}
    assert {"django/forms/widgets/select.html", "django/forms/div.html"} <= compiled


def test_the_wsgi_application_is_warmed_on_import() -> None:
    # A fresh interpreter, as gunicorn's master: the views are imported before any request.
    probe = (
        "import sys, config.wsgi; from django.urls import get_resolver; "
        "print(get_resolver()._populated, 'postmortems.api.imports' in sys.modules)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.stdout.split() == ["True", "True"], result.stderr


def test_gunicorn_runs_a_threaded_process_per_core_unless_told(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import runpy

    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.delenv("GUNICORN_THREADS", raising=False)
    settings = runpy.run_path(str(ROOT / "config" / "gunicorn.py"))
    assert settings["workers"] == os.cpu_count()
    assert settings["threads"] == 8
    assert settings["worker_class"] == "gthread"
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("GUNICORN_THREADS", "1")
    settings = runpy.run_path(str(ROOT / "config" / "gunicorn.py"))
    assert (settings["workers"], settings["threads"], settings["worker_class"]) == (3, 1, "sync")


def test_gunicorn_freezes_what_the_master_built_before_each_fork() -> None:
    import gc
    import runpy

    settings = runpy.run_path(str(ROOT / "config" / "gunicorn.py"))
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    try:
        settings["pre_fork"](None, None)
        # Everything alive in the master now sits in the permanent generation, out of
        # every later collection's walk: the app's modules and objects are among it.
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()

"""Do at start-up what Django otherwise does on a process's first request.

Django imports the URLconf, and with it every view module, when the first request
arrives; the API's import views pull in the timeline extraction, whose patterns compile
for about half a second. Templates compile on first use too. gunicorn loads the app in
its master process (``preload_app``) and forks the workers from it, so each worker, and
each worker that replaces a recycled one, paid that second of CPU on its first request,
while others queued behind it. Called from ``config/wsgi.py``: the workers fork with all
of it done, and share it copy-on-write.

Nothing here touches the database: a connection opened in the master would be shared
by every forked worker.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.template import engines
from django.template.backends.jinja2 import Jinja2
from django.urls import get_resolver


def warm() -> None:
    """Import every view (through the URLconf); compile the project's and the forms' templates."""
    resolver = get_resolver()
    _ = resolver.url_patterns
    # The reverse lookup table is built on the first reverse(); every page calls it.
    _ = resolver.reverse_dict
    # A template that does not compile stops the start, as a broken setting does, rather
    # than the page that uses it answering 500 later.
    engine = engines["django"]
    for name in _project_templates():
        engine.get_template(name)
    # The form renderer's Jinja2 templates (Django's widget and form templates) compile
    # on first use as well: 10-15 ms of a worker's first page with a form.
    for forms_engine in engines.all():
        if isinstance(forms_engine, Jinja2):
            for name in forms_engine.env.list_templates(extensions=["html"]):
                forms_engine.get_template(name)


def _project_templates() -> list[str]:
    """Return the names of the templates in the project's template folders and apps."""
    base = Path(settings.BASE_DIR)
    folders = [base / "templates"] + [
        base / app / "templates" for app in ("postmortems", "timelines")
    ]
    return sorted(
        str(path.relative_to(folder))
        for folder in folders
        if folder.is_dir()
        for path in folder.rglob("*")
        if path.suffix in {".html", ".css"} and path.is_file()
    )

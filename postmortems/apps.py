from __future__ import annotations

from django.apps import AppConfig
from django.db import connections
from django.db.backends.signals import connection_created


class PostmortemsConfig(AppConfig):
    name = "postmortems"
    verbose_name = "Knowledge base"

    def ready(self) -> None:
        from postmortems import generation

        # Every connection, including those opened before this ran, watches its writes.
        connection_created.connect(generation.install, dispatch_uid="knowledge-generation")
        for connection in connections.all(initialized_only=True):
            generation.install(connection)

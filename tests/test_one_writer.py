"""One writer per record: knowledge-base records are written only by ``services.py`` modules.

The scan reads every module of the apps (not migrations, not tests) as Python syntax and
reports each call that writes a record of the ``postmortems`` or ``timelines`` apps
outside a module named ``services.py``:

1. ``<Model>.objects...<write>(...)`` for a model of those apps, whatever the chain
   (``Incident.objects.filter(...).update(...)`` included);
2. ``<anything>.save(...)`` and ``<anything>.delete(...)`` (a model instance, a queryset,
   a model form): the receiver's type is unknown to a scan, so every one counts unless
   ALLOWED names it with a reason;
3. ``<anything>.<relation>.<write>(...)`` where ``<relation>`` is a many-to-many field or a
   reverse relation of those models (``incident.tags.set(...)``, ``incident.events.create``).

ALLOWED lists the calls that are not record writes, each with why.
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[1]
APPS = ("postmortems", "timelines")
WRITES = {
    "create",
    "update",
    "delete",
    "bulk_create",
    "bulk_update",
    "update_or_create",
    "get_or_create",
}
RELATION_WRITES = WRITES | {"add", "set", "remove", "clear"}

# Models of the apps that hold no knowledge, with why their writes may live elsewhere.
NOT_KNOWLEDGE = {
    "IdempotencyKey": "the API's record of answers to replay to a retrying client; it is "
    "written inside the request's own transaction by postmortems/api/idempotency.py",
}

# (path, the call's chain as written) -> why that call is not a knowledge-base write.
ALLOWED: dict[tuple[str, str], str] = {
    ("postmortems/api/idempotency.py", "record.save"): "an IdempotencyKey (NOT_KNOWLEDGE)",
    (
        "postmortems/maintenance.py",
        "IdempotencyKey.objects.filter.delete",
    ): "expiring IdempotencyKeys (NOT_KNOWLEDGE)",
}


def _models() -> tuple[set[str], set[str]]:
    names: set[str] = set()
    relations: set[str] = set()
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            if model.__name__ in NOT_KNOWLEDGE:
                continue
            names.add(model.__name__)
            for field in model._meta.get_fields():
                if field.many_to_many or field.one_to_many:
                    relations.add(field.get_accessor_name() if field.auto_created else field.name)
    return names, relations


def _chain(node: ast.AST) -> list[str]:
    """Return the names along an attribute/call chain, root first."""
    parts: list[str] = []
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Name):
            parts.append(node.id)
            return parts[::-1]
        else:
            return parts[::-1]


def _is_commit_false(call: ast.Call) -> bool:
    return any(
        keyword.arg == "commit"
        and isinstance(keyword.value, ast.Constant)
        and keyword.value.value is False
        for keyword in call.keywords
    )


def _writes_in(source: str, relative: str, names: set[str], relations: set[str]) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source, relative)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        method = node.func.attr
        chain = _chain(node.func)
        receiver = chain[-2] if len(chain) >= 2 else ""
        if (relative, ".".join(chain)) in ALLOWED:
            continue
        by_manager = chain[0] in names and "objects" in chain and method in WRITES
        by_instance = method in {"save", "delete"} and not _is_commit_false(node)
        by_relation = receiver in relations and method in RELATION_WRITES
        if by_manager or by_instance or by_relation:
            found.append(f"{relative}:{node.lineno}: {'.'.join(chain)}()")
    return found


def violations() -> list[str]:
    names, relations = _models()
    found = []
    for label in APPS:
        for path in sorted((ROOT / label).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or path.name == "services.py":
                continue
            found += _writes_in(path.read_text(), relative, names, relations)
    return found


def test_knowledge_base_records_are_written_only_by_services() -> None:
    found = violations()
    assert not found, "Writes outside services.py:\n" + "\n".join(found)


def test_the_scan_finds_each_kind_of_write() -> None:
    names, relations = _models()
    assert {"Incident", "Event", "ActionItem", "ShareLink"} <= names
    assert {"tags", "events", "action_items"} <= relations
    source = """
Incident.objects.filter(slug=slug).update(title="x")
Event.objects.create(title="x")
incident.save()
form.save()
form.save(commit=False)
incident.tags.set(tags)
incident.events.create(title="x")
options.update(extra)
"""
    found = _writes_in(source, "postmortems/example.py", names, relations)
    assert [line.split(": ", 1)[1] for line in found] == [
        "Incident.objects.filter.update()",
        "Event.objects.create()",
        "incident.save()",
        "form.save()",
        "incident.tags.set()",
        "incident.events.create()",
    ]

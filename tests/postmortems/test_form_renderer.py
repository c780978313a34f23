"""Forms render through Django's Jinja2 form renderer and print what its templates print.

The project's forms render through Django's Jinja2 copies of its widget and form templates
(much cheaper per ``<option>`` than the template language), found first by
``TemplatesSetting``; the admin's widget templates and every page are Django templates. Django's default renderer is the reference: each of
the app's forms, unbound and bound with errors, must give the same HTML (compared as parsed
HTML, so whitespace between tags is not a difference) field by field, label, help text and
error list included, and as a whole through ``as_div`` and ``as_p``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.forms.renderers import BaseRenderer, DjangoTemplates, get_default_renderer
from django.http import QueryDict
from django.template import engines
from django.template.backends.django import Template as DjangoTemplate
from django.template.backends.jinja2 import Template as Jinja2Template
from django.template.loader import get_template
from django.test import RequestFactory
from django.test.html import parse_html
from django.utils.safestring import mark_safe

from postmortems import forms as app_forms
from postmortems.dashboard import DashboardForm
from postmortems.filters import EventFilter, IncidentApiFilter, IncidentFilter, ServiceFilter
from postmortems.search import search_filterset
from postmortems.views.feeds import FeedForm
from postmortems.views.imports import ImportForm, ProposalEditForm
from tests.factories import IncidentFactory, ServiceFactory
from timelines.forms import ShareLinkForm

REFERENCE, PROJECT = DjangoTemplates(), get_default_renderer()
CHOICES = [("a", "Apple & <pear>"), ("b", "Banana"), (3, 3)]
GROUPED = [("Fruit", [("a", "Apple"), ("b", "Banana")]), ("", [("c", "Carrot")]), ("d", "Date")]


class Everything(forms.Form):
    text = forms.CharField(initial='He said "hi" <b>', help_text="help <em>safe</em>")
    number = forms.IntegerField(initial=1234567)
    hidden = forms.CharField(widget=forms.HiddenInput, initial=mark_safe("<safe>"))
    empty = forms.CharField(required=False)
    boolean = forms.BooleanField(initial=True)
    boolean_off = forms.BooleanField(required=False)
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)
    when = forms.DateTimeField(widget=forms.DateTimeInput, required=False)
    email = forms.EmailField(initial="a@example.com", disabled=True)
    url = forms.URLField(
        widget=forms.URLInput(attrs={"placeholder": "https://…"}), assume_scheme="https"
    )
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True), initial="pw")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), initial="line\n<two>")
    notes_empty = forms.CharField(widget=forms.Textarea, required=False)
    upload = forms.FileField(required=False)
    choice = forms.ChoiceField(choices=CHOICES, initial="a")
    grouped = forms.ChoiceField(choices=GROUPED, initial="c")
    many = forms.MultipleChoiceField(choices=CHOICES, initial=["a", "3"])
    ticks = forms.MultipleChoiceField(
        choices=CHOICES, initial=["b"], widget=forms.CheckboxSelectMultiple(attrs={"class": "x"})
    )
    ticks_grouped = forms.MultipleChoiceField(
        choices=GROUPED, widget=forms.CheckboxSelectMultiple, required=False
    )
    radio = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect, initial=3)
    no_id = forms.ChoiceField(
        choices=CHOICES, widget=forms.RadioSelect(attrs={"id": ""}), required=False
    )
    split = forms.SplitDateTimeField(required=False)

    def clean(self) -> dict[str, Any]:
        raise forms.ValidationError("Something about the whole form & <more>.")


def _normalised(html: str) -> Any:
    # The zone list's id counts renders (postmortems.forms.ZoneInput), so it differs
    # between two renders of the same form whatever the renderer.
    return parse_html(re.sub(r"zones-[0-9]+", "zones-N", str(html)))


def _parts(form: forms.BaseForm) -> dict[str, str]:
    """Return every piece of HTML a page takes from ``form``, by name."""
    parts = {
        "as_div": form.as_div(),
        "as_p": form.as_p(),  # the browsable API's filter forms (django-filter)
        "non_field_errors": str(form.non_field_errors()),
    }
    for field in form:
        parts[f"{field.name} widget"] = str(field)
        parts[f"{field.name} label"] = field.label_tag()
        parts[f"{field.name} errors"] = str(field.errors)
        parts[f"{field.name} group"] = field.as_field_group()
    return parts


def _rendered(make: Callable[[], forms.BaseForm], renderer: BaseRenderer) -> dict[str, str]:
    form = make()
    # Before validation: the error lists take the form's renderer when they are made.
    form.renderer = renderer
    form.is_bound and form.is_valid()
    return _parts(form)


def _assert_same(make: Callable[[], forms.BaseForm]) -> dict[str, str]:
    expected, actual = _rendered(make, REFERENCE), _rendered(make, PROJECT)
    assert actual.keys() == expected.keys()
    for name, html in expected.items():
        assert _normalised(actual[name]) == _normalised(html), (name, actual[name], html)
    return actual


def test_forms_take_djangos_jinja2_templates_and_the_admins_its_own() -> None:
    renderer = get_default_renderer()
    assert isinstance(renderer.get_template("django/forms/widgets/select.html"), Jinja2Template)
    assert isinstance(renderer.get_template("django/forms/div.html"), Jinja2Template)
    admin = renderer.get_template("admin/widgets/related_widget_wrapper.html")
    assert isinstance(admin, DjangoTemplate)
    # The Django engine still finds Django's own widget templates for the admin's to include.
    assert isinstance(
        engines["django"].get_template("django/forms/widgets/input.html"), DjangoTemplate
    )
    # Pages stay Django templates.
    assert isinstance(get_template("postmortems/incident_list.html"), DjangoTemplate)


def test_every_kind_of_widget_matches_the_reference() -> None:
    actual = _assert_same(Everything)
    # The comparison saw real markup: escaped labels, help text as given, each widget.
    assert "Apple &amp; &lt;pear&gt;" in actual["choice widget"]
    assert "help <em>safe</em>" in actual["as_div"]
    assert 'type="file"' in actual["upload widget"]


def test_bound_forms_with_errors_match_the_reference() -> None:
    data = {"text": "", "choice": "zzz", "many": ["b"], "ticks": ["a"], "number": "x"}
    actual = _assert_same(lambda: Everything(data=data))
    assert 'class="errorlist"' in actual["text errors"]
    assert "Something about the whole form &amp; &lt;more&gt;." in actual["non_field_errors"]
    assert 'aria-invalid="true"' in actual["number widget"]


def _app_forms(service: Any, incident: Any) -> list[Callable[[], forms.BaseForm]]:
    zones = [("Europe/Berlin", "your zone")]
    invalid = {"title": "", "occurred_at": "not a time", "url": "nope", "severity": "9"}
    search = QueryDict("severity=1&date_from=garbage")
    login = RequestFactory().post("/login/")
    return [
        lambda: app_forms.EventForm(preferred_zones=zones),
        lambda: app_forms.EventForm(invalid, preferred_zones=zones),
        lambda: app_forms.IncidentForm(instance=incident),
        lambda: app_forms.IncidentForm(invalid),
        lambda: app_forms.ImpactForm(initial={"service": service.pk}),
        lambda: app_forms.ImpactForm({"service": "0"}),
        lambda: app_forms.ServiceForm(),
        lambda: app_forms.ServiceForm({"name": ""}),
        lambda: app_forms.DependencyForm(downstream=service),
        lambda: app_forms.DependencyForm({"upstream": service.pk}, downstream=service),
        lambda: app_forms.ActionItemForm(),
        lambda: app_forms.ActionItemForm({"title": ""}),
        lambda: app_forms.PostmortemForm(initial={"body": "# Summary\n<b>", "base_version": 1}),
        lambda: app_forms.PostmortemForm({"body": "x"}),
        lambda: app_forms.ReviewForm({"review_state": "bogus"}),
        lambda: app_forms.UserForm(),
        lambda: app_forms.UserForm({"username": "", "password": "123", "role": "x"}),
        lambda: app_forms.RoleForm(),
        lambda: app_forms.ApiTokenForm(),
        lambda: app_forms.ApiTokenForm({"name": "", "expires": "1"}),
        lambda: ShareLinkForm(),
        lambda: ShareLinkForm({"expires_at": "never"}),
        lambda: FeedForm(),
        lambda: FeedForm({"url": "x", "poll_interval": "1"}),
        lambda: ImportForm(),
        lambda: ImportForm({"url": "https://example.com/a", "text": "both"}),
        lambda: ProposalEditForm({"occurred_at": "yesterday", "kind": "?"}),
        lambda: DashboardForm({"date_from": "garbage"}),
        lambda: IncidentFilter({"severity": ["1"], "service": str(service.pk)}).form,
        lambda: IncidentFilter({"severity": ["9"], "date_from": "garbage"}).form,
        lambda: ServiceFilter({}).form,
        lambda: IncidentApiFilter({"severity": "1,9", "started_after": "x"}).form,
        lambda: EventFilter({"kind": "nope"}).form,
        lambda: search_filterset(search).form,
        lambda: AuthenticationForm(login),
        lambda: AuthenticationForm(login, {"username": "x", "password": "wrong"}),
    ]


@pytest.mark.django_db
def test_the_apps_forms_match_the_reference() -> None:
    service = ServiceFactory(name="Edge <proxy>")
    ServiceFactory(name="Origin", provider=service.provider)
    incident = IncidentFactory(title="Outage & <more>")
    errors = 0
    for make in _app_forms(service, incident):
        actual = _assert_same(make)
        errors += actual["as_div"].count('class="errorlist')
    # The bound forms above are invalid: their error lists were part of the comparison.
    assert errors > 15


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_filter_form_reads_its_services_without_a_server_side_cursor() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ServiceFactory(name="Edge")
    form = IncidentFilter({}).form
    with CaptureQueriesContext(connection) as queries:
        html = str(form["service"])
    assert "Edge" in html
    assert [query["sql"] for query in queries if "DECLARE" in query["sql"]] == []

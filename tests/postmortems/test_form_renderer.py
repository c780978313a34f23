"""The Python widget writers print exactly what Django's widget templates print."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from postmortems import forms as app_forms
from postmortems.filters import IncidentFilter, ServiceFilter
from postmortems.form_renderer import FAST, FastWidgetRenderer
from tests.factories import IncidentFactory, ServiceFactory
from timelines.forms import ShareLinkForm


class CountingRenderer(FastWidgetRenderer):
    """The fast renderer, counting the widgets it wrote itself."""

    written = 0

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if template_name in FAST:
            CountingRenderer.written += 1
        return super().render(template_name, context, request)


DJANGO, FAST_RENDERER = DjangoTemplates(), CountingRenderer()
CHOICES = [("a", "Apple & <pear>"), ("b", "Banana"), (3, 3)]
GROUPED = [("Fruit", [("a", "Apple"), ("b", "Banana")]), ("", [("c", "Carrot")]), ("d", "Date")]


class Everything(forms.Form):
    text = forms.CharField(initial='He said "hi" <b>', help_text="help")
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


def _zone_list(html: str) -> str:
    return re.sub(r"zones-[0-9]+", "zones-N", html)


def _compare(form: forms.BaseForm) -> int:
    """Assert each field renders the same with both renderers; return how many fast ones."""
    before = CountingRenderer.written
    for field in form:
        expected = field.as_widget()
        form.renderer = FAST_RENDERER
        try:
            actual = field.as_widget()
        finally:
            form.renderer = DJANGO
        # The zone list's id counts renders (postmortems.forms.ZoneInput).
        assert _zone_list(actual) == _zone_list(expected), field.name
    return CountingRenderer.written - before


def _django(form: Any) -> Any:
    form.renderer = DJANGO
    return form


def test_every_kind_of_widget_matches_the_templates() -> None:
    form = _django(Everything())
    assert _compare(form) == len(form.fields)


def test_bound_forms_with_errors_match_the_templates() -> None:
    form = _django(Everything(data={"text": "", "choice": "zzz", "many": ["b"], "ticks": ["a"]}))
    assert not form.is_valid()
    _compare(form)


@pytest.mark.django_db
def test_the_apps_forms_match_the_templates() -> None:
    service = ServiceFactory(name="Edge <proxy>")
    incident = IncidentFactory(title="Outage")
    forms_seen = [
        _django(app_forms.EventForm(preferred_zones=[("Europe/Berlin", "your zone")])),
        _django(app_forms.IncidentForm(instance=incident)),
        _django(app_forms.ImpactForm(initial={"service": service.pk})),
        _django(app_forms.ServiceForm()),
        _django(app_forms.ActionItemForm()),
        _django(ShareLinkForm()),
        _django(IncidentFilter({"severity": ["1"], "service": str(service.pk)}).form),
        _django(ServiceFilter({}).form),
    ]
    assert sum(_compare(form) for form in forms_seen) > 20


def test_a_widget_with_its_own_option_template_is_left_to_django() -> None:
    class Fancy(forms.Select):
        option_template_name = "django/forms/widgets/attrs.html"

    class WithFancy(forms.Form):
        choice = forms.ChoiceField(choices=CHOICES, widget=Fancy)

    form = _django(WithFancy())
    _compare(form)


def test_the_project_renders_forms_with_it(settings: Any) -> None:
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), FastWidgetRenderer)


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

"""GOV.UK Design System forms with Django's own form rendering.

Every form in hct renders through `GovukFormRenderer`: a field template that gives each field a
GOV.UK form group (label, hint, error message, error classes) and a form template that puts the
fields in order. Pages show the GOV.UK error summary with `{% include "core/error_summary.html" %}`.
"""

import re
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"


_CHOICE_CLASSES = {
    "radioselect": "govuk-radios__input",
    "checkboxselectmultiple": "govuk-checkboxes__input",
    "checkbox": "govuk-checkboxes__input",
}


class GovukFormMixin:
    """Give list inputs (radios, checkboxes) the classes their GOV.UK markup needs."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            # Django's BoundField.widget_type, without making (and caching) the bound field:
            # a subclass may still change a field's label after this.
            widget_type = re.sub(r"widget$|input$", "", field.widget.__class__.__name__.lower())
            if widget_type in _CHOICE_CLASSES:
                field.widget.attrs.setdefault("class", _CHOICE_CLASSES[widget_type])


class DateInput(forms.DateInput):
    """A browser date picker. Its value must be ISO (2027-01-11) whatever the locale: given
    en-GB's 11/01/2027 the browser shows an empty box, and an initial date is lost."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class Form(GovukFormMixin, forms.Form):
    def clean(self) -> dict[str, Any]:
        # What Django's Form.clean does; the stubs allow None, so subclasses could not index it.
        return self.cleaned_data


class ModelForm(GovukFormMixin, forms.ModelForm):
    pass


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's refusal on the form: on the field it names, or above the form."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The named field as the choice field it is, so a form can set its choices once the view
    knows them (``form.fields`` is typed as plain ``Field``)."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{type(form).__name__}.{name} is not a choice field")
    return field


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """The named field as a model choice field, to give it its queryset and labels."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{type(form).__name__}.{name} is not a model choice field")
    return field


def label_choices(form: forms.BaseForm, name: str, label: Callable[[Any], str]) -> None:
    """Say how a model choice field names each choice (an alias, not the model's __str__)."""
    # Setting label_from_instance on the field instance is Django's documented alternative to
    # a subclass per label; the stubs type it as a method.
    model_choice_field(form, name).label_from_instance = label  # type: ignore[method-assign, assignment]

"""Template helpers used across every app (loaded as a builtin)."""

from django import template
from django.forms import BoundField

register = template.Library()

# GOV.UK class for each Django widget type; inputs in a list (radios, checkboxes) get theirs in
# GovukFormMixin because each option renders its own <input>.
_WIDGET_CLASS = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "selectmultiple": "govuk-select",
    "clearablefile": "govuk-file-upload",
    "file": "govuk-file-upload",
}


@register.filter
def govuk_widget(field: BoundField):
    """Render a field's widget with GOV.UK classes, error state and described-by ids."""
    widget_type = field.widget_type
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_helptext")
    if field.errors:
        described.append(f"{field.auto_id}_error")
    if widget_type == "checkbox":
        # A single checkbox carries its class from GovukFormMixin.
        return field.as_widget(
            attrs={"aria-describedby": " ".join(described)} if described else None
        )
    base = _WIDGET_CLASS.get(widget_type, "govuk-input")
    classes = [base]
    if field.errors:
        classes.append(f"{base}--error")
    width = field.field.widget.attrs.get("data-width")
    if width:
        classes.append(f"govuk-input--width-{width}")
    existing = field.field.widget.attrs.get("class")
    if existing:
        classes.append(existing)
    attrs: dict[str, str | bool] = {"class": " ".join(classes)}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.filter
def is_choice_list(field: BoundField) -> bool:
    return field.widget_type in {"radioselect", "checkboxselectmultiple"}


@register.filter
def as_percentage(value, total):
    """A share as a whole-number percentage for bar widths; 0 when there is no total."""
    try:
        return round(100 * float(value) / float(total)) if total else 0
    except (TypeError, ValueError):
        return 0


@register.filter
def error_anchor(field: BoundField) -> str:
    """The id an error summary links to: the field, or the first option of a list of options."""
    if field.widget_type in {"radioselect", "checkboxselectmultiple"}:
        return f"{field.auto_id}_0"
    return field.id_for_label or field.auto_id

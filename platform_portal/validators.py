"""Validators shared by models and forms: text without control, bidi or zero-width characters (docs/quality.md IO4).

Models import them from here, not from forms, so that the model layer does not depend on forms.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from platform_portal.lib.text import has_forbidden_characters


def validate_plain_text(value: str) -> None:
    """Model/form validator: multi-line text without control or bidi characters."""
    if value and has_forbidden_characters(value, allow_newlines=True):
        raise ValidationError(_("Remove invisible or control characters from this field."), code="forbidden_characters")


def validate_single_line(value: str) -> None:
    """Model/form validator for names and titles (no newlines either)."""
    if value and has_forbidden_characters(value):
        raise ValidationError(_("Remove invisible or control characters from this field."), code="forbidden_characters")

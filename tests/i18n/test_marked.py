"""No text a person reads is left outside Django's translation functions.

The templates are read for words outside translate tags (and in the attributes a person
reads: title, alt, placeholder, aria-label); the Python for literal strings given where a
person reads them: `message=`, `description=`, `verbose_name=`, `help_text=`, `label=`,
`ValidationError(...)`, `messages.success/error/warning/info(...)`, `message_user(...)`,
and the message of every refusal (`Invalid`, `Forbidden`, `NotFound`, `Conflict`, ...).
What is English on purpose is listed, with its reason, in `tests/i18n/catalogue_checks.py`
(`SPOKEN_ELSEWHERE`, `SCHEMA_KEYWORDS`). One test per app.
"""

import pytest

from tests.i18n.catalogue_checks import (
    APPS,
    ROOT,
    app_files,
    unmarked_python_text,
    unmarked_template_text,
)


@pytest.mark.parametrize("app", APPS)
def test_templates_mark_every_word(app):
    found = {
        str(path.relative_to(ROOT)): words
        for path in app_files(app, ".html")
        if (words := unmarked_template_text(path))
    }
    assert found == {}


@pytest.mark.parametrize("app", APPS)
def test_python_marks_every_message(app):
    found = {
        str(path.relative_to(ROOT)): texts
        for path in app_files(app, ".py")
        if (texts := unmarked_python_text(path))
    }
    assert found == {}


def test_the_scan_finds_an_unmarked_message(tmp_path):
    module = tmp_path / "refusal.py"
    module.write_text(
        "from django.utils.translation import gettext as _\n"
        'Invalid("Bad", "Send a number.", code="x")\n'
        'Invalid("Bad", _("Send a number."), code="x")\n'
        'messages.success(request, f"{name} saved.")\n'
        'audit_record(description="Stored in English")\n'
    )
    page = tmp_path / "page.html"
    page.write_text(
        '{% load i18n %}<p title="Hover text">{% translate "Fine" %}</p><p>Left out</p>'
    )

    assert unmarked_python_text(module) == ["2: 'Send a number.'", "4: f'{name} saved.'"]
    assert unmarked_template_text(page) == ['attribute "Hover text"', "Left out"]

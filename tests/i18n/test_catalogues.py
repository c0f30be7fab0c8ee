"""Every message of the product has a translation in French, Arabic and Uzbek.

One test per app and language: a message added to the source without its translations, an
empty or fuzzy translation, or a catalogue missing for an app that has messages, fails here
and names the message.
"""

import pytest

from tests.i18n.catalogue_checks import (
    APPS,
    TRANSLATED_LANGUAGES,
    catalogue_gaps,
    catalogue_path,
    source_messages,
)


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
@pytest.mark.parametrize("app", APPS)
def test_every_message_is_translated(app, language):
    if not source_messages(app):
        assert not catalogue_path(app, language).exists(), f"{app} has no message to translate"
        return
    assert catalogue_path(app, language).exists(), (
        f"{app} has messages but no {language} catalogue: run makemessages in {app}/"
    )
    assert catalogue_gaps(app, language) == []


def test_the_extraction_finds_what_the_source_marks():
    # The kernel's money pattern (pgettext) and a template's blocktranslate are both found.
    messages = source_messages("pos_project")

    assert ("money", "%(amount)s %(symbol)s") in messages
    assert (None, "Times in %(shop_zone)s") in messages

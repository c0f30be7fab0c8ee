"""Every message of the product has a translation in French, Arabic and Uzbek.

One test per app and language: a message added to the source without its translations, an
empty or fuzzy translation, or a catalogue missing for an app that has messages, fails here
and names the message.
"""

import gettext

import pytest

from pos_project.catalogues import compile_catalogues
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


def test_catalogues_compile_in_python_fuzzy_entries_left_out(tmp_path):
    source = tmp_path / "app" / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    source.parent.mkdir(parents=True)
    source.write_text(
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n'
        'msgid "Cash"\nmsgstr "Espèces"\n\n#, fuzzy\nmsgid "Card"\nmsgstr "Carte"\n',
        encoding="utf-8",
    )

    compiled = compile_catalogues(root=tmp_path)
    with compiled[0].open("rb") as mo_file:
        catalogue = gettext.GNUTranslations(mo_file)

    assert compiled == [source.with_suffix(".mo")]
    assert catalogue.gettext("Cash") == "Espèces"
    assert catalogue.gettext("Card") == "Card"
    assert compile_catalogues(root=tmp_path) == [], "an unchanged catalogue is not compiled again"

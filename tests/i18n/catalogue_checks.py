"""What the language tests read: the apps' messages as the source marks them, their
catalogues, and the human text the source forgot to mark.

Messages are extracted as `makemessages` would (Django's own `templatize` for templates, the
same keywords for Python), with babel's extractor instead of gettext's xgettext, so the
tests need no gettext tools on the machine.
"""

import ast
import io
import re
from pathlib import Path

from babel.messages.extract import extract
from babel.messages.pofile import read_po
from django.apps import apps as django_apps
from django.conf import settings
from django.utils.translation.template import templatize

ROOT = Path(settings.BASE_DIR)
# The product's own apps: those whose code lives in this repository.
APPS = list(
    dict.fromkeys(
        config.name.split(".")[0]
        for config in django_apps.get_app_configs()
        if Path(config.path).parent == ROOT
    )
)
TRANSLATED_LANGUAGES = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
PLURAL_FORMS = {"fr": 2, "ar": 6, "uz": 2}

# makemessages' keywords (django/core/management/commands/makemessages.py), in babel's spelling.
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}
SKIPPED_DIRECTORIES = {"migrations", "locale", "__pycache__", "static"}


def app_files(app: str, suffix: str) -> list[Path]:
    return sorted(
        path
        for path in (ROOT / app).rglob(f"*{suffix}")
        if not SKIPPED_DIRECTORIES.intersection(path.relative_to(ROOT / app).parts)
    )


def source_messages(app: str) -> set[tuple[str | None, str]]:
    """Every (context, msgid) the app's Python and templates mark for translation."""
    found = set()
    sources = [(path, path.read_bytes()) for path in app_files(app, ".py")]
    sources += [
        (path, templatize(path.read_text(), origin=str(path)).encode())
        for path in app_files(app, ".html")
    ]
    for _path, source in sources:
        for _line, message, _comments, context in extract(
            "python", io.BytesIO(source), keywords=KEYWORDS
        ):
            msgid = message[0] if isinstance(message, tuple | list) else message
            if msgid:
                found.add((context, msgid))
    return found


def catalogue_path(app: str, language: str) -> Path:
    return ROOT / app / "locale" / language / "LC_MESSAGES" / "django.po"


def read_catalogue(app: str, language: str):
    with catalogue_path(app, language).open("rb") as po_file:
        return read_po(po_file, locale=language)


def catalogue_gaps(app: str, language: str) -> list[str]:
    """What is wrong with one catalogue: a message without translation (any plural form),
    a fuzzy one, a message of the source missing, a wrong header."""
    catalogue = read_catalogue(app, language)
    gaps = []
    plural_forms = catalogue.mime_headers and dict(catalogue.mime_headers).get("Plural-Forms", "")
    if f"nplurals={PLURAL_FORMS[language]};" not in plural_forms.replace(" ", ""):
        gaps.append(f"Plural-Forms header says {plural_forms!r}")
    present = set()
    for message in catalogue:
        if not message.id:
            continue
        msgid = message.id[0] if isinstance(message.id, tuple | list) else message.id
        present.add((message.context, msgid))
        if message.fuzzy:
            gaps.append(f"fuzzy: {msgid!r}")
        strings = message.string if isinstance(message.string, tuple | list) else [message.string]
        if not all(strings) or (message.pluralizable and len(strings) < PLURAL_FORMS[language]):
            gaps.append(f"untranslated: {msgid!r}")
    for context, msgid in sorted(source_messages(app) - present, key=str):
        gaps.append(f"not in the catalogue: {msgid!r}" + (f" ({context})" if context else ""))
    return gaps


# -- Human text left unmarked ------------------------------------------------------------

TEMPLATE_CODE = re.compile(
    r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}"
    # The body's CSS classes.
    r"|{%\s*block bodyclass\s*%}.*?{%\s*endblock\s*%}"
    r"|{%\s*blocktrans(?:late)?\b.*?{%\s*endblocktrans(?:late)?\s*%}"
    r"|{#.*?#}|{%.*?%}|{{.*?}}"
    r"|<script\b.*?</script>|<style\b.*?</style>",
    re.DOTALL,
)
# Attributes a person reads: their values must come from a translate tag too.
READ_ATTRIBUTE = re.compile(
    r'\b(?:title|alt|placeholder|aria-label|label)\s*=\s*"([^"]*)"', re.IGNORECASE
)
TAG = re.compile(r"<[^>]*>", re.DOTALL)
ENTITY = re.compile(r"&#?\w+;")
WORD = re.compile(r"[^\W\d_]{2,}")


def unmarked_template_text(path: Path) -> list[str]:
    """Words of `path` a person reads that sit outside every translate tag."""
    text = path.read_text()
    found = []
    for value in READ_ATTRIBUTE.findall(TEMPLATE_CODE.sub(" ", text)):
        if WORD.search(TEMPLATE_CODE.sub(" ", value)):
            found.append(f'attribute "{value.strip()}"')
    visible = ENTITY.sub(" ", TAG.sub(" ", TEMPLATE_CODE.sub(" ", text)))
    found += [line.strip() for line in visible.splitlines() if WORD.search(line)]
    return found


TRANSLATION_FUNCTIONS = {name for name in KEYWORDS} | {"ngettext", "format_lazy"}
# Keyword arguments whose value a person reads.
READ_KEYWORDS = {
    "message",
    "description",
    "short_description",
    "verbose_name",
    "verbose_name_plural",
    "help_text",
    "label",
}
# Class attributes a person reads (Django's admin shows them).
CLASS_WORDS = {"title", "search_help_text", "verbose_name", "verbose_name_plural"}
# Calls whose first text argument a person reads.
READ_CALLS = {"ValidationError", "success", "error", "warning", "info", "message_user"}
# The refusals of the services (pos_project.errors): their second argument is the
# `message` the API and the back office show.
REFUSALS = {"Invalid", "Forbidden", "NotFound", "Conflict", "KeyReused", "Busy", "invalid_field"}
# Calls that take these keywords but speak to someone else, in English on purpose:
# - the stored audit entry's `description` (audit.services) is kept in English; the audit
#   pages and API render it in the reader's language from its event type and data;
# - the OpenAPI schema (drf-spectacular's decorators and serializer fields' `help_text`)
#   documents the API for the developers of its clients, like the code and field names;
# - management commands' arguments speak to administrators at a terminal;
# - a customer's ledger entry's stored `description` (receivables.ledger) is a record kept in
#   English like the audit's: it names the sale, return or payment it stands for.
SPOKEN_ELSEWHERE = {
    "audit_record",
    "ledger_post",
    "extend_schema",
    "extend_schema_view",
    "extend_schema_field",
    "OpenApiParameter",
    "OpenApiResponse",
    "OpenApiExample",
    "add_argument",
}
SERIALIZER_MODULES = {"serializers"}
# In the API's modules (`<app>/api/`, pos_project/schema.py) and serializer fields, these
# document the schema (a filter's `label` is its parameter's description there).
SCHEMA_KEYWORDS = {"help_text", "description", "label"}


def _callee(node: ast.Call) -> str:
    function = node.func
    if isinstance(function, ast.Attribute):
        return function.attr
    return function.id if isinstance(function, ast.Name) else ""


def _is_text(node) -> bool:
    """A literal string, an f-string, or one formatted with `%`/`.format` from one."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and bool(WORD.search(node.value))
    if isinstance(node, ast.JoinedStr):
        return any(
            isinstance(part, ast.Constant) and WORD.search(str(part.value)) for part in node.values
        )
    if isinstance(node, ast.BinOp):
        return _is_text(node.left)
    if isinstance(node, ast.Call) and _callee(node) == "format":
        return isinstance(node.func, ast.Attribute) and _is_text(node.func.value)
    return False


def _serializer_field(node: ast.Call) -> bool:
    function = node.func
    return (
        isinstance(function, ast.Attribute)
        and isinstance(function.value, ast.Name)
        and function.value.id in SERIALIZER_MODULES
    )


def unmarked_python_text(path: Path) -> list[str]:
    """`line: text` of each string a person reads that no translation function wraps."""
    tree = ast.parse(path.read_text(), filename=str(path))
    parts = path.relative_to(ROOT).parts if path.is_relative_to(ROOT) else path.parts
    api_module = "api" in parts or path.name == "schema.py"
    found = []

    def report(node) -> None:
        found.append(f"{node.lineno}: {ast.unparse(node)[:80]}")

    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        callee = _callee(node)
        if callee in SPOKEN_ELSEWHERE or callee in TRANSLATION_FUNCTIONS:
            continue
        for keyword in node.keywords:
            if keyword.arg not in READ_KEYWORDS or not _is_text(keyword.value):
                continue
            if keyword.arg in SCHEMA_KEYWORDS and (api_module or _serializer_field(node)):
                continue
            report(keyword.value)
        positional = node.args
        if callee in READ_CALLS:
            # messages.success(request, "...") and message_user(request, "...") put the text
            # second; ValidationError("...") first.
            texts = positional[:1] if callee == "ValidationError" else positional[1:2]
            for text in texts:
                if _is_text(text):
                    report(text)
        if callee in REFUSALS and len(positional) >= 2 and _is_text(positional[1]):
            report(positional[1])
    # A class's own words: a list filter's `title`, a list's `search_help_text`.
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        for statement in node.body:
            named = isinstance(statement, ast.Assign) and any(
                isinstance(target, ast.Name) and target.id in CLASS_WORDS
                for target in statement.targets
            )
            if named and _is_text(statement.value):
                report(statement.value)
    # `short_description` set as an attribute (`view.short_description = "..."`).
    for node in ast.walk(tree):
        assigned = isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Attribute) and target.attr in READ_KEYWORDS
            for target in node.targets
        )
        if assigned and _is_text(node.value):
            report(node.value)
    return found

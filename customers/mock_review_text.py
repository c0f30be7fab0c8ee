"""How the mock-customer review reads in a terminal: columns that line up whatever the
script of a name, and each candidate's plan in words."""

import unicodedata

from customers.mock_review import DEACTIVATE, DELETE, SKIP, ReviewRow


def display_width(text: str) -> int:
    # Chinese and other wide characters take two columns, combining marks none.
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in "WF" else 1
    return width


def clip(text: str, width: int) -> str:
    if display_width(text) <= width:
        return text
    clipped = ""
    for char in text:
        if display_width(clipped + char) > width - 1:
            break
        clipped += char
    return clipped + "…"


def pad(text: str, width: int, *, right: bool = False) -> str:
    gap = " " * max(width - display_width(text), 0)
    return gap + text if right else text + gap


def plan_text(row: ReviewRow) -> str:
    if row.action == SKIP:
        return f"skip: {row.why}"
    drafts = row.history.removable_sales if row.history else 0
    extra = f", with {drafts} draft/cancelled sale{'s' if drafts != 1 else ''}" if drafts else ""
    if row.action == DELETE:
        return f"delete{extra}"
    if row.action == DEACTIVATE:
        return f"deactivate ({row.why}){extra}"
    return ""

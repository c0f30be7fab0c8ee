"""Names inside sentences, whatever their script.

A customer's name in Arabic inside a French sentence (or a Latin name inside an Arabic one)
reorders the words around it unless it is isolated. HTML pages use `<bdi>`; text that is
not HTML (API messages, audit descriptions, CSV cells) uses the Unicode isolates.
"""

FIRST_STRONG_ISOLATE = "\u2068"
POP_DIRECTIONAL_ISOLATE = "\u2069"


def isolate(text: object) -> str:
    """`isolate("فاطمة")` -> the name between FSI and PDI, so it cannot reorder its sentence."""
    return f"{FIRST_STRONG_ISOLATE}{text}{POP_DIRECTIONAL_ISOLATE}"

"""Uzbek (Latin script) as written in Uzbekistan: "07.12.2026 14:36", "1 234,50" (a no-break
space between thousands, a decimal comma)."""

DATE_FORMAT = "j-E, Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j-E, Y, H:i"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
MONTH_DAY_FORMAT = "j-E"
YEAR_MONTH_FORMAT = "F Y"
MONTH_YEAR_FORMAT = "m.Y"
FIRST_DAY_OF_WEEK = 1
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\u00a0"
NUMBER_GROUPING = 3

"""One way to write a date and a time on every back-office page, receipt and statement.

"26 Nov 2026, 09:18": day first as in the shops' own countries, a 24-hour clock, and no
"a.m."/"p.m." that reads differently from one page to the next.
"""

DATE_FORMAT = "j M Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
# An expiry as a box and an invoice print it: the month and year only
# (pos_project.formats.month_year; not one of Django's named formats).
MONTH_YEAR_FORMAT = "m/Y"
FIRST_DAY_OF_WEEK = 1

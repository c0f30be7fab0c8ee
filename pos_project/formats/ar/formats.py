"""Arabic as Moroccan receipts print it: Western digits, the day first, a 24-hour clock,
"1.234,50" (a point between thousands, a decimal comma, as CLDR writes ar-MA).

Django's own Arabic formats put right-to-left marks inside the short date and a 12-hour
clock with Arabic "AM/PM"; a till's receipt and the back office read the same dates as the
French pages instead.
"""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y، H:i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
MONTH_YEAR_FORMAT = "m/Y"
FIRST_DAY_OF_WEEK = 1
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3

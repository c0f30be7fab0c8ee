"""Structured logs: JSON lines (`LOG_FORMAT=json`) or readable text, from structlog and from
the standard library alike.

structlog renders every record, Django's and libraries' included, through one formatter, and
carries the request's id (bound once by the request middleware) into every line logged
while the request runs, without passing it around.
"""

import structlog

# Applied to structlog's own events and to the standard library's records alike.
_SHARED = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def logging_settings(*, json: bool, level: str) -> dict:
    """Configure structlog and return Django's LOGGING for it."""
    structlog.configure(
        processors=[*_SHARED, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    if json:
        render = [structlog.processors.format_exc_info, structlog.processors.JSONRenderer()]
    else:
        render = [structlog.dev.ConsoleRenderer(colors=False)]
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "structured": {
                "()": structlog.stdlib.ProcessorFormatter,
                "foreign_pre_chain": _SHARED,
                "processors": [structlog.stdlib.ProcessorFormatter.remove_processors_meta, *render],
            }
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
        "root": {"handlers": ["console"], "level": level},
        # Every request gets one line from pos_project.request_log; Django's own line for each
        # 4xx would repeat it. Its 5xx lines (with the traceback) stay.
        "loggers": {"django.request": {"level": "ERROR"}},
    }

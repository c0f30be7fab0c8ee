"""Real threads with real connections, for the PostgreSQL race tests."""

import sys
import threading

from django.db import connection

from pos_project.errors import DomainError


def report(text: str) -> None:
    # Shown with `pytest -s`: the figures quoted in closing notes.
    sys.stdout.write(text + "\n")


def race(workers):
    """Run every callable in its own thread, released together; return their outcomes.

    Each outcome is ("ok", result), ("refused", domain error code) or ("error", repr).
    """
    barrier = threading.Barrier(len(workers))
    outcomes = [None] * len(workers)

    def run(index, work):
        try:
            barrier.wait()
            outcomes[index] = ("ok", work())
        except DomainError as error:
            outcomes[index] = ("refused", error.code)
        except Exception as error:
            outcomes[index] = ("error", repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes

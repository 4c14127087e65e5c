"""Work run in several threads at once, each on its own database connection (PostgreSQL tests)."""

import threading
from collections.abc import Callable

from django.db import connection


def at_once(works: list[Callable[[], object]]) -> list[Exception]:
    """Run each of ``works`` in a thread of its own, released together; return what they raised.

    Each thread connects before the barrier, so they start together rather than one connection
    set-up apart, and closes its connection when done.
    """
    barrier = threading.Barrier(len(works))
    errors: list[Exception] = []

    def run(work: Callable[[], object]) -> None:
        try:
            connection.ensure_connection()
            barrier.wait(timeout=30)
            work()
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(work,)) for work in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors

"""A Celery worker whose extractor chokes on marked reports, to test poison input for real.

Run as ``python -m tests.faults.poison_worker -A tracker worker ...`` (``stack.Worker`` with
``poisoned=True``). Before Celery starts, the extractor the analysis goes through
(``timeline.services.candidates.extract``) is wrapped: a report whose text holds
``POISON_MARKER`` raises ``PoisonedReport``, as a page that breaks the extractor would; any
other report is extracted as usual. The prefork children inherit the wrapper. Each poisoned
call appends a line to the file named by ``POISON_ATTEMPTS_FILE``, so the test counts the
attempts that really ran, independently of the counter the service keeps on the article.
"""

from __future__ import annotations

import os
import sys

POISON_MARKER = "Zyxwvut-poison-marker"


class PoisonedReport(RuntimeError):
    pass


def _poison_extractor() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    django.setup()
    from timeline.services import candidates

    real_extract = candidates.extract
    attempts_file = os.environ["POISON_ATTEMPTS_FILE"]

    def extract(article_input, *args, **kwargs):
        if POISON_MARKER in article_input.text:
            # O_APPEND: the pool children write whole lines without interleaving.
            with open(attempts_file, "a", encoding="utf-8") as attempts:
                attempts.write(f"{os.getpid()}\n")
            raise PoisonedReport(f"the extractor choked on {POISON_MARKER}")
        return real_extract(article_input, *args, **kwargs)

    candidates.extract = extract


if __name__ == "__main__":
    _poison_extractor()
    from celery.__main__ import main

    sys.exit(main())

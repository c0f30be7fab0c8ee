"""gunicorn's settings for the POS. gunicorn reads this file from the directory it starts in
(`.venv/bin/gunicorn pos_project.wsgi --bind 127.0.0.1:8000`), and `scripts/bench` serves
with the same settings.

On two cores, four workers of one thread each served both checkouts best: a third more
checkouts a second than two workers of four threads, at 1, 4 and 16 clients, in alternating
runs (docs/performance.md, "Workers and threads"). A thread holding a worker's GIL no
longer makes that worker's other requests wait. On a bigger machine, set WEB_CONCURRENCY
(workers, about two per core) and GUNICORN_THREADS.
"""

import os

workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# gthread even with one thread: it keeps idle keep-alive connections out of the worker's
# way, where the sync worker would hold one connection at a time.
worker_class = "gthread"
keepalive = 30

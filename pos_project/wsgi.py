"""WSGI entry point, served by gunicorn in production."""

import os

from django.core.wsgi import get_wsgi_application

from pos_project.server_lock import hold_server_lock

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pos_project.settings")

application = get_wsgi_application()
# `manage.py restore` refuses to replace an SQLite database under a running server.
hold_server_lock()

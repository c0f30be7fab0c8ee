"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

from pos_project.server_lock import hold_server_lock

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pos_project.settings")

application = get_asgi_application()
# `manage.py restore` refuses to replace an SQLite database under a running server.
hold_server_lock()

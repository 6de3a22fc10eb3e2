"""WSGI entry point (gunicorn config.wsgi)."""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

if settings.PDF_WARM_START:
    # WeasyPrint takes a second to import: do it when the worker starts, not on a request.
    from minutes.pdf import get_renderer

    get_renderer().start()

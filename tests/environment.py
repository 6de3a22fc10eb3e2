"""Loaded by pytest as a plugin (pyproject ``addopts``) before Django reads its settings, so that
plain ``pytest`` runs without a hand-made environment: a test-only secret key and static files
without collectstatic. DATABASE_URL is left alone: it picks SQLite or PostgreSQL."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("STATIC_MANIFEST", "0")

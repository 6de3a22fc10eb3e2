"""Loaded by pytest as a plugin (pyproject ``addopts``) before Django reads its settings, so that
plain ``pytest`` runs without a hand-made environment: a test-only secret key, static files
without collectstatic, and plain http. DATABASE_URL is left alone: it picks SQLite or PostgreSQL."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("STATIC_MANIFEST", "0")
# The test client and the live server speak plain http; the HTTPS settings are tested by setting
# them (tests/core/test_security.py).
os.environ.setdefault("HTTPS", "0")
# Approval and the admin need a second factor unless DEBUG; the tests turn that on where they
# test it (tests/councils/test_sign_in_security.py).
os.environ.setdefault("OTP_REQUIRED", "0")

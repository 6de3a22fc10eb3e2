"""Where the stored files live: local folders (the default) or S3-compatible object storage
through django-storages (``FILE_STORAGE=s3``: AWS, or a Swedish provider's Ceph or MinIO through
``S3_ENDPOINT_URL``).

Three storages, as in the local set-up:

- ``default``, the archive: every approved PDF for ever, withdrawn ones included. Never public.
- ``private``: internal documents and the internal PDFs. Only the app hands them out.
- ``published``: what the public may download, under immutable content-addressed names.

In object storage the first two share one private bucket (``S3_BUCKET``) under the prefixes
``archive/`` and ``private/``; the published files go to a second bucket (``S3_PUBLIC_BUCKET``)
that the public may read, at ``PUBLISHED_URL``. One bucket for both would put the archive one
policy mistake away from the public, so two are required.
"""

from __future__ import annotations

from importlib.util import find_spec
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from config.env import env_str

S3_BACKEND = "storages.backends.s3.S3Storage"
# The published names hold the file's SHA-256: the bytes behind one can never change.
IMMUTABLE = "public, max-age=31536000, immutable"


def file_storages(kind: str, *, private_root: str, published_root: str, published_url: str) -> dict:
    """The ``default``, ``private`` and ``published`` entries of STORAGES for ``kind``."""
    if kind == "local":
        local = "django.core.files.storage.FileSystemStorage"
        return {
            "default": {"BACKEND": local},  # MEDIA_ROOT
            "private": {"BACKEND": local, "OPTIONS": {"location": private_root, "base_url": None}},
            "published": {
                "BACKEND": local,
                "OPTIONS": {"location": published_root, "base_url": published_url},
            },
        }
    if kind == "s3":
        return s3_storages(published_url)
    raise ImproperlyConfigured(f"FILE_STORAGE={kind!r} is not one of local, s3.")


def s3_storages(published_url: str) -> dict:
    if find_spec("storages") is None or find_spec("boto3") is None:
        raise ImproperlyConfigured(
            "FILE_STORAGE=s3 needs django-storages and boto3: pip install '.[s3]'."
        )
    bucket = env_str("S3_BUCKET")
    public_bucket = env_str("S3_PUBLIC_BUCKET")
    if not bucket or not public_bucket:
        raise ImproperlyConfigured(
            "FILE_STORAGE=s3 needs S3_BUCKET (the archive and the internal documents, never "
            "public) and S3_PUBLIC_BUCKET (the published PDFs, readable by anyone)."
        )
    if bucket == public_bucket:
        raise ImproperlyConfigured(
            "S3_BUCKET and S3_PUBLIC_BUCKET must be two buckets: the archive and the internal "
            "documents must never be readable by the public."
        )
    address = urlsplit(published_url)
    if address.scheme not in {"http", "https"} or not address.netloc:
        raise ImproperlyConfigured(
            f"PUBLISHED_URL={published_url!r}: with FILE_STORAGE=s3 it must be the absolute "
            "address the public bucket is read at (https://…/, the bucket's own or a CDN's)."
        )
    addressing = env_str("S3_ADDRESSING_STYLE", "path")
    if addressing not in {"path", "virtual"}:
        raise ImproperlyConfigured(f"S3_ADDRESSING_STYLE={addressing!r} is not path or virtual.")
    from botocore.config import Config  # only with the s3 extra installed (checked above)

    common = {
        "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
        "region_name": env_str("S3_REGION") or None,
        # Without keys boto3 looks in its usual places (AWS_ACCESS_KEY_ID, an instance role).
        "access_key": env_str("S3_ACCESS_KEY_ID") or None,
        "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
        # A store that does not answer fails the request within seconds (the person is told
        # nothing was saved) instead of holding a worker for a minute of retries.
        "client_config": Config(
            s3={"addressing_style": addressing},
            signature_version="s3v4",
            connect_timeout=5,
            read_timeout=60,
            retries={"mode": "standard", "max_attempts": 3},
        ),
        # Never replace a stored file: names are content hashes or unique, and a clash gets a
        # new name (the callers notice and keep the first file), as on local disk.
        "file_overwrite": False,
        "default_acl": None,  # the buckets' policies decide who reads what
    }
    private = {**common, "bucket_name": bucket, "querystring_auth": True}
    return {
        "default": {"BACKEND": S3_BACKEND, "OPTIONS": {**private, "location": "archive"}},
        "private": {"BACKEND": S3_BACKEND, "OPTIONS": {**private, "location": "private"}},
        "published": {
            "BACKEND": S3_BACKEND,
            "OPTIONS": {
                **common,
                "bucket_name": public_bucket,
                "querystring_auth": False,
                # The files' public address: PUBLISHED_URL + the name.
                "url_protocol": f"{address.scheme}:",
                "custom_domain": (address.netloc + address.path).rstrip("/"),
                "object_parameters": {"CacheControl": IMMUTABLE},
            },
        },
    }

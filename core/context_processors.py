"""What every page template may use."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language


@dataclass(frozen=True)
class LanguageVersion:
    code: str  # sv, en
    name: str  # in its own language: Svenska, English
    url: str  # this page in that language (path and query)
    absolute: str  # the same with scheme and host, for hreflang alternates
    current: bool


NAMES = {"sv": "Svenska", "en": "English"}


def _versions(request: HttpRequest) -> list[LanguageVersion]:
    """This page in each language, when it has a version per language (a public page under
    config.urls' i18n_patterns); empty for the staff pages and an address that leads nowhere."""
    here = request.get_full_path()
    current = get_language()
    versions = []
    for code, _name in settings.LANGUAGES:
        url = translate_url(here, code)
        absolute = request.build_absolute_uri(url)
        versions.append(
            LanguageVersion(code, NAMES.get(code, code), url, absolute, code == current)
        )
    if len({v.url for v in versions}) < len(versions):
        return []  # the same address in every language: Swedish only
    return versions


def languages(request: HttpRequest) -> dict:
    """``language_versions``: this page in each language, for the language switch and the
    ``hreflang`` alternates of base.html (worked out only when a template asks)."""
    return {"language_versions": SimpleLazyObject(lambda: _versions(request))}

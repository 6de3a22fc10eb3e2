from django import template
from django.utils.safestring import SafeString

from alerts.models import mask
from minutes import search

register = template.Library()


@register.filter
def marked(text: str) -> SafeString:
    """The words found as ``<mark>`` (the site's search highlights them alike), the rest
    escaped."""
    return search.highlight(text)


@register.filter
def plain(text: str) -> str:
    """The words found between asterisks, for the plain-text e-mail."""
    return search.plain(text)


@register.filter
def masked_address(address: str) -> str:
    """``a•••@e•••.se``: a page reached by a link shows no address in full, should the link
    travel further than its owner meant."""
    return mask(address)

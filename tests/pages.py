"""Reading pages the way a person does: the visible text, whitespace folded."""

import re

from django.utils.html import strip_tags


def page_text(response) -> str:
    return re.sub(r"\s+", " ", strip_tags(response.content.decode())).strip()

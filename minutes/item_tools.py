"""Tools of higher apps that work on one agenda item (linking it to an action plan, recording
follow-ups). They register here from their ``AppConfig.ready``; the item editor links to them
without importing them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ItemTool:
    label: str
    # a URL name whose arguments are the municipality's and council's slugs, the meeting's id
    # and the item's id
    url_name: str


_tools: list[ItemTool] = []


def register(label: str, url_name: str) -> None:
    if all(tool.url_name != url_name for tool in _tools):
        _tools.append(ItemTool(label, url_name))


def item_tools() -> list[ItemTool]:
    return list(_tools)

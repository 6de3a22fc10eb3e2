"""Pages that higher apps add to a council's working tools (the workspace lists them beside "Nytt
möte"). They register here, so that a lower app links to them without importing them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CouncilTool:
    label: str
    url_name: str  # a URL name whose arguments are the municipality's and the council's slugs


_tools: list[CouncilTool] = []


def register(label: str, url_name: str) -> None:
    if all(tool.url_name != url_name for tool in _tools):
        _tools.append(CouncilTool(label, url_name))


def editor_tools() -> list[CouncilTool]:
    """The tools for those who may edit a council's documents."""
    return list(_tools)

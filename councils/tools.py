"""Pages that higher apps add about a council: working tools (the workspace lists them beside
"Nytt möte") and public pages (the council's page links them). They register here, so that a lower
app links to them without importing them."""

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


_public: list[CouncilTool] = []


def register_public(label: str, url_name: str) -> None:
    """A public page about a council (its action plans) that the council's page links to."""
    if all(tool.url_name != url_name for tool in _public):
        _public.append(CouncilTool(label, url_name))


def public_pages() -> list[CouncilTool]:
    return list(_public)


@dataclass(frozen=True)
class PublicDocument:
    label: str  # "Handlingsplan 2020"
    url: str
    note: str = ""  # "antagen 24 februari 2020"


_documents: list[tuple[str, object]] = []


def register_public_documents(heading: str, provider) -> None:
    """Documents a higher app keeps about a council (its adopted plans and reports), listed on
    the council's page under ``heading``; ``provider(council)`` returns PublicDocuments."""
    if all(existing is not provider for _heading, existing in _documents):
        _documents.append((heading, provider))


def public_documents(council) -> list[tuple[str, list[PublicDocument]]]:
    """The council's listed documents, per heading; headings without documents are left out."""
    groups = [(heading, list(provider(council))) for heading, provider in _documents]
    return [(heading, documents) for heading, documents in groups if documents]


_follow: list[str] = []


def register_follow(template: str) -> None:
    """The form with which a visitor follows a council, a search or an anslagstavla by e-mail
    (a higher app's template; it is included with ``council``, ``municipality`` and ``query``
    as the page has them)."""
    if template not in _follow:
        _follow.append(template)


def follow_form() -> str | None:
    """The template of the follow form, or None when no app offers one."""
    return _follow[0] if _follow else None

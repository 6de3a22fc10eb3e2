"""Page furniture as artifacts: the last step of every render, in the render child.

WeasyPrint (70) tags the text of the page margin boxes (the running header with the council's
name, "Sida N av M") as marked content with an MCID, and builds structure elements for it that
it leaves out of the tree ("it could be included in tree as Artifact, but that's only allowed in
PDF 2.0", weasyprint/pdf/tags.py; WeasyPrint#1836 is open, with no option for it). Content that
is neither in the structure tree nor an artifact is what PDF/UA-1 (ISO 14289-1, 7.1) forbids,
and what every PDF/UA checker reports.

:func:`mark_page_furniture` is WeasyPrint's ``finisher``: it runs on the PDF's objects after
tagging and the PDF/A variant, before they are written. Every marked-content sequence whose
MCID maps (through the ParentTree) to a structure element that the root does not reach becomes
``/Artifact <</Type /Pagination>> BDC``; its ParentTree entry becomes null, and the detached
elements are emptied (nothing refers to them any more). A pure function of the objects, so the
same document still gives the same bytes.
"""

from __future__ import annotations

NULL = b"null"
PAGINATION = {"Type": "/Pagination"}


def _number(reference) -> int | None:
    """The object number of an indirect reference (``b"12 0 R"``), else None."""
    if isinstance(reference, bytes) and reference.endswith(b" R"):
        return int(reference.split()[0])
    return None


def _reachable(objects, root_number: int) -> set[int]:
    """The structure elements the StructTreeRoot reaches through /K."""
    seen: set[int] = set()
    todo = [root_number]
    while todo:
        number = todo.pop()
        if number in seen:
            continue
        seen.add(number)
        kids = objects[number].get("K")
        if kids is None:
            continue
        for kid in kids if isinstance(kids, list) else [kids]:
            kid_number = _number(kid)
            if kid_number is not None and isinstance(objects[kid_number], dict):
                todo.append(kid_number)
    return seen


def mark_page_furniture(document, pdf) -> None:
    """WeasyPrint finisher: the margin boxes' detached marked content becomes pagination
    artifacts (see the module's docstring)."""
    import pydyf  # the render child's; WeasyPrint brings it

    root_number = _number(pdf.catalog.get("StructTreeRoot"))
    if root_number is None:
        return  # an untagged PDF has nothing to reconcile
    objects = pdf.objects
    root = objects[root_number]
    reached = _reachable(objects, root_number)
    parent_tree = objects[_number(root["ParentTree"])]
    nums = parent_tree["Nums"]
    # the ParentTree's key of a page's marked content is the page's StructParents, whatever the
    # page's place in the document
    pages = {}
    for reference in pdf.page_references:
        page = objects[_number(reference)]
        if "StructParents" in page:
            pages[int(page["StructParents"])] = page

    still_referenced: set[int] = set()
    for key, value in zip(nums[::2], nums[1::2], strict=True):
        if not isinstance(value, list):  # an annotation's entry: one element
            still_referenced.add(_number(value))
            continue
        furniture = set()
        for mcid, reference in enumerate(value):
            number = _number(reference)
            if number is not None and number not in reached:
                furniture.add(mcid)
                value[mcid] = NULL
        if furniture:
            if key not in pages:
                raise ValueError(
                    f"The ParentTree's entry {key} lists marked content, but no page has "
                    f"/StructParents {key}: the page furniture cannot be marked as artifacts."
                )
            for stream in _content_streams(objects, pages[key]["Contents"]):
                _as_artifacts(stream.stream, furniture, pydyf)

    # the detached elements (the margin boxes' own, and the spans in them) are referred to by
    # nothing now but each other
    for number, element in enumerate(objects):
        if (
            number not in reached
            and number not in still_referenced
            and isinstance(element, dict)
            and element.get("Type") == "/StructElem"
        ):
            element.clear()


def _content_streams(objects, contents) -> list:
    """A page's /Contents: one stream or an array of streams (ISO 32000-1, 7.7.3.3), each an
    indirect reference; a marked-content sequence may be in any of them."""
    streams = []
    for reference in contents if isinstance(contents, list) else [contents]:
        number = _number(reference)
        if number is None:
            raise ValueError(f"A page's /Contents names {reference!r}, not a stream's reference.")
        streams.append(objects[number])
    return streams


def _as_artifacts(operations: list, mcids: set[int], pydyf) -> None:
    """In a page's content (pydyf's list of operands and operators), ``/Tag <</MCID n>> BDC``
    for each n in ``mcids`` becomes ``/Artifact <</Type /Pagination>> BDC``."""
    for index in range(1, len(operations) - 1):
        properties = operations[index]
        if (
            isinstance(properties, dict)
            and properties.get("MCID") in mcids
            and operations[index + 1] == b"BDC"
        ):
            operations[index - 1] = "/Artifact"
            operations[index] = pydyf.Dictionary(PAGINATION)

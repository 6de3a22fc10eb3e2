"""The page-furniture finisher (minutes.pdf_artifacts) on hand-built PDF objects: the
ParentTree's keys are the pages' StructParents (not their places), and a page's content may be
an array of streams."""

import pydyf
import pytest

from minutes.pdf_artifacts import PAGINATION, mark_page_furniture


def _stream(*mcids: int) -> pydyf.Stream:
    stream = pydyf.Stream()
    for mcid in mcids:
        stream.begin_marked_content("P", pydyf.Dictionary({"MCID": mcid}))
        stream.end_marked_content()
    return stream


def _tagged_pdf(*, first_contents, second_contents, first_parents=1, second_parents=0):
    """Two pages whose StructParents run backwards (the first page is the ParentTree's 1):
    on the first, MCID 0 is content in the tree and MCID 1 detached furniture; on the second
    both are content."""
    pdf = pydyf.PDF()
    content = pydyf.Dictionary({"Type": "/StructElem", "S": "/P"})
    furniture = pydyf.Dictionary({"Type": "/StructElem", "S": "/P"})
    for item in (content, furniture):
        pdf.add_object(item)
    parent_tree = pydyf.Dictionary(
        {
            "Nums": pydyf.Array(
                [
                    1, pydyf.Array([content.reference, furniture.reference]),
                    0, pydyf.Array([content.reference, content.reference]),
                ]
            )
        }
    )  # fmt: skip
    pdf.add_object(parent_tree)
    root = pydyf.Dictionary(
        {
            "Type": "/StructTreeRoot",
            "K": pydyf.Array([content.reference]),
            "ParentTree": parent_tree.reference,
        }
    )
    pdf.add_object(root)
    pdf.catalog["StructTreeRoot"] = root.reference
    streams = {}
    for name, contents, parents in (
        ("first", first_contents, first_parents),
        ("second", second_contents, second_parents),
    ):
        for stream in contents:
            pdf.add_object(stream)
        references = [stream.reference for stream in contents]
        page = pydyf.Dictionary(
            {
                "Type": "/Page",
                "Contents": pydyf.Array(references) if len(references) > 1 else references[0],
                "StructParents": parents,
            }
        )
        pdf.add_page(page)
        streams[name] = contents
    return pdf, streams, furniture


def _tags(stream: pydyf.Stream) -> list[tuple[str, object]]:
    ops = stream.stream
    return [(ops[i - 1], ops[i]) for i in range(1, len(ops) - 1) if ops[i + 1] == b"BDC"]


@pytest.mark.parametrize("split", [False, True], ids=["one stream", "an array of streams"])
def test_the_furniture_is_found_on_the_page_of_its_struct_parents(split):
    first = [_stream(0), _stream(1)] if split else [_stream(0, 1)]
    pdf, streams, furniture = _tagged_pdf(first_contents=first, second_contents=[_stream(0, 1)])
    mark_page_furniture(None, pdf)
    tags = [tag for stream in streams["first"] for tag in _tags(stream)]
    assert tags == [("/P", {"MCID": 0}), ("/Artifact", PAGINATION)]
    assert _tags(streams["second"][0]) == [("/P", {"MCID": 0}), ("/P", {"MCID": 1})]
    assert furniture == {}  # detached and emptied


def test_a_parent_tree_key_without_its_page_is_a_clear_error():
    pdf, _streams, _furniture = _tagged_pdf(
        first_contents=[_stream(0, 1)], second_contents=[_stream(0, 1)], first_parents=5
    )
    with pytest.raises(ValueError, match="no page has /StructParents 1"):
        mark_page_furniture(None, pdf)

"""minutes.pdf.memoized_renders: within it, an HTML rendered before is not rendered again (the
demo loader's, since a test run loads the demo many times); outside it, every call renders."""

from minutes import pdf


class Counting(pdf.Renderer):
    def __init__(self):
        self.calls = 0

    def _render_html(self, html, *, timeout=None):
        self.calls += 1
        return pdf.RenderResult(f"PDF of {html}".encode(), ())


def test_only_inside_the_block_is_a_render_kept(monkeypatch):
    monkeypatch.setattr(pdf, "_memo", {})
    renderer = Counting()
    renderer.render_html("<p>a</p>")
    renderer.render_html("<p>a</p>")
    assert renderer.calls == 2
    with pdf.memoized_renders():
        first = renderer.render_html("<p>a</p>")
        again = renderer.render_html("<p>a</p>")
        other = renderer.render_html("<p>b</p>")
    assert renderer.calls == 4 and first is again and other.pdf == b"PDF of <p>b</p>"
    renderer.render_html("<p>a</p>")
    assert renderer.calls == 5


def test_the_memo_is_bounded(monkeypatch):
    monkeypatch.setattr(pdf, "_memo", {})
    monkeypatch.setattr(pdf, "MEMO_SIZE", 2)
    renderer = Counting()
    with pdf.memoized_renders():
        for html in ("1", "2", "3", "1"):
            renderer.render_html(html)
    assert renderer.calls == 4 and len(pdf._memo) == 2

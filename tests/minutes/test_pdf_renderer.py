"""The renderer cannot be turned against the server: it fetches only the project's static
files and data: URIs, and a pathological document fails with a clear error instead of hanging
or bloating the process that asked for it."""

import socket
import subprocess
import threading

import pytest

from minutes.pdf import (
    Renderer,
    RenderError,
    RenderTimeout,
    css_string,
    get_renderer,
    render_many,
    renderers,
)

PAGE = '<!doctype html><html lang="sv-SE"><head><title>t</title>{head}</head><body>{body}</body></html>'
TINY_PNG = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8"
    "z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


class Listener:
    """A real TCP listener on 127.0.0.1 that counts the connections it receives."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.stopped.set()
        self.thread.join()
        self.sock.close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


def attachments(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdfdetach", "-list", str(path)], capture_output=True, check=True
    ).stdout.decode()


def test_local_files_are_neither_embedded_nor_read(tmp_path):
    html = PAGE.format(
        head='<link rel="attachment" href="file:///etc/passwd" title="passwd">',
        body='<p>Text</p><img src="file:///etc/passwd"><img src="../../../../etc/hostname">'
        '<a rel="attachment" href="file:///etc/shadow">x</a>',
    )
    result = get_renderer().render_html(html)
    assert "0 embedded files" in attachments(result.pdf, tmp_path)
    assert b"root:" not in result.pdf
    assert "file:///etc/passwd" in result.refused_urls
    assert any(url.endswith("/etc/hostname") for url in result.refused_urls)


def test_nothing_is_fetched_over_the_network(listener):
    base = f"http://127.0.0.1:{listener.port}"
    html = PAGE.format(
        head=f'<link rel="stylesheet" href="{base}/s.css"><style>@import url("{base}/i.css");'
        f'@font-face {{ font-family: X; src: url("{base}/f.ttf"); }} p {{ font-family: X; }}'
        f'body {{ background: url("{base}/bg.png"); }}</style>',
        body=f'<p>Text</p><img src="{base}/x.png"><img src="https://127.0.0.1:{listener.port}/y.png">',
    )
    result = get_renderer().render_html(html)
    assert result.pdf.startswith(b"%PDF")
    assert listener.connections == 0
    assert f"{base}/x.png" in result.refused_urls
    assert f"{base}/s.css" in result.refused_urls


def test_the_projects_static_files_and_data_uris_are_served():
    html = PAGE.format(head="", body=f'<img src="favicon.svg"><img src="{TINY_PNG}">')
    result = get_renderer().render_html(html)
    assert result.refused_urls == ()


def test_a_council_name_cannot_break_out_of_the_running_header():
    assert (
        css_string('Rådet"; } body { display: none } /*') == 'Rådet\\"; } body { display: none } /*'
    )
    assert "</style>" not in css_string("</style><script>")


def test_a_document_that_takes_too_long_is_stopped_and_the_renderer_recovers():
    renderer = Renderer(timeout=30)
    try:
        renderer.start()
        slow = PAGE.format(
            head="", body="<table>" + "<tr><td>ett</td><td>två</td></tr>" * 3000 + "</table>"
        )
        with pytest.raises(RenderTimeout, match=r"tog längre tid än 0\.5 sekunder"):
            renderer.render_html(slow, timeout=0.5)
        assert renderer.render_html(PAGE.format(head="", body="<p>Hej</p>")).pdf.startswith(b"%PDF")
        assert renderer.starts == 2
    finally:
        renderer.close()


def test_a_document_that_needs_too_much_memory_fails_clearly_and_the_renderer_recovers():
    renderer = Renderer(timeout=60, memory_mb=200)
    try:
        heavy = PAGE.format(
            head="", body='<div style="height:30px;box-shadow:0 0 0 5px red">x</div>' * 6000
        )
        with pytest.raises(RenderError) as excinfo:
            renderer.render_html(heavy)
        assert "Dokumentet" in str(excinfo.value)
        assert renderer.render_html(PAGE.format(head="", body="<p>Hej</p>")).pdf.startswith(b"%PDF")
        assert renderer.starts == 2
    finally:
        renderer.close()


def test_the_child_is_recycled_after_its_number_of_renders():
    renderer = Renderer(max_jobs=2)
    try:
        page = PAGE.format(head="", body="<p>Hej</p>")
        pids = []
        for _ in range(3):
            renderer.render_html(page)
            pids.append(renderer.pid)
        assert pids[0] == pids[1] != pids[2]
    finally:
        renderer.close()


def test_the_renderer_runs_in_another_process():
    import os

    renderer = get_renderer()
    renderer.render_html(PAGE.format(head="", body="<p>Hej</p>"))
    assert renderer.pid not in (None, os.getpid())


def make_snapshot(paragraphs: int):
    from minutes.snapshot import SCHEMA, ItemSnapshot, MinutesSnapshot, Signatory

    body = "".join(
        f"<p>Stycke {n} med några ord som fyller en rad i dokumentet.</p>"
        for n in range(paragraphs)
    )
    return MinutesSnapshot(
        schema=SCHEMA,
        municipality="Arboga kommun",
        council="Förebyggande rådet",
        council_kind="council",
        document_title="Minnesanteckningar",
        meeting_date="2020-02-24",
        date_in_words="24 februari 2020",
        place_and_time="Kommunstyrelsesalen kl 08.30 – 10.30",
        elected="Anders Röhfors (M) ordförande.",
        representatives="",
        absent="",
        others="",
        items=(ItemSnapshot("1", "Övriga frågor", body, "", True, ""),),
        closing_line="Arboga den 24/2- 2020",
        signatories=(
            Signatory("Anders Röhfors", "Ordförande"),
            Signatory("Måns von Stedingk", "Sekreterare"),
        ),
        revision=1,
        status="approved",
        created="2020-03-02T09:00:00+00:00",
    )


def test_the_signatures_never_stand_alone_on_a_last_page():
    from minutes.pdf import build_html
    from tests.minutes import pdftext

    checked = 0
    for paragraphs in range(28, 44):
        pdf = get_renderer().render_html(build_html(make_snapshot(paragraphs))).pdf
        pages = pdftext.raw_lines(pdf)
        if len(pages) < 2:
            continue
        checked += 1
        last = [line for line in pages[-1] if not line.startswith(("Sida ", "Förebyggande rådet"))]
        assert any(line.startswith("Stycke") for line in last), (paragraphs, last)
        assert "Anders Röhfors" in last and "Arboga den 24/2- 2020" in last
    assert checked >= 8  # the sweep crossed the page boundary


def test_documents_render_side_by_side_in_two_children_to_the_same_bytes(settings):
    """A justering's public and internal copies and a batch of extracts (issue 22)."""
    settings.PDF_RENDER_CHILDREN = 2
    htmls = [PAGE.format(head="", body=f"<p>Dokument {n}</p>") for n in range(4)]
    alone = [get_renderer().render_html(html).pdf for html in htmls]
    assert [result.pdf for result in render_many(htmls)] == alone
    first, second = renderers(2)
    assert first is get_renderer()
    assert first.pid and second.pid and first.pid != second.pid


def test_one_child_renders_them_in_turn_where_the_setting_says_one(settings):
    settings.PDF_RENDER_CHILDREN = 1
    assert renderers(5) == [get_renderer()]
    html = PAGE.format(head="", body="<p>Ett</p>")
    assert [r.pdf for r in render_many([html, html])] == [get_renderer().render_html(html).pdf] * 2


def test_a_document_that_fails_side_by_side_fails_the_whole(settings, monkeypatch):
    settings.PDF_RENDER_CHILDREN = 2
    _first, second = renderers(2)

    def fail(*args, **kwargs):
        raise RenderError("Dokumentet kunde inte skapas.")

    monkeypatch.setattr(second, "render_html", fail)
    with pytest.raises(RenderError):
        render_many([PAGE.format(head="", body="<p>A</p>"), PAGE.format(head="", body="<p>B</p>")])

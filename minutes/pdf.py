"""Minutes as PDF: the only module that imports WeasyPrint.

The renderer takes a :class:`~minutes.snapshot.MinutesSnapshot`, never live model objects. It
builds HTML from ``templates/minutes/pdf/`` and hands it to a warm child process that imported
WeasyPrint once, keeps its fonts loaded between renders, runs under a memory limit, is killed
and replaced when a render takes too long, and is recycled after a number of renders. A
pathological document therefore fails with :class:`RenderError` and never hangs or bloats the
web worker that asked for it.

The child fetches nothing but the project's own static files and ``data:`` URIs: every other URL
(``file://`` outside ``static/``, ``http(s)://``, paths that climb out) is refused and logged.
The output is PDF/A-2a: archival (PDF/A-2, which Swedish archives accept most readily) and
tagged for accessibility (level A) in one file; the running header and page numbers are
pagination artifacts (``minutes.pdf_artifacts``), so every piece of content is either in the
structure tree or an artifact, as PDF/UA asks.
"""

from __future__ import annotations

import atexit
import contextlib
import contextvars
import hashlib
import logging
import mimetypes
import os
import pickle
import select
import struct
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit
from urllib.request import url2pathname

if TYPE_CHECKING:
    from minutes.snapshot import MinutesSnapshot

logger = logging.getLogger("protokollet.pdf")

BASE_DIR = Path(__file__).resolve().parent.parent
STATIC_DIR = BASE_DIR / "static"
STYLESHEET = STATIC_DIR / "minutes" / "pdf.css"
PDF_VARIANT = "pdf/a-2a"
TEMPLATE = "minutes/pdf/minutes.html"
# The renderer's version: bump it whenever the same HTML gives other bytes (a new finisher such
# as minutes.pdf_artifacts, another WeasyPrint, other fonts or pdf.css) or the templates under
# templates/minutes/pdf/ and templates/actionplans/pdf/ change their output. Caches of rendered
# PDFs keyed by their HTML (actionplans.pdf.plan_pdf) carry it in their key, so no PDF made by
# an older renderer is served. Stored PDFs (approved minutes, adopted reports) keep their bytes;
# where one is rendered again (render_minutes, report_restore_pdf) the new bytes count only if
# they equal the stored hash, which a newer version may no longer give. History: 1 up to issue 17; 2 with the pagination
# artifacts, the documents' new titles and the no-break digit groups (issue 17); 3 with a nämnd's
# protokoll (issue 18: its front page, contents, footer and roll call; a råd's bytes unchanged);
# 4 with the anslagsbevis, the § justerad at once and the protokollsutdrag (issue 19).
RENDERER_VERSION = 4
MiB = 1024 * 1024


class RenderError(Exception):
    """The document could not be rendered. The message says why, in Swedish."""


class RenderTimeout(RenderError):
    pass


@dataclass(frozen=True)
class RenderResult:
    pdf: bytes
    refused_urls: tuple[str, ...]


# --- HTML --------------------------------------------------------------------------------------


def css_string(value: str) -> str:
    """``value`` as the inside of a CSS double-quoted string, safe inside a <style> element."""
    out = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("\r", " ")
    return out.replace("<", "\\3C ").replace(">", "\\3E ")


def initials_boxes(count: int) -> str:
    """A ``data:`` URI of an SVG drawing ``count`` boxes side by side, 12 mm wide each: where
    the justerare and the chair initial each page of a protokoll ("Justerandes signatur" in the
    footer, whose border closes the last box)."""
    count = max(count, 1)
    lines = "".join(
        f"<path d='M{n * 12} 0V10' stroke='black' stroke-width='0.18'/>" for n in range(count)
    )
    svg = (
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{count * 12}mm' height='10mm' "
        f"viewBox='0 0 {count * 12} 10'>{lines}</svg>"
    )
    return "data:image/svg+xml," + quote(svg, safe="")


def build_html(snapshot: MinutesSnapshot, *, draft: bool = False, internal: bool = False) -> str:
    """The document's HTML. ``draft`` adds the UTKAST watermark and leaves out the signatures;
    ``internal`` shows confidential items in full (for the private copy only). A nämnd's
    protokoll (``snapshot.is_protocol``) has its front page, table of contents and
    "Justerandes signatur" footer (templates/minutes/pdf/_protocol.html)."""
    # Django here, not at the top: the render child runs this module without Django
    from django.template.loader import render_to_string
    from django.utils import translation
    from django.utils.safestring import mark_safe

    with translation.override("sv"):
        return render_to_string(
            TEMPLATE,
            {
                "doc": snapshot,
                "draft": draft,
                "internal": internal,
                "header_css": mark_safe(css_string(snapshot.council)),  # noqa: S308 (escaped for CSS above)
                "initials_svg": initials_boxes(
                    sum(1 for s in snapshot.signatories if s.role != "Sekreterare")
                )
                if snapshot.is_protocol
                else "",
            },
        )


# --- What the child may fetch ------------------------------------------------------------------


def _fetcher_class():
    # WeasyPrint takes a second to import: only the render child imports it
    import ssl

    from weasyprint import URLFetcher
    from weasyprint.urls import URLFetcherResponse

    # An explicit TLS context without certificates, made once: this fetcher never speaks HTTPS,
    # and the default one loads the system's certificates anew for every render (25 ms of the
    # seed's render time).
    no_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)

    class StaticOnlyFetcher(URLFetcher):
        """Serves the project's static files and data: URIs; refuses and records the rest."""

        def __init__(self, roots: tuple[Path, ...] = (STATIC_DIR,)) -> None:
            super().__init__(
                allowed_protocols={"data", "file"}, allow_redirects=False, ssl_context=no_tls
            )
            self.roots = tuple(root.resolve() for root in roots)
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            parts = urlsplit(url)
            scheme = parts.scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file" and parts.netloc in ("", "localhost"):
                path = Path(url2pathname(parts.path)).resolve()
                if any(path.is_relative_to(root) for root in self.roots) and path.is_file():
                    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(
                        url, path.read_bytes(), headers={"Content-Type": content_type}
                    )
            self.refused.append(url)
            raise ValueError(f"Protokollet fetches only its own static files, not {url}")

    return StaticOnlyFetcher


class Engine:
    """WeasyPrint, warm: the stylesheet and its fonts are loaded once and reused by every
    render (WeasyPrint#1495), while each render gets a fetcher of its own."""

    def __init__(self) -> None:
        import weasyprint  # in the render child only: a second to import
        from weasyprint.text.fonts import FontConfiguration

        self._weasyprint = weasyprint
        self._fetcher = _fetcher_class()
        self.font_config = FontConfiguration()
        self.stylesheet = weasyprint.CSS(
            filename=str(STYLESHEET), font_config=self.font_config, url_fetcher=self._fetcher()
        )

    def render(self, html: str) -> RenderResult:
        from minutes.pdf_artifacts import mark_page_furniture

        fetcher = self._fetcher()
        document = self._weasyprint.HTML(
            string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=fetcher
        )
        pdf = document.write_pdf(
            stylesheets=[self.stylesheet],
            font_config=self.font_config,
            pdf_variant=PDF_VARIANT,
            finisher=mark_page_furniture,  # running headers and page numbers as artifacts
        )
        return RenderResult(pdf, tuple(fetcher.refused))


# --- The warm child process --------------------------------------------------------------------
#
# The child is `python -m minutes.pdf`, talking over its standard input and output in
# length-prefixed pickles of plain tuples. A fresh interpreter (not fork) keeps the web worker's
# database connections and threads out of it; not multiprocessing's spawn, which re-imports the
# parent's main script (manage.py, gunicorn, a benchmark) in the child.

_HEADER = struct.Struct("!I")


def _send(stream, message: tuple) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _receive(stream) -> tuple:
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        raise EOFError
    (size,) = _HEADER.unpack(header)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)  # noqa: S301 (only ever our own parent or child)


def serve(memory_mb: int) -> None:  # pragma: no cover (runs in the child)
    """The child's loop: one HTML document in, one PDF (or an error) out."""
    import resource  # the child's own limits; Unix only, like the child

    output = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything else printed goes to standard error, not into the protocol
    incoming = sys.stdin.buffer
    if memory_mb:
        limit = memory_mb * MiB
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    logging.basicConfig(level=logging.ERROR)
    try:
        engine = Engine()
    except BaseException as error:
        _send(output, ("error", f"{type(error).__name__}: {error}"))
        return
    _send(output, ("ready", os.getpid()))
    while True:
        try:
            (html,) = _receive(incoming)
        except (EOFError, KeyboardInterrupt):
            return
        try:
            result = engine.render(html)
        except MemoryError:
            _send(output, ("memory", None))
            return  # a process that ran out of memory is not trusted with another render
        except Exception as error:
            _send(output, ("error", f"{type(error).__name__}: {error}"))
            continue
        _send(output, ("ok", result.pdf, result.refused_urls))


class Renderer:
    """A handle on one warm child process. Thread-safe: renders are serialised."""

    def __init__(self, *, timeout: float = 60, memory_mb: int = 1024, max_jobs: int = 200) -> None:
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.max_jobs = max_jobs
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._jobs = 0
        self.starts = 0

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def start(self) -> None:
        with self._lock:
            self._ensure_started()

    def _ensure_started(self) -> None:
        if (
            self._process is not None
            and self._process.poll() is None
            and self._jobs < self.max_jobs
        ):
            return
        self._stop()
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(BASE_DIR), os.environ.get("PYTHONPATH", "")]),
        }
        process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
            [sys.executable, "-m", "minutes.pdf", str(self.memory_mb)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=BASE_DIR,
            env=env,
        )
        self._process = process
        status, detail = self._wait(max(self.timeout, 30), starting=True)
        if status != "ready":
            self._stop()
            raise RenderError(f"PDF-motorn kunde inte starta: {detail}")
        self._jobs = 0
        self.starts += 1

    def _wait(self, timeout: float, *, starting: bool = False) -> tuple:
        assert self._process is not None and self._process.stdout is not None
        ready, _, _ = select.select([self._process.stdout], [], [], timeout)
        if not ready:
            self._stop()
            if starting:
                raise RenderError("PDF-motorn startade inte i tid.")
            raise RenderTimeout(
                f"Dokumentet tog längre tid än {timeout:g} sekunder att skapa och avbröts."
            )
        try:
            return _receive(self._process.stdout)
        except EOFError:
            self._stop()
            if starting:
                raise RenderError("PDF-motorn avslutades när den startade.") from None
            raise RenderError(
                "Dokumentet kunde inte skapas: PDF-motorn avslutades under arbetet "
                "(oftast för att dokumentet krävde mer minne än den får använda)."
            ) from None

    def _stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.kill()
        process.wait(10)
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                stream.close()

    def close(self) -> None:
        with self._lock:
            self._stop()

    def render_html(self, html: str, *, timeout: float | None = None) -> RenderResult:
        if _memo_active.get():
            key = hashlib.sha256(html.encode()).hexdigest()
            with _memo_lock:
                known = _memo.get(key)
            if known is not None:
                return known
            result = self._render_html(html, timeout=timeout)
            with _memo_lock:  # render_many's threads share it
                _memo[key] = result
                while len(_memo) > MEMO_SIZE:
                    _memo.pop(next(iter(_memo)))
            return result
        return self._render_html(html, timeout=timeout)

    def _render_html(self, html: str, *, timeout: float | None = None) -> RenderResult:
        timeout = self.timeout if timeout is None else timeout
        with self._lock:
            self._ensure_started()
            assert self._process is not None
            self._jobs += 1
            try:
                _send(self._process.stdin, (html,))
            except BrokenPipeError:
                self._stop()
                raise RenderError(
                    "Dokumentet kunde inte skapas: PDF-motorn avslutades under arbetet."
                ) from None
            reply = self._wait(timeout)
            if reply[0] != "ok":
                # A child that failed (often a C library that could not allocate under the
                # memory limit) is not trusted with the next document.
                self._stop()
        status = reply[0]
        if status == "memory":
            raise RenderError("Dokumentet krävde mer minne än PDF-motorn får använda och avbröts.")
        if status != "ok":
            raise RenderError(f"Dokumentet kunde inte skapas: {reply[1]}")
        result = RenderResult(reply[1], tuple(reply[2]))
        for url in result.refused_urls:
            logger.warning("PDF render refused to fetch %s", url)
        return result


_renderer: Renderer | None = None
_renderer_lock = threading.Lock()

# The same HTML renders to the same bytes (the tests pin it), so a process that renders the same
# documents again and again may keep them: the demo loader does, and a test run loads the demo
# dozens of times. Only inside ``memoized_renders()``; bounded, oldest out first.
MEMO_SIZE = 64
_memo: dict[str, RenderResult] = {}
_memo_lock = threading.Lock()
_memo_active: contextvars.ContextVar[bool] = contextvars.ContextVar("pdf_memo", default=False)


@contextlib.contextmanager
def memoized_renders():
    """Within the block, an HTML rendered before in this process is not rendered again."""
    token = _memo_active.set(True)
    try:
        yield
    finally:
        _memo_active.reset(token)


def get_renderer() -> Renderer:
    """The process's warm renderer, configured from settings."""
    global _renderer
    with _renderer_lock:
        if _renderer is None:
            from django.conf import settings  # the render child runs without Django

            _renderer = Renderer(
                timeout=settings.PDF_RENDER_TIMEOUT,
                memory_mb=settings.PDF_RENDER_MEMORY_MB,
                max_jobs=settings.PDF_RENDER_MAX_JOBS,
            )
            atexit.register(_renderer.close)
        return _renderer


# Extra warm children beside the process's renderer, started the first time several documents
# are rendered at once (``render_many``) and kept warm after: a justering renders the public and
# the internal copy side by side where there are cores. PDF_RENDER_CHILDREN bounds them.
_extra_renderers: list[Renderer] = []


def renderers(count: int) -> list[Renderer]:
    """Up to ``count`` warm renderers (never more than the PDF_RENDER_CHILDREN setting), the
    process's own first."""
    from django.conf import settings  # the render child runs without Django

    count = max(1, min(count, settings.PDF_RENDER_CHILDREN))
    first = get_renderer()
    with _renderer_lock:
        while len(_extra_renderers) < count - 1:
            extra = Renderer(
                timeout=first.timeout, memory_mb=first.memory_mb, max_jobs=first.max_jobs
            )
            atexit.register(extra.close)
            _extra_renderers.append(extra)
        return [first, *_extra_renderers[: count - 1]]


def render_many(htmls: list[str]) -> list[RenderResult]:
    """Each document rendered once, side by side in warm children of their own where the
    setting and the cores allow, else one after the other; the results in the order given.
    A failure of any raises, as ``render_html`` does, once the others have finished."""
    from concurrent.futures import ThreadPoolExecutor

    pool = renderers(len(htmls))
    if len(pool) < 2:
        return [pool[0].render_html(html) for html in htmls]
    with ThreadPoolExecutor(len(pool), thread_name_prefix="pdf") as executor:
        futures = [
            # each in a copy of this context: memoized_renders() holds in the threads too
            executor.submit(contextvars.copy_context().run, pool[n % len(pool)].render_html, html)
            for n, html in enumerate(htmls)
        ]
        return [future.result() for future in futures]


def build_notice_html(snapshot, *, changes: list[str] = (), internal: bool = False) -> str:
    """A notice's HTML (``minutes.notices.NoticeSnapshot``): the public one leaves out internal
    documents and the titles of confidential items."""
    # Django here, not at the top: the render child runs this module without Django
    from django.template.loader import render_to_string
    from django.utils import translation
    from django.utils.safestring import mark_safe

    with translation.override("sv"):
        return render_to_string(
            "minutes/pdf/notice.html",
            {
                "doc": snapshot,
                "changes": list(changes),
                "internal": internal,
                "header_css": mark_safe(css_string(snapshot.council)),  # noqa: S308 (escaped for CSS above)
            },
        )


def render_notice_pdf(snapshot, *, changes: list[str] = (), internal: bool = False) -> bytes:
    return (
        get_renderer()
        .render_html(build_notice_html(snapshot, changes=changes, internal=internal))
        .pdf
    )


def render_minutes_pdf(
    snapshot: MinutesSnapshot, *, draft: bool = False, internal: bool = False
) -> bytes:
    """The PDF of ``snapshot``: the same snapshot always gives the same bytes."""
    return get_renderer().render_html(build_html(snapshot, draft=draft, internal=internal)).pdf


def minutes_pdf_htmls(snapshot: MinutesSnapshot, *, internal: bool) -> list[str]:
    """The public HTML of ``snapshot`` and, when ``internal``, the internal one."""
    return [build_html(snapshot)] + ([build_html(snapshot, internal=True)] if internal else [])


def render_minutes_pdfs(snapshot: MinutesSnapshot, *, internal: bool) -> tuple[bytes, bytes | None]:
    """The public PDF of ``snapshot`` and, when ``internal``, the internal one, rendered side by
    side (``render_many``): the same bytes as ``render_minutes_pdf`` gives each."""
    results = render_many(minutes_pdf_htmls(snapshot, internal=internal))
    return results[0].pdf, results[1].pdf if internal else None


if __name__ == "__main__":  # pragma: no cover
    serve(int(sys.argv[1]) if len(sys.argv) > 1 else 0)

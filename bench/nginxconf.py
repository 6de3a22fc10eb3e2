"""The README's nginx server block, made runnable on 127.0.0.1 for the benchmark and the tests,
the two helpers both use to start servers there, and the benches' gunicorn behind nginx."""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent


def readme_server_block() -> str:
    readme = (BASE / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- nginx-config.*?-->\n```nginx\n(.*?)```", readme, re.S)
    if block is None:
        raise RuntimeError("README.md has no nginx-config block")
    return block[1]


def nginx_config(static_root: Path, published_root: Path, app_port: int, port: int) -> str:
    """The README's block with these paths and ports, in a minimal nginx.conf whose relative
    paths (pid, logs, temporary files) live in the prefix directory nginx is started with."""
    server = readme_server_block()
    for old, new in (
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};"),
        ("listen 80;", f"listen 127.0.0.1:{port};"),
        ("/srv/protokollet/staticfiles/", f"{static_root}/"),
        ("/srv/protokollet/published/", f"{published_root}/"),
    ):
        if old not in server:
            raise RuntimeError(f"README's nginx block no longer contains {old!r}")
        server = server.replace(old, new)
    # workers as the user who started nginx, who can read the temporary folders it is given
    user = pwd.getpwuid(os.geteuid()).pw_name
    return f"""
user {user};
worker_processes 1;
pid nginx.pid;
error_log error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    client_body_temp_path tmp/body;
    proxy_temp_path tmp/proxy;
    fastcgi_temp_path tmp/fastcgi;
    uwsgi_temp_path tmp/uwsgi;
    scgi_temp_path tmp/scgi;
{server}
}}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, timeout: float = 30.0) -> None:
    """Until something answers on 127.0.0.1:``port``; RuntimeError after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing answered on 127.0.0.1:{port} within {timeout:.0f} s")


@contextlib.contextmanager
def app_behind_nginx(work: Path, env: dict, workers: int, nginx: str) -> Iterator[tuple[int, int]]:
    """gunicorn (``workers`` processes, ``env``'s settings) behind the README's nginx block, both
    run in ``work`` (its ``static/`` and ``published/`` served); yields gunicorn's port and
    nginx's."""
    app_port, web_port = free_port(), free_port()
    (work / "tmp").mkdir(exist_ok=True)  # started there before: its temporary files go on
    (work / "nginx.conf").write_text(
        nginx_config(work / "static", work / "published", app_port, web_port), encoding="utf-8"
    )
    gunicorn = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{app_port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=BASE,
        env=env,
    )
    web = subprocess.Popen([nginx, "-p", str(work), "-c", "nginx.conf", "-g", "daemon off;"])
    try:
        wait_for(app_port)
        wait_for(web_port)
        yield app_port, web_port
    finally:
        web.terminate()
        gunicorn.terminate()
        web.wait(10)
        gunicorn.wait(10)

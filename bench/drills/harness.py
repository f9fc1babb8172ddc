"""What the drills share: the site as production runs it, on this machine.

`drill_site()` gives a scratch PostgreSQL database with a small demo catalogue, gunicorn
with several workers (production settings, behind a "proxy": X-Forwarded-Proto and
X-Forwarded-For are believed from 127.0.0.1), task workers (`manage.py run_worker`), a
mail server of our own (`MailServer`, aiosmtpd, that can refuse), and Redis and
Elasticsearch when their URLs are given. Everything stops and the database is dropped
when the block ends, however it ends.

The drill scripts import this module as `bench.drills.harness`, with the checkout's root
on sys.path; Django is never imported in the drill's own process (the site's settings are
production's, which would refuse this machine's defaults): SQL goes through psycopg, and
anything Django must compute runs in `site.manage_python(code)`.
"""

import argparse
import contextlib
import hashlib
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.common import free_port, fresh_postgres_database, stop_process  # noqa: E402

HOST = "127.0.0.1"
# The proxy in front: HTTPS, and the visitor's address (each drill client has its own).
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


def visitor_session(address: str, origin: str):
    """A requests session as a visitor's browser behind the HTTPS proxy, from `address`.

    The site's cookies are Secure and the drill speaks plain HTTP to gunicorn, as the
    proxy does: cookies are sent anyway (redirects are not followed with them: pass
    allow_redirects=False and follow by hand)."""
    import requests

    class ProxiedSession(requests.Session):
        def prepare_request(self, request):
            for cookie in self.cookies:
                cookie.secure = False
            return super().prepare_request(request)

    session = ProxiedSession()
    session.headers.update({**PROXY_HEADERS, "X-Forwarded-For": address, "Origin": origin})
    return session


def say(text: str) -> None:
    print(text, flush=True)


# The mail server ------------------------------------------------------------------------


class MailServer:
    """An SMTP server on 127.0.0.1 that keeps every message it accepted; `refuse()` makes
    it answer every recipient with 451 (try again later) until `accept()`."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.port = free_port()
        self.messages: list[dict] = []
        self.refused = 0
        self.refusing = False
        self.lock = threading.Lock()
        self.controller = Controller(self, hostname=HOST, port=self.port)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refusing:
            with self.lock:
                self.refused += 1
            return "451 4.3.0 Mail server busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content)
        # The same message sent twice has the same text (Message-ID and Date differ).
        parts = (part.get_payload(decode=True) or b"" for part in message.walk())
        body = hashlib.sha256(b"".join(parts)).hexdigest()
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.messages.append(
                    {"to": recipient, "subject": str(message["Subject"] or ""), "body": body}
                )
        return "250 Message accepted"

    def refuse(self) -> None:
        self.refusing = True

    def accept(self) -> None:
        self.refusing = False

    def duplicates(self) -> int:
        """Messages received more than once (same recipient, subject and text)."""
        with self.lock:
            counts = Counter((m["to"], m["subject"], m["body"]) for m in self.messages)
        return sum(n - 1 for n in counts.values() if n > 1)

    def __enter__(self) -> "MailServer":
        self.controller.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.controller.stop()


# The site -------------------------------------------------------------------------------


@dataclass
class DrillSite:
    port: int
    env: dict[str, str]
    database_url: str
    scratch: Path
    mail: MailServer | None
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    # The TCP proxy the site reaches Elasticsearch through (None without Elasticsearch).
    elasticsearch_proxy: object = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def sql(self, query: str, *params) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as connection:
            return connection.execute(query, params).fetchall()

    def scalar(self, query: str, *params):
        return self.sql(query, *params)[0][0]

    def manage_python(self, code: str) -> object:
        """Run `code` in Django with the site's settings; the JSON it printed last."""
        run = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", code],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if run.returncode:
            raise RuntimeError(f"manage.py shell failed:\n{run.stderr[-3000:]}")
        return json.loads(run.stdout.strip().splitlines()[-1])

    def start_web(self, workers: int) -> None:
        """gunicorn with `workers` processes of 4 threads, ready when it answers."""
        log = open(self.scratch / "gunicorn.log", "a")
        self.processes["gunicorn"] = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "marketplace.wsgi:application"),
                *("--bind", f"{HOST}:{self.port}", "--workers", str(workers)),
                *("--worker-class", "gthread", "--threads", "4", "--timeout", "60"),
                *("--graceful-timeout", "5", "--log-level", "warning"),
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 90
        while not answers(self.port):
            if self.processes["gunicorn"].poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start:\n{self.log_tail('gunicorn')}")
            time.sleep(0.2)

    def start_task_worker(self, name: str = "worker-1", *options: str) -> subprocess.Popen:
        log = open(self.scratch / f"{name}.log", "a")
        process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "run_worker",
                "--no-reload",
                "--interval=0.2",
                "--worker-id",
                f"{name}-{uuid.uuid4().hex[:8]}",
                *options,
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.processes[name] = process
        return process

    def stop(self, name: str, sig: int = signal.SIGTERM) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        if sig == signal.SIGTERM:
            stop_process(process, 60)
            return
        process.send_signal(sig)
        process.wait()

    def tasks_left(self) -> int:
        return self.scalar(
            "SELECT count(*) FROM django_tasks_database_dbtaskresult "
            "WHERE status IN ('READY', 'RUNNING')"
        )

    def wait_for_tasks(self, seconds: float) -> float:
        """Wait until no task is ready or running; how long it took (raises on timeout)."""
        started = time.monotonic()
        while self.tasks_left():
            if time.monotonic() - started > seconds:
                raise TimeoutError(f"{self.tasks_left()} tasks left after {seconds:.0f} s")
            time.sleep(0.2)
        return time.monotonic() - started

    def log_tail(self, name: str, lines: int = 30) -> str:
        path = self.scratch / f"{name}.log"
        if not path.exists():
            return "(no log)"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def site_environment(database_url: str, scratch: Path, port: int, **extra: str) -> dict:
    environment = {
        name: value
        for name, value in os.environ.items()
        # The caller's own services stay out unless the drill passes them.
        if not name.startswith(("ELASTICSEARCH_", "REDIS_", "S3_", "EMAIL_", "STRIPE_"))
    }
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "marketplace.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": HOST,
            "PUBLIC_BASE_URL": f"http://{HOST}:{port}",
            "CSRF_TRUSTED_ORIGINS": f"https://{HOST}:{port}",
            "TRUSTED_PROXIES": HOST,
            "DATABASE_URL": database_url,
            "VAR_DIR": str(scratch),
            "MEDIA_ROOT": str(scratch / "media"),
            "PRIVATE_MEDIA_ROOT": str(scratch / "private"),
            "STATIC_ROOT": str(scratch / "static"),
            "PAGE_CACHE_DIR": str(scratch / "page-cache"),
            "ELASTICSEARCH_INDEX_PREFIX": f"drill-{uuid.uuid4().hex[:8]}",
            "LOG_LEVEL": "WARNING",
            "EMAIL_HOST": "",
            "TASKS_BACKEND": "database",
            # Drills wait seconds, not minutes, for retries and a dead worker's lease.
            "TASK_RETRY_SECONDS": "1",
            "TASK_LEASE_SECONDS": "6",
            "EMAIL_SENDING_LEASE_SECONDS": "6",
            "STRIPE_SECRET_KEY": "",
        }
    )
    environment.update(extra)
    return environment


def prepare(env: dict, products: int) -> None:
    """Migrate and load the demo with `products` products; tasks run in that process."""
    load_env = {**env, "TASKS_BACKEND": "immediate"}
    for step in (
        ["createcachetable"],
        ["migrate", "--noinput"],
        ["load_demo", "--products", str(products), "--workers", "0"],
        ["collectstatic", "--noinput"],
    ):
        run = subprocess.run(
            [sys.executable, "manage.py", *step, "-v", "0"],
            cwd=BASE_DIR,
            env=load_env,
            capture_output=True,
            text=True,
        )
        if run.returncode:
            raise RuntimeError(f"manage.py {step[0]} failed:\n{run.stderr[-3000:]}")
    subprocess.run(
        [sys.executable, "scripts/compile_messages.py"],
        cwd=BASE_DIR,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def answers(port: int) -> bool:
    import http.client

    try:
        connection = http.client.HTTPConnection(HOST, port, timeout=10)
        connection.request("GET", "/health/live", headers=PROXY_HEADERS)
        return connection.getresponse().status == 200
    except OSError:
        return False


# Services the site uses that the drills act on -----------------------------------------

STRIPE_KEYS = {
    "STRIPE_SECRET_KEY": "sk_test_drill",
    "STRIPE_PUBLISHABLE_KEY": "pk_test_drill",
    "STRIPE_WEBHOOK_SECRET": "whsec_drill",
}


def drop_indices(elasticsearch_url: str, prefix: str) -> None:
    """Delete the drill site's indices (`prefix`-…) from the shared node. By name: the
    node refuses wildcard deletes (action.destructive_requires_name)."""
    import requests

    found = requests.get(
        f"{elasticsearch_url}/_cat/indices/{prefix}-*",
        params={"h": "index", "format": "json", "expand_wildcards": "all"},
        timeout=30,
    )
    names = [row["index"] for row in found.json()] if found.ok else []
    if names:
        requests.delete(f"{elasticsearch_url}/{','.join(names)}", timeout=60).raise_for_status()


def service_settings(stack: contextlib.ExitStack, site_holder: dict) -> dict[str, str]:
    """The site's settings for the services the drill runner was given (ELASTICSEARCH_URL,
    REDIS_URL, STRIPE_MOCK_URL in its environment); Elasticsearch behind a TCP proxy the
    search drill stops and hangs."""
    settings: dict[str, str] = {}
    if url := os.environ.get("ELASTICSEARCH_URL"):
        from tests.tcp_proxy import TcpProxy

        proxy = TcpProxy(url.split(",")[0])
        proxy.start()
        stack.callback(lambda: site_holder["elasticsearch"].stop())
        site_holder["elasticsearch"] = proxy
        settings["ELASTICSEARCH_URL"] = proxy.url
    if url := os.environ.get("REDIS_URL"):
        settings["REDIS_URL"] = url
    if url := os.environ.get("STRIPE_MOCK_URL"):
        settings.update({**STRIPE_KEYS, "STRIPE_API_BASE": url})
    return settings


@contextlib.contextmanager
def drill_site(
    *,
    products: int = 12,
    web_workers: int = 4,
    task_workers: int = 2,
    mail: bool = True,
    **settings: str,
) -> Iterator[DrillSite]:
    """The site on a scratch database, served and worked on until the block ends."""
    database = os.environ.get("DATABASE_URL", "")
    if not database.startswith(("postgres://", "postgresql://")):
        raise SystemExit("The drills need PostgreSQL: set DATABASE_URL=postgres://…")
    started = time.monotonic()
    with contextlib.ExitStack() as stack:
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="chocop-drill-")))
        database_url, drop = fresh_postgres_database(database)
        stack.callback(drop)
        mail_server = stack.enter_context(MailServer()) if mail else None
        port = free_port()
        services: dict = {}
        settings = {**service_settings(stack, services), **settings}
        if mail_server:
            settings = {
                "EMAIL_HOST": HOST,
                "EMAIL_PORT": str(mail_server.port),
                "EMAIL_USE_TLS": "0",
                "EMAIL_TIMEOUT": "5",
                **settings,
            }
        env = site_environment(database_url, scratch, port, **settings)
        if url := os.environ.get("ELASTICSEARCH_URL"):
            stack.callback(drop_indices, url.split(",")[0], env["ELASTICSEARCH_INDEX_PREFIX"])
        prepare(env, products)
        site = DrillSite(port, env, database_url, scratch, mail_server)
        site.elasticsearch_proxy = services.get("elasticsearch")
        stack.callback(lambda: [site.stop(name) for name in list(site.processes)])
        site.start_web(web_workers)
        for number in range(1, task_workers + 1):
            site.start_task_worker(f"worker-{number}")
        say(f"site ready in {time.monotonic() - started:.0f} s at {site.url} ({products} products)")
        yield site


# Figures --------------------------------------------------------------------------------


def run_alone(
    doc: str,
    name: str,
    run,
    options: dict[str, int],
    needs: str = "",
    argv: list[str] | None = None,
) -> int:
    """A drill's own command line: its integer options (`--visitors 200` …) passed to
    `run(site, …)` in order, on a site of its own; `needs`: an environment variable it
    cannot run without. The exit status."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    for option, default in options.items():
        parser.add_argument(f"--{option}", type=int, default=default)
    args = parser.parse_args(argv)
    if needs and not os.environ.get(needs):
        raise SystemExit(f"{name} needs {needs} set.")
    with drill_site() as site:
        started = time.monotonic()
        figures, failures = run(site, *(getattr(args, option) for option in options))
        figures["drill seconds"] = f"{time.monotonic() - started:.0f}"
        if failures:
            show_logs(site)
    return report(name, figures, failures)


def show_logs(site: DrillSite) -> None:
    """The first task worker's and gunicorn's last lines, after a failed drill."""
    say(site.log_tail("worker-1"))
    say(site.log_tail("gunicorn"))


def report(name: str, figures: dict[str, object], failures: list[str]) -> int:
    """Print the drill's figures and what failed; the exit status."""
    say(f"\n== drill: {name}")
    width = max(len(key) for key in figures)
    for key, value in figures.items():
        say(f"  {key:<{width}}  {value}")
    if failures:
        say("FAILED:\n  " + "\n  ".join(failures))
        return 1
    say("PASSED")
    return 0

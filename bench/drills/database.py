#!/usr/bin/env python
"""Drill 3: PostgreSQL restarted under load.

Visitors, each an OS process, browse pages in Vietnamese and English (the home page, a
product, the search API, the product list with their session) and send inquiries, one
after the other, each visit from an address of its own. Meanwhile PostgreSQL is restarted
(`DRILL_POSTGRES_RESTART`, a shell command; by default `pg_ctlcluster VERSION NAME restart`
for the Debian cluster on DATABASE_URL's port, as root), and the load goes on until the
site has answered normally for a while. A visitor whose request gets a 503 tries again, as
a person would: the same form, with the same key.

Checked: every answer is 2xx, 3xx, 4xx or the friendly 503 page in the language of its
address (the API: its JSON error) — no 500, no connection error; the site recovers by
itself (no 503 long after PostgreSQL is back: each gunicorn thread's kept connection is
replaced); every submission is stored complete (submission, inquiry, item) or not at
all, once, and none answered as sent is missing; the task workers are still running and
run the tasks queued after the restart (the inquiries' emails).

    DATABASE_URL=postgres://… python bench/drills/database.py [--visitors 8]

Do not point it at a PostgreSQL server others are using: it restarts it.
"""

import multiprocessing
import os
import re
import shlex
import subprocess
import sys
import threading
import time
import zlib
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from bench.drills.harness import (
    PROXY_HEADERS,
    DrillSite,
    run_alone,
    say,
    visitor_session,
)

if TYPE_CHECKING:
    from multiprocessing.queues import Queue
    from multiprocessing.synchronize import Event

    from requests import Response, Session

NAME = "3. PostgreSQL restarted under load"
KEY = re.compile(r'name="key" value="([^"]+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
EMAIL_PREFIX = "drill3-"
WARM_SECONDS = 8  # of load before the restart
AFTER_SECONDS = 10  # of load after the first normal answer: late 503s would show there
RECOVERY_LIMIT = 60  # seconds after the restart: a site not answering by then failed
RETRY_SECONDS = 30  # a visitor tries again that long after a 503, then gives up
RETRY_PAUSE = 0.5
# Requests sent per visit: each visit is a new address, and the limit is 5 per 10 minutes.
SUBMISSIONS = 2
REQUEST_TIMEOUT = 30
# gunicorn's own complaints: a worker hung or killed, an error outside Django's handler.
GUNICORN_TROUBLE = ("WORKER TIMEOUT", "Error handling request", "was sent SIGKILL")

SHARED = """
import json
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale
from marketplace.base.views import service_unavailable
from products.models import ProductPage

product = next(p for p in ProductPage.objects.live().filter(locale__language_code="vi",
    availability="in_stock").order_by("pk") if not p.takes_visit_request)
found = {}
for language in ("vi", "en"):
    page = product.get_translation_or_none(Locale.objects.get(language_code=language))
    page = page if page and page.live else product
    with translation.override(language):
        found[language] = {
            "home": f"/{language}/",
            "product": page.get_url(),
            "index": page.get_parent().get_url(),
            "product_id": page.pk,
            "add": reverse("inquiries:add"),
            "send": reverse("inquiries:send"),
        }
factory = RequestFactory()
print(json.dumps({
    "pages": found,
    "quantity": max(1, product.minimum_order_quantity or 1),
    "session_cookie": settings.SESSION_COOKIE_NAME,
    "page_503": {language: service_unavailable(factory.get(f"/{language}/")).content.decode()
                 for language in ("vi", "en")},
    "api_503": {language: json.loads(service_unavailable(
                    factory.get("/api/search/products", {"lang": language})).content)
                for language in ("vi", "en")},
}))
"""


# The visitors (OS processes) -----------------------------------------------------------


class Visitor:
    """One process's visits; every request is recorded as
    (started, ended, kind, language, needs_db, status, verdict, detail)."""

    def __init__(self, number: int, shared: dict) -> None:
        self.number = number
        self.shared = shared
        self.records: list[tuple] = []
        self.submissions: list[dict] = []
        self.visits = 0

    def request(
        self, session: "Session", kind: str, language: str, method: str, path: str, **options
    ) -> "Response | None":
        needs_db = method == "POST" or self.shared["session_cookie"] in session.cookies
        started = time.monotonic()
        try:
            response = session.request(
                method,
                self.shared["url"] + path,
                allow_redirects=False,
                timeout=REQUEST_TIMEOUT,
                **options,
            )
        except Exception as error:  # the connection refused, reset or timed out
            detail = f"{type(error).__name__}: {error}"[:200]
            self.records.append(
                (started, time.monotonic(), kind, language, needs_db, -1, "error", detail)
            )
            return None
        verdict = self.verdict(response, kind, language)
        detail = (
            "" if response.status_code < 400 or verdict == "503 friendly" else response.text[:300]
        )
        self.records.append(
            (
                started,
                time.monotonic(),
                kind,
                language,
                needs_db,
                response.status_code,
                verdict,
                detail,
            )
        )
        return response

    def verdict(self, response: "Response", kind: str, language: str) -> str:
        status = response.status_code
        if status == 503:
            if kind == "api":
                try:
                    friendly = response.json() == self.shared["api_503"][language]
                except ValueError:
                    friendly = False
            else:
                friendly = response.text == self.shared["page_503"][language]
            return "503 friendly" if friendly else "503 other"
        return "5xx" if status >= 500 else "ok"

    def until_answered(
        self, session: "Session", kind: str, language: str, method: str, path: str, **options
    ) -> tuple["Response | None", int]:
        """The request again after each 503, for up to RETRY_SECONDS: a person reloading."""
        deadline = time.monotonic() + RETRY_SECONDS
        attempts = 0
        while True:
            attempts += 1
            response = self.request(session, kind, language, method, path, **options)
            if response is None or response.status_code != 503 or time.monotonic() > deadline:
                return response, attempts
            time.sleep(RETRY_PAUSE)

    def visit(self, language: str) -> None:
        """A new visitor (address, session): a look around, then SUBMISSIONS requests."""
        self.visits += 1
        pages = self.shared["pages"][language]
        visit = self.visits
        address = f"10.{30 + self.number % 200}.{visit // 250 % 250}.{visit % 250 + 1}"
        session = visitor_session(address, self.shared["origin"])
        for kind, path in (("home", pages["home"]), ("product", pages["product"])):
            if self.request(session, kind, language, "GET", path) is None:
                return
        query = {"q": "trà" if language == "vi" else "tea", "lang": language}
        self.request(session, "api", language, "GET", "/api/search/products", params=query)
        for number in range(SUBMISSIONS):
            if not self.send(session, language, f"{self.number}-{visit}-{number}"):
                return

    def send(self, session: "Session", language: str, name: str) -> bool:
        """Add the product, open the request form, send it (again after a 503, the same
        form); whether the visit may go on."""
        pages = self.shared["pages"][language]
        added, _attempts = self.until_answered(
            session,
            "add",
            language,
            "POST",
            pages["add"],
            data={"product": pages["product_id"], "quantity": self.shared["quantity"]},
        )
        if added is None or added.status_code != 302:
            return False
        self.request(session, "list page", language, "GET", pages["index"])
        form, _attempts = self.until_answered(session, "form", language, "GET", pages["send"])
        if form is None or form.status_code != 200:
            return False
        email = f"{EMAIL_PREFIX}{name}@example.com"
        data = {
            "csrfmiddlewaretoken": CSRF.search(form.text).group(1),
            "key": KEY.search(form.text).group(1),
            "name": f"Khách {name}",
            "phone": f"0905{zlib.crc32(name.encode()) % 10**6:06d}",
            "email": email,
            "channel": "zalo",
            "delivery": "pick_up",
            "delivery_address": "",
            "wished_date": "",
            "message": "",
            "consent": "on",
            "website": "",
        }
        first = len(self.records)
        sent, attempts = self.until_answered(
            session,
            "send",
            language,
            "POST",
            pages["send"],
            data=data,
            headers={"Referer": self.shared["origin"] + pages["send"]},
        )
        answered_sent = sent is not None and sent.status_code == 302
        self.submissions.append(
            {
                "email": email,
                "sent": answered_sent,
                "attempts": attempts,
                "status": None if sent is None else sent.status_code,
                # (started, ended) of each post of this form
                "posts": [(r[0], r[1]) for r in self.records[first:]],
            }
        )
        if not answered_sent:
            return False
        location = urlsplit(sent.headers["Location"]).path
        self.until_answered(session, "sent page", language, "GET", location)
        return True


def visitor(number: int, shared: dict, stop: "Event", results: "Queue") -> None:
    """Visits until `stop` is set (the visit under way is finished); puts
    (number, records, submissions, error, visits) in `results`."""
    person = Visitor(number, shared)
    error = ""
    try:
        while not stop.is_set():
            person.visit(("vi", "en")[(number + person.visits) % 2])
    except Exception as failure:  # reported with the figures
        error = f"{type(failure).__name__}: {failure}"[:300]
    results.put((number, person.records, person.submissions, error, person.visits))


# PostgreSQL -----------------------------------------------------------------------------


def restart_command(database_url: str) -> str:
    """DRILL_POSTGRES_RESTART, else `pg_ctlcluster VERSION NAME restart` for the Debian
    cluster listening on the database's port."""
    if command := os.environ.get("DRILL_POSTGRES_RESTART", "").strip():
        return command
    port = urlsplit(database_url).port or 5432
    try:
        clusters = subprocess.run(
            ["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        raise RuntimeError(
            f"pg_lsclusters failed ({error}): set DRILL_POSTGRES_RESTART to a shell command "
            "that restarts the PostgreSQL server of DATABASE_URL"
        ) from error
    for line in clusters.splitlines():
        version, name, cluster_port, *_rest = line.split()
        if int(cluster_port) == port:
            return f"pg_ctlcluster {shlex.quote(version)} {shlex.quote(name)} restart"
    raise RuntimeError(
        f"no Debian cluster listens on port {port}: set DRILL_POSTGRES_RESTART to a shell "
        "command that restarts the PostgreSQL server of DATABASE_URL"
    )


def restart_postgres(command: str) -> tuple[float, float]:
    """Run the restart; when it started and ended (time.monotonic())."""
    started = time.monotonic()
    run = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=180)
    ended = time.monotonic()
    if run.returncode:
        raise RuntimeError(f"{command!r} failed ({run.returncode}): {run.stderr[-1000:]}")
    return started, ended


class PostgresWatch(threading.Thread):
    """Connects to PostgreSQL directly every POLL seconds: when it first refused (`down`)
    and first answered again (`back`), whatever the restart command's own timing."""

    POLL = 0.1

    def __init__(self, database_url: str) -> None:
        super().__init__(daemon=True)
        self.database_url = database_url
        self.down: float | None = None
        self.back: float | None = None
        self.stopping = threading.Event()

    def run(self) -> None:
        import psycopg

        while not self.stopping.is_set() and self.back is None:
            try:
                with psycopg.connect(self.database_url, connect_timeout=2) as connection:
                    connection.execute("SELECT 1")
                if self.down is not None:
                    self.back = time.monotonic()
            except psycopg.Error:
                if self.down is None:
                    self.down = time.monotonic()
            self.stopping.wait(self.POLL)

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=10)


def wait_until_ready(site: DrillSite, since: float) -> float | None:
    """When /health/ready (the database and caches) first answered 200 after `since`."""
    import requests

    while time.monotonic() - since < RECOVERY_LIMIT:
        try:
            answer = requests.get(site.url + "/health/ready", headers=PROXY_HEADERS, timeout=5)
            if answer.status_code == 200:
                return time.monotonic()
        except requests.RequestException:
            pass
        time.sleep(0.1)
    return None


# The drill ------------------------------------------------------------------------------


def stored_by_email(site: DrillSite) -> dict[str, dict]:
    rows = site.sql(
        "SELECT i.email, count(DISTINCT i.submission_id), count(DISTINCT i.id), count(t.id) "
        "FROM inquiries_inquiry i LEFT JOIN inquiries_inquiryitem t ON t.inquiry_id = i.id "
        "WHERE i.email LIKE %s GROUP BY i.email",
        EMAIL_PREFIX + "%",
    )
    return {
        email: {"submissions": submissions, "inquiries": inquiries, "items": items}
        for email, submissions, inquiries, items in rows
    }


def half_written(site: DrillSite) -> dict[str, int]:
    return {
        "inquiries without items": site.scalar(
            "SELECT count(*) FROM inquiries_inquiry i WHERE NOT EXISTS "
            "(SELECT 1 FROM inquiries_inquiryitem t WHERE t.inquiry_id = i.id)"
        ),
        "submissions without inquiries": site.scalar(
            "SELECT count(*) FROM inquiries_submission s WHERE NOT EXISTS "
            "(SELECT 1 FROM inquiries_inquiry i WHERE i.submission_id = s.id)"
        ),
    }


def without_email(site: DrillSite, since_database_time: object = None) -> tuple[int, int]:
    """Drill submissions (made after `since_database_time`, if given) and how many of them
    have no confirmation email sent to the visitor."""
    since = "AND i.created_at > %s" if since_database_time else ""
    params = (EMAIL_PREFIX + "%", *([since_database_time] if since_database_time else []))
    total, missing = site.sql(
        "SELECT count(*), count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM "
        "inquiries_emaildelivery d WHERE d.submission_id = s.id AND d.kind = 'consumer_sent' "
        "AND d.state = 'sent')) FROM inquiries_submission s WHERE EXISTS (SELECT 1 FROM "
        f"inquiries_inquiry i WHERE i.submission_id = s.id AND i.email LIKE %s {since})",
        *params,
    )[0]
    return total, missing


def unsent_details(site: DrillSite) -> list:
    """Each drill submission without its confirmation sent: its emails (kind, state,
    attempts, error) and its tasks (status, attempts, error), to read why."""
    rows = site.sql(
        "SELECT s.id, s.created_at FROM inquiries_submission s WHERE NOT EXISTS (SELECT 1 "
        "FROM inquiries_emaildelivery d WHERE d.submission_id = s.id AND d.kind = "
        "'consumer_sent' AND d.state = 'sent') AND EXISTS (SELECT 1 FROM inquiries_inquiry i "
        "WHERE i.submission_id = s.id AND i.email LIKE %s)",
        EMAIL_PREFIX + "%",
    )
    details = []
    for submission_id, created_at in rows:
        emails = site.sql(
            "SELECT d.kind, d.state, d.attempts, d.last_error FROM inquiries_emaildelivery d "
            "LEFT JOIN inquiries_inquiry i ON i.id = d.inquiry_id "
            "WHERE d.submission_id = %s OR i.submission_id = %s",
            submission_id,
            submission_id,
        )
        tasks = site.sql(
            "SELECT status, jsonb_array_length(worker_ids::jsonb), left(exception_class_path, 80), "
            "left(traceback, 300) FROM django_tasks_database_dbtaskresult "
            "WHERE task_path LIKE %s AND args_kwargs::jsonb->'args'->>0 = %s",
            "%send_submission_emails",
            str(submission_id),
        )
        details.append(
            {"submission": submission_id, "at": str(created_at), "emails": emails, "tasks": tasks}
        )
    return details


def run_load(site: DrillSite, shared: dict, visitors: int, command: str) -> dict:
    """The load, the restart in its middle, the load until AFTER_SECONDS after recovery."""
    context = multiprocessing.get_context("fork")
    stop = context.Event()
    results = context.Queue()
    processes = [
        context.Process(target=visitor, args=(n, shared, stop, results)) for n in range(visitors)
    ]
    for process in processes:
        process.start()
    timeline: dict = {}
    try:
        time.sleep(WARM_SECONDS)
        say(f"restarting PostgreSQL: {command}")
        watch = PostgresWatch(site.database_url)
        watch.start()
        try:
            timeline["restart started"], timeline["restart ended"] = restart_postgres(command)
        finally:
            watch.stop()
        timeline["postgres down"], timeline["postgres back"] = watch.down, watch.back
        timeline["database time after"] = site.scalar("SELECT now()")
        timeline["ready"] = wait_until_ready(site, timeline["restart ended"])
        time.sleep(AFTER_SECONDS)
    finally:
        stop.set()
        outcomes = [results.get(timeout=RETRY_SECONDS + REQUEST_TIMEOUT * 3) for _ in processes]
        for process in processes:
            process.join(timeout=30)
    return {"timeline": timeline, "outcomes": outcomes}


def load_figures(load: dict) -> tuple[dict, list[str], list[dict]]:
    """The answers' figures and failures; the submissions the visitors made."""
    timeline, outcomes = load["timeline"], load["outcomes"]
    records = [record for outcome in outcomes for record in outcome[1]]
    submissions = [submission for outcome in outcomes for submission in outcome[2]]
    restart_started, restart_ended = timeline["restart started"], timeline["restart ended"]
    # When PostgreSQL answered again; the command's end if the watch missed the outage.
    back = timeline["postgres back"] or restart_ended
    verdicts = Counter(record[6] for record in records)
    statuses = Counter(record[5] for record in records)
    # The first answer that needed the database (a session or a post: no kept page) to a
    # request made once PostgreSQL was back.
    first_normal = min(
        (r[1] for r in records if r[4] and r[0] >= back and 200 <= r[5] < 400), default=None
    )
    unavailable = [r for r in records if r[5] == 503]
    first_503 = min((r[0] for r in unavailable), default=None)
    last_503 = max((r[1] for r in unavailable), default=None)
    late_503 = [r for r in unavailable if first_normal is not None and r[0] > first_normal]
    during = [r for r in records if restart_started <= r[0] and r[1] <= back]

    def seconds(moment: float | None, since: float | None) -> str:
        return "-" if moment is None or since is None else f"{moment - since:.2f}"

    down = timeline["postgres down"]
    in_flight = sum(
        1
        for submission in submissions
        if down is not None and any(start <= down <= end for start, end in submission["posts"])
    )
    figures = {
        "visitors (processes)": len(outcomes),
        "visits": sum(outcome[4] for outcome in outcomes),
        "requests": len(records),
        "answers by status": dict(sorted(statuses.items())),
        "4xx answers (request: count)": dict(
            Counter(f"{r[2]} {r[5]}" for r in records if 400 <= r[5] < 500)
        ),
        "503 (friendly, in the address's language)": verdicts["503 friendly"],
        "503 not friendly or in the wrong language": verdicts["503 other"],
        "errors (500 and other 5xx)": verdicts["5xx"],
        "errors (no answer: refused, reset, timed out)": verdicts["error"],
        "answered normally during the restart (kept pages, search)": sum(
            1 for r in during if 200 <= r[5] < 400
        ),
        "restart command, seconds": f"{restart_ended - restart_started:.1f}",
        "PostgreSQL refusing connections, seconds": seconds(
            timeline["postgres back"], timeline["postgres down"]
        ),
        "503s, seconds from the first to the last": seconds(last_503, first_503),
        "recovery: seconds from PostgreSQL back to the first normal answer": seconds(
            first_normal, back
        ),
        # Clamped: the watch sees PostgreSQL back up to a poll late.
        "recovery: seconds from PostgreSQL back to the last 503": seconds(
            None if last_503 is None else max(last_503, back), back
        ),
        "503 to requests made after PostgreSQL was back": sum(
            1 for r in unavailable if r[0] >= back
        ),
        "503 after the first normal answer (a worker not recovered)": len(late_503),
        "submissions being sent when PostgreSQL went down": in_flight,
    }
    failures = []
    if timeline["postgres back"] is None:
        failures.append("the restart was not seen: PostgreSQL never refused a connection")
    if timeline.get("ready") is None:
        failures.append(f"/health/ready not 200 within {RECOVERY_LIMIT} s of the restart")
    if first_normal is None:
        failures.append("no normal answer after the restart")
    for verdict in ("503 other", "5xx", "error"):
        bad = [r for r in records if r[6] == verdict]
        if bad:
            examples = [(r[2], r[3], r[5], r[7][:120]) for r in bad[:3]]
            failures.append(f"{len(bad)} answers {verdict}, e.g. {examples}")
    if late_503:
        failures.append(
            f"{len(late_503)} answers 503 after the site answered normally again "
            f"(the last {seconds(last_503, back)} s after PostgreSQL was back)"
        )
    if crashed := [(o[0], o[3]) for o in outcomes if o[3]]:
        failures.append(f"visitor processes crashed: {crashed[:3]}")
    if not verdicts["503 friendly"]:
        failures.append("no 503 during the restart: did the restart happen under load?")
    return figures, failures, submissions


def run(site: DrillSite, visitors: int = 8) -> tuple[dict, list[str]]:
    """The drill on a running site: its figures and what failed."""
    command = restart_command(site.database_url)
    shared = site.manage_python(SHARED)
    shared.update({"url": site.url, "origin": f"https://127.0.0.1:{site.port}"})
    gunicorn_log = site.scratch / "gunicorn.log"
    log_start = gunicorn_log.stat().st_size if gunicorn_log.exists() else 0

    load = run_load(site, shared, visitors, command)
    figures, failures, submissions = load_figures(load)

    # The inquiries: complete or absent, once each.
    stored = stored_by_email(site)
    answered_sent = [s for s in submissions if s["sent"]]
    lost = [s["email"] for s in answered_sent if s["email"] not in stored]
    duplicated = sum(
        max(0, row["submissions"] - 1) + row["inquiries"] - row["submissions"]
        for row in stored.values()
    )
    unknown = set(stored) - {s["email"] for s in submissions}
    incomplete = half_written(site)
    figures.update(
        {
            "submissions sent by visitors": len(submissions),
            "answered as sent": len(answered_sent),
            "sent again after a 503": sum(1 for s in submissions if s["attempts"] > 1),
            "given up (still 503 after retrying)": len(submissions) - len(answered_sent),
            "stored": len(stored),
            "stored though not answered as sent": sum(
                1 for s in submissions if not s["sent"] and s["email"] in stored
            ),
            "lost (answered as sent, not stored)": len(lost),
            "duplicated": duplicated,
            **{f"half-written: {name}": count for name, count in incomplete.items()},
        }
    )
    if lost:
        failures.append(f"{len(lost)} submissions answered as sent but not stored: {lost[:3]}")
    if duplicated:
        failures.append(f"{duplicated} submissions or inquiries stored twice")
    if unknown:
        failures.append(f"stored submissions no visitor sent: {sorted(unknown)[:3]}")
    if any(incomplete.values()):
        failures.append(f"half-written inquiries: {incomplete}")
    if items := [e for e, row in stored.items() if row["items"] != row["inquiries"]]:
        failures.append(f"inquiries without exactly their one item: {items[:3]}")
    if not answered_sent:
        failures.append("no submission went through")

    # The task workers: still running, and running what was queued after the restart.
    exited = {
        name: process.returncode
        for name, process in list(site.processes.items())
        if name.startswith("worker-") and process.poll() is not None
    }
    figures["task workers exited during the restart"] = len(exited)
    if exited:
        failures.append(
            f"task workers exited during the restart (exit status {exited}); restarted by "
            f"the drill, as a process manager would:\n{site.log_tail(next(iter(exited)), 15)}"
        )
        for name in exited:
            site.start_task_worker(name)
    try:
        figures["tasks done, seconds after the load"] = f"{site.wait_for_tasks(60):.1f}"
    except TimeoutError as error:
        failures.append(f"tasks not done: {error}")
    after_total, after_missing = without_email(site, load["timeline"]["database time after"])
    total, missing = without_email(site)
    figures["submissions after the restart: emails sent"] = (
        f"{after_total - after_missing} of {after_total}"
    )
    figures["stored submissions without their confirmation email"] = missing
    if not after_total:
        failures.append("no submission stored after the restart: the workers were not tried")
    if after_missing:
        failures.append(f"{after_missing} of {after_total} emails queued after the restart unsent")
    elif missing:
        failures.append(f"{missing} of {total} stored submissions never had their email sent")
    if missing:
        failures.append(f"their emails and tasks: {unsent_details(site)}")

    # gunicorn itself: no worker hung or killed, no error outside Django's handler.
    new_log = (
        gunicorn_log.read_bytes()[log_start:].decode(errors="replace")
        if gunicorn_log.exists()
        else ""
    )
    trouble = [line for line in new_log.splitlines() if any(t in line for t in GUNICORN_TROUBLE)]
    figures["gunicorn worker troubles (timeouts, kills, errors outside Django)"] = len(trouble)
    if trouble:
        failures.append(f"gunicorn: {trouble[:3]}")
    return figures, failures


def main(argv: list[str] | None = None) -> int:
    return run_alone(__doc__, NAME, run, {"visitors": 8}, argv=argv)


if __name__ == "__main__":
    sys.exit(main())

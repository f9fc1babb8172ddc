#!/usr/bin/env python
"""Drill 1: concurrent inquiry submissions, with the mail server up, then refusing.

Each visitor is an OS process of its own, with its own address (X-Forwarded-For) and
session: it adds a product to its list, opens the request form, waits for the others,
then sends the form, and sends it again with the same key, as a double click or a retry
after a lost answer. Every submission must be stored exactly once with a unique
reference; every email queued must reach the mail server once. In the second round the
mail server refuses every recipient (451) while the visitors submit; the task worker's
retries must send every email once it accepts again.

    DATABASE_URL=postgres://… python bench/drills/inquiries.py [--visitors 200]
"""

import multiprocessing
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from bench.drills.harness import run_alone, visitor_session

KEY = re.compile(r'name="key" value="([^"]+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ROUND_SECONDS = 240
NAME = "1. concurrent inquiries, mail server up then refusing"


def visitor(number: int, round_name: str, site: dict, barrier, results) -> None:
    """One visitor's whole visit; puts (number, statuses, error) in `results`."""
    address = f"10.{number // 250 % 250}.{number % 250}.{7 if round_name == 'up' else 8}"
    session = visitor_session(address, site["origin"])
    statuses: list[int] = []
    try:
        added = session.post(
            site["url"] + site["add"],
            data={"product": site["product"], "quantity": site["quantity"]},
            allow_redirects=False,
            timeout=60,
        )
        statuses.append(added.status_code)
        form = session.get(site["url"] + site["send"], allow_redirects=False, timeout=60)
        statuses.append(form.status_code)
        data = {
            "csrfmiddlewaretoken": CSRF.search(form.text).group(1),
            "key": KEY.search(form.text).group(1),
            "name": f"Khách {round_name} {number}",
            "phone": f"0905{number:06d}"[:10],
            "email": f"visitor-{round_name}-{number}@example.com",
            "channel": "zalo",
            "delivery": "pick_up",
            "delivery_address": "",
            "wished_date": "",
            "message": "",
            "consent": "on",
            "website": "",
        }
        headers = {"Referer": site["origin"] + site["send"]}
        barrier.wait(timeout=120)
        # The wait outlasts gunicorn's keep-alive (2 s): its connections may be closing
        # just as the form goes out, which resets them. A browser sends the form again
        # on a new connection then; this visitor starts on new ones instead, so that a
        # reset counted below is the server's doing.
        session.close()
        for _attempt in range(2):  # the second: a double click, the same key
            sent = session.post(
                site["url"] + site["send"],
                data=data,
                headers=headers,
                allow_redirects=False,
                timeout=60,
            )
            statuses.append(sent.status_code)
        results.put((number, statuses, ""))
    except Exception as error:  # reported with the figures
        results.put((number, statuses, f"{type(error).__name__}: {error}"[:300]))


def run_round(site, shared: dict, visitors: int, round_name: str) -> dict:
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(visitors)
    results = context.Queue()
    processes = [
        context.Process(target=visitor, args=(n, round_name, shared, barrier, results))
        for n in range(visitors)
    ]
    started = time.monotonic()
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=ROUND_SECONDS) for _ in processes]
    for process in processes:
        process.join(timeout=30)
    return {"outcomes": outcomes, "seconds": time.monotonic() - started}


def stored(site, round_name: str) -> dict:
    rows = site.sql(
        "SELECT i.reference FROM inquiries_inquiry i WHERE i.email LIKE %s",
        f"visitor-{round_name}-%",
    )
    references = [row[0] for row in rows]
    submissions = site.scalar(
        "SELECT count(DISTINCT submission_id) FROM inquiries_inquiry WHERE email LIKE %s",
        f"visitor-{round_name}-%",
    )
    return {
        "inquiries": len(references),
        "unique": len(set(references)),
        "submissions": submissions,
    }


def emails(site) -> dict:
    states = dict(site.sql("SELECT state, count(*) FROM inquiries_emaildelivery GROUP BY state"))
    return {"deliveries": sum(states.values()), **states}


def run(site, visitors: int = 200) -> tuple[dict, list[str]]:
    """The drill on a running site: its figures and what failed."""
    failures: list[str] = []
    figures: dict[str, object] = {}
    shared = site.manage_python(
        "import json\n"
        "from django.urls import reverse\n"
        "from django.utils import translation\n"
        "from products.models import ProductPage\n"
        "p = next(p for p in ProductPage.objects.live().filter(locale__language_code='vi',"
        " availability='in_stock').order_by('pk') if not p.takes_visit_request)\n"
        "with translation.override('vi'):\n"
        "    add, send = reverse('inquiries:add'), reverse('inquiries:send')\n"
        "print(json.dumps({'product': p.pk, 'quantity': max(1, p.minimum_order_quantity or 1),"
        " 'add': add, 'send': send}))"
    )
    shared.update({"url": site.url, "origin": f"https://127.0.0.1:{site.port}"})
    mail = site.mail
    for round_name in ("up", "refusing"):
        if round_name == "refusing":
            mail.refuse()
        before = len(mail.messages)
        result = run_round(site, shared, visitors, round_name)
        errors = [o for o in result["outcomes"] if o[2] or any(s >= 500 for s in o[1])]
        counts = stored(site, round_name)
        recovered = None
        if round_name == "refusing":
            time.sleep(3)  # the worker meets the refusals and schedules retries
            failed_meanwhile = emails(site).get("failed", 0)
            figures["refusing: emails failed while refused"] = failed_meanwhile
            figures["refusing: recipients refused (451)"] = mail.refused
            mail.accept()
            recovery_started = time.monotonic()
        try:
            waited = site.wait_for_tasks(180)
        except TimeoutError as error:
            failures.append(f"{round_name}: {error}")
            waited = None
        if round_name == "refusing" and waited is not None:
            recovered = time.monotonic() - recovery_started
        mails = emails(site)
        prefix = f"{round_name}:"
        figures[f"{prefix} visitors (processes)"] = visitors
        figures[f"{prefix} requests"] = sum(len(o[1]) for o in result["outcomes"])
        figures[f"{prefix} errors (exceptions or ≥ 500)"] = len(errors)
        figures[f"{prefix} submissions stored"] = counts["submissions"]
        figures[f"{prefix} lost"] = visitors - counts["submissions"]
        figures[f"{prefix} duplicated"] = counts["inquiries"] - counts["submissions"]
        figures[f"{prefix} references unique"] = counts["unique"] == counts["inquiries"]
        figures[f"{prefix} round seconds"] = f"{result['seconds']:.1f}"
        figures[f"{prefix} emails received by the server"] = len(mail.messages) - before
        figures[f"{prefix} email deliveries by state"] = mails
        if recovered is not None:
            figures[f"{prefix} all emails sent, seconds after the server came back"] = (
                f"{recovered:.1f}"
            )
        if errors:
            failures.append(f"{round_name}: {len(errors)} visitors failed, e.g. {errors[:3]}")
        if counts["submissions"] != visitors:
            failures.append(f"{round_name}: {counts['submissions']} of {visitors} stored")
        if counts["inquiries"] != counts["submissions"] or counts["unique"] != counts["inquiries"]:
            failures.append(f"{round_name}: duplicated inquiries or references: {counts}")
        if set(mails) - {"deliveries", "sent"}:
            failures.append(f"{round_name}: emails not all sent: {mails}")
    figures["emails duplicated at the server"] = mail.duplicates()
    if mail.duplicates():
        failures.append(f"{mail.duplicates()} emails received twice")
    return figures, failures


def main(argv: list[str] | None = None) -> int:
    return run_alone(__doc__, NAME, run, {"visitors": 200}, argv=argv)


if __name__ == "__main__":
    sys.exit(main())

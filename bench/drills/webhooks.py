#!/usr/bin/env python
"""Drill 4: a webhook storm, Stripe events delivered 3 times each, shuffled, some forged.

The site makes confirmed inquiries and their Checkout sessions at stripe-mock with its own
code (the pay button's `create_checkout_session`). The drill then plays Stripe: it makes
each session's PaymentIntent at stripe-mock (which gives every session the same fixed
payment, so each gets one of its own), builds the events of the payments going through
from the sessions stripe-mock holds (`checkout.session.completed`, and for a delayed
payment method an unpaid completion then `checkout.session.async_payment_succeeded`),
signs them as Stripe does and delivers each 3 times, shuffled, from several OS
processes; some events' copies go back to back, as a retry overlapping the delivery it
repeats. About one delivery in ten is forged: another secret, a tampered body, no or a
garbage signature, a captured event replayed an hour late or signed for the future. A
few confirmed inquiries ("decoys") are the targets of forged events only.

Every inquiry must be paid exactly once, by its own session and payment, with one email
to the consumer; every forged delivery refused (400) and the decoys left unpaid; no
answer ≥ 500.

    DATABASE_URL=postgres://… STRIPE_MOCK_URL=http://127.0.0.1:12111 \\
        python bench/drills/webhooks.py [--events 100] [--senders 12]

DRILL_SEED=<number> shuffles and forges as a run that printed that seed did.
"""

import hashlib
import hmac
import itertools
import json
import multiprocessing
import os
import random
import secrets
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from bench.drills.harness import PROXY_HEADERS, run_alone, say

NAME = "4. webhook storm: Stripe events delivered 3 times, shuffled, some forged"
WEBHOOK_PATH = "/stripe/webhook/"
# Stripe's webhooks come from a few published addresses (docs.stripe.com/ips).
STRIPE_ADDRESSES = ("3.18.12.63", "3.130.192.231", "13.235.14.237", "13.235.122.149")
STORM_SECONDS = 180
# The outcomes the site answers (marketplace/inquiries/webhooks.py).
PAID, NOT_PAID, REPLAYED = "paid", "not paid yet", "already handled"

# Run in the site (`manage_python`): PARAMS is put before it. Confirmed inquiries to one
# producer taking cards, each with the Checkout session its pay button makes.
SETUP = """
import json
from marketplace.inquiries.inquiry_list import Line, ProducerGroup, producer_for
from marketplace.inquiries.payments import create_checkout_session
from marketplace.inquiries.status import change_status
from marketplace.inquiries.submission import new_submission_key, submit_inquiries
from producers.models import ProducerPage
from products.models import ProductPage

products = [
    p for p in ProductPage.objects.live()
    .filter(locale__language_code="vi", availability="in_stock").order_by("pk")
    if not p.takes_visit_request
]
pairs = [(p, producer_for(p)) for p in products]
product, producer = next(((p, o) for p, o in pairs if o.accepts_card_payment), pairs[0])
if not producer.accepts_card_payment:
    # The demo gives cards to a few producers only: the office turns them on for this one.
    ProducerPage.objects.filter(pk=producer.pk).update(accepts_card_payment=True)
    producer.accepts_card_payment = True
quantity = max(1, product.minimum_order_quantity or 1)
made = []
for n in range(PARAMS["count"]):
    language = "en" if n % 4 == 3 else "vi"
    contact = {
        "name": f"Khách thẻ {n}",
        "phone": f"+8491{n:07d}",
        "email": f"webhook-{PARAMS['token']}-{n}@example.com",
        "channel": "zalo",
        "delivery": "pick_up",
    }
    group = ProducerGroup(producer, [Line(product, quantity)])
    submission = submit_inquiries(new_submission_key(), [group], contact, language).submission
    inquiry = submission.inquiries.get()
    amount = 150_000 + 1_000 * n
    change_status(inquiry, "confirmed", amount_vnd=amount, note="Giao thứ Bảy.")
    create_checkout_session(inquiry)
    session = inquiry.card_payments.get(state="open").checkout_session
    made.append({"id": inquiry.pk, "reference": inquiry.reference, "amount": amount,
                 "email": inquiry.email, "session": session})
print(json.dumps(made))
"""


@dataclass
class Delivery:
    """One POST to the webhook: `body` as sent, with a Stripe-Signature over `signed`
    made when it is sent (Stripe signs each attempt anew), or `header` as it is."""

    kind: str  # "good", or how it is forged
    event_id: str
    body: bytes
    signed: bytes = b""
    secret: str = ""
    skew: int = 0  # seconds added to the signature's timestamp
    header: str | None = None  # used as it is when there is no secret

    def signature(self) -> str | None:
        if not self.secret:
            return self.header
        timestamp = int(time.time()) + self.skew
        return f"t={timestamp},v1={sign(self.signed, self.secret, timestamp)}"


def stripe_python_api_version() -> str:
    """The API version the site's stripe-python speaks: its events come in that one."""
    import stripe

    return stripe.api_version


def sign(payload: bytes, secret: str, timestamp: int) -> str:
    """Stripe's v1 signature: HMAC-SHA256 of "<timestamp>.<payload>" with the secret."""
    message = f"{timestamp}.".encode() + payload
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def event_body(event_id: str, event_type: str, data: dict, api_version: str) -> bytes:
    """An event as Stripe sends it."""
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "api_version": api_version,
            "created": int(time.time()),
            "data": {"object": data},
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "type": event_type,
        }
    ).encode()


# Stripe's side --------------------------------------------------------------------------


class StripeMock:
    """stripe-mock with the site's test key, as Stripe's own side of the payments."""

    def __init__(self, env: dict[str, str]) -> None:
        import requests

        self.base = env["STRIPE_API_BASE"].rstrip("/")
        self.session = requests.Session()
        self.session.auth = (env["STRIPE_SECRET_KEY"], "")

    def get(self, path: str) -> dict:
        answer = self.session.get(self.base + path, timeout=30)
        answer.raise_for_status()
        return answer.json()

    def post(self, path: str, data: dict) -> dict:
        answer = self.session.post(self.base + path, data=data, timeout=30)
        answer.raise_for_status()
        return answer.json()

    def completed_session(self, inquiry: dict) -> dict:
        """The inquiry's session as stripe-mock has it, as it is once the consumer paid.

        stripe-mock answers with a fixture under the asked id, without what the site sent
        (reference, metadata, amount) and with one payment for every session: those are
        put back as Stripe would have them, with a PaymentIntent of its own."""
        session = self.get(f"/v1/checkout/sessions/{inquiry['session']}")
        metadata = {"inquiry_reference": inquiry["reference"], "inquiry_id": str(inquiry["id"])}
        payment = self.post(
            "/v1/payment_intents",
            {"amount": inquiry["amount"], "currency": "vnd", "metadata[inquiry_id]": inquiry["id"]},
        )
        session.update(
            id=inquiry["session"],
            mode="payment",
            client_reference_id=inquiry["reference"],
            metadata=metadata,
            customer_email=inquiry["email"],
            payment_intent=payment["id"],
            amount_subtotal=inquiry["amount"],
            amount_total=inquiry["amount"],
            currency="vnd",
            status="complete",
            payment_status="paid",
        )
        return session


@dataclass
class Plan:
    paying: list[dict]  # inquiries, each with "payment_intent" and "delayed"
    decoys: list[dict]
    # Event id → what the site must record for it.
    expected: dict[str, str]
    deliveries: list[Delivery]
    prefix: str  # of every event id of this run, forged ones too
    back_to_back: int  # events whose copies are sent one right after the other


def plan_storm(
    site, events: int, copies: int, bad_share: float, decoys: int, rng: random.Random
) -> Plan:
    """The inquiries, the events paying them and every delivery, in the order sent."""
    token = secrets.token_hex(4)
    # One inquiry in twenty pays by a delayed method: two events (an unpaid completion,
    # then the payment succeeding), so `events` events pay this many inquiries.
    delayed = events // 20
    count = events - delayed
    made = site.manage_python(
        f"PARAMS = {json.dumps({'count': count + decoys, 'token': token})}\n{SETUP}"
    )
    paying, decoy_inquiries = made[:count], made[count:]
    mock = StripeMock(site.env)
    api_version = stripe_python_api_version()
    secret = site.env["STRIPE_WEBHOOK_SECRET"]
    prefix = f"evt_drill{token}_"
    bodies: list[tuple[str, bytes]] = []
    expected: dict[str, str] = {}
    for number, inquiry in enumerate(paying):
        inquiry["delayed"] = number % (count // delayed) == 0 if delayed else False
        session = mock.completed_session(inquiry)
        inquiry["payment_intent"] = session["payment_intent"]
        if inquiry["delayed"]:
            pending = {**session, "payment_status": "unpaid"}
            event_id = f"{prefix}{len(bodies):04d}"
            bodies.append(
                (event_id, event_body(event_id, "checkout.session.completed", pending, api_version))
            )
            expected[event_id] = NOT_PAID
            event_type = "checkout.session.async_payment_succeeded"
        else:
            event_type = "checkout.session.completed"
        event_id = f"{prefix}{len(bodies):04d}"
        bodies.append((event_id, event_body(event_id, event_type, session, api_version)))
        expected[event_id] = PAID
    # Copies of one event in a row, in about a quarter of them: a retry while the first
    # delivery is still being handled.
    units: list[list[Delivery]] = []
    for event_id, body in bodies:
        delivery = Delivery("good", event_id, body, body, secret)
        if rng.random() < 0.25:
            units.append([delivery] * copies)
        else:
            units += [[delivery] for _ in range(copies)]
    good = sum(len(unit) for unit in units)
    bad = round(good * bad_share / (1 - bad_share))
    units += [[delivery] for delivery in forgeries(bad, bodies, decoy_inquiries, secret, prefix)]
    rng.shuffle(units)
    deliveries = [delivery for unit in units for delivery in unit]
    back_to_back = sum(1 for unit in units if len(unit) > 1)
    return Plan(paying, decoy_inquiries, expected, deliveries, prefix, back_to_back)


def forgeries(
    count: int, bodies: list[tuple[str, bytes]], decoys: list[dict], secret: str, prefix: str
) -> list[Delivery]:
    """`count` deliveries Stripe did not send, each of which the site must refuse."""
    made: list[Delivery] = []
    for number in range(count):
        event_id, body = bodies[number * 7 % len(bodies)]
        decoy = decoys[number % len(decoys)]
        event = json.loads(body)
        # The same event made to pay the decoy instead.
        retargeted = json.loads(body)
        retargeted["data"]["object"].update(
            client_reference_id=decoy["reference"],
            metadata={"inquiry_reference": decoy["reference"], "inquiry_id": str(decoy["id"])},
            amount_total=decoy["amount"],
        )
        retargeted = json.dumps(retargeted).encode()
        forged_id = f"{prefix}forged{number:03d}"
        # A new event of the forger's own for the decoy.
        forged = json.loads(retargeted)
        forged["id"] = forged_id
        forged = json.dumps(forged).encode()
        cheaper = dict(event)
        cheaper["data"] = {"object": {**event["data"]["object"], "amount_total": 1}}
        cheaper = json.dumps(cheaper).encode()
        kind = number % 7
        if kind == 0:
            made.append(Delivery("another secret", forged_id, forged, forged, "whsec_forged"))
        elif kind == 1:
            made.append(Delivery("tampered: another inquiry", event_id, retargeted, body, secret))
        elif kind == 2:
            made.append(Delivery("tampered: amount", event_id, cheaper, body, secret))
        elif kind == 3:
            made.append(Delivery("replayed an hour late", event_id, body, body, secret, -3600))
        elif kind == 4:
            made.append(Delivery("signed for the future", event_id, body, body, secret, 3600))
        elif kind == 5:
            made.append(Delivery("unsigned", forged_id, forged))
        else:
            garbage = f"t={int(time.time())},v1={'0' * 64}"
            made.append(Delivery("garbage signature", forged_id, forged, header=garbage))
    return made


# The storm ------------------------------------------------------------------------------


def sender(number: int, url: str, deliveries: list, counter, barrier, results) -> None:
    """Send the next delivery not yet taken until none is left; puts (index, status,
    outcome, seconds, error, sent at) in `results` for each, then None."""
    import requests

    session = requests.Session()
    session.headers.update(
        {
            **PROXY_HEADERS,
            "X-Forwarded-For": STRIPE_ADDRESSES[number % len(STRIPE_ADDRESSES)],
            "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
            "Content-Type": "application/json; charset=utf-8",
        }
    )
    barrier.wait(timeout=60)
    while True:
        with counter.get_lock():
            index = counter.value
            counter.value += 1
        if index >= len(deliveries):
            break
        delivery = deliveries[index]
        headers = {}
        if (signature := delivery.signature()) is not None:
            headers["Stripe-Signature"] = signature
        started = time.monotonic()
        try:
            answer = session.post(url, data=delivery.body, headers=headers, timeout=30)
            outcome = ""
            if answer.status_code == 200:
                outcome = answer.json().get("outcome", "")
            seconds = time.monotonic() - started
            results.put((index, answer.status_code, outcome, seconds, "", started))
        except Exception as error:  # counted with the errors
            message = f"{type(error).__name__}: {error}"[:300]
            results.put((index, 0, "", time.monotonic() - started, message, started))
    results.put(None)


def storm(site, deliveries: list[Delivery], senders: int) -> tuple[list[tuple], float]:
    context = multiprocessing.get_context("fork")
    counter = context.Value("i", 0)
    barrier = context.Barrier(senders)
    results = context.Queue()
    url = site.url + WEBHOOK_PATH
    processes = [
        context.Process(target=sender, args=(n, url, deliveries, counter, barrier, results))
        for n in range(senders)
    ]
    started = time.monotonic()
    for process in processes:
        process.start()
    answers, done = [], 0
    while done < senders:
        item = results.get(timeout=STORM_SECONDS)
        if item is None:
            done += 1
        else:
            answers.append(item)
    seconds = time.monotonic() - started
    for process in processes:
        process.join(timeout=30)
    return sorted(answers), seconds


def overlapping_events(plan: Plan, answers: list[tuple]) -> int:
    """Events two of whose deliveries were in the site at the same moment (the senders'
    monotonic clock is the machine's, the same in every process)."""
    spans: dict[str, list[tuple[float, float]]] = {}
    for index, _status, _outcome, seconds, _error, sent_at in answers:
        spans.setdefault(plan.deliveries[index].event_id, []).append((sent_at, sent_at + seconds))
    overlapping = 0
    for intervals in spans.values():
        intervals.sort()
        if any(later[0] < earlier[1] for earlier, later in itertools.pairwise(intervals)):
            overlapping += 1
    return overlapping


# What the site recorded -----------------------------------------------------------------


def recorded(site, plan: Plan) -> dict:
    ids = [inquiry["id"] for inquiry in plan.paying + plan.decoys]
    return {
        "status": {
            row[0]: row[1:]
            for row in site.sql(
                "SELECT id, status, payment_method FROM inquiries_inquiry WHERE id = ANY(%s)", ids
            )
        },
        "paid_changes": Counter(
            row[0]
            for row in site.sql(
                "SELECT inquiry_id FROM inquiries_statuschange "
                "WHERE to_status = 'paid' AND inquiry_id = ANY(%s)",
                ids,
            )
        ),
        "payments": site.sql(
            "SELECT inquiry_id, checkout_session, payment_intent, state, settles_inquiry, "
            "paid_at IS NOT NULL, reason, review FROM inquiries_cardpayment "
            "WHERE inquiry_id = ANY(%s)",
            ids,
        ),
        "events": {
            row[0]: row[1:]
            for row in site.sql(
                "SELECT event_id, outcome, inquiry_id FROM inquiries_stripeevent "
                "WHERE event_id LIKE %s",
                plan.prefix + "%",
            )
        },
        "paid_emails": site.sql(
            "SELECT c.inquiry_id, d.state FROM inquiries_emaildelivery d "
            "JOIN inquiries_statuschange c ON d.status_change_id = c.id "
            "WHERE c.to_status = 'paid' AND c.inquiry_id = ANY(%s)",
            ids,
        ),
    }


def check_inquiries(plan: Plan, records: dict) -> tuple[int, int, int, list[str]]:
    """Inquiries paid as they should be, lost, duplicated; and what is wrong."""
    problems: list[str] = []
    payments: dict[int, list[tuple]] = {}
    for row in records["payments"]:
        payments.setdefault(row[0], []).append(row[1:])
    paid = lost = duplicated = 0
    for inquiry in plan.paying:
        pk = inquiry["id"]
        changes = records["paid_changes"][pk]
        settling = [p for p in payments.get(pk, []) if p[3]]
        duplicated += max(0, changes - 1) + max(0, len(payments.get(pk, [])) - 1)
        if records["status"][pk] != ("paid", "card") or changes == 0 or not settling:
            lost += 1
            problems.append(f"{inquiry['reference']} not paid: {records['status'][pk]}")
            continue
        paid += 1
        # Its own session and payment: nothing crossed over from another inquiry's.
        own = (inquiry["session"], inquiry["payment_intent"], "paid", True, True, "", "")
        if settling != [own]:
            problems.append(f"{inquiry['reference']} paid by {settling}, not {own}")
    for decoy in plan.decoys:
        pk = decoy["id"]
        open_session = [(decoy["session"], "", "open", False, False, "", "")]
        if (
            records["status"][pk][0] != "confirmed"
            or records["paid_changes"][pk]
            or payments.get(pk) != open_session
        ):
            problems.append(f"decoy {decoy['reference']} changed: {records['status'][pk]}")
    return paid, lost, duplicated, problems


def run(
    site, events: int = 100, senders: int = 12, copies: int = 3, bad_share: float = 0.1
) -> tuple[dict, list[str]]:
    """The drill on a running site: its figures and what failed."""
    if not site.env.get("STRIPE_API_BASE"):
        return {}, ["no stripe-mock: set STRIPE_MOCK_URL for the drills"]
    failures: list[str] = []
    # The shuffle and the forgeries' mix again with the same DRILL_SEED.
    seed = int(os.environ.get("DRILL_SEED") or secrets.randbelow(1_000_000))
    started = time.monotonic()
    plan = plan_storm(site, events, copies, bad_share, decoys=5, rng=random.Random(seed))
    set_up = time.monotonic() - started
    # The set-up's own emails (sent, confirmed) go out first: what follows is the storm's.
    set_up_emails = site.wait_for_tasks(120)
    mail_before = len(site.mail.messages) if site.mail else 0
    answers, seconds = storm(site, plan.deliveries, senders)
    emails_started = time.monotonic()
    try:
        emails_waited = site.wait_for_tasks(120)
    except TimeoutError as error:
        failures.append(str(error))
        emails_waited = time.monotonic() - emails_started
    records = recorded(site, plan)

    kinds = [plan.deliveries[answer[0]].kind for answer in answers]
    good = [a for a, kind in zip(answers, kinds, strict=True) if kind == "good"]
    bad = [(a, kind) for a, kind in zip(answers, kinds, strict=True) if kind != "good"]
    errors = [a for a in answers if a[4] or a[1] >= 500]
    accepted = [a for a in good if a[1] == 200]
    refused = [a for a, _kind in bad if a[1] == 400]
    let_through = [(kind, a[1], plan.deliveries[a[0]].event_id) for a, kind in bad if a[1] != 400]
    good_refused = [a for a in good if a[1] != 200 and not (a[4] or a[1] >= 500)]
    replays = sum(1 for a in accepted if a[2] == REPLAYED)
    paid, lost, duplicated, problems = check_inquiries(plan, records)
    wrong_outcomes = {
        event_id: records["events"].get(event_id, ("missing",))[0]
        for event_id, outcome in plan.expected.items()
        if records["events"].get(event_id, ("missing",))[0] != outcome
    }
    forged_recorded = sorted(set(records["events"]) - set(plan.expected))
    email_states = Counter(state for _inquiry, state in records["paid_emails"])
    emails_per_inquiry = Counter(inquiry for inquiry, _state in records["paid_emails"])
    storm_mail = site.mail.messages[mail_before:] if site.mail else []
    paying_addresses = {inquiry["email"] for inquiry in plan.paying}
    mail_per_address = Counter(m["to"] for m in storm_mail)
    latencies = sorted(a[3] for a in answers)
    overlapping = overlapping_events(plan, good)

    figures: dict[str, object] = {
        "events": len(plan.expected),
        "inquiries to be paid (delayed payment method)": (
            f"{len(plan.paying)} ({sum(i['delayed'] for i in plan.paying)})"
        ),
        "decoy inquiries (targets of forgeries only)": len(plan.decoys),
        "senders (processes)": senders,
        "events with their copies back to back": plan.back_to_back,
        "events with two deliveries handled at once": overlapping,
        "deliveries (requests)": len(answers),
        "bad deliveries refused (400)": f"{len(refused)} of {len(bad)}",
        "bad deliveries by kind": dict(Counter(kind for _a, kind in bad)),
        "good deliveries accepted (200)": f"{len(accepted)} of {len(good)}",
        "accepted as replays (already handled)": replays,
        "errors (exceptions or ≥ 500)": len(errors),
        "inquiries paid": paid,
        "lost": lost,
        "duplicated": duplicated,
        "event outcomes recorded": dict(Counter(row[0] for row in records["events"].values())),
        "payment emails queued (by state)": dict(email_states),
        "payment emails received by the server": sum(mail_per_address.values()),
        "emails duplicated at the server": sum(n - 1 for n in mail_per_address.values() if n > 1),
        "set-up seconds (inquiries, sessions, payments)": f"{set_up:.1f}",
        "set-up emails sent, seconds": f"{set_up_emails:.1f}",
        "storm seconds": f"{seconds:.1f}",
        "deliveries per second": f"{len(answers) / seconds:.0f}",
        "slowest delivery seconds": f"{latencies[-1]:.2f}" if latencies else "-",
        "emails all sent, seconds after the storm": f"{emails_waited:.1f}",
        "seed (DRILL_SEED)": seed,
    }
    if len(answers) != len(plan.deliveries):
        failures.append(f"{len(plan.deliveries) - len(answers)} deliveries not answered")
    if errors:
        failures.append(f"{len(errors)} errors, e.g. {errors[:3]}")
    if let_through:
        failures.append(f"{len(let_through)} bad deliveries not refused: {let_through[:5]}")
    if good_refused:
        failures.append(f"{len(good_refused)} good deliveries refused, e.g. {good_refused[:3]}")
    if lost or duplicated or problems:
        failures.append(f"lost {lost}, duplicated {duplicated}: {problems[:5]}")
    if wrong_outcomes:
        failures.append(f"{len(wrong_outcomes)} events recorded wrong: {wrong_outcomes}")
    if forged_recorded:
        failures.append(f"forged events recorded: {forged_recorded[:5]}")
    if replays != len(accepted) - len(plan.expected):
        failures.append(f"{replays} replays answered for {len(accepted)} accepted deliveries")
    if set(emails_per_inquiry.values()) - {1} or len(emails_per_inquiry) != paid:
        failures.append(f"payment emails per inquiry: {dict(emails_per_inquiry)}")
    if set(email_states) - {"sent"}:
        failures.append(f"payment emails not all sent: {dict(email_states)}")
    if site.mail and (
        set(mail_per_address) != paying_addresses or set(mail_per_address.values()) != {1}
    ):
        failures.append(f"emails at the server, by address: {dict(mail_per_address)}")
    if failures:
        say(site.log_tail("gunicorn"))
    return figures, failures


def main(argv: list[str] | None = None) -> int:
    return run_alone(
        __doc__, NAME, run, {"events": 100, "senders": 12}, needs="STRIPE_MOCK_URL", argv=argv
    )


if __name__ == "__main__":
    sys.exit(main())

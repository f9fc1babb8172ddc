"""Lighthouse (mobile) scores of the demo site's public pages, in both languages.

    bench/lighthouse                        # a fresh demo site, started and stopped here
    bench/lighthouse http://127.0.0.1:8000  # a site already running (make run, a server)

bench/lighthouse runs this file with .venv/bin/python (or $PYTHON): the demo is built and
served with the Python that runs it.

Issue 13's target: performance, accessibility, best practices and SEO each >= 95 on the
home page, the catalogue listing, a category page, a product page and a search results
page, in Vietnamese and English, with Lighthouse's default mobile emulation (a Moto G
Power's screen) and simulated throttling (slow 4G, 4x CPU slowdown).

Without a URL it builds the demo as `make run` does (translations compiled,
scripts/prepare_demo.py with the dev settings) in a temporary directory (SQLite,
media, secret key: VAR_DIR), then serves it production-like: the base settings with
DEBUG off, `collectstatic` into hashed, compressed files that WhiteNoise serves with
far-future cache headers, gunicorn. The database search backend, not Elasticsearch.

Needs Node and `npm ci --ignore-scripts` (lighthouse in package.json's devDependencies),
Chromium (CHROME_PATH, or /usr/bin/chromium). Nothing is fetched from the internet.
Writes each page's report (JSON and HTML) to --output-dir, prints the four scores per
page, and exits 1 when one is below --threshold (2 when a page could not be audited).

Each page is fetched once before it is audited: a live site has made its thumbnails
(Wagtail renditions, made on a page's first view) long before a visitor comes. Scores are
the median of --runs runs: performance depends on how busy the machine is (Lighthouse's
CPU benchmark, the "cpu" column, is ~2,000+ on an idle machine; below ~1,000 it warns the
performance score is pessimistic). A run that fails (e.g. NO_NAVSTART) is tried again,
three attempts in all.

Options: --threshold N (95), --runs N (3; each score is the median of N runs),
--page PATH (repeatable; replaces the default pages), --output-dir DIR
(bench/results/lighthouse), --chrome PATH, --cpu-slowdown N (Lighthouse's 4; to calibrate
a slow machine only), --keep (leave the temporary directory and its server log).
"""

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
LIGHTHOUSE = BASE_DIR / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# The demo's pages (marketplace/demo/data.py): Hà My's first-press fish sauce and its
# category, searched for in each language.
DEFAULT_PAGES = (
    "/vi/",
    "/vi/san-pham/",
    "/vi/san-pham/category/nuoc-mam/",
    "/vi/nha-san-xuat/htx-nuoc-mam-ha-my/nuoc-mam-nhi-ca-com/",
    "/vi/search/?q=n%C6%B0%E1%BB%9Bc+m%E1%BA%AFm",  # "nước mắm"
    "/en/",
    "/en/products/",
    "/en/products/category/nuoc-mam/",
    "/en/producers/ha-my-fish-sauce-cooperative/anchovy-first-press-fish-sauce/",
    "/en/search/?q=fish+sauce",
)
WORKERS, THREADS = 2, 4
ATTEMPTS = 3  # per run
# The server's environment: what locates the demo's files is set per run (VAR_DIR);
# whatever the caller's shell points elsewhere (another database, Elasticsearch, SMTP)
# is dropped so the run touches nothing but its own directory.
DROPPED_ENV = (
    "DATABASE_URL",
    "MEDIA_ROOT",
    "STATIC_ROOT",
    "PRIVATE_MEDIA_ROOT",
    "SECRET_KEY",
    "ELASTICSEARCH_URL",
    "EMAIL_HOST",
    "STRIPE_SECRET_KEY",
    "S3_BUCKET",
    "DJANGO_SETTINGS_MODULE",
    "DEBUG",
)


@dataclass
class PageResult:
    path: str
    scores: dict[str, list[float]] = field(default_factory=dict)  # category: each run's
    failed_audits: dict[str, set[str]] = field(default_factory=dict)  # category: audit ids
    errors: list[str] = field(default_factory=list)
    benchmarks: list[float] = field(default_factory=list)  # Lighthouse's CPU benchmark
    warnings: set[str] = field(default_factory=set)

    def score(self, category: str) -> float | None:
        runs = self.scores.get(category)
        return statistics.median(runs) * 100 if runs else None


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/lighthouse",
        description=__doc__.splitlines()[0],
        epilog="Without URL: a fresh demo site on a free port, stopped at the end.",
    )
    parser.add_argument(
        "url", nargs="?", help="a running site's address, e.g. http://127.0.0.1:8000"
    )
    parser.add_argument("--threshold", type=float, default=95, help="lowest passing score (95)")
    parser.add_argument("--runs", type=int, default=3, help="runs per page, median score (3)")
    parser.add_argument(
        "--page",
        action="append",
        dest="pages",
        metavar="PATH",
        help="a path to audit, e.g. /vi/; repeat it; replaces the default pages",
    )
    parser.add_argument(
        "--output-dir",
        type=Path,
        default=BASE_DIR / "bench" / "results" / "lighthouse",
        help="where the JSON and HTML reports go (bench/results/lighthouse)",
    )
    parser.add_argument(
        "--chrome",
        default=os.environ.get("CHROME_PATH") or "/usr/bin/chromium",
        help="the Chromium binary (CHROME_PATH, else /usr/bin/chromium)",
    )
    parser.add_argument(
        "--cpu-slowdown",
        type=float,
        help="Lighthouse's CPU slowdown multiplier (its default: 4); calibrating a slower "
        "machine only, see Lighthouse's docs/throttling.md",
    )
    parser.add_argument("--keep", action="store_true", help="keep the demo's temporary directory")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


# The demo site ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except (OSError, urllib.error.HTTPError):
        return False


def demo_env(var_dir: Path, base_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in DROPPED_ENV}
    return {**env, "VAR_DIR": str(var_dir), "PUBLIC_BASE_URL": base_url, "LOG_LEVEL": "WARNING"}


def run_step(python: str, args: list[str], env: dict[str, str], log) -> None:
    """One set-up command, its output in the log; stops the script when it fails."""
    log.write(f"\n$ {' '.join(args)}\n")
    log.flush()
    step = subprocess.run([python, *args], cwd=BASE_DIR, env=env, stdout=log, stderr=log)
    if step.returncode:
        raise RuntimeError(f"{' '.join(args)} failed: see {log.name}")


@contextmanager
def demo_site(python: str, keep: bool):
    """The demo, served production-like on a free port; yields its base URL."""
    var_dir = Path(tempfile.mkdtemp(prefix="lighthouse-demo-"))
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = demo_env(var_dir, base_url)
    dev = {**env, "DJANGO_SETTINGS_MODULE": "marketplace.settings.dev"}
    # base: no dev overrides, so ManifestStaticFilesStorage as in production.
    served = {**env, "DJANGO_SETTINGS_MODULE": "marketplace.settings.base", "DEBUG": "0"}
    server = None
    with open(var_dir / "server.log", "w") as log:
        try:
            print(f"Building the demo in {var_dir} (about a minute)...", flush=True)
            run_step(python, ["scripts/compile_messages.py"], dev, log)
            run_step(python, ["scripts/prepare_demo.py"], dev, log)
            run_step(python, ["manage.py", "collectstatic", "--noinput", "-v0"], served, log)
            server = subprocess.Popen(
                [
                    *(python, "-m", "gunicorn", "marketplace.wsgi:application"),
                    *("--bind", f"127.0.0.1:{port}", "--worker-class", "gthread"),
                    *("--workers", str(WORKERS), "--threads", str(THREADS)),
                    *("--log-level", "warning"),
                ],
                cwd=BASE_DIR,
                env=served,
                stdout=log,
                stderr=log,
            )
            for _ in range(150):
                if server.poll() is None and answers(f"{base_url}/vi/"):
                    break
                time.sleep(0.2)
            else:
                raise RuntimeError(f"gunicorn did not start: see {log.name}")
            print(f"Serving the demo at {base_url}", flush=True)
            yield base_url
        finally:
            if server is not None:
                server.terminate()
                server.wait()
            if keep:
                print(f"Kept {var_dir} (server.log, db.sqlite3, media).")
            else:
                shutil.rmtree(var_dir, ignore_errors=True)


# Lighthouse ---------------------------------------------------------------------------


def report_name(path: str) -> str:
    """A file name for a page's report: /vi/search/?q=x -> vi-search-q-x."""
    name = re.sub(r"[^A-Za-z0-9]+", "-", urllib.parse.unquote(path)).strip("-")
    return name[:80] or "root"


def chrome_flags() -> str:
    flags = ["--headless=new", "--disable-dev-shm-usage"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        flags.append("--no-sandbox")  # Chromium refuses to start its sandbox as root
    return " ".join(flags)


def lighthouse(url: str, output_path: Path, args: argparse.Namespace) -> dict:
    """One Lighthouse run (mobile: its default form factor, emulation and throttling)."""
    command = [
        str(LIGHTHOUSE),
        url,
        "--form-factor=mobile",
        f"--only-categories={','.join(CATEGORIES)}",
        "--output=json",
        "--output=html",
        f"--output-path={output_path}",
        f"--chrome-flags={chrome_flags()}",
        "--no-enable-error-reporting",  # would send errors to Sentry
        "--quiet",
    ]
    if args.cpu_slowdown:
        command.append(f"--throttling.cpuSlowdownMultiplier={args.cpu_slowdown:g}")
    run = subprocess.run(
        command,
        env={**os.environ, "CHROME_PATH": args.chrome},
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = output_path.with_name(output_path.name + ".report.json")
    if run.returncode or not report.exists():
        last_words = run.stderr.strip().splitlines()[-1:] or ["no report"]
        raise RuntimeError(f"lighthouse exited {run.returncode}: {last_words[0]}")
    return json.loads(report.read_text())


def one_run(url: str, output_path: Path, args: argparse.Namespace) -> dict:
    """A run's report; a failed run is tried again, up to ATTEMPTS times in all (on a busy
    machine Chromium's trace now and then misses the navigation's start: NO_NAVSTART)."""
    problem = ""
    for _attempt in range(ATTEMPTS):
        try:
            report = lighthouse(url, output_path, args)
        except (RuntimeError, subprocess.TimeoutExpired, ValueError) as error:
            problem = str(error)
            continue
        if not report.get("runtimeError"):
            return report
        problem = report["runtimeError"].get("message", "runtime error")
    raise RuntimeError(problem)


def warm_up(url: str) -> None:
    """One view, so the page's thumbnails exist and the server's caches are warm."""
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            response.read()
    except OSError:
        pass  # Lighthouse will report what is wrong with the page


def audit_page(base_url: str, path: str, args: argparse.Namespace) -> PageResult:
    result = PageResult(path)
    warm_up(base_url + path)
    for run in range(args.runs):
        suffix = f"-run{run + 1}" if args.runs > 1 else ""
        output_path = args.output_dir / f"{report_name(path)}{suffix}"
        try:
            report = one_run(base_url + path, output_path, args)
        except RuntimeError as error:
            result.errors.append(str(error))
            continue
        collect(report, result)
    return result


def collect(report: dict, result: PageResult) -> None:
    """Each category's score, and the audits that cost it points (for the summary)."""
    audits = report["audits"]
    if benchmark := report.get("environment", {}).get("benchmarkIndex"):
        result.benchmarks.append(benchmark)
    result.warnings.update(report.get("runWarnings", []))
    for category in CATEGORIES:
        data = report["categories"][category]
        if data["score"] is not None:
            result.scores.setdefault(category, []).append(data["score"])
        for ref in data["auditRefs"]:
            audit = audits[ref["id"]]
            if audit["scoreDisplayMode"] == "error":
                result.errors.append(f"{ref['id']}: {audit.get('errorMessage', 'error')}")
            elif ref["weight"] and audit["score"] is not None and audit["score"] < 0.9:
                result.failed_audits.setdefault(category, set()).add(ref["id"])


# Report -------------------------------------------------------------------------------


def print_report(results: list[PageResult], threshold: float) -> bool:
    """The table; True when every score reaches the threshold."""
    width = max(len(r.path) for r in results)
    heads = ("perf", "a11y", "b.pr.", "seo", "cpu")
    print(f"\n{'page':<{width}}  " + "  ".join(f"{h:>5}" for h in heads) + "  result")
    all_pass = True
    for r in results:
        scores = [r.score(c) for c in CATEGORIES]
        passed = all(s is not None and s >= threshold for s in scores)  # a failed run: noted
        all_pass &= passed
        cpu = statistics.median(r.benchmarks) if r.benchmarks else None
        cells = "  ".join(f"{s:>5.0f}" if s is not None else f"{'-':>5}" for s in [*scores, cpu])
        print(f"{r.path:<{width}}  {cells}  {'PASS' if passed else 'FAIL'}")
    for r in results:
        for category, ids in r.failed_audits.items():
            print(f"  {r.path} {category}: below 0.9 in {', '.join(sorted(ids))}")
        for error in r.errors:
            print(f"  {r.path} error: {error}")
    for warning in sorted({w for r in results for w in r.warnings}):
        print(f"  Lighthouse warned: {warning}")
    print(f"\nThreshold {threshold:g} in each category: {'PASS' if all_pass else 'FAIL'}")
    return all_pass


def audit(base_url: str, args: argparse.Namespace) -> list[PageResult]:
    args.output_dir.mkdir(parents=True, exist_ok=True)
    results = []
    for path in args.pages or DEFAULT_PAGES:
        print(f"Auditing {path} ...", flush=True)
        results.append(audit_page(base_url, path, args))
    return results


def main() -> int:
    args = parse_args()
    if not LIGHTHOUSE.exists():
        print("Install Lighthouse first: npm ci --ignore-scripts --no-audit --no-fund")
        return 2
    if not Path(args.chrome).exists():
        print(f"No Chromium at {args.chrome}: set CHROME_PATH or --chrome.")
        return 2
    try:
        if args.url:
            results = audit(args.url.rstrip("/"), args)
        else:
            with demo_site(sys.executable, args.keep) as base_url:
                results = audit(base_url, args)
    except RuntimeError as error:
        print(f"error: {error}")
        return 2
    passed = print_report(results, args.threshold)
    print(f"Reports in {args.output_dir}")
    if any(r.errors and not r.scores for r in results):
        return 2
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())

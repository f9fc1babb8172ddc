#!/usr/bin/env python
"""Run the fault drills on one site (bench/drills/harness.py) and print their figures.

    DATABASE_URL=postgres://… ELASTICSEARCH_URL=… REDIS_URL=… STRIPE_MOCK_URL=… \\
        python bench/drills/run.py [DRILL …]

Drills, in the order they run (all by default): inquiries (1), webhooks (4), search (2),
worker (5), database (3, last: it restarts PostgreSQL). Each module also runs alone
(`python bench/drills/inquiries.py`, with a site of its own). Exit status 1 when a drill
fails; CI (.ci/run) runs them all after the tests.
"""

import argparse
import importlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from bench.drills.harness import drill_site, report, say, show_logs

DRILLS = ["inquiries", "webhooks", "search", "worker", "database"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("drills", nargs="*", choices=[[], *DRILLS], default=[])
    args = parser.parse_args(argv)
    chosen = [name for name in DRILLS if name in (args.drills or DRILLS)]
    status = 0
    started = time.monotonic()
    with drill_site() as site:
        for name in chosen:
            module = importlib.import_module(f"bench.drills.{name}")
            drill_started = time.monotonic()
            try:
                figures, failures = module.run(site)
            except Exception as error:  # one drill's crash is its failure, not the others'
                figures, failures = {}, [f"the drill crashed: {type(error).__name__}: {error}"]
            figures["drill seconds"] = f"{time.monotonic() - drill_started:.0f}"
            if failures:
                show_logs(site)
            status |= report(module.NAME, figures, failures)
    outcome = "FAILED" if status else "all passed"
    say(f"\ndrills: {len(chosen)} in {time.monotonic() - started:.0f} s, {outcome}")
    return status


if __name__ == "__main__":
    sys.exit(main())

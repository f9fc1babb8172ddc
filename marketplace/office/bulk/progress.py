"""A small progress bar for the command line, drawn on stderr."""

import sys
import time
from typing import TextIO

WIDTH = 30
INTERVAL = 0.2  # seconds between redraws: drawing must not slow the work


class ProgressBar:
    def __init__(self, label: str, stream: TextIO | None = None) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.drawn_at = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.drawn_at < INTERVAL:
            return
        self.drawn_at = now
        filled = WIDTH * done // total if total else WIDTH
        percent = 100 * done // total if total else 100
        bar = "#" * filled + "." * (WIDTH - filled)
        self.stream.write(f"\r{self.label} [{bar}] {done}/{total} {percent:3d}%")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()

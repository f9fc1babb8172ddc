#!/usr/bin/env python
"""Compile every locale/*/LC_MESSAGES/*.po (ours) and locale_upstream/*/LC_MESSAGES/*.po
(Wagtail's and wagtail-localize's missing or wrong Vietnamese) into its .mo with polib.

Django's `compilemessages` needs GNU gettext; polib (installed with wagtail-localize)
does not, so `make run` and `make test` work on a machine without it. Fuzzy and
untranslated entries are left out, as msgfmt does.
"""

import sys
from pathlib import Path

import polib

BASE_DIR = Path(__file__).resolve().parent.parent
# The directories of settings.LOCALE_PATHS (the settings are not loaded here).
LOCALE_DIRS = (BASE_DIR / "locale", BASE_DIR / "locale_upstream")


def catalogues(locale_dirs: tuple[Path, ...] = LOCALE_DIRS) -> list[Path]:
    return sorted(
        path for directory in locale_dirs for path in directory.glob("*/LC_MESSAGES/*.po")
    )


def compile_catalogue(po_path: Path) -> Path:
    mo_path = po_path.with_suffix(".mo")
    polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
    return mo_path


def main() -> int:
    for po_path in catalogues():
        try:
            mo_path = compile_catalogue(po_path)
        except (OSError, ValueError) as error:
            print(f"{po_path}: {error}", file=sys.stderr)
            return 1
        print(f"compiled {mo_path.relative_to(BASE_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The production settings, checked the way they run: in a fresh process, from the
environment variables documented in .env.example."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
SITE_CSS = BASE_DIR / "marketplace" / "static" / "css" / "site.css"

# Run inside the production process: GET the stylesheet through the WSGI application,
# by its plain name and by the hashed name templates get from {% static %}.
FETCH_STATIC = """
import json, sys
from wsgiref.util import setup_testing_defaults

from marketplace.wsgi import application
from django.conf import settings
from django.templatetags.static import static

def get(path):
    environ = {"PATH_INFO": path, "HTTP_HOST": "cho-ocop.example.org",
               "HTTP_X_FORWARDED_PROTO": "https"}
    setup_testing_defaults(environ)
    answer = {}
    def start_response(status, headers, exc_info=None):
        answer.update(status=status, headers=dict(headers))
    body = b"".join(application(environ, start_response))
    return {**answer, "body": body.decode("utf-8", "replace")}

print(json.dumps({
    "debug": settings.DEBUG,
    "plain": get("/static/css/site.css"),
    "hashed_url": static("css/site.css"),
    "hashed": get(static("css/site.css")),
}))
"""


# What the production settings require: each one is missing from `bare_env`.
REQUIRED = ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "PUBLIC_BASE_URL"]
# The database these tests name: the settings checks never connect to it.
PRODUCTION_DATABASE = "postgres://chocop:not-used@127.0.0.1:5432/chocop_production"


@pytest.fixture
def bare_env(tmp_path: Path) -> dict[str, str]:
    """Production settings and local folders, and none of the variables they require."""
    settings_variables = {"DEBUG", "STATIC_ROOT", "MEDIA_ROOT", "VAR_DIR", "CSRF_TRUSTED_ORIGINS"}
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in settings_variables | set(REQUIRED)
    }
    env.update(
        DJANGO_SETTINGS_MODULE="marketplace.settings.production",
        VAR_DIR=str(tmp_path / "var"),
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    return env


@pytest.fixture
def production_env(bare_env: dict[str, str]) -> dict[str, str]:
    """The variables a production install sets, everything else from a clean slate."""
    env = dict(bare_env)
    env.update(
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="cho-ocop.example.org",
        CSRF_TRUSTED_ORIGINS="https://cho-ocop.example.org",
        DATABASE_URL=PRODUCTION_DATABASE,
        PUBLIC_BASE_URL="https://cho-ocop.example.org/",
    )
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def load_production_settings(env: dict[str, str]) -> subprocess.CompletedProcess:
    """Import the production settings as a WSGI server would, in a fresh process."""
    return run(["-c", "import marketplace.settings.production"], env)


def refusal(result: subprocess.CompletedProcess) -> str:
    """The message of the ImproperlyConfigured a process stopped with."""
    assert result.returncode != 0, "the settings loaded"
    marker = "django.core.exceptions.ImproperlyConfigured: "
    assert marker in result.stderr, result.stderr
    return result.stderr.split(marker, 1)[1]


def test_production_refuses_to_start_with_none_of_its_settings_and_says_all(bare_env, tmp_path):
    message = refusal(load_production_settings(bare_env))

    # One message, naming every variable.
    for name in REQUIRED:
        assert f"{name} is not set" in message, message
    assert ".env.example" in message
    # Nothing was made up on the way: no key file, no SQLite database.
    assert not (tmp_path / "var").exists()


@pytest.mark.parametrize(
    ("missing", "value"),
    [
        ("SECRET_KEY", None),
        ("ALLOWED_HOSTS", " , "),
        ("DATABASE_URL", ""),
        ("PUBLIC_BASE_URL", " "),
    ],
)
def test_production_names_the_one_setting_missing(production_env, missing, value):
    if value is None:
        del production_env[missing]
    else:
        production_env[missing] = value

    message = refusal(load_production_settings(production_env))

    assert f"{missing} is not set" in message
    assert [name for name in REQUIRED if f"{name} is not set" in message] == [missing]


@pytest.mark.parametrize(
    "database_url", ["sqlite:///var/db.sqlite3", "mysql://chocop:s3cret-pw@db/chocop", "nothing"]
)
def test_production_refuses_a_database_other_than_postgresql(production_env, database_url):
    production_env["DATABASE_URL"] = database_url

    message = refusal(load_production_settings(production_env))

    assert "DATABASE_URL" in message and "PostgreSQL" in message, message
    # The URL holds the database password: it is never shown.
    assert "s3cret-pw" not in message


def test_production_takes_a_postgresql_database_url(production_env):
    show = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"

    result = run(["-c", show], production_env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_deploy_checks_pass_without_warnings(production_env):
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output


def test_whitenoise_serves_collected_static_files_with_debug_off(production_env):
    assert SITE_CSS.exists(), f"{SITE_CSS.relative_to(BASE_DIR)} is missing"
    collect = run(["manage.py", "collectstatic", "--noinput", "--verbosity", "0"], production_env)
    assert collect.returncode == 0, collect.stdout + collect.stderr

    fetch = run(["-c", FETCH_STATIC], production_env)
    assert fetch.returncode == 0, fetch.stderr
    result = json.loads(fetch.stdout.splitlines()[-1])

    assert result["debug"] is False
    assert result["plain"]["status"].startswith("200"), result["plain"]["status"]
    assert result["plain"]["body"] == SITE_CSS.read_text(encoding="utf-8")
    assert result["hashed_url"] != "/static/css/site.css"
    assert result["hashed"]["status"].startswith("200"), result["hashed"]["status"]
    # Hashed names never change content, so browsers may keep them for ever.
    assert "immutable" in result["hashed"]["headers"].get("Cache-Control", "")


# The public address


def public_addresses(env: dict[str, str]) -> subprocess.CompletedProcess:
    """PUBLIC_BASE_URL and WAGTAILADMIN_BASE_URL as the settings in `env` load them."""
    return run(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.PUBLIC_BASE_URL, settings.WAGTAILADMIN_BASE_URL)",
        ],
        env,
    )


def test_production_takes_the_public_address_for_wagtail_too(production_env):
    result = public_addresses(production_env)
    assert result.returncode == 0, result.stderr
    # Normalised: no trailing slash, one address for our links and Wagtail's.
    assert result.stdout.split() == ["https://cho-ocop.example.org"] * 2


def test_email_comes_from_the_public_host_unless_told_otherwise(production_env):
    show_sender = ["-c", "from django.conf import settings; print(settings.DEFAULT_FROM_EMAIL)"]
    production_env.pop("DEFAULT_FROM_EMAIL", None)
    assert run(show_sender, production_env).stdout.strip() == (
        "Chợ OCOP <no-reply@cho-ocop.example.org>"
    )

    production_env["DEFAULT_FROM_EMAIL"] = "Phòng Kinh tế <ocop@dienban.example.org>"
    assert run(show_sender, production_env).stdout.strip() == production_env["DEFAULT_FROM_EMAIL"]


@pytest.mark.parametrize("value", [None, "", "  "])
def test_production_refuses_to_start_without_a_public_address(production_env, value):
    if value is None:
        del production_env["PUBLIC_BASE_URL"]
    else:
        production_env["PUBLIC_BASE_URL"] = value

    message = refusal(run(["manage.py", "check", "--deploy"], production_env))

    assert "PUBLIC_BASE_URL is not set" in message, message
    assert "e.g. PUBLIC_BASE_URL=https://cho-ocop.example.org" in message


@pytest.mark.parametrize("settings_module", ["production", "dev"])
def test_a_public_address_with_a_path_is_refused_when_settings_load(
    production_env, settings_module
):
    production_env["DJANGO_SETTINGS_MODULE"] = f"marketplace.settings.{settings_module}"
    production_env["PUBLIC_BASE_URL"] = "https://cho-ocop.example.org/cho"

    message = refusal(run(["manage.py", "check"], production_env))

    assert (
        "PUBLIC_BASE_URL='https://cho-ocop.example.org/cho': it must not have a path (/cho)"
    ) in message, message


def test_the_development_default_is_the_address_make_run_serves(production_env):
    env = {**production_env, "DJANGO_SETTINGS_MODULE": "marketplace.settings.dev"}
    del env["PUBLIC_BASE_URL"]

    result = public_addresses(env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["http://127.0.0.1:8000"] * 2

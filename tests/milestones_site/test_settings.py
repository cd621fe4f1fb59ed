"""Settings read from the environment: production hardening and the embedded defaults.

Settings are evaluated once per process, so each case runs Django in a subprocess with
exactly the environment it describes.
"""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
SETTINGS_SOURCE = (BASE_DIR / "milestones_site" / "settings.py").read_text()
SETTINGS_ENV_VARS = frozenset(
    re.findall(
        r'(?:os\.environ\.get\(|os\.getenv\(|os\.environ\[|\benv_\w+\()\s*"([A-Z][A-Z0-9_]*)"',
        SETTINGS_SOURCE,
    )
)

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "DJANGO_ALLOWED_HOSTS": "example.com",
    "DATABASE_URL": "postgres://milestones:secret@db.example.com:5432/milestones",
    "REDIS_URL": "redis://cache.example.com:6379/0",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.com:587",
}


def run_django(tmp_path: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    # The developer's, CI's or another test's values must not leak into the case.
    clean_env = {
        name: value
        for name, value in os.environ.items()
        if name not in SETTINGS_ENV_VARS and not name.startswith("DJANGO_")
    }
    clean_env |= {
        "DJANGO_SETTINGS_MODULE": "milestones_site.settings",
        "MILESTONES_VAR_DIR": str(tmp_path / "var"),
        **env,
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_check_deploy_reports_no_issues_with_production_variables(tmp_path):
    result = run_django(
        tmp_path, PRODUCTION_ENV, "manage.py", "check", "--deploy", "--fail-level", "WARNING"
    )

    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stderr


def test_debug_off_without_secret_key_refuses_to_start(tmp_path):
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "DJANGO_SECRET_KEY"}

    result = run_django(tmp_path, env, "manage.py", "check")

    assert result.returncode != 0
    assert (
        "django.core.exceptions.ImproperlyConfigured: "
        "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off." in result.stderr
    )


# Only the settings module and the database wrapper are imported (no django.setup()),
# which keeps each subprocess well under a second.
PRINT_SETTINGS = """
import json
from django.conf import settings
print(json.dumps({
    "broker": settings.CELERY_BROKER_URL,
    "broker_folder": settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("data_folder_in"),
    "broker_control": settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("control_folder"),
    "cache": settings.CACHES["default"]["BACKEND"],
    "sessions": settings.SESSION_ENGINE,
    "email": settings.EMAIL_BACKEND,
    "email_host": settings.EMAIL_HOST,
    "email_port": settings.EMAIL_PORT,
    "email_tls": settings.EMAIL_USE_TLS,
    "database_engine": settings.DATABASES["default"]["ENGINE"],
    "database_name": str(settings.DATABASES["default"]["NAME"]),
    "conn_max_age": settings.DATABASES["default"]["CONN_MAX_AGE"],
    "conn_health_checks": settings.DATABASES["default"]["CONN_HEALTH_CHECKS"],
}))
"""

PRINT_SQLITE_CONNECTION = """
import json
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    journal_mode = cursor.fetchone()[0]
    cursor.execute("PRAGMA busy_timeout")
    busy_timeout_ms = cursor.fetchone()[0]
print(json.dumps({
    "transaction_mode": connection.transaction_mode,
    "journal_mode": journal_mode,
    "busy_timeout_ms": busy_timeout_ms,
}))
"""


def print_in_subprocess(tmp_path: Path, env: dict[str, str], script: str) -> dict:
    result = run_django(tmp_path, env, "-c", script)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_embedded_sqlite_lets_web_and_worker_write_at_once(tmp_path):
    sqlite = print_in_subprocess(tmp_path, {}, PRINT_SQLITE_CONNECTION)

    assert sqlite["journal_mode"] == "wal"
    assert sqlite["transaction_mode"] == "IMMEDIATE"
    assert sqlite["busy_timeout_ms"] >= 5000


def test_embedded_defaults_need_no_server(tmp_path):
    services = print_in_subprocess(tmp_path, {}, PRINT_SETTINGS)

    assert services["database_engine"] == "django.db.backends.sqlite3"
    assert services["database_name"] == str(tmp_path / "var" / "milestones.sqlite3")
    assert services["broker"] == "filesystem://localhost"
    assert services["broker_folder"] == str(tmp_path / "var" / "broker" / "queue")
    # Nothing of the broker's is written beside the code (kombu's default is ./control).
    assert services["broker_control"] == str(tmp_path / "var" / "broker" / "control")
    assert services["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    # A per-process memory cache must not hold sessions: a sign-out would not reach the others.
    assert services["sessions"] == "django.contrib.sessions.backends.db"
    assert services["email"] == "django.core.mail.backends.console.EmailBackend"


def test_production_variables_select_postgres_redis_and_smtp(tmp_path):
    services = print_in_subprocess(tmp_path, PRODUCTION_ENV, PRINT_SETTINGS)

    assert services["broker"] == PRODUCTION_ENV["REDIS_URL"]
    assert services["cache"] == "django_redis.cache.RedisCache"
    assert services["sessions"] == "django.contrib.sessions.backends.cached_db"
    assert services["database_engine"] == "django.db.backends.postgresql"
    assert services["conn_max_age"] == 600
    assert services["conn_health_checks"] is True
    assert services["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (services["email_host"], services["email_port"], services["email_tls"]) == (
        "smtp.example.com",
        587,
        True,
    )


def test_celery_broker_url_overrides_redis_url(tmp_path):
    env = {"REDIS_URL": "redis://cache.example.com:6379/0", "CELERY_BROKER_URL": "filesystem://"}

    services = print_in_subprocess(tmp_path, env, PRINT_SETTINGS)

    assert services["broker"] == "filesystem://"
    assert services["cache"] == "django_redis.cache.RedisCache"


@pytest.mark.parametrize("document", [".env.example", "README.md"])
def test_every_variable_settings_reads_is_documented(document):
    text = (BASE_DIR / document).read_text()
    documented = set(re.findall(r"\b[A-Z][A-Z0-9_]{2,}\b", text))

    assert "DATABASE_URL" in SETTINGS_ENV_VARS  # the pattern still finds what settings reads
    assert sorted(SETTINGS_ENV_VARS - documented) == []

"""`make bench`: the product's speed as ratios to a bare-Django floor measured in the same run.

Seeds a synthetic dataset (`seed_bench`), serves it with gunicorn on 127.0.0.1 with
production-like settings (DEBUG off, persistent database connections), loads each target
from this separate process (wrk when installed, else a Python client), then times the
reminder scan and the digest build and reads the peak memory of web and worker processes.
Prints a table and writes bench/results/latest.json.
"""

import argparse
import ctypes
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from bench.load import Request, Result, measure, revalidating, run_python

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
WORK = ROOT / "var" / "bench"
SCALES = {"ci": 2, "small": 20, "default": 200, "large": 1000}


def bench_env() -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=env.get("DJANGO_SECRET_KEY", "bench-only-secret-key-" + "x" * 40),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_STATIC_ROOT=str(WORK / "static"),
        DJANGO_LOG_LEVEL="WARNING",
        MILESTONES_BENCH="1",
        MILESTONES_VAR_DIR=str(WORK),
        # High enough never to answer 429 during a run; the throttle itself still runs.
        API_THROTTLE_CLIENT_RATE="100000000/minute",
        API_THROTTLE_ANONYMOUS_RATE="100000000/minute",
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE="milestones_site.settings",
    )
    env.setdefault("DATABASE_URL", f"sqlite:///{WORK / 'bench.sqlite3'}")
    return env


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, check=True, cwd=ROOT)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def children_of(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found += [int(child) for child in task.read_text().split()]
    return found


def peak_rss_mb(pid: int) -> float:
    """The process's high-water resident set (VmHWM) in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def die_with_parent() -> None:
    """Run in a server's process before it starts: the kernel sends it SIGTERM when the bench
    process ends, however it ends (even SIGKILL), so no server outlives a run."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1: PR_SET_PDEATHSIG


@contextmanager
def gunicorn(env: dict, *, port: int, workers: int):
    log = open(WORK / "gunicorn.log", "w")  # noqa: SIM115 - closed below
    command = [
        sys.executable, "-m", "gunicorn", "milestones_site.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--access-logfile", "-",
        "--access-logformat", "%(s)s", "--error-logfile", "-", "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(
        command,
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=log,
        preexec_fn=die_with_parent,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"gunicorn did not start; see {log.name}") from None
                time.sleep(0.2)
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        log.close()


def session_backend(paths: list[str]) -> str:
    """The backend a sign-in records in the session: the first that loads users (django-axes
    puts one first that only guards sign-ins)."""
    from django.utils.module_loading import import_string

    return next(path for path in paths if hasattr(import_string(path), "get_user"))


def prepare() -> dict:
    """Credentials and object ids for the targets, made through the app's own code."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db.models import Count

    from projects.models import Membership, Milestone, Project
    from projects.services.access import api_token_create

    project = Project.objects.annotate(n=Count("milestones")).order_by("-n", "id").first()
    user = project.owner or Membership.objects.filter(workspace=project.workspace).first().user
    _token, plain = api_token_create(user=user, name="bench")
    session = SessionStore()
    session.update(
        {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: session_backend(settings.AUTHENTICATION_BACKENDS),
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
    )
    session.create()
    milestone_ids = list(
        Milestone.objects.filter(project=project).order_by("id").values_list("id", flat=True)[:50]
    )
    return {
        "user": user,
        "token": plain,
        "cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
        "project_id": project.pk,
        "milestone_ids": milestone_ids,
        "conn_max_age": settings.DATABASES["default"]["CONN_MAX_AGE"],
        "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
    }


READS = ("api milestone list", "api milestone detail", "project page (largest)")


def targets(base: str, fixtures: dict) -> dict[str, Request]:
    from django.urls import reverse

    api = {"Authorization": f"Bearer {fixtures['token']}", "Accept": "application/json"}
    browser = {"Cookie": fixtures["cookie"]}
    milestone = fixtures["milestone_ids"][0]
    patch_bodies = [json.dumps({"status": status}) for status in ("in_progress", "planned")]
    patch = Request(
        base + reverse("api:milestone-detail", args=[milestone]),
        method="PATCH",
        headers={**api, "Content-Type": "application/json"},
        bodies=patch_bodies,
    )
    reads = {
        "api milestone list": Request(
            base + reverse("api:milestone-list") + "?page_size=100", headers=api
        ),
        "api milestone detail": Request(
            base + reverse("api:milestone-detail", args=[milestone]), headers=api
        ),
        "api deliverable list (filtered)": Request(
            base
            + reverse("api:deliverable-list")
            + "?status=in_progress&ordering=due_date&page_size=100",
            headers=api,
        ),
        "portfolio dashboard": Request(base + reverse("projects:dashboard"), headers=browser),
        "project page (largest)": Request(
            base + reverse("projects:project_detail", args=[fixtures["project_id"]]),
            headers=browser,
        ),
        "my work": Request(base + reverse("projects:my_work"), headers=browser),
    }
    # The same reads while the workspace changes once a second, as it does where people work.
    changing = {
        f"{name}, a change a second": replace(request, alongside=patch)
        for name, request in reads.items()
    }
    return {
        "floor": Request(base + "/bench/floor/"),
        **reads,
        "api milestone PATCH status": patch,
        **changing,
    }


def time_background_work(fixtures: dict) -> dict:
    """Reminder scan over the whole dataset and a digest build for every user, in process."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from notifications.digests import digest_content
    from notifications.reminders import reminder_scan

    now = timezone.now()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        reminders = reminder_scan(now=now)
        scan_seconds = time.perf_counter() - started
    users = list(get_user_model().objects.filter(memberships__isnull=False).distinct())
    started = time.perf_counter()
    for user in users:
        digest_content(user=user, since=now - timezone.timedelta(days=7), today=now.date())
    return {
        "reminder scan s": scan_seconds,
        "reminder scan queries": len(queries.captured_queries),
        "reminders created": reminders,
        "digest build s": time.perf_counter() - started,
        "digest users": len(users),
    }


def rollup_drift() -> int:
    """After every PATCH of the run: stored roll-ups that differ from a recount (what
    `manage.py check_rollups` reports; 0 when the services kept them all)."""
    from deliverables.rollups import recompute_everything

    return len(recompute_everything())


def celery_worker_peak_mb(env: dict) -> float:
    """Start a worker, run the reminder scan and the digest dispatch through it, and
    return the largest peak RSS among its processes."""
    command = [
        *(sys.executable, "-m", "celery", "-A", "milestones_site", "worker", "--concurrency", "1"),
        *("--loglevel", "WARNING", "--without-heartbeat", "--without-mingle", "--without-gossip"),
    ]
    worker = subprocess.Popen(
        command,
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=die_with_parent,
    )
    try:
        from notifications import tasks

        time.sleep(3)
        tasks.scan_reminders.delay()
        tasks.dispatch_digests.delay()
        peak, quiet_since = 0.0, time.monotonic()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and time.monotonic() - quiet_since < 5:
            pids = [worker.pid, *children_of(worker.pid)]
            now_peak = max(peak_rss_mb(pid) for pid in pids)
            if now_peak > peak:
                peak, quiet_since = now_peak, time.monotonic()
            time.sleep(0.5)
        return peak
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)


def row(name: str, result: Result, floor: Result) -> dict:
    return {
        "target": name,
        **result.as_dict(),
        "rps_ratio": result.rps / floor.rps if floor.rps else 0.0,
        "p50_ratio": result.p50_ms / floor.p50_ms if floor.p50_ms else 0.0,
    }


def print_rows(rows: list[dict]) -> None:
    print(
        f"{'target':52} {'req/s':>9} {'x floor':>8} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'errors':>7}"
    )
    for r in rows:
        print(
            f"{r['target']:52} {r['rps']:9.1f} {r['rps_ratio']:8.2f} {r['p50_ms']:8.2f} "
            f"{r['p95_ms']:8.2f} {r['p99_ms']:8.2f} {r['errors']:7d}"
        )


def print_table(report: dict) -> None:
    print(f"\nMilestones bench — {report['machine']}, {report['database']}, {report['scale']}")
    print_rows(report["http"])
    steady = report["steady_rate"]
    print(
        f"\nAt half the max rate ({steady['rate']:.0f} req/s, api milestone list): "
        f"p50 {steady['p50_ms']:.2f} ms, p99 {steady['p99_ms']:.2f} ms "
        f"(p99/p50 {steady['p99_over_p50']:.2f})"
    )
    for key, value in report["background"].items():
        print(f"{key:28} {value:.3f}" if isinstance(value, float) else f"{key:28} {value}")
    print(f"{'peak RSS gunicorn worker MB':28} {report['memory']['gunicorn_worker_mb']:.1f}")
    print(f"{'peak RSS celery worker MB':28} {report['memory']['celery_worker_mb']:.1f}")
    print(f"connections: CONN_MAX_AGE={report['conn_max_age']} for every target, floor included")


def serve_and_measure(
    env: dict,
    fixtures: dict,
    workers: int,
    *,
    seconds: float,
    warmup: float,
    concurrency: int,
    prefer_wrk: bool,
    steady: bool = False,
) -> tuple[list[dict], Result | None, float]:
    """Every target against a gunicorn started with `env`, each after its warm-up: the
    rows with their ratios to this server's floor, the latency run at half the API list's
    rate (when `steady`) and the peak RSS of a gunicorn worker."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    load = {"concurrency": concurrency, "prefer_wrk": prefer_wrk}
    with gunicorn(env, port=port, workers=workers) as server:
        results = {}
        for name, request in targets(base, fixtures).items():
            measure(request, seconds=warmup, **load)
            results[name] = measure(request, seconds=seconds, **load)
            print(f"  measured {name}: {results[name].rps:.0f} req/s", flush=True)
        # What conditional reads save a client that holds the response already (not a
        # target: the first read after a change is the one above).
        for name in READS:
            request = revalidating(targets(base, fixtures)[name])
            measure(request, seconds=warmup, **load)
            results[f"{name}, revalidated (304)"] = measure(request, seconds=seconds, **load)
        rows = [row(name, result, results["floor"]) for name, result in results.items()]
        half_rate = None
        if steady:
            listing = targets(base, fixtures)["api milestone list"]
            rate = results["api milestone list"].rps / 2
            # Warmed up at that rate like every other target, after the PATCH target's writes.
            run_python(listing, seconds=warmup, concurrency=concurrency, rate=rate)
            half_rate = run_python(listing, seconds=seconds, concurrency=concurrency, rate=rate)
        peak = max((peak_rss_mb(pid) for pid in children_of(server.pid)), default=0.0)
    return rows, half_rate, peak


def stop_on_sigterm() -> None:
    """`kill` (or make stopping on an error) ends the run like Ctrl-C does: through the
    `finally` blocks that stop the gunicorn server and the Celery worker."""
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


def main() -> None:
    stop_on_sigterm()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=SCALES, default="default")
    parser.add_argument("--projects", type=int, help="overrides --scale")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per target")
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--workers", type=int, default=3, help="gunicorn workers (3, as in the Dockerfile)"
    )
    parser.add_argument(
        "--python-load", action="store_true", help="use the Python client even if wrk exists"
    )
    parser.add_argument("--skip-seed", action="store_true", help="reuse the data of the last run")
    args = parser.parse_args()
    projects = args.projects or SCALES[args.scale]

    WORK.mkdir(parents=True, exist_ok=True)
    env = bench_env()
    os.environ.update(env)
    manage(env, "migrate", "--verbosity", "0")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    if not args.skip_seed:
        manage(env, "seed_bench", "--projects", str(projects))
    fixtures = prepare()

    measure_args = {
        "seconds": args.duration,
        "warmup": args.warmup,
        "concurrency": args.concurrency,
        "prefer_wrk": not args.python_load,
    }
    http_rows, steady, gunicorn_peak = serve_and_measure(
        env, fixtures, args.workers, steady=True, **measure_args
    )

    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.node()} · {os.cpu_count()} cores · "
        f"{platform.python_implementation()} {platform.python_version()}",
        "database": fixtures["database"],
        "conn_max_age": fixtures["conn_max_age"],
        "scale": f"{projects} projects",
        "settings": {
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "concurrency": args.concurrency,
            "gunicorn_workers": args.workers,
        },
        "http": http_rows,
        "steady_rate": {
            "rate": next(r["rps"] for r in http_rows if r["target"] == "api milestone list") / 2,
            "p50_ms": steady.p50_ms,
            "p99_ms": steady.p99_ms,
            "p99_over_p50": steady.p99_ms / steady.p50_ms if steady.p50_ms else 0.0,
            "errors": steady.errors,
        },
        "background": {
            **time_background_work(fixtures),
            "roll-ups drifted": rollup_drift(),
        },
        "memory": {
            "gunicorn_worker_mb": gunicorn_peak,
            "celery_worker_mb": celery_worker_peak_mb(env),
        },
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2, default=str) + "\n")
    print_table(report)
    errors = sum(r["errors"] for r in http_rows) + report["steady_rate"]["errors"]
    if errors:
        sys.exit(f"{errors} requests failed; see var/bench/gunicorn.log")
    if report["background"]["roll-ups drifted"]:
        sys.exit("stored roll-ups drifted during the run: see `manage.py check_rollups`")
    unmeasured = [r["target"] for r in http_rows if not r["requests"]]
    if unmeasured:
        sys.exit(f"no request completed for: {', '.join(unmeasured)}; raise --duration")


if __name__ == "__main__":
    main()

"""Real parts for the notification tests: an SMTP server, the Redis broker, a Celery worker
process sharing the test database, and a webhook receiver on loopback."""

import json
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import redis
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

from milestones_site import settings as site_settings
from milestones_site.celery import app as celery_app

BASE_DIR = Path(settings.BASE_DIR)
# A Redis database of our own on the machine's Redis; queues are unique per run besides.
REDIS_DB = 11


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition: Callable[[], bool], *, timeout: float = 20, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"Timed out after {timeout}s waiting for {what}.")


# SMTP ---------------------------------------------------------------------------------------


@dataclass
class Inbox:
    """Messages a real SMTP server accepted; `before_accept` may act on each (e.g. a fault)."""

    messages: list = field(default_factory=list)
    before_accept: Callable[[int], str | None] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope):
        if self.before_accept is not None:
            reply = self.before_accept(len(self.messages))
            if reply:
                return reply
        with self.lock:
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def message_ids(self) -> list[str]:
        with self.lock:
            return [message["Message-ID"] for message in self.messages]


@pytest.fixture
def smtp_inbox(settings):
    # The server runs in a thread of this process: hand the GIL over quickly, or every
    # SMTP round trip waits out the default 5 ms switch interval.
    switch_interval = sys.getswitchinterval()
    sys.setswitchinterval(0.0002)
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    inbox.port = controller.port
    inbox.controller = controller  # a test may stop it and put another on the same port
    yield inbox
    inbox.controller.stop()
    sys.setswitchinterval(switch_interval)


# Broker and worker --------------------------------------------------------------------------


def redis_url(db: int = REDIS_DB, port: int | None = None) -> str:
    base = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    host_port = base.split("://", 1)[1].split("/", 1)[0]
    if port is not None:
        host_port = f"{host_port.rsplit(':', 1)[0]}:{port}"
    return f"redis://{host_port}/{db}"


@contextmanager
def broker_at(url: str, queue: str, transport_options: dict | None = None):
    """Point this process's Celery app at a broker and queue (fresh connection pools); the
    transport options are the Redis broker's unless given."""
    saved = (
        celery_app.conf.broker_url,
        celery_app.conf.task_default_queue,
        celery_app.conf.broker_transport_options,
    )
    celery_app.conf.broker_url = url
    celery_app.conf.task_default_queue = queue
    celery_app.conf.broker_transport_options = (
        transport_options or settings.REDIS_BROKER_TRANSPORT_OPTIONS
    )
    celery_app._after_fork()
    try:
        yield
    finally:
        celery_app._after_fork()
        (
            celery_app.conf.broker_url,
            celery_app.conf.task_default_queue,
            celery_app.conf.broker_transport_options,
        ) = saved


@dataclass
class Broker:
    url: str
    queue: str
    client: redis.Redis

    def waiting(self) -> int:
        """Messages published to our queue and not yet taken by a worker."""
        return self.client.llen(self.queue)


@pytest.fixture
def broker():
    """The machine's Redis as the broker, on our own database and a queue unique to the test."""
    url = redis_url()
    queue = f"notify-test-{uuid.uuid4().hex[:12]}"
    client = redis.Redis.from_url(url)
    with broker_at(url, queue):
        yield Broker(url, queue, client)
    client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    client.close()


@dataclass
class FilesystemBroker:
    """The embedded broker (`make run`'s): kombu's filesystem transport in a folder of our own."""

    url: str
    queue: str
    folder: Path

    def waiting(self) -> int:
        """Messages published and not yet taken (one file each)."""
        return sum(1 for _ in (self.folder / "queue").glob("*.msg"))


@pytest.fixture
def filesystem_broker(tmp_path):
    """The filesystem broker under this test's own var folder (the worker gets the same
    folder as MILESTONES_VAR_DIR, and with it the same transport options)."""
    folder = tmp_path / "var" / "broker"
    broker = FilesystemBroker(
        "filesystem://localhost", f"notify-test-{uuid.uuid4().hex[:12]}", folder
    )
    with broker_at(broker.url, broker.queue, site_settings.filesystem_broker_options(folder)):
        yield broker


class RedisServer:
    """A redis-server process of our own, on a free port, that a test may stop and start
    again (the machine's Redis is shared and must never be stopped)."""

    def __init__(self):
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--daemonize", "no"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url())

        def answers() -> bool:
            try:
                return client.ping()
            except redis.ConnectionError:
                return False

        wait_for(answers, timeout=10, what="our redis-server")
        client.close()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


@pytest.fixture
def own_redis():
    server = RedisServer()
    server.start()
    yield server
    server.stop()


def shared_database_url() -> str:
    """The URL of the database this test runs on, for another process to share."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def child_environment(**extra: str) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST_", "CELERY_", "EMAIL_"))
    }
    env.update(
        DATABASE_URL=shared_database_url(),
        DJANGO_SETTINGS_MODULE="milestones_site.settings",
        DJANGO_LOG_LEVEL="WARNING",
        MILESTONES_SITE_URL=settings.SITE_URL,
        PYTHONPATH=str(BASE_DIR),
        **extra,
    )
    return env


class Worker:
    """A real `celery worker` process on our broker queue, sending to our SMTP server;
    `pool` as celery's --pool (`make run` uses the default, prefork), `environment` adds to
    the child's variables."""

    def __init__(
        self,
        broker: Broker | FilesystemBroker,
        smtp_port: int,
        *,
        pool: str = "solo",
        **environment: str,
    ):
        self.broker = broker
        self.smtp_port = smtp_port
        self.pool = pool
        self.environment = environment
        self.process: subprocess.Popen | None = None
        self.output: list[str] = []

    def start(self) -> "Worker":
        ready = threading.Event()
        self.output = []
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "milestones_site",
                "worker",
                f"--pool={self.pool}",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                f"--hostname=notify-{uuid.uuid4().hex[:8]}@%h",
                "-Q",
                self.broker.queue,
            ],
            cwd=BASE_DIR,
            env=child_environment(
                CELERY_BROKER_URL=self.broker.url,
                CELERY_TASK_DEFAULT_QUEUE=self.broker.queue,
                EMAIL_URL=f"smtp://127.0.0.1:{self.smtp_port}",
                # The sweep may take events at once: the tests stop the normal path first.
                MILESTONES_OUTBOX_GRACE_SECONDS="0",
                **self.environment,
            ),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

        def read():
            for line in self.process.stdout:
                self.output.append(line)
                if " ready." in line:
                    ready.set()

        threading.Thread(target=read, daemon=True).start()
        if not ready.wait(30):
            self.stop()
            raise AssertionError("The Celery worker did not start:\n" + "".join(self.output))
        return self

    def kill(self) -> None:
        """SIGKILL: no chance to finish, acknowledge or clean up."""
        self.process.kill()
        self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def start_worker(broker, smtp_inbox):
    workers = []

    def start() -> Worker:
        worker = Worker(broker, smtp_inbox.port).start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


# Webhook receiver ---------------------------------------------------------------------------


@dataclass
class Receiver:
    """A webhook receiver on loopback; answers with the statuses queued in `replies`."""

    url: str = ""
    requests: list = field(default_factory=list)
    replies: list = field(default_factory=list)


@pytest.fixture
def webhook_receiver():
    receiver = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            receiver.requests.append(
                {"headers": dict(self.headers), "body": body, "json": json.loads(body)}
            )
            status = receiver.replies.pop(0) if receiver.replies else 200
            self.send_response(status)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/milestones"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield receiver
    server.shutdown()
    server.server_close()

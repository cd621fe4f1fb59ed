"""`make run`'s script (bin/run-local): on the port PORT names, quiet, and Ctrl-C ends it
cleanly with every process it started."""

import os
import signal
import subprocess
import threading
import urllib.request

from tests.notifications.conftest import BASE_DIR, free_port, wait_for


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def test_run_local_serves_on_port_and_ctrl_c_ends_it_with_status_0(tmp_path):
    port = free_port()
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST_", "DJANGO_", "CELERY_", "EMAIL_", "MILESTONES_"))
        and key not in ("DATABASE_URL", "REDIS_URL")
    }
    environment |= {"PORT": str(port), "MILESTONES_VAR_DIR": str(tmp_path / "var")}
    # Its own process group, as a terminal's foreground job: Ctrl-C reaches the whole group.
    script = subprocess.Popen(
        ["bin/run-local"],
        cwd=BASE_DIR,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(script.stdout), daemon=True)
    reader.start()
    try:
        wait_for(
            lambda: any("Press Ctrl-C" in line for line in lines), timeout=90, what="the banner"
        )
        assert answers(f"http://127.0.0.1:{port}/accounts/login/")
        os.killpg(script.pid, signal.SIGINT)
        script.wait(timeout=30)
        reader.join(10)
    finally:
        if script.poll() is None:
            os.killpg(script.pid, signal.SIGKILL)
    output = "".join(lines)
    assert script.returncode == 0, output
    assert f"Milestones is running at http://127.0.0.1:{port}/" in output
    assert f"Open http://127.0.0.1:{port}/" in output, "the seed's links point at PORT"
    assert "No hostname was supplied" not in output + (tmp_path / "var/log/celery.log").read_text()
    assert not answers(f"http://127.0.0.1:{port}/accounts/login/"), "the server was stopped"

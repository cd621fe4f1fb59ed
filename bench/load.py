"""Load generation from a separate process: wrk when installed, else a small Python client.

Both return the same Result: requests/s, latency percentiles and the error count."""

import http.client
import json
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

WRK_SCRIPT = """
local bodies = {BODIES}
local counter = 0
wrk.method = "{METHOD}"
{HEADERS}
request = function()
  counter = counter + 1
  local body = nil
  if #bodies > 0 then body = bodies[(counter % #bodies) + 1] end
  return wrk.format(nil, nil, nil, body)
end
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    'RESULT {{"requests": %d, "seconds": %f, "p50": %f, "p95": %f, "p99": %f, "errors": %d}}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(95) / 1e3, latency:percentile(99) / 1e3, errors))
end
"""


@dataclass
class Request:
    url: str
    method: str = "GET"
    headers: dict | None = None
    bodies: list[str] | None = None  # cycled through, one per request
    # Sent once a second from another thread while this request is measured: the workspace
    # changes while it is read.
    alongside: "Request | None" = None


@dataclass
class Result:
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    requests: int
    errors: int
    tool: str

    def as_dict(self) -> dict:
        return asdict(self)


def lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string literal is a valid Lua string literal here


def run_wrk(request: Request, *, seconds: float, concurrency: int) -> Result:
    headers = "\n".join(
        f"wrk.headers[{lua_string(k)}] = {lua_string(v)}"
        for k, v in (request.headers or {}).items()
    )
    bodies = "{" + ", ".join(lua_string(b) for b in request.bodies or []) + "}"
    script = WRK_SCRIPT.replace("{BODIES}", bodies).replace("{METHOD}", request.method)
    script = script.replace("{HEADERS}", headers).replace("{{", "{").replace("}}", "}")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    threads = max(1, min(2, concurrency))
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{concurrency}",
        f"-d{max(1, round(seconds))}s",
        "-s",
        handle.name,
    ]
    output = subprocess.run(
        [*command, request.url], capture_output=True, text=True, check=True
    ).stdout
    Path(handle.name).unlink()
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    data = json.loads(line.removeprefix("RESULT "))
    return Result(
        rps=data["requests"] / data["seconds"],
        p50_ms=data["p50"],
        p95_ms=data["p95"],
        p99_ms=data["p99"],
        requests=data["requests"],
        errors=data["errors"],
        tool="wrk",
    )


def percentile(sorted_values: list[float], pct: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, round(pct / 100 * (len(sorted_values) - 1)))
    return sorted_values[index]


class Client:
    """One keep-alive connection; counts a non-2xx answer as an error."""

    def __init__(self, request: Request):
        self.request = request
        parts = urlsplit(request.url)
        self.path = parts.path + (f"?{parts.query}" if parts.query else "")
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        self.sent = 0

    def send(self) -> tuple[float, bool]:
        bodies = self.request.bodies or []
        body = bodies[self.sent % len(bodies)] if bodies else None
        self.sent += 1
        started = time.perf_counter()
        try:
            self.connection.request(
                self.request.method, self.path, body=body, headers=self.request.headers or {}
            )
            response = self.connection.getresponse()
            response.read()
            # 304 answers a revalidation (If-None-Match); a redirect would be a lost session.
            ok = 200 <= response.status < 300 or response.status == 304
        except (OSError, http.client.HTTPException):
            self.connection.close()
            ok = False
        return (time.perf_counter() - started) * 1000, ok


def revalidating(request: Request) -> Request:
    """`request` as a browser or client that holds the response already asks: with
    If-None-Match set to the ETag of one fetched now, and the cookies it set (a page's CSRF
    cookie) sent back."""
    parts = urlsplit(request.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request("GET", f"{parts.path}?{parts.query}", headers=request.headers or {})
        response = connection.getresponse()
        response.read()
        etag = response.getheader("ETag")
        set_cookies = [
            value.split(";", 1)[0] for value in response.headers.get_all("Set-Cookie") or []
        ]
    finally:
        connection.close()
    if etag is None:
        raise RuntimeError(f"{request.url} answered without an ETag")
    headers = {**(request.headers or {}), "If-None-Match": etag}
    if set_cookies:
        headers["Cookie"] = "; ".join(filter(None, [headers.get("Cookie"), *set_cookies]))
    return replace(request, headers=headers)


def summarise(latencies: list[float], errors: int, seconds: float, tool: str) -> Result:
    latencies.sort()
    return Result(
        rps=len(latencies) / seconds,
        p50_ms=statistics.median(latencies) if latencies else 0.0,
        p95_ms=percentile(latencies, 95),
        p99_ms=percentile(latencies, 99),
        requests=len(latencies),
        errors=errors,
        tool=tool,
    )


def run_python(
    request: Request, *, seconds: float, concurrency: int, rate: float | None = None
) -> Result:
    """Closed loop (as fast as answers come) or, with `rate`, an open loop at that many
    requests per second shared by the connections (latency counted from the planned send)."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker(index: int) -> None:
        nonlocal errors
        client = Client(request)
        interval = concurrency / rate if rate else 0.0
        planned = time.perf_counter() + index * (interval / concurrency if rate else 0.0)
        while time.perf_counter() < deadline:
            if rate:
                pause = planned - time.perf_counter()
                if pause > 0:
                    time.sleep(pause)
            elapsed, ok = client.send()
            waited = max(0.0, time.perf_counter() - planned) * 1000 if rate else elapsed
            with lock:
                latencies.append(max(elapsed, waited))
                errors += not ok
            planned += interval

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return summarise(latencies, errors, seconds, "python-open-loop" if rate else "python")


@contextmanager
def once_a_second(request: Request | None):
    """Sends `request` once a second in a thread while the block runs; a failed one is
    counted in the list it yields."""
    failures: list[int] = []
    stop = threading.Event()

    def send() -> None:
        client = Client(request)
        while not stop.wait(1.0):
            failures.extend([1] if not client.send()[1] else [])

    thread = threading.Thread(target=send) if request else None
    if thread:
        thread.start()
    try:
        yield failures
    finally:
        stop.set()
        if thread:
            thread.join()


def measure(
    request: Request, *, seconds: float, concurrency: int, prefer_wrk: bool = True
) -> Result:
    with once_a_second(request.alongside) as failures:
        if prefer_wrk and shutil.which("wrk"):
            result = run_wrk(request, seconds=seconds, concurrency=concurrency)
        else:
            result = run_python(request, seconds=seconds, concurrency=concurrency)
    result.errors += len(failures)
    return result

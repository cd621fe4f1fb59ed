"""`make profile TARGET="api milestone list"`: where one bench target spends its time.

Runs the target in process (Django's test client, no HTTP) against the data of the last
`make bench` run, with the bench's settings: milliseconds per request beside the floor's,
each query of one request with its time, and a pyinstrument call tree of a batch of
requests. Timings in process leave out gunicorn and the network, so they explain the
bench's figures rather than repeat them.
"""

import argparse
import os
import time

from bench.run import bench_env, prepare, targets


def client_call(request):
    """A function that sends `request` through Django's test client and returns the response."""
    from django.test import Client

    client = Client(SERVER_NAME="127.0.0.1")
    headers = {
        "HTTP_" + name.upper().replace("-", "_"): value
        for name, value in (request.headers or {}).items()
        if name.lower() != "content-type"
    }
    if request.method == "PATCH":
        bodies = request.bodies

        def send(turn: int):
            body = bodies[turn % len(bodies)]
            return client.patch(request.url, body, content_type="application/json", **headers)

        return send
    return lambda turn: client.get(request.url, **headers)


def ms_per_request(send, count: int) -> float:
    for turn in range(3):  # warm-up: first-use imports, caches, connections
        send(turn)
    started = time.perf_counter()
    for turn in range(count):
        send(turn)
    return (time.perf_counter() - started) / count * 1000


def queries_of(send) -> list[tuple[float, str]]:
    """(ms, SQL) of each query one request runs."""
    from django.db import connection

    timed = []

    def timer(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timed.append(((time.perf_counter() - started) * 1000, sql))

    with connection.execute_wrapper(timer):
        send(0)
    return timed


def has_bench_data() -> bool:
    import django
    from django.db import DatabaseError

    django.setup()
    from projects.models import Project

    try:
        return Project.objects.exists()
    except DatabaseError:  # not even migrated
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", help="a bench target's name, e.g. 'portfolio dashboard'")
    parser.add_argument("--requests", type=int, default=30, help="requests per timing")
    parser.add_argument("--no-tree", action="store_true", help="skip the call tree")
    args = parser.parse_args()

    os.environ.update(bench_env())
    if not has_bench_data():
        parser.error("no bench data in this database: run `make bench` with it first")
    fixtures = prepare()
    # In process there is no second client to change the data alongside.
    available = {name: r for name, r in targets("", fixtures).items() if r.alongside is None}
    if args.target not in available:
        parser.error(f"unknown target; choose one of: {', '.join(available)}")
    send = client_call(available[args.target])
    floor = client_call(available["floor"])

    response = send(0)
    print(f"{args.target}: HTTP {response.status_code}, {len(response.content):,} bytes")
    took = ms_per_request(send, args.requests)
    floor_took = ms_per_request(floor, args.requests)
    print(f"{took:.2f} ms per request; floor {floor_took:.2f} ms ({floor_took / took:.2f} x floor)")

    timed = queries_of(send)
    print(f"\n{len(timed)} queries, {sum(ms for ms, _ in timed):.2f} ms in the database driver:")
    for ms, sql in timed:
        print(f"  {ms:7.2f}  {sql[:110]}")

    if not args.no_tree:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        with profiler:
            for turn in range(args.requests):
                send(turn)
        print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()

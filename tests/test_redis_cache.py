"""The Redis cache backend (milestones_site/redis_cache.py): Django's, with one client object
per connection pool, against the Redis that `make test` expects."""

import os
import threading
import uuid

from milestones_site.redis_cache import RedisCache

LOCATION = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


def backend() -> RedisCache:
    return RedisCache(LOCATION, {"KEY_PREFIX": uuid.uuid4().hex})


def test_every_call_shares_one_client_and_the_cache_still_works():
    cache = backend()
    assert cache._cache.get_client("a") is cache._cache.get_client("b", write=True)
    cache.set("page", (b"body", {"ETag": '"1-2"'}), 30)
    assert cache.get("page") == (b"body", {"ETag": '"1-2"'})
    assert cache.add("hits", 1, 30) and cache.incr("hits") == 2
    cache.delete_many(["page", "hits"])
    assert cache.get("page") is None


def test_threads_use_the_shared_client_at_once():
    cache = backend()
    failures = []

    def count():
        try:
            for _ in range(200):
                cache.incr("counter")
        except Exception as error:
            failures.append(error)

    cache.set("counter", 0, 30)
    threads = [threading.Thread(target=count) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == [] and cache.get("counter") == 800
    cache.delete("counter")

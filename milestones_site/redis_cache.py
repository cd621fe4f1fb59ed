"""Django's Redis cache with one client object per connection pool.

Django's client makes a new `redis.Redis` for every cache call, and redis-py 8 builds a
table of some 170 response callbacks for each one: 150 µs a call, twice a cached API read
(the throttle counter and the page), more than the Redis round trip. A `redis.Redis` is
safe to share between threads; its connections come from the pool either way."""

from django.core.cache.backends import redis


class SharedClientRedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient

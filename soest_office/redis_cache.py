"""Django's Redis cache backend, with one redis-py client per connection pool.

Django makes a new `redis.Redis` for every cache call, and redis-py's constructor builds
its table of response callbacks each time: with six cache calls on a cached page that was
about a sixth of its time under load (bench/README.md, issue 20). A client only wraps the
pool, which hands out the connections, and may be shared by the threads of a process."""

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))  # the pools live as long as this object
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

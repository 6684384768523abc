"""The Redis cache backend makes its redis-py client once per connection pool, not once per
cache call (soest_office/redis_cache.py). Making a client connects nowhere, so this runs
without a Redis server; the production run of the suite (REDIS_URL) uses the backend for
every cached page."""

from django.core.cache.backends.redis import RedisCacheClient as DjangoClient

from soest_office.redis_cache import RedisCache


def test_one_client_serves_every_call_of_a_pool():
    backend = RedisCache("redis://127.0.0.1:6379/9", {})
    client = backend._cache.get_client()
    assert backend._cache.get_client("some-key") is client
    assert backend._cache.get_client(write=True) is client
    # Django's own client makes a new one per call: the reason for the subclass.
    django_client = DjangoClient(["redis://127.0.0.1:6379/9"])
    assert django_client.get_client() is not django_client.get_client()


def test_each_server_gets_its_own_client():
    backend = RedisCache("redis://127.0.0.1:6379/9;redis://127.0.0.1:6379/10", {})
    writer = backend._cache.get_client(write=True)
    reader = backend._cache.get_client()  # the second server: reads go to replicas
    assert writer is not reader
    assert writer.connection_pool.connection_kwargs["db"] == 9
    assert reader.connection_pool.connection_kwargs["db"] == 10

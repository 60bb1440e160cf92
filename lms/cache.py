"""Django's Redis cache, with one Redis client per connection pool instead of one per call.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` object for every cache
call; with redis-py 8 that object's constructor fills a table of about 170 response
callbacks, which cost more CPU than the round trip itself (10 % of a lesson page's time
in a profile, three calls a request). A `redis.Redis` is safe to share: it takes a
connection from its pool for each command, and the pool reconnects after a fork.
"""

from django.core.cache.backends import redis as django_redis


class _Client(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(
                connection_pool=self._get_connection_pool(index)
            )
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _Client


# Reads `KEYS`, then, when the first key holds a value, the keys `ARGV` with `{id}` replaced
# by that value: what depends on a pointer in the same round trip.
_READ_FOLLOWING = """
local values = redis.call('MGET', unpack(KEYS))
local id = values[1]
if not id then return {values, {}} end
local following = {}
for i, template in ipairs(ARGV) do following[i] = (string.gsub(template, '{id}', id)) end
return {values, redis.call('MGET', unpack(following))}
"""


def _read_following_script(backend):
    client = backend._cache.get_client()
    found = backend.__dict__.get("_read_following")
    if found is None or found[0] is not client:
        found = backend.__dict__["_read_following"] = (
            client,
            client.register_script(_READ_FOLLOWING),
        )
    return found[1]


def read_following(backend, *, pointer: str, keys: list[str], following: list[str]):
    """One round trip: the value of `pointer`, those of `keys` (a dict, as `get_many`), and
    those of `following` (key templates holding `{id}`) for the pointer's value, or None
    when the pointer has none. The following keys are read only when the pointer is set."""
    script = _read_following_script(backend)
    names = [backend.make_and_validate_key(key) for key in [pointer, *keys]]
    templates = [backend.make_and_validate_key(key) for key in following]
    values, more = script(keys=names, args=templates)
    loads = backend._cache._serializer.loads

    def read(names, values):
        return {n: loads(v) for n, v in zip(names, values, strict=True) if v is not None}

    if values[0] is None:
        return None, read(keys, values[1:]), None
    return loads(values[0]), read(keys, values[1:]), read(following, more)

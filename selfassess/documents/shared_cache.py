"""Where drawn charts and laid-out PDFs are kept: this process's memory, or Redis shared by all.

Charts take tens of milliseconds and a report PDF seconds, so each is made once per state of
what it shows and kept. With one app server the embedded default keeps them in small in-process
LRUs (``make run`` needs nothing more). With several app servers (``REDIS_URL`` set), a chart or
PDF made by one worker is kept in Redis for every other, with an expiry, so a page costs the
same whichever server answers it.

Keys are the callers' state keys (tuples of ids, dates and counts), hashed; a key holds
everything the value shows, so a change of data is a new key and nothing is ever stale, only
unused. A value is made once even when several ask for it at the same moment (four analysts
opening a changed national picture, or one opening it while its charts are drawn in the
background): the others wait for it. Redis being unreachable never fails a page: the value is
made as if nothing were kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import threading
import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from cachetools import LRUCache

log = logging.getLogger(__name__)
T = TypeVar("T")

# How long Redis keeps a value unused: a day covers PDFs (dated by the day they are made).
EXPIRES_SECONDS = 24 * 60 * 60
PREFIX = "selfassess:cache:"
# A value being made is waited for, by other threads and app servers, up to this long.
MAKING_SECONDS = 120
WAIT_STEP_SECONDS = 0.05


class _Redis:
    """The Redis every app server shares, or None when none is configured (the default)."""

    client = None
    prefix = PREFIX


_redis = _Redis()


def configure(url: str | None, prefix: str = PREFIX) -> None:
    """Keep values in the Redis at url (``redis://host:port/db``), or, for None, in memory."""
    if not url:
        _redis.client = None
        return
    import redis  # only a deployment with several app servers needs it loaded

    _redis.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    _redis.prefix = prefix


def shared() -> bool:
    """Whether values are shared between app servers (Redis), not kept per process."""
    return _redis.client is not None


def client():
    """The shared Redis client, or None when values are kept per process."""
    return _redis.client


def key_prefix() -> str:
    """What every key this deployment keeps in Redis starts with (tests give each run its own)."""
    return _redis.prefix


class Kept(Generic[T]):
    """Values of one kind (say, report charts), made once per key.

    ``encode`` and ``decode`` turn a value into bytes and back for Redis; in memory the value
    itself is kept, up to ``size`` of the most recently used.
    """

    def __init__(
        self,
        name: str,
        size: int,
        encode: Callable[[T], bytes],
        decode: Callable[[bytes], T],
    ) -> None:
        self.name = name
        self._memory: LRUCache[Hashable, T] = LRUCache(maxsize=size)
        self._lock = threading.Lock()
        self._making: dict[Hashable, threading.Event] = {}  # keys being made in this process
        self._encode = encode
        self._decode = decode

    @property
    def size(self) -> int:
        return int(self._memory.maxsize)

    def _redis_key(self, key: Hashable) -> str:
        # repr of tuples of ints, strings, dates and None is the same in every process.
        digest = hashlib.sha256(repr(key).encode("utf-8")).hexdigest()
        return f"{_redis.prefix}{self.name}:{digest}"

    def get_or_make(self, key: Hashable, make: Callable[[], T]) -> T:
        client = _redis.client
        if client is None:
            return self._from_memory(key, make)
        name = self._redis_key(key)
        try:
            stored = client.get(name)
        except Exception:  # noqa: BLE001 - a cache that cannot answer is no cache, not an error
            log.warning("Redis did not answer; %s made without the shared cache", self.name)
            return make()
        if stored is not None:
            return self._decode(stored)
        # One app server makes it; the others wait for it rather than each making the same.
        making = f"{name}:making"
        try:
            mine = client.set(making, b"1", nx=True, ex=MAKING_SECONDS)
        except Exception:  # noqa: BLE001
            mine = True
        if not mine:
            waited = self._wait_in_redis(client, name, making)
            if waited is not None:
                return waited
        try:
            value = make()
            try:
                client.set(name, self._encode(value), ex=EXPIRES_SECONDS)
            except Exception:  # noqa: BLE001
                log.warning("Redis did not keep a %s value", self.name)
        finally:
            if mine:
                with contextlib.suppress(Exception):
                    client.delete(making)
        return value

    def _wait_in_redis(self, client, name: str, making: str) -> T | None:
        """The value another app server is making, once it is kept; None if it stops making
        it (failed, or gone) before then."""
        deadline = time.monotonic() + MAKING_SECONDS
        try:
            while time.monotonic() < deadline:
                time.sleep(WAIT_STEP_SECONDS)
                stored = client.get(name)
                if stored is not None:
                    return self._decode(stored)
                if not client.exists(making):
                    return None
        except Exception:  # noqa: BLE001
            return None
        return None

    def peek(self, key: Hashable) -> T | None:
        """The value kept for key, or None; nothing is made."""
        client = _redis.client
        if client is None:
            with self._lock:
                return self._memory.get(key)
        try:
            stored = client.get(self._redis_key(key))
        except Exception:  # noqa: BLE001
            return None
        return None if stored is None else self._decode(stored)

    def put(self, key: Hashable, value: T) -> None:
        client = _redis.client
        if client is None:
            with self._lock:
                self._memory[key] = value
            return
        client.set(self._redis_key(key), self._encode(value), ex=EXPIRES_SECONDS)

    def _from_memory(self, key: Hashable, make: Callable[[], T]) -> T:
        with self._lock:
            if key in self._memory:
                return self._memory[key]
            made_elsewhere = self._making.get(key)
            if made_elsewhere is None:
                made_elsewhere = self._making[key] = threading.Event()
                mine = True
            else:
                mine = False
        if not mine:
            # Another thread is making it: wait for that, not make it twice at once.
            made_elsewhere.wait(MAKING_SECONDS)
            with self._lock:
                if key in self._memory:
                    return self._memory[key]
            return make()  # it failed, or was let go already: made here after all
        # Made outside the lock: a slow PDF must not hold up every other page's charts.
        try:
            value = make()
            with self._lock:
                return self._memory.setdefault(key, value)
        finally:
            with self._lock:
                self._making.pop(key, None)
            made_elsewhere.set()

    def clear(self) -> None:
        """Forget every value of this kind, here and (when shared) in Redis."""
        with self._lock:
            self._memory.clear()
        client = _redis.client
        if client is not None:
            for name in client.scan_iter(f"{_redis.prefix}{self.name}:*"):
                client.delete(name)

    def __len__(self) -> int:
        with self._lock:
            return len(self._memory)

"""The recorder's buffer: chunks acknowledged (kept to answer REPLAY), in flight, and pending.

Bounded by ``RECORDER_BUFFER_SECONDS`` and ``RECORDER_BUFFER_BYTES``, like the Java recorder's.
A live source never waits: when full, the oldest chunk goes, acknowledged ones first. A finite
source (a file, an array) waits instead, so nothing it produces is ever dropped.
"""
from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass
from typing import Callable, Deque, List, Optional


@dataclass(frozen=True)
class Chunk:
    """One captured chunk; ``seq`` is local (the wire seq is the base fixed at the first WELCOME plus it)."""
    seq: int
    capture_time_nanos: int
    frames: int
    samples: bytes
    duration: float


class RecorderBuffer:
    """Thread-safe: the capture thread offers, the network thread sends and acknowledges."""

    def __init__(self, max_seconds: float, max_bytes: int) -> None:
        self.max_seconds = max_seconds
        self.max_bytes = max_bytes
        self.acknowledged: Deque[Chunk] = deque()
        self.in_flight: Deque[Chunk] = deque()
        self.pending: Deque[Chunk] = deque()
        self.held_seconds = 0.0
        self.held_bytes = 0
        self.dropped = 0
        self.changed = threading.Condition()

    def _held(self) -> int:
        return len(self.acknowledged) + len(self.in_flight) + len(self.pending)

    def _over(self, extra_seconds: float = 0.0, extra_bytes: int = 0) -> bool:
        return (self.held_seconds + extra_seconds > self.max_seconds + 1e-9
                or self.held_bytes + extra_bytes > self.max_bytes)

    def _forget(self, c: Chunk) -> None:
        self.held_seconds -= c.duration
        self.held_bytes -= len(c.samples)

    def offer(self, chunk: Chunk) -> int:
        """Adds ``chunk``, dropping the oldest while over the bounds; returns how many unacknowledged were dropped."""
        with self.changed:
            self._add(chunk)
            lost = 0
            while self._over() and self._held() > 1:
                if self.acknowledged:
                    old = self.acknowledged.popleft()
                else:
                    old = self.in_flight.popleft() if self.in_flight else self.pending.popleft()
                    lost += 1
                self._forget(old)
            self.dropped += lost
            return lost

    def offer_waiting(self, chunk: Chunk, stop: Callable[[], bool]) -> bool:
        """Adds ``chunk`` once it fits, dropping acknowledged chunks only; waits while unacknowledged
        ones fill the bounds. Returns False if ``stop()`` became true while waiting."""
        with self.changed:
            while True:
                while self._over(chunk.duration, len(chunk.samples)) and self.acknowledged:
                    self._forget(self.acknowledged.popleft())
                if not self._over(chunk.duration, len(chunk.samples)) or self._held() == 0:
                    self._add(chunk)
                    return True
                if stop():
                    return False
                self.changed.wait(0.25)

    def _add(self, chunk: Chunk) -> None:
        self.pending.append(chunk)
        self.held_seconds += chunk.duration
        self.held_bytes += len(chunk.samples)

    def next_to_send(self, window: int) -> Optional[Chunk]:
        """The next pending chunk if fewer than ``window`` are in flight."""
        with self.changed:
            if len(self.in_flight) >= window or not self.pending:
                return None
            c = self.pending.popleft()
            self.in_flight.append(c)
            return c

    def acknowledge(self, seq: int) -> int:
        """Everything up to local ``seq`` is held by the mailman; returns how many chunks that newly covers."""
        with self.changed:
            n = 0
            for q in (self.in_flight, self.pending):
                while q and q[0].seq <= seq:
                    self.acknowledged.append(q.popleft())
                    n += 1
            if n:
                self.changed.notify_all()
            return n

    def rewind(self) -> None:
        """The connection is gone: what was in flight is pending again, in order."""
        with self.changed:
            while self.in_flight:
                self.pending.appendleft(self.in_flight.pop())

    def replay(self, first: int, last: int) -> List[Chunk]:
        """The acknowledged chunks with local seq in ``first..last``."""
        with self.changed:
            return [c for c in self.acknowledged if first <= c.seq <= last]

    def unacknowledged(self) -> int:
        with self.changed:
            return len(self.in_flight) + len(self.pending)

    def wait_acknowledged(self, timeout: float, give_up: Callable[[], bool]) -> bool:
        """Waits until nothing is unacknowledged; False on timeout or ``give_up()``."""
        import time
        deadline = time.monotonic() + timeout
        with self.changed:
            while self.in_flight or self.pending:
                left = deadline - time.monotonic()
                if left <= 0 or give_up():
                    return False
                self.changed.wait(min(left, 0.25))
            return True

"""A client's connection to the mailman: connect, handshake, heartbeats, and reconnect every
``RECONNECT_SECONDS`` (the paper's 1 Hz) until closed.

One network thread per client owns the socket: it reads, answers PINGs, sends PINGs when it has
written nothing for ``HEARTBEAT_SECONDS``, declares the mailman dead after 3 × the WELCOME's
heartbeat of silence (PROTOCOL.md §5.9), and writes what the recorder or processor asks for in
:meth:`Handler.pump`. Other threads never touch the socket; they call :meth:`Connection.wake`.
Log discipline as the Java clients: the first failed attempt is a WARNING naming the address,
later ones DEBUG, with an INFO every 30 attempts.
"""
from __future__ import annotations

import hashlib
import logging
import os
import select
import socket
import ssl
import threading
import time
from typing import List, Optional

from . import wire
from .config import Config
from .errors import MailmanError

log = logging.getLogger("audiosockets.connection")

BYE_TIMEOUT = 2.0
CONNECT_TIMEOUT = 5.0
_RECV_BYTES = 256 * 1024


class Handler:
    """What a recorder or processor does with its connection. Every method runs on the network
    thread and must not block for long."""

    def hello(self) -> wire.Hello:
        """The HELLO for the next attempt."""
        raise NotImplementedError

    def on_welcome(self, link: "Link", welcome: wire.Welcome, reconnect: bool) -> None:
        """The handshake succeeded."""

    def on_frame(self, link: "Link", frame: wire.Frame) -> None:
        """A frame after the handshake, other than PING, PONG, BYE and ERROR."""

    def pump(self, link: "Link") -> None:
        """Called on every turn of the network loop while welcomed: send what is due."""

    def on_disconnected(self) -> None:
        """The welcomed connection is gone."""


class Link:
    """The current connection as the handler sees it: bytes given to :meth:`send` are written
    at the end of the loop turn, in order."""

    def __init__(self) -> None:
        self.out: List[bytes] = []

    def send(self, data: bytes) -> None:
        """Queues ``data`` (a whole frame) for writing."""
        self.out.append(data)


class _Closed(Exception):
    """This connection is over; reconnect."""


class _Fatal(Exception):
    """Stop for good with ``error``."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(str(error))
        self.error = error


def _normalise_fingerprint(text: str) -> str:
    return text.replace(":", "").replace(" ", "").lower()


def tls_context(config: Config) -> Optional[ssl.SSLContext]:
    """The client TLS context the config asks for, or ``None`` for plain TCP."""
    if not config.client_tls:
        return None
    if config.tls_fingerprint:
        # Trust is the pinned fingerprint, checked after the handshake (a self-signed certificate).
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        return ctx
    ctx = ssl.create_default_context(cafile=config.tls_ca) if config.tls_ca else ssl.create_default_context()
    return ctx


class Connection:
    """Connects ``handler`` to the mailman of ``config`` and keeps it connected until :meth:`close`."""

    def __init__(self, label: str, config: Config, handler: Handler) -> None:
        self.label = label
        self.config = config
        self.handler = handler
        self._tls = tls_context(config)
        self._closing = threading.Event()
        self.first_welcome = threading.Event()
        self.terminated = threading.Event()
        self.welcomed = False
        self.failure: Optional[BaseException] = None
        self._ever_welcomed = False
        self._failed_attempts = 0
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)
        self._wake_pending = False
        self._thread: Optional[threading.Thread] = None
        # 3 x WELCOME.heartbeatMillis: silence this long means the mailman is gone (PROTOCOL.md §5.9).
        self._welcome_heartbeat: Optional[float] = None

    @property
    def where(self) -> str:
        return f"{self.config.host}:{self.config.port}"

    def start(self) -> None:
        """Starts connecting on the network thread. Idempotent."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name=f"audiosockets-{self.label}", daemon=True)
            self._thread.start()

    def wake(self) -> None:
        """Makes the network thread call :meth:`Handler.pump` soon. Any thread."""
        if not self._wake_pending:
            self._wake_pending = True
            try:
                self._wake_w.send(b"\0")
            except (BlockingIOError, OSError):
                pass  # already full of wake-ups, or closed

    def close(self, timeout: float = BYE_TIMEOUT + 1.0) -> None:
        """Says BYE with ``DISCONNECT_MSG``, waits up to 2 s for the answer, and stops reconnecting."""
        self._closing.set()
        self.wake()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)
        if self._thread is None:
            self.terminated.set()

    # ------------------------------------------------------------ network thread
    def _run(self) -> None:
        try:
            while not self._closing.is_set():
                sock = self._connect()
                if sock is not None:
                    reason = self._serve(sock)
                    if self.welcomed:
                        self.welcomed = False
                        try:
                            self.handler.on_disconnected()
                        finally:
                            if not self._closing.is_set():
                                log.warning("%s: lost the mailman (%s); reconnecting every %g s", self.label, reason,
                                            self.config.reconnect_seconds)
                    elif reason and not self._closing.is_set():
                        self._ended_before_welcome(reason)
                if not self._closing.is_set():
                    self._closing.wait(self.config.reconnect_seconds)
        except _Fatal as f:
            self.failure = f.error
            log.error("%s", f.error)
        except BaseException as e:  # a bug: report it rather than die silently
            self.failure = e
            log.exception("%s: network thread failed", self.label)
        finally:
            self.terminated.set()
            self.first_welcome.set()
            for s in (self._wake_r, self._wake_w):
                s.close()

    def _connect(self) -> Optional[socket.socket]:
        host, port = self.config.host, self.config.port
        try:
            sock = socket.create_connection((host, port), timeout=CONNECT_TIMEOUT)
        except OSError as e:
            self._attempt_failed(e.strerror or str(e))
            return None
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self._tls is None:
            return sock
        try:
            tls = self._tls.wrap_socket(sock, server_hostname=host)
            if self.config.tls_fingerprint:
                der = tls.getpeercert(binary_form=True) or b""
                got = hashlib.sha256(der).hexdigest()
                if got != _normalise_fingerprint(self.config.tls_fingerprint):
                    tls.close()
                    raise ssl.SSLError(f"the mailman's certificate has fingerprint {got.upper()}, not the pinned "
                                       "TLS_FINGERPRINT")
            return tls
        except (ssl.SSLError, OSError) as e:
            sock.close()
            if self._failed_attempts % 30 == 0:
                log.error("%s: TLS handshake with the mailman at %s failed: %s. Check TLS_FINGERPRINT or TLS_CA (and "
                          "that the mailman speaks TLS); retrying every %g s", self.label, self.where, e,
                          self.config.reconnect_seconds)
            self._failed_attempts += 1
            return None

    def _ended_before_welcome(self, reason: str) -> None:
        self._failed_attempts += 1
        if self._failed_attempts % 30 != 1:
            log.debug("%s: connection ended before WELCOME: %s", self.label, reason)
        elif self._tls is None:
            log.warning("%s: the server at %s ended the connection before WELCOME (%s): is it an audiosockets "
                        "mailman, and does it speak TLS (then set TLS_FINGERPRINT, TLS_CA or TLS)? Retrying every %g s",
                        self.label, self.where, reason, self.config.reconnect_seconds)
        else:
            log.warning("%s: the server at %s ended the connection before WELCOME (%s); retrying every %g s",
                        self.label, self.where, reason, self.config.reconnect_seconds)

    def _attempt_failed(self, why: str) -> None:
        self._failed_attempts += 1
        n = self._failed_attempts
        if n == 1:
            log.warning("%s: mailman at %s not reachable (%s); retrying every %g s", self.label, self.where, why,
                        self.config.reconnect_seconds)
        elif n % 30 == 0:
            log.info("%s: mailman at %s still not reachable after %d attempts (%s)", self.label, self.where, n, why)
        else:
            log.debug("%s: attempt %d to reach the mailman at %s failed: %s", self.label, n, self.where, why)

    def _serve(self, sock: socket.socket) -> str:
        """Runs one connection; returns why it ended."""
        link = Link()
        self._welcome_heartbeat = None
        reader = wire.FrameReader(self.config.max_frame_bytes)
        sock.settimeout(max(self.config.heartbeat_timeout_seconds, CONNECT_TIMEOUT))
        is_tls = isinstance(sock, ssl.SSLSocket)
        now = time.monotonic()
        last_read = last_write = now
        silence = self.config.heartbeat_timeout_seconds or None   # before WELCOME: the config's timeout
        ping_every = self.config.heartbeat_seconds or None
        bye_deadline: Optional[float] = None
        link.send(wire.encode_hello(self.handler.hello()))
        try:
            while True:
                # Wake-ups are consumed, then the flag cleared, and only then is what they announce looked
                # at: a wake() that finds the flag still set announced something this turn will see.
                try:
                    while self._wake_r.recv(4096):
                        pass
                except (BlockingIOError, InterruptedError):
                    pass
                self._wake_pending = False
                if self._closing.is_set() and bye_deadline is None:
                    if not self.welcomed:
                        return "closed"
                    link.send(wire.encode_bye(self.config.disconnect_msg))
                    bye_deadline = time.monotonic() + BYE_TIMEOUT
                if self.welcomed and bye_deadline is None:
                    self.handler.pump(link)
                if link.out:
                    data = b"".join(link.out)
                    link.out.clear()
                    sock.sendall(data)
                    last_write = time.monotonic()
                now = time.monotonic()
                deadlines = [x for x in (last_write + ping_every if ping_every else None,
                                         last_read + silence if silence else None, bye_deadline) if x is not None]
                wait = max(0.0, min(deadlines) - now) if deadlines else None
                if is_tls and sock.pending():
                    readable = True
                else:
                    r, _, _ = select.select([sock, self._wake_r], [], [], wait)
                    readable = sock in r
                if readable:
                    try:
                        data = sock.recv(_RECV_BYTES)
                    except ssl.SSLWantReadError:
                        data = None
                    if data == b"":
                        return "the mailman closed the connection" if bye_deadline is None else "goodbye"
                    if data:
                        last_read = time.monotonic()
                        try:
                            frames = reader.feed(data)
                        except wire.ProtocolError as e:
                            self._protocol_error(link, sock, e)
                            return f"protocol error: {e}"
                        for f in frames:
                            end = self._dispatch(link, f, bye_deadline is not None)
                            if end is not None:
                                if link.out:
                                    sock.sendall(b"".join(link.out))
                                    link.out.clear()
                                return end
                now = time.monotonic()
                if silence and now - last_read > silence:
                    return f"mailman silent for {silence:g} s"
                if ping_every and now - last_write >= ping_every:
                    link.send(wire.encode_ping(int.from_bytes(os.urandom(8), "big", signed=True)))
                if bye_deadline is not None and now > bye_deadline:
                    log.warning("%s: the mailman did not answer BYE within %g s; closing anyway", self.label, BYE_TIMEOUT)
                    return "goodbye (unanswered)"
                if self.welcomed and self._welcome_heartbeat is not None:
                    silence = self._welcome_heartbeat
        except (OSError, ssl.SSLError) as e:
            return str(e) or type(e).__name__
        finally:
            try:
                sock.close()
            except OSError:
                pass

    def _protocol_error(self, link: Link, sock: socket.socket, e: wire.ProtocolError) -> None:
        if not self._ever_welcomed and not self.welcomed:
            hint = "check SERVER and PORT"
            if self._tls is None and e.first_byte in (0x15, 0x16):
                hint = "it speaks TLS: set TLS_FINGERPRINT, TLS_CA or TLS in the config"
            raise _Fatal(MailmanError(f"{self.label}: the server at {self.where} is not an audiosockets mailman "
                                      f"({e}); {hint}", None, None))
        log.warning("%s: protocol error from the mailman: %s; reconnecting", self.label, e)
        try:
            sock.sendall(wire.encode_error(e.code, str(e)))
        except OSError:
            pass

    def _dispatch(self, link: Link, f: wire.Frame, saying_bye: bool) -> Optional[str]:
        """Handles one frame; returns a reason if the connection is over."""
        if isinstance(f, (wire.Audio, wire.RecordFrame, wire.Ack, wire.Gap, wire.Replay)):
            if not self.welcomed:
                link.send(wire.encode_error(wire.HANDSHAKE_REQUIRED, f"the mailman sent {type(f).__name__.upper()} "
                                            "before WELCOME"))
                return "protocol error: frame before WELCOME"
            if not saying_bye:
                self.handler.on_frame(link, f)
            return None
        if isinstance(f, wire.Ping):
            link.send(wire.encode_pong(f.nonce))
            return None
        if isinstance(f, wire.Pong):
            return None
        if isinstance(f, wire.Welcome):
            return self._on_welcome(link, f)
        if isinstance(f, wire.ErrorFrame):
            return self._on_error(f)
        if isinstance(f, wire.Bye):
            if saying_bye:
                return "goodbye"
            link.send(wire.encode_bye(self.config.disconnect_msg))
            return "the mailman said goodbye"
        link.send(wire.encode_error(10, f"a client does not accept {type(f).__name__.upper()}"))
        return f"unexpected {type(f).__name__.upper()} from the mailman"

    def _on_welcome(self, link: Link, w: wire.Welcome) -> Optional[str]:
        if self.welcomed:
            return "second WELCOME"
        reconnect = self._ever_welcomed
        self._ever_welcomed = True
        self.welcomed = True
        self._failed_attempts = 0
        self._welcome_heartbeat = 3 * w.heartbeat_millis / 1000.0 if w.heartbeat_millis > 0 else None
        log.info("%s: %s to %s at %s (session #%d)", self.label, "reconnected" if reconnect else "connected", w.server,
                 self.where, w.session_id)
        self.handler.on_welcome(link, w, reconnect)
        self.first_welcome.set()
        return None

    def _on_error(self, e: wire.ErrorFrame) -> str:
        fatal = e.code in wire.CLIENT_FAULT
        reason = f"mailman sent ERROR {e.name}: {e.message}"
        if fatal:
            hint = "fix the configuration and start again"
            if e.code == wire.UNSUPPORTED_VERSION and not self._ever_welcomed:
                # Our HELLO says version 2 (PROTOCOL.md §7): a mailman of version 1 refuses it.
                hint = "a mailman of protocol version 1 is reached with protocol_version=1 (audio only)"
            raise _Fatal(MailmanError(f"{self.label}: the mailman refused: {e.message} ({e.name}). Not retrying: {hint}",
                                      e.code, e.name))
        if e.code == wire.NAME_IN_USE:
            if self._failed_attempts % 30 == 0:
                log.warning("%s: %s; retrying every %g s", self.label, e.message, self.config.reconnect_seconds)
            self._failed_attempts += 1
        else:
            log.warning("%s: %s", self.label, reason)
        return reason

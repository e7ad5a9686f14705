"""The connection against a scripted peer on a real socket: PING answered, a silent mailman
declared dead after 3 x its heartbeat and reconnected to, positions in every HELLO after the
first, an unasked BYE answered."""
import socket
import threading
import time


from conftest import wait_for
from audiosockets import BaseProcessorSocket, Config, wire


class ScriptedMailman:
    """Accepts connections; hands each one to ``script(conn, hello)`` on its own thread."""

    def __init__(self, script) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        self.hellos = []
        self.script = script
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self) -> None:
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.run, args=(c,), daemon=True).start()

    def run(self, c: socket.socket) -> None:
        reader = wire.FrameReader()
        hello = self.read(c, reader)[0]
        self.hellos.append(hello)
        try:
            self.script(self, c, reader, hello)
        except OSError:
            pass
        finally:
            c.close()

    @staticmethod
    def read(c: socket.socket, reader: wire.FrameReader):
        while True:
            data = c.recv(65536)
            if not data:
                raise OSError("closed")
            frames = reader.feed(data)
            if frames:
                return frames

    @staticmethod
    def welcome(heartbeat_ms: int) -> bytes:
        return wire.frame(wire.WELCOME, wire.string("scripted/1") + wire._WELCOME_TAIL.pack(1, 4 << 20, heartbeat_ms, -1))

    def close(self) -> None:
        self.sock.close()


def config(port: int) -> Config:
    return Config(port=port, reconnect_seconds=0.2, heartbeat_seconds=5, heartbeat_timeout_seconds=15)


def audio(seq: int) -> bytes:
    return wire.encode_audio("mic", seq, 0, 16000, 1, wire.FORMAT_S16, 2, b"\x01\x00\x02\x00")


def test_ping_answered_silence_is_death_and_positions_follow_on_reconnect():
    pongs = []

    def script(server, c, reader, hello):
        c.sendall(server.welcome(heartbeat_ms=200))
        if len(server.hellos) == 1:
            c.sendall(wire.encode_ping(0x0102030405060708) + audio(0) + audio(1))
            frames = []
            while not any(isinstance(f, wire.Ack) and f.seq == 1 for f in frames):
                frames += server.read(c, reader)
            pongs.extend(f for f in frames if isinstance(f, wire.Pong))
            time.sleep(30)   # then silence: the client must give up on us after 3 x 200 ms
        else:
            time.sleep(30)

    server = ScriptedMailman(script)
    got = []
    proc = BaseProcessorSocket.of("hb", config(server.port), lambda d: got.append(d["seq"])).start_async()
    wait_for(lambda: len(server.hellos) >= 2, timeout=20, what="the client to reconnect after the silence")
    proc.close()
    server.close()
    assert pongs == [wire.Pong(0x0102030405060708)]
    assert got == [0, 1]
    first, second = server.hellos[:2]
    assert first.instance_id == second.instance_id, "one object keeps its instanceId across reconnects"
    assert first.positions == () and second.positions == (("mic", 2),), "the next HELLO asks for what comes next"


def test_an_unasked_bye_is_answered_and_the_client_reconnects():
    byes = []

    def script(server, c, reader, hello):
        c.sendall(server.welcome(heartbeat_ms=5000))
        if len(server.hellos) == 1:
            c.sendall(wire.encode_bye("DISCONNECT"))
            byes.extend(f for f in server.read(c, reader) if isinstance(f, wire.Bye))
        else:
            time.sleep(30)

    server = ScriptedMailman(script)
    proc = BaseProcessorSocket.of("bye", config(server.port), print).start_async()
    wait_for(lambda: len(server.hellos) >= 2, timeout=20, what="the client to reconnect")
    proc.close()
    server.close()
    assert byes == [wire.Bye("DISCONNECT")]


def test_close_says_bye_with_disconnect_msg_and_waits_for_the_answer():
    said = []

    def script(server, c, reader, hello):
        c.sendall(server.welcome(heartbeat_ms=5000))
        frames = server.read(c, reader)
        said.extend(frames)
        c.sendall(wire.encode_bye("BYE-NOW"))

    server = ScriptedMailman(script)
    cfg = Config(port=server.port, disconnect_msg="BYE-NOW")
    proc = BaseProcessorSocket.of("closer", cfg, print).start_async()
    assert proc.connected.wait(10)
    proc.close()
    server.close()
    assert said == [wire.Bye("BYE-NOW")]
    assert proc._core.connection.terminated.is_set()


def test_close_is_not_lost_among_concurrent_wake_ups():
    def script(server, c, reader, hello):
        c.sendall(server.welcome(heartbeat_ms=5000))
        while True:
            if any(isinstance(f, wire.Bye) for f in server.read(c, reader)):
                c.sendall(wire.encode_bye("DISCONNECT"))
                return

    server = ScriptedMailman(script)
    for attempt in range(5):
        proc = BaseProcessorSocket.of(f"w{attempt}", config(server.port), print).start_async()
        assert proc.connected.wait(10)
        conn = proc._core.connection
        stop = threading.Event()

        def hammer():                     # as a processing thread acknowledging chunks as fast as it can
            while not stop.is_set():
                conn.wake()
        t = threading.Thread(target=hammer)
        t.start()
        time.sleep(0.3)
        proc.close()                      # waits at most BYE_TIMEOUT + 1 s for the network thread
        stop.set()
        t.join()
        assert conn.terminated.is_set(), "close() was not noticed: a wake-up was lost"
    server.close()

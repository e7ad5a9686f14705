"""The codec against the byte-exact examples of PROTOCOL.md §4, and the receiver checks of §2."""
import pytest

from audiosockets import wire


def hx(text: str) -> bytes:
    return bytes.fromhex(" ".join(text.split()))


def test_hello_examples_are_byte_exact():
    vad = wire.Hello(wire.ROLE_PROCESSOR, "VAD", 0x0123456789ABCDEF)
    assert wire.encode_hello(vad) == hx("""41 53 01 01 00 00 00 1F 02 00 03 56 41 44 01 23 45 67 89 AB CD EF
        00 00 00 40 00 00 00 00 00 00 00 00 00 00 00 00 00""")
    second = wire.Hello(wire.ROLE_PROCESSOR, "VAD", 0x0123456789ABCDEF, "", 8, wire.START_SECONDS_BACK, 2000,
                        ("mic",), (("mic", 42),))
    assert wire.encode_hello(second) == hx("""41 53 01 01 00 00 00 31  02  00 03 56 41 44  01 23 45 67 89 AB CD EF  00 00
        00 08  03  00 00 00 00 00 00 07 D0  00 01  00 03 6D 69 63  00 01  00 03 6D 69 63  00 00 00 00 00 00 00 2A""")
    [decoded] = wire.FrameReader().feed(wire.encode_hello(second))
    assert decoded == second


def test_welcome_example_decodes():
    data = hx("""41 53 01 02 00 00 00 32 00 18 61 75 64 69 6F 73 6F 63 6B 65 74 73 2D 6D 61 69 6C 6D 61 6E 2F 30 2E 31
        00 00 00 00 00 00 00 07  00 40 00 00  00 00 13 88  FF FF FF FF FF FF FF FF""")
    assert wire.FrameReader().feed(data) == [wire.Welcome("audiosockets-mailman/0.1", 7, 4194304, 5000, -1)]


def test_audio_example_both_ways():
    data = hx("""41 53 01 04 00 00 00 25 00 03 6D 69 63 00 00 00 00 00 00 00 05 17 97 9C FE 36 2A 00 00
        00 00 3E 80 00 01 01 00 00 00 00 02 01 00 FE FF""")
    assert wire.encode_audio("mic", 5, 1_700_000_000 * 10**9, 16000, 1, wire.FORMAT_S16, 2, b"\x01\x00\xfe\xff") == data
    [a] = wire.FrameReader().feed(data)
    assert (a.stream, a.seq, a.capture_time_nanos, a.sample_rate, a.channels, a.format, a.frames, a.samples) == \
        ("mic", 5, 1_700_000_000 * 10**9, 16000, 1, wire.FORMAT_S16, 2, b"\x01\x00\xfe\xff")
    assert not a.redelivered


def test_small_frame_examples():
    assert wire.encode_ack("mic", 5) == hx("41 53 01 05 00 00 00 0D  00 03 6D 69 63  00 00 00 00 00 00 00 05")
    assert wire.encode_bye("DISCONNECT") == hx("41 53 01 07 00 00 00 0C  00 0A 44 49 53 43 4F 4E 4E 45 43 54")
    assert wire.encode_ping(0x0102030405060708) == hx("41 53 01 08 00 00 00 08  01 02 03 04 05 06 07 08")
    assert wire.encode_pong(0x0102030405060708) == hx("41 53 01 09 00 00 00 08  01 02 03 04 05 06 07 08")
    assert wire.encode_error(6, "in use") == hx("41 53 01 03 00 00 00 0A  00 06  00 06 69 6E 20 75 73 65")
    assert wire.encode_replay_answer("m", 6, 4) == hx("""41 53 01 0B 00 00 00 13 00 01 6D
        00 00 00 00 00 00 00 06 00 00 00 00 00 00 00 04""")
    gap = hx("41 53 01 06 00 00 00 1F 00 03 6D 69 63 00 00 00 00 00 00 00 06 00 00 00 00 00 00 00 09 01"
             " 00 07 65 76 69 63 74 65 64")
    replay = hx("41 53 01 0A 00 00 00 13 00 01 6D 00 00 00 00 00 00 00 05 00 00 00 00 00 00 00 09")
    assert wire.FrameReader().feed(gap + replay) == [wire.Gap("mic", 6, 9, 1, "evicted"), wire.Replay("m", 5, 9)]
    assert wire.Gap("mic", 6, 9, 1, "").reason == "RETENTION_EXCEEDED"
    assert wire.Gap("mic", 6, 9, 77, "").reason == "UNKNOWN"      # an unknown reason reads as UNKNOWN
    assert wire.ErrorFrame(99, "").name == "INTERNAL"               # an unknown code reads as INTERNAL


def test_frames_split_anywhere_are_reassembled():
    data = wire.encode_audio("mic", 1, 0, 8000, 2, wire.FORMAT_F32, 3, bytes(24)) + wire.encode_ping(7)
    for cut in range(1, len(data)):
        r = wire.FrameReader()
        assert r.feed(data[:cut]) + r.feed(data[cut:]) == wire.FrameReader().feed(data)


@pytest.mark.parametrize("data, code, words", [
    (b"H", wire.MALFORMED_FRAME, "not an audiosockets frame"),          # refused at the first byte
    (b"AX", wire.MALFORMED_FRAME, "not an audiosockets frame"),
    (hx("41 53 03 08 00 00 00 08"), wire.UNSUPPORTED_VERSION, "version 3"),
    (hx("41 53 01 63 7F 00 00 00"), wire.FRAME_TOO_LARGE, "MAX_FRAME_BYTES"),   # length before type
    (hx("41 53 01 0D 00 00 00 00"), wire.MALFORMED_FRAME, "unknown frame type 13"),
    (hx("41 53 01 0C 00 00 00 00"), wire.MALFORMED_FRAME, "RECORD frames exist from protocol version 2"),
    (hx("41 53 01 08 00 00 00 09 00 00 00 00 00 00 00 01 FF"), wire.MALFORMED_FRAME, "left over"),
    (hx("41 53 01 05 00 00 00 04 00 03 6D 69"), wire.MALFORMED_FRAME, "cut short"),
])
def test_receiver_checks(data, code, words):
    with pytest.raises(wire.ProtocolError) as e:
        wire.FrameReader().feed(data)
    assert e.value.code == code and words in str(e.value)


def test_audio_with_wrong_sample_count_is_refused():
    bad = wire.encode_audio("mic", 1, 0, 8000, 1, wire.FORMAT_S16, 3, bytes(4))
    with pytest.raises(wire.ProtocolError, match="announces 3 frames but carries 4 bytes"):
        wire.FrameReader().feed(bad)


def test_names():
    assert wire.check_name("stream", "mic-1.L_r") == "mic-1.L_r"
    for bad in ("", "a b", "x" * 65, "ü"):
        with pytest.raises(ValueError, match="not a valid name"):
            wire.check_name("stream", bad)

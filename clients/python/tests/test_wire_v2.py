"""Version 2 of the codec: RECORD (12) against PROTOCOL.md §9's example and frames made by the Java
FrameCodec (fixtures/java_frames.txt, from fixtures/java_frames.jsh), the version byte rules of §7,
and the Record a processor is given."""
from pathlib import Path

import numpy as np
import pytest

from audiosockets import Record, wire
from audiosockets.publisher import ResultPublisher

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def hx(text: str) -> bytes:
    return bytes.fromhex(" ".join(text.split()))


def java_frames():
    lines = (FIXTURES / "java_frames.txt").read_text().split("\n")
    return {name: bytes.fromhex(h) for name, h in (line.split() for line in lines if line.strip())}


SECTION_9_EXAMPLE = hx("""41 53 02 0C 00 00 00 26  00 03 6D 2E 76  00 00 00 00 00 00 00 01  17 97 9C FE 36 2A 00 00
    00 00 00 00 01 E8 48 00  01  00  7B 22 73 22 3A 31 7D""")


def test_record_example_of_section_9_both_ways():
    assert wire.encode_record("m.v", 1, 0x17979CFE362A0000, 32_000_000, wire.CONTENT_JSON, b'{"s":1}') \
        == SECTION_9_EXAMPLE
    [r] = wire.FrameReader().feed(SECTION_9_EXAMPLE)
    assert r == wire.RecordFrame("m.v", 1, 1_700_000_000 * 10**9, 32_000_000, wire.CONTENT_JSON, 0, b'{"s":1}')
    rec = Record.of(r)
    assert (rec.stream, rec.seq, rec.time_ns, rec.duration_ns, rec.content_type, rec.redelivered) == \
        ("m.v", 1, 1_700_000_000 * 10**9, 32_000_000, "json", False)
    assert rec.time == 1_700_000_000.0 and rec.duration == pytest.approx(0.032)
    assert rec.json() == {"s": 1} and rec["seq"] == 1 and rec["data"] == b'{"s":1}'


def test_publisher_hello_of_section_9_is_byte_exact():
    hello = wire.Hello(wire.ROLE_PUBLISHER, "m.v", 0x0123456789ABCDEF, version=2)
    expected = hx("""41 53 02 01 00 00 00 1F  03  00 03 6D 2E 76  01 23 45 67 89 AB CD EF  00 00  00 40  00
        00 00 00 00 00 00 00 00  00 00  00 00""")
    assert wire.encode_hello(hello) == expected == java_frames()["hello_publisher"]
    assert wire.FrameReader().feed(expected) == [hello]


def test_processor_hello_says_version_2_like_the_java_one():
    hello = wire.Hello(wire.ROLE_PROCESSOR, "VAD", 0x0123456789ABCDEF, "tok", 8, wire.START_RESUME, 0, ("mic.vad",),
                       (("mic.vad", 42),), 2)
    assert wire.encode_hello(hello) == java_frames()["hello_processor_v2"]
    v1 = wire.encode_hello(wire.Hello(wire.ROLE_PROCESSOR, "VAD", 1))
    assert v1[2] == 1, "a version-1 HELLO still exists, for audio-only processors and version-1 mailmen"


def test_records_from_the_java_encoder_decode_and_encode_back_byte_for_byte():
    frames = java_frames()
    expected = {
        "json": wire.RecordFrame("mic.vad", 7, 1700000000123456789, 0, wire.CONTENT_JSON, 0,
                                 '{"event":"speech_start","note":"grüße"}'.encode()),
        "float32": wire.RecordFrame("mic.probs", 0, 1700000000500000000, 960000000, wire.CONTENT_FLOAT32, 0,
                                    np.array([0.25, -1.5, np.finfo(np.float32).max, np.finfo(np.float32).smallest_subnormal],
                                             dtype="<f4").tobytes()),
        "bytes_redelivered": wire.RecordFrame("x", 2**63 - 1, -5, 1, wire.CONTENT_BYTES, wire.FLAG_REDELIVERY,
                                              b"\x00\xff\x41"),
        "empty_json": wire.RecordFrame("e", 3, 0, 0, wire.CONTENT_JSON, 0, b""),
    }
    for name, want in expected.items():
        data = frames[name]
        [got] = wire.FrameReader().feed(data)
        assert got == want, name
        assert wire.encode_record(got.stream, got.seq, got.time_nanos, got.duration_nanos, got.content_type, got.data,
                                  got.flags) == data, name
    assert Record.of(wire.FrameReader().feed(frames["json"])[0]).json() == {"event": "speech_start", "note": "grüße"}
    floats = Record.of(wire.FrameReader().feed(frames["float32"])[0]).floats()
    assert floats.dtype == np.float32 and floats[:2].tolist() == [0.25, -1.5] and floats[2] == np.finfo(np.float32).max
    assert Record.of(wire.FrameReader().feed(frames["bytes_redelivered"])[0]).redelivered


def test_all_frames_in_one_feed_cut_anywhere():
    data = b"".join(java_frames()[n] for n in ("json", "float32", "bytes_redelivered", "empty_json"))
    whole = wire.FrameReader().feed(data)
    reader, pieces = wire.FrameReader(), []
    for i in range(0, len(data), 7):
        pieces += reader.feed(data[i:i + 7])
    assert pieces == whole and len(whole) == 4


def test_version_byte_rules_of_section_7():
    ack = wire.encode_ack("mic", 5)
    assert ack[2] == 1, "a frame of version 1 carries 1, even from a version-2 client"
    assert SECTION_9_EXAMPLE[2] == 2, "RECORD carries 2"
    ack_v2 = ack[:2] + b"\x02" + ack[3:]
    assert wire.FrameReader().feed(ack_v2) == [wire.Ack("mic", 5)], "any version from the type's up to 2 is read"
    for bad in (0, 3, 255):
        with pytest.raises(wire.ProtocolError) as e:
            wire.FrameReader().feed(ack[:2] + bytes([bad]) + ack[3:])
        assert e.value.code == wire.UNSUPPORTED_VERSION
    with pytest.raises(wire.ProtocolError) as e:
        wire.FrameReader().feed(SECTION_9_EXAMPLE[:2] + b"\x01" + SECTION_9_EXAMPLE[3:])
    assert e.value.code == wire.MALFORMED_FRAME and "version 2" in str(e.value)
    with pytest.raises(wire.ProtocolError) as e:
        wire.FrameReader().feed(hx("41 53 02 0D 00 00 00 00"))
    assert e.value.code == wire.MALFORMED_FRAME and "unknown frame type 13" in str(e.value)


def record(stream=b"\x00\x01r", seq=0, t=0, duration=0, ctype=1, flags=0, data=b""):
    payload = stream + seq.to_bytes(8, "big", signed=True) + t.to_bytes(8, "big", signed=True) \
        + duration.to_bytes(8, "big", signed=True) + bytes([ctype, flags]) + data
    return wire.frame(wire.RECORD, payload)


@pytest.mark.parametrize("frame, words", [
    (record(seq=-1), "seq -1"),
    (record(duration=-1), "durationNanos -1"),
    (record(ctype=0), "contentType 0"),
    (record(ctype=4), "contentType 4"),
    (record(ctype=2, data=b"\0\0\0"), "3 bytes, not a whole number of floats"),
    (record()[:-1] + b"", "cut short"),
])
def test_malformed_records_are_refused(frame, words):
    if words == "cut short":
        frame = wire.frame(wire.RECORD, frame[8:-1])
    with pytest.raises(wire.ProtocolError) as e:
        wire.FrameReader().feed(frame)
    assert e.value.code == wire.MALFORMED_FRAME and words in str(e.value)


def test_encoder_refuses_what_a_receiver_refuses():
    with pytest.raises(ValueError, match="not a whole number of floats"):
        wire.encode_record("r", 0, 0, 0, wire.CONTENT_FLOAT32, b"\0\0")
    with pytest.raises(ValueError, match="contentType 9"):
        wire.encode_record("r", 0, 0, 0, 9, b"")
    with pytest.raises(ValueError, match="durationNanos -1"):
        wire.encode_record("r", 0, 0, -1, wire.CONTENT_JSON, b"{}")


def test_record_helpers_refuse_the_wrong_kind_by_name():
    floats = Record("mic.probs", 4, 0, 0, "float32", np.float32([1, 2]).tobytes())
    with pytest.raises(ValueError, match=r"record 4 of stream 'mic.probs' is float32, not json"):
        floats.json()
    events = Record("mic.vad", 5, 0, 0, "json", b'{"a":1}')
    with pytest.raises(ValueError, match=r"record 5 of stream 'mic.vad' is json, not float32"):
        events.floats()
    with pytest.raises(KeyError, match="a record has stream, seq"):
        events["fs"]
    assert dict((k, events[k]) for k in events.keys())["content_type"] == "json"


def test_publisher_refuses_bad_arguments_before_anything_is_sent():
    pub = ResultPublisher("r", None, port=1)
    with pytest.raises(ValueError, match="not JSON"):
        pub.publish_json(0.0, 0.0, "{not json")
    with pytest.raises(TypeError, match="JSON cannot hold"):
        pub.publish_json(0.0, 0.0, {"x": object()})
    with pytest.raises(TypeError, match="publish_floats needs numbers"):
        pub.publish_floats(0.0, 0.0, ["a", "b"])
    with pytest.raises(ValueError, match="content_type must be 'json', 'float32' or 'bytes'"):
        pub.publish(0.0, 0.0, "text", b"x")
    with pytest.raises(TypeError, match="payload as bytes"):
        pub.publish(0.0, 0.0, "bytes", "text")
    with pytest.raises(TypeError, match=r"time: expected seconds"):
        pub.publish_json("now", 0.0, {})
    with pytest.raises(ValueError, match="duration must be >= 0"):
        pub.publish_json(0.0, -1.0, {})
    assert pub.published == 0 and not pub.connection._thread, "nothing was published, nothing connected"
    pub.close()
    with pytest.raises(Exception, match="not a valid name"):
        ResultPublisher("no spaces", None)

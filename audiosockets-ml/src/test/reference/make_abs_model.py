#!/usr/bin/env python3
"""Writes abs.onnx: a stateless test model, output = Abs(input), input float [batch, samples]; and,
given a second path, the same on [batch, mels, frames] (abs_mel.onnx).

Encoded by hand (protobuf wire format, ONNX IR 8, opset 13) so that no ONNX package is needed:

    python3 make_abs_model.py ../resources/io/audiosockets/ml/abs.onnx ../resources/io/audiosockets/ml/abs_mel.onnx

The tests use it where the output must be checkable against the input window by window (batching,
window positions) and as a model whose inputs do not match Silero's.
"""
import sys


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def field(number, wire_type, payload):
    key = varint((number << 3) | wire_type)
    if wire_type == 0:
        return key + varint(payload)
    return key + varint(len(payload)) + payload


def string(number, s):
    return field(number, 2, s.encode())


def tensor_value_info(name, dims):
    dim_protos = b"".join(field(1, 2, string(2, d) if isinstance(d, str) else field(1, 0, d)) for d in dims)
    shape = dim_protos
    tensor_type = field(1, 0, 1) + field(2, 2, shape)  # elem_type FLOAT = 1
    type_proto = field(1, 2, tensor_type)
    return string(1, name) + field(2, 2, type_proto)


def model(dims):
    node = string(1, "input") + string(2, "output") + string(3, "abs") + string(4, "Abs")
    graph = (field(1, 2, node) + string(2, "abs")
             + field(11, 2, tensor_value_info("input", dims))
             + field(12, 2, tensor_value_info("output", dims)))
    opset = string(1, "") + field(2, 0, 13)
    return field(1, 0, 8) + string(2, "audiosockets-test") + field(7, 2, graph) + field(8, 2, opset)


def main():
    with open(sys.argv[1], "wb") as f:
        f.write(model(["batch", "samples"]))
    if len(sys.argv) > 2:
        with open(sys.argv[2], "wb") as f:
            f.write(model(["batch", "mels", "frames"]))


if __name__ == "__main__":
    main()

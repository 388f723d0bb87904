"""Builds small real ONNX models with onnx.helper (Debian's python3-onnx) for the model tests and the benchmark.

Usage: make_models.py tone OUT.onnx RATE F1 F2     a detector of two tone bands with known weights: input audio
                                                   [batch, samples] at RATE, output scores [batch, 2] in 0..1
       make_models.py mel OUT.onnx RATE F1 F2 BANDS  a detector of two tones on mel spectrograms in dB (HTK mel, 0 Hz to
                                                   RATE/2, BANDS bands): input [batch, BANDS, frames], scores [batch, 2]
       make_models.py broken OUT.onnx                   loads, then fails on every batch (a reshape that cannot fit)
       make_models.py cnn OUT.onnx SAMPLES CLASSES a CNN of about a million seeded random weights: input audio
                                                   [batch, SAMPLES], output scores [batch, CLASSES] (sigmoid)
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def tone(out, rate, f1, f2):
    k = 512
    t = np.arange(k) / rate
    w = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(k) / k)
    kernels = []
    for f in (f1, f2):
        kernels += [np.cos(2 * np.pi * f * t) * w, np.sin(2 * np.pi * f * t) * w]
    weight = np.stack(kernels)[:, None, :].astype(np.float32)  # [4, 1, k]
    # A tone of amplitude A in a band gives energy about (A·Σw/2)²; 0.05 of full scale scores 0.5.
    c = np.array((0.05 * w.sum() / 2) ** 2, dtype=np.float32)
    nodes = [
        helper.make_node("Unsqueeze", ["audio", "axis1"], ["x"]),
        helper.make_node("Conv", ["x", "W"], ["y"], strides=[k // 2]),
        helper.make_node("Mul", ["y", "y"], ["y2"]),
        helper.make_node("Reshape", ["y2", "shape"], ["bands"]),
        helper.make_node("ReduceSum", ["bands", "axis2"], ["energy_t"], keepdims=0),
        helper.make_node("ReduceMax", ["energy_t"], ["energy"], axes=[2], keepdims=0),
        helper.make_node("Add", ["energy", "c"], ["denominator"]),
        helper.make_node("Div", ["energy", "denominator"], ["scores"]),
    ]
    inits = [numpy_helper.from_array(weight, "W"), numpy_helper.from_array(c, "c"),
             numpy_helper.from_array(np.array([1], np.int64), "axis1"), numpy_helper.from_array(np.array([2], np.int64), "axis2"),
             numpy_helper.from_array(np.array([0, 2, 2, -1], np.int64), "shape")]
    graph = helper.make_graph(nodes, "tone_detector", [helper.make_tensor_value_info("audio", TensorProto.FLOAT, ["batch", "samples"])],
                              [helper.make_tensor_value_info("scores", TensorProto.FLOAT, ["batch", 2])], inits)
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), out)


def mel(out, rate, f1, f2, bands):
    def to_mel(f):
        return 2595 * np.log10(1 + f / 700)
    edges = 700 * (10 ** (np.linspace(0, to_mel(rate / 2), bands + 2) / 2595) - 1)
    centres = edges[1:-1]
    rows = np.array([int(np.argmin(np.abs(centres - f))) for f in (f1, f2)], np.int64)
    # A band whose loudest frame is above -40 dB scores above 0.5.
    nodes = [
        helper.make_node("Gather", ["spec", "rows"], ["picked"], axis=1),
        helper.make_node("ReduceMax", ["picked"], ["peak"], axes=[2], keepdims=0),
        helper.make_node("Add", ["peak", "offset"], ["shifted"]),
        helper.make_node("Div", ["shifted", "scale"], ["z"]),
        helper.make_node("Sigmoid", ["z"], ["scores"]),
    ]
    inits = [numpy_helper.from_array(rows, "rows"), numpy_helper.from_array(np.array(40, np.float32), "offset"),
             numpy_helper.from_array(np.array(3, np.float32), "scale")]
    graph = helper.make_graph(nodes, "mel_detector", [helper.make_tensor_value_info("spec", TensorProto.FLOAT, ["batch", bands, "frames"])],
                              [helper.make_tensor_value_info("scores", TensorProto.FLOAT, ["batch", 2])], inits)
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), out)


def broken(out):
    nodes = [helper.make_node("Reshape", ["audio", "shape"], ["scores"])]
    inits = [numpy_helper.from_array(np.array([-1, 999983], np.int64), "shape")]
    graph = helper.make_graph(nodes, "broken", [helper.make_tensor_value_info("audio", TensorProto.FLOAT, ["batch", "samples"])],
                              [helper.make_tensor_value_info("scores", TensorProto.FLOAT, ["batch", 2])], inits)
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), out)


def cnn(out, samples, classes):
    rng = np.random.default_rng(1)
    layers = [(1, 64, 64, 16), (64, 128, 16, 4), (128, 256, 8, 4), (256, 256, 8, 2)]  # in, out, kernel, stride
    nodes, inits, x = [helper.make_node("Unsqueeze", ["audio", "axis1"], ["h0"])], [numpy_helper.from_array(np.array([1], np.int64), "axis1")], "h0"
    for i, (cin, cout, k, s) in enumerate(layers):
        w = (rng.standard_normal((cout, cin, k)) / np.sqrt(cin * k)).astype(np.float32)
        inits += [numpy_helper.from_array(w, f"W{i}"), numpy_helper.from_array(np.zeros(cout, np.float32), f"B{i}")]
        nodes += [helper.make_node("Conv", [x, f"W{i}", f"B{i}"], [f"c{i}"], strides=[s]), helper.make_node("Relu", [f"c{i}"], [f"h{i + 1}"])]
        x = f"h{i + 1}"
    nodes.append(helper.make_node("ReduceMean", [x], ["pooled"], axes=[2], keepdims=0))
    w = (rng.standard_normal((256, classes)) / 16).astype(np.float32)
    inits += [numpy_helper.from_array(w, "Wd"), numpy_helper.from_array(np.zeros(classes, np.float32), "Bd")]
    nodes += [helper.make_node("Gemm", ["pooled", "Wd", "Bd"], ["logits"]), helper.make_node("Sigmoid", ["logits"], ["scores"])]
    graph = helper.make_graph(nodes, "cnn", [helper.make_tensor_value_info("audio", TensorProto.FLOAT, ["batch", samples])],
                              [helper.make_tensor_value_info("scores", TensorProto.FLOAT, ["batch", classes])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    onnx.checker.check_model(model)
    onnx.save(model, out)
    print(sum(int(np.prod(t.dims)) for t in model.graph.initializer), "parameters")


if __name__ == "__main__":
    kind, out = sys.argv[1], sys.argv[2]
    if kind == "tone":
        tone(out, int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]))
    elif kind == "broken":
        broken(out)
    elif kind == "mel":
        mel(out, int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6]))
    else:
        cnn(out, int(sys.argv[3]), int(sys.argv[4]))

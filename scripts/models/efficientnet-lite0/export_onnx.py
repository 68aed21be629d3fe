#!/usr/bin/env python3
"""Exports the shipped TF.js EfficientNet-Lite0 (models/efficientnet-lite0/model.json + weights.bin)
to ONNX (model.onnx next to it), for the onnxruntime engine (issue 24).

    python3 -m venv .cache/py && .cache/py/bin/pip install numpy onnx==1.23.2
    .cache/py/bin/python scripts/models/efficientnet-lite0/export_onnx.py [--model models/efficientnet-lite0]

It reads the layers model catalens already runs, not the PyTorch checkpoint, so both engines
compute the same network from the same float16 weights:
- input `image`: [n, 224, 224, 3] float32, pixels in [-1, 1] (catalens-model.json), NHWC as TF.js;
  one Transpose to NCHW, then every convolution in ONNX's layout;
- Conv2D / DepthwiseConv2D with TensorFlow's "same" padding, which at stride 2 pads one pixel more
  at the bottom and right than at the top and left (symmetric padding shifts every stride-2 layer
  by a pixel: features at cosine 0.80-0.89 only);
- BatchNormalization folded into the convolution before it (y = conv(x)·γ/√(σ²+ε) + β − μ·γ/√(σ²+ε));
- ReLU(max 6) as Clip(0, 6); Add; GlobalAveragePooling2D as GlobalAveragePool + Flatten;
- outputs `avg_pool` ([n, 1280], the visual features) and `probs` ([n, 1000], softmax of the
  ImageNet classifier), the two layers catalens-model.json names.
Weights are stored as float32 (the float16 values widened exactly). Same input, same bytes.
"""
import argparse
import json
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

parser = argparse.ArgumentParser()
parser.add_argument("--model", default=os.path.join(os.path.dirname(__file__), "../../../models/efficientnet-lite0"))
parser.add_argument("--out", default=None)
args = parser.parse_args()
model_dir = os.path.abspath(args.model)
out_path = args.out or os.path.join(model_dir, "model.onnx")

with open(os.path.join(model_dir, "model.json")) as f:
    model_json = json.load(f)
with open(os.path.join(model_dir, "catalens-model.json")) as f:
    manifest = json.load(f)
size = manifest["inputSize"]

# weights.bin: the manifest's tensors in order; float16 where quantized, as TF.js wrote them
weights = {}
blob = b"".join(open(os.path.join(model_dir, p), "rb").read() for g in model_json["weightsManifest"] for p in g["paths"])
offset = 0
for group in model_json["weightsManifest"]:
    for spec in group["weights"]:
        count = int(np.prod(spec["shape"])) if spec["shape"] else 1
        stored = (spec.get("quantization") or {}).get("dtype", spec["dtype"])
        dtype = {"float16": np.float16, "float32": np.float32}[stored]
        nbytes = count * np.dtype(dtype).itemsize
        weights[spec["name"]] = np.frombuffer(blob, dtype, count, offset).astype(np.float32).reshape(spec["shape"])
        offset += nbytes
if offset != len(blob):
    raise SystemExit(f"weights.bin holds {len(blob)} bytes, the manifest describes {offset}")
used = set()


def weight(name):
    if name not in weights:
        raise SystemExit(f"weights.bin has no tensor {name}")
    used.add(name)
    return weights[name]


topology = model_json["modelTopology"]
layers = topology["config"]["layers"]
by_name = {layer["config"]["name"]: layer for layer in layers}
consumers = {}
for layer in layers:
    for node in layer.get("inbound_nodes") or []:
        for inbound in node:
            consumers.setdefault(inbound[0], []).append(layer["config"]["name"])

nodes, initializers = [], []
spatial = {}  # tensor name → H (= W) of its activation


def const(name, array):
    initializers.append(numpy_helper.from_array(np.ascontiguousarray(array, dtype=np.float32), name))
    return name


def same_pads(n, kernel, stride):
    """TensorFlow "same": out = ceil(n / s); the odd pixel of padding goes after (bottom/right)."""
    out = -(-n // stride)
    total = max((out - 1) * stride + kernel - n, 0)
    return [total // 2, total // 2, total - total // 2, total - total // 2], out


input_name = "image"
nodes.append(helper.make_node("Transpose", [input_name], ["image_nchw"], perm=[0, 3, 1, 2]))
tensor_of = {}  # layer name → ONNX tensor holding its output
for layer in layers:
    kind, config = layer["class_name"], layer["config"]
    name = config["name"]
    if kind == "InputLayer":
        tensor_of[name] = "image_nchw"
        spatial["image_nchw"] = size
        continue
    inputs = [tensor_of[inbound[0]] for inbound in layer["inbound_nodes"][0]]
    if kind in ("Conv2D", "DepthwiseConv2D"):
        if config["padding"] != "same" or config.get("activation", "linear") != "linear" or config["use_bias"]:
            raise SystemExit(f"{name}: only bias-free linear 'same' convolutions are exported")
        kernel_h, kernel_w = config["kernel_size"]
        stride = config["strides"][0]
        if kind == "Conv2D":
            kernel = weight(f"{name}/kernel").transpose(3, 2, 0, 1)  # [kh,kw,in,out] → [out,in,kh,kw]
            group = 1
        else:
            k = weight(f"{name}/depthwise_kernel")  # [kh,kw,in,mult] → [in·mult,1,kh,kw]
            kernel = k.transpose(2, 3, 0, 1).reshape(k.shape[2] * k.shape[3], 1, kernel_h, kernel_w)
            group = k.shape[2]
        bias = np.zeros(kernel.shape[0], np.float32)
        # fold the BatchNormalization that reads this convolution (every one here has exactly one)
        following = [by_name[c] for c in consumers.get(name, [])]
        folded = None
        if len(following) == 1 and following[0]["class_name"] == "BatchNormalization":
            bn = following[0]["config"]["name"]
            gamma, beta = weight(f"{bn}/gamma"), weight(f"{bn}/beta")
            mean, var = weight(f"{bn}/moving_mean"), weight(f"{bn}/moving_variance")
            scale = gamma / np.sqrt(var + following[0]["config"]["epsilon"])
            kernel = kernel * scale[:, None, None, None]
            bias = beta - mean * scale
            folded = bn
        pads, out = same_pads(spatial[inputs[0]], kernel_h, stride)
        output = f"{folded or name}_out"
        nodes.append(
            helper.make_node(
                "Conv",
                [inputs[0], const(f"{name}/W", kernel), const(f"{name}/B", bias)],
                [output],
                name=name,
                kernel_shape=[kernel_h, kernel_w],
                strides=[stride, stride],
                pads=pads,
                group=group,
            )
        )
        spatial[output] = out
        tensor_of[name] = output
        if folded:
            tensor_of[folded] = output
        continue
    if kind == "BatchNormalization":
        if name not in tensor_of:
            raise SystemExit(f"{name}: a BatchNormalization not after a convolution is not exported")
        continue
    if kind == "ReLU":
        if config.get("max_value") != 6:
            raise SystemExit(f"{name}: only ReLU6 is exported")
        output = f"{name}_out"
        nodes.append(helper.make_node("Clip", [inputs[0], const(f"{name}/min", np.array(0)), const(f"{name}/max", np.array(6))], [output], name=name))
        spatial[output] = spatial[inputs[0]]
        tensor_of[name] = output
        continue
    if kind == "Add":
        output = f"{name}_out"
        nodes.append(helper.make_node("Add", inputs, [output], name=name))
        spatial[output] = spatial[inputs[0]]
        tensor_of[name] = output
        continue
    if kind == "GlobalAveragePooling2D":
        nodes.append(helper.make_node("GlobalAveragePool", inputs, [f"{name}_pooled"], name=name))
        nodes.append(helper.make_node("Flatten", [f"{name}_pooled"], [name], axis=1))
        tensor_of[name] = name
        continue
    if kind == "Dense":
        if config.get("activation") != "softmax":
            raise SystemExit(f"{name}: only the softmax classifier is exported")
        nodes.append(
            helper.make_node(
                "Gemm",
                [inputs[0], const(f"{name}/W", weight(f"{name}/kernel")), const(f"{name}/B", weight(f"{name}/bias"))],
                [f"{name}_logits"],
                name=name,
            )
        )
        nodes.append(helper.make_node("Softmax", [f"{name}_logits"], [name], axis=1))
        tensor_of[name] = name
        continue
    raise SystemExit(f"{name}: layer {kind} is not exported")

unused = sorted(set(weights) - used)
if unused:
    raise SystemExit(f"weights left unused: {', '.join(unused[:5])}")
features, probs = manifest["embeddingLayer"], manifest["probabilitiesLayer"]
graph = helper.make_graph(
    nodes,
    manifest["id"],
    [helper.make_tensor_value_info(input_name, TensorProto.FLOAT, ["n", size, size, 3])],
    [
        helper.make_tensor_value_info(tensor_of[features], TensorProto.FLOAT, ["n", manifest["embeddingSize"]]),
        helper.make_tensor_value_info(tensor_of[probs], TensorProto.FLOAT, ["n", len(json.load(open(os.path.join(model_dir, manifest["labelsFile"]))))]),
    ],
    initializer=initializers,
)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="catalens export_onnx.py")
model.ir_version = 8
onnx.checker.check_model(model)
onnx.save(model, out_path)
print(f"{out_path}: {len(nodes)} nodes, {sum(int(np.prod(i.dims)) for i in initializers):,} weights, {os.path.getsize(out_path) / 1e6:.1f} MB")

#!/usr/bin/python3
"""Golden values for @seqzoo/layers' crossEntropy (src/losses.ts) from PyTorch (Debian's python3-torch).

For logits [B, T, V] and int32 targets [B, T]: torch.nn.functional.cross_entropy on the rows
(logits.reshape(-1, V), targets.reshape(-1)) with ignore_index, label_smoothing and reduction,
the loss and its gradient with respect to the logits. For reduction 'none' the gradient is that
of sum(loss * weights) with the recorded weights.

Everything runs in float64 on float32-representable inputs.

Run:  /usr/bin/python3 packages/layers/goldens/make-loss-goldens.py   (writes loss-goldens.json here)
"""
import json
import os

import torch

torch.manual_seed(20261203)


def f32(t):
    return t.float().double()


def flat(t):
    return [float("%.12g" % v) for v in t.detach().reshape(-1).tolist()]


def case(name, B, T, V, ignore_index, smoothing, reduction, ignored=()):
    logits = f32(torch.randn(B, T, V) * 2.5).requires_grad_(True)
    targets = torch.randint(0, V, (B, T))
    for b, t in ignored:
        targets[b, t] = ignore_index
    loss = torch.nn.functional.cross_entropy(
        logits.reshape(-1, V),
        targets.reshape(-1),
        ignore_index=ignore_index,
        label_smoothing=smoothing,
        reduction=reduction,
    )
    weights = None
    if reduction == "none":
        weights = f32(torch.randn(B * T))
        (loss * weights).sum().backward()
    else:
        loss.backward()
    out = {
        "name": name,
        "shape": [B, T, V],
        "ignoreIndex": ignore_index,
        "labelSmoothing": smoothing,
        "reduction": reduction,
        "logits": flat(logits),
        "targets": targets.reshape(-1).tolist(),
        "loss": flat(loss),
        "gradLogits": flat(logits.grad),
    }
    if weights is not None:
        out["weights"] = flat(weights)
    return out


cases = [
    case("plain mean", 3, 4, 7, -100, 0.0, "mean"),
    case("padding 0 ignored", 3, 4, 7, 0, 0.0, "mean", ignored=[(1, 2), (1, 3), (2, 3)]),
    case("padding + smoothing 0.1", 3, 4, 7, 0, 0.1, "mean", ignored=[(1, 2), (1, 3), (2, 3)]),
    case("ignore a middle id, smoothing 0.25, sum", 2, 5, 6, 3, 0.25, "sum", ignored=[(0, 4), (1, 0)]),
    case("smoothing 1 (uniform target)", 2, 3, 5, 0, 1.0, "mean", ignored=[(0, 2)]),
    case("reduction none", 2, 3, 5, 0, 0.2, "none", ignored=[(1, 1)]),
    case("large vocabulary", 2, 2, 300, 0, 0.1, "mean", ignored=[(1, 1)]),
]
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "loss-goldens.json")
tmp = path + ".tmp"
with open(tmp, "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases}, f)
os.replace(tmp, path)
print("wrote", path, os.path.getsize(path), "bytes")

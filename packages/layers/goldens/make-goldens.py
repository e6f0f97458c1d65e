#!/usr/bin/python3
"""Golden values for @seqzoo/layers from PyTorch (Debian's python3-torch 1.13).

For nn.LSTM, nn.GRU and nn.RNN with 1 and 2 layers, uni- and bidirectional, with and without
lengths (packed sequences): the input, the initial state (2-layer cases), the weights (PyTorch's
state_dict), the outputs (padded with zeros past each length), the final states, and the
gradients of a scalar loss w.r.t. every parameter, the input and the initial state.

Everything runs in float64 on float32-representable inputs and weights, so the goldens are the
exact answer that a float32 implementation should approach.

Run:  /usr/bin/python3 packages/layers/goldens/make-goldens.py   (writes rnn-goldens.json here)
"""
import json
import os
import zlib

import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

B, T, F, H = 3, 5, 4, 3
LENGTHS = [5, 2, 4]


def f32(t):
    return t.float().double()


def flat(t):
    return [float('%.12g' % v) for v in t.detach().reshape(-1).tolist()]


def entry(t):
    return {"shape": list(t.shape), "data": flat(t)}


def case(kind, layers, bidirectional, with_lengths, nonlinearity="tanh"):
    torch.manual_seed(zlib.crc32(f"{kind}/{layers}/{bidirectional}/{with_lengths}/{nonlinearity}".encode()))
    dirs = 2 if bidirectional else 1
    if kind == "lstm":
        module = torch.nn.LSTM(F, H, num_layers=layers, bidirectional=bidirectional, batch_first=True)
    elif kind == "gru":
        module = torch.nn.GRU(F, H, num_layers=layers, bidirectional=bidirectional, batch_first=True)
    else:
        module = torch.nn.RNN(F, H, num_layers=layers, bidirectional=bidirectional, batch_first=True,
                              nonlinearity=nonlinearity)
    module = module.double()
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(f32(p))
    x = f32(torch.randn(B, T, F)).requires_grad_()
    initial = {}
    if layers == 2:
        initial["h"] = f32(torch.randn(layers * dirs, B, H) * 0.5).requires_grad_()
        if kind == "lstm":
            initial["c"] = f32(torch.randn(layers * dirs, B, H) * 0.5).requires_grad_()
    h0 = None
    if initial:
        h0 = (initial["h"], initial["c"]) if kind == "lstm" else initial["h"]

    if with_lengths:
        packed = pack_padded_sequence(x, torch.tensor(LENGTHS), batch_first=True, enforce_sorted=False)
        out, state = module(packed, h0)
        out, _ = pad_packed_sequence(out, batch_first=True, total_length=T)
    else:
        out, state = module(x, h0)
    finals = {"h": state[0], "c": state[1]} if kind == "lstm" else {"h": state}

    # A scalar loss that reaches every output and every final state with distinct weights.
    loss_weights = {"output": f32(torch.randn(out.shape))}
    for k, v in finals.items():
        loss_weights[k] = f32(torch.randn(v.shape))
    loss = (out * loss_weights["output"]).sum()
    for k, v in finals.items():
        loss = loss + (v * loss_weights[k]).sum()
    loss.backward()

    return {
        "name": f"{kind}{'-' + nonlinearity if kind == 'rnn' else ''} layers={layers} "
                f"{'bi' if bidirectional else 'uni'} {'lengths' if with_lengths else 'full'}",
        "kind": kind,
        "nonlinearity": nonlinearity,
        "inputSize": F,
        "hiddenSize": H,
        "numLayers": layers,
        "bidirectional": bidirectional,
        "lengths": LENGTHS if with_lengths else None,
        "input": entry(x),
        "initialState": {k: entry(v) for k, v in initial.items()},
        "weights": {k: entry(v) for k, v in module.state_dict().items()},
        "output": entry(out),
        "state": {k: entry(v) for k, v in finals.items()},
        "lossWeights": {k: entry(v) for k, v in loss_weights.items()},
        "loss": float(loss),
        "grads": {
            "input": entry(x.grad),
            "initialState": {k: entry(v.grad) for k, v in initial.items()},
            "weights": {k: entry(p.grad) for k, p in module.named_parameters()},
        },
    }


def main():
    cases = []
    for kind in ("lstm", "gru", "rnn"):
        for layers in (1, 2):
            for bidirectional in (False, True):
                for with_lengths in (False, True):
                    cases.append(case(kind, layers, bidirectional, with_lengths))
    cases.append(case("rnn", 1, False, False, nonlinearity="relu"))
    cases.append(case("rnn", 2, True, True, nonlinearity="relu"))
    out = {
        "generator": "packages/layers/goldens/make-goldens.py",
        "torch": torch.__version__,
        "shapes": {"batch": B, "time": T, "features": F, "hidden": H},
        "cases": cases,
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rnn-goldens.json")
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {len(cases)} cases to {path} ({os.path.getsize(path)} bytes)")


if __name__ == "__main__":
    main()

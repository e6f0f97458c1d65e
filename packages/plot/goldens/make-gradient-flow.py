# Golden values for gradient-flow.golden.test.ts: ‖∂L/∂h_t‖ of an RNN, a GRU and an LSTM cell run
# step by step in PyTorch 1.13 (autograd, retain_grad on each h_t), the loss the cross-entropy
# (summed over the batch) of a linear head on the last h predicting the first symbol.
#   /usr/bin/python3 packages/plot/goldens/make-gradient-flow.py
import json, os
import torch

torch.manual_seed(0)
B, T, K, H = 3, 7, 4, 5
ids = torch.randint(0, K, (B, T))
out = {"batch": {"input": ids.tolist(), "target": ids[:, 0].tolist()}, "symbols": K, "hidden": H, "cells": {}}
for name, make, gates in [("rnn", torch.nn.RNNCell, 1), ("gru", torch.nn.GRUCell, 3), ("lstm", torch.nn.LSTMCell, 4)]:
    cell = make(K, H)
    head = torch.nn.Linear(H, K)
    x = torch.nn.functional.one_hot(ids, K).float()
    h = torch.zeros(B, H)
    c = torch.zeros(B, H)
    hs = []
    for t in range(T):
        if name == "lstm":
            h, c = cell(x[:, t], (h, c))
        else:
            h = cell(x[:, t], h)
        h.retain_grad()
        hs.append(h)
    loss = torch.nn.functional.cross_entropy(head(h), ids[:, 0], reduction="sum")
    loss.backward()
    norms = [float(g.grad.norm(dim=1).mean()) for g in hs]
    # seqzoo's layout: weights [in, G·H] (PyTorch's transposed), Dense weight [in, out].
    state = {
        "rnn.l0.weightIh": cell.weight_ih.detach().t().tolist(),
        "rnn.l0.weightHh": cell.weight_hh.detach().t().tolist(),
        "rnn.l0.biasIh": cell.bias_ih.detach().tolist(),
        "rnn.l0.biasHh": cell.bias_hh.detach().tolist(),
        "head.weight": head.weight.detach().t().tolist(),
        "head.bias": head.bias.detach().tolist(),
    }
    out["cells"][name] = {"state": state, "loss": float(loss), "norms": norms}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gradient-flow.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
print("wrote", path)

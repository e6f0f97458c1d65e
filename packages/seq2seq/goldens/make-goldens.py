"""Golden values for @seqzoo/seq2seq, from PyTorch 1.13 (run with Debian's /usr/bin/python3).

    /usr/bin/python3 packages/seq2seq/goldens/make-goldens.py

Writes goldens.json beside this script:
- attention: for each scorer (bahdanau, dot, general, concat) the weights in the package's
  layout ([in, out] matrices), a query, keys, lengths, and the context, the attention weights,
  and the gradients of  sum(context * gc) + sum(weights * gw)  with respect to the query, the
  keys and every parameter. Same formulas as src/attention.ts:
    bahdanau: v . tanh(q Wq + bq + k Wk)        general: q . (k W)
    dot:      q . k                              concat:  v . tanh([q; k] W)
  masked over padded source positions before the softmax.
- loss: torch.nn.functional.cross_entropy(ignore_index=pad, label_smoothing=eps, mean) and its
  gradient with respect to the logits.
Computed in float64; the tests compare float32 results with a tolerance.
"""
import json
import os

import numpy as np
import torch

rng = np.random.default_rng(20261127)


def arr(*shape, scale=0.5):
    return rng.uniform(-scale, scale, size=shape)


def t(x):
    return torch.tensor(x, dtype=torch.float64, requires_grad=True)


def tolist(x):
    return x.detach().numpy().tolist()


def attention_case(kind, B=3, S=5, Q=4, K=6, A=3, lengths=(5, 2, 3)):
    if kind == "dot":
        K = Q
    params = {}
    if kind == "bahdanau":
        params = {"query.weight": arr(Q, A), "query.bias": arr(A), "key.weight": arr(K, A), "v": arr(A)}
    elif kind == "general":
        params = {"weight": arr(K, Q)}
    elif kind == "concat":
        params = {"weight": arr(Q + K, A), "v": arr(A)}
    query = arr(B, Q, scale=1.0)
    keys = arr(B, S, K, scale=1.0)
    gc = arr(B, K, scale=1.0)
    gw = arr(B, S, scale=1.0)

    tp = {n: t(v) for n, v in params.items()}
    tq, tk = t(query), t(keys)
    if kind == "dot":
        scores = torch.einsum("bq,bsq->bs", tq, tk)
    elif kind == "general":
        scores = torch.einsum("bq,bsq->bs", tq, tk @ tp["weight"])
    elif kind == "bahdanau":
        hidden = torch.tanh((tq @ tp["query.weight"] + tp["query.bias"])[:, None, :] + tk @ tp["key.weight"])
        scores = hidden @ tp["v"]
    else:  # concat: v . tanh(W [q; k]) on every (q, k_s) pair
        qs = tq[:, None, :].expand(B, S, Q)
        hidden = torch.tanh(torch.cat([qs, tk], dim=2) @ tp["weight"])
        scores = hidden @ tp["v"]
    mask = torch.arange(S)[None, :] < torch.tensor(lengths)[:, None]
    scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=1)
    context = torch.einsum("bs,bsk->bk", weights, tk)
    objective = (context * torch.tensor(gc)).sum() + (weights * torch.tensor(gw)).sum()
    objective.backward()
    return {
        "type": kind,
        "querySize": Q,
        "keySize": K,
        "units": A,
        "lengths": list(lengths),
        "params": {n: v.tolist() for n, v in params.items()},
        "query": query.tolist(),
        "keys": keys.tolist(),
        "gradContext": gc.tolist(),
        "gradWeights": gw.tolist(),
        "context": tolist(context),
        "weights": tolist(weights),
        "objective": objective.item(),
        "grads": {
            "query": tolist(tq.grad),
            "keys": tolist(tk.grad),
            **{n: tolist(p.grad) for n, p in tp.items()},
        },
    }


def loss_case(smoothing, B=3, T=4, V=7, pad=0):
    logits = arr(B, T, V, scale=3.0)
    targets = rng.integers(1, V, size=(B, T))
    targets[1, 2:] = pad
    targets[2, 3:] = pad
    tl = t(logits)
    loss = torch.nn.functional.cross_entropy(
        tl.reshape(B * T, V),
        torch.tensor(targets).reshape(-1),
        ignore_index=pad,
        label_smoothing=smoothing,
    )
    loss.backward()
    return {
        "labelSmoothing": smoothing,
        "pad": pad,
        "logits": logits.tolist(),
        "targets": targets.tolist(),
        "loss": loss.item(),
        "gradLogits": tolist(tl.grad),
    }


out = {
    "torch": torch.__version__,
    "attention": [attention_case(k) for k in ("bahdanau", "dot", "general", "concat")],
    "loss": [loss_case(0.0), loss_case(0.1)],
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "goldens.json")
with open(path, "w") as f:
    json.dump(out, f)
print("wrote", path, os.path.getsize(path), "bytes")

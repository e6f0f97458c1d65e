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
- model: a whole tiny Seq2Seq (embedding -> bidirectional nn.LSTM/nn.GRU over packed sequences,
  bridge tanh(W [h_fwd; h_bwd] + b), decoder nn.LSTMCell/nn.GRUCell with input feeding, general
  or bahdanau attention, h~ = tanh(W_c [context; h]), output layer), with the weights in the
  package's names and layouts, the teacher-forced label-smoothed loss and its gradient with
  respect to every parameter.
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


def model_case(cell, attention, B=3, S=5, T=4, VS=9, VT=7, E=4, H=6, smoothing=0.1):
    G = 4 if cell == "lstm" else 3
    h = H // 2
    P = {"encoder.embedding.weight": arr(VS, E, scale=1.0)}
    for d in ("l0", "l0Reverse"):
        P[f"encoder.{d}.l0.weightIh"] = arr(E, G * h)
        P[f"encoder.{d}.l0.weightHh"] = arr(h, G * h)
        P[f"encoder.{d}.l0.biasIh"] = arr(G * h)
        P[f"encoder.{d}.l0.biasHh"] = arr(G * h)
    P["bridge.h.weight"] = arr(H, H)
    P["bridge.h.bias"] = arr(H)
    if cell == "lstm":
        P["bridge.c.weight"] = arr(H, H)
        P["bridge.c.bias"] = arr(H)
    P["decoder.embedding.weight"] = arr(VT, E, scale=1.0)
    P["decoder.l0.weightIh"] = arr(E + H, G * H)
    P["decoder.l0.weightHh"] = arr(H, G * H)
    P["decoder.l0.biasIh"] = arr(G * H)
    P["decoder.l0.biasHh"] = arr(G * H)
    if attention == "general":
        P["decoder.attention.weight"] = arr(H, H)
    else:
        P["decoder.attention.query.weight"] = arr(H, H)
        P["decoder.attention.query.bias"] = arr(H)
        P["decoder.attention.key.weight"] = arr(H, H)
        P["decoder.attention.v"] = arr(H)
    P["decoder.combine.weight"] = arr(2 * H, H)
    P["decoder.output.weight"] = arr(H, VT)
    P["decoder.output.bias"] = arr(VT)

    lengths = [5, 2, 4]
    sources = [[int(x) for x in rng.integers(4, VS, size=n)] for n in lengths]
    targets = [[int(x) for x in rng.integers(4, VT, size=n)] for n in (3, 1, 2)]
    pad, bos, eos = 0, 2, 3
    src = torch.zeros(B, S, dtype=torch.long)
    for b, s in enumerate(sources):
        src[b, : len(s)] = torch.tensor(s)
    tin = torch.zeros(B, T, dtype=torch.long)
    tout = torch.zeros(B, T, dtype=torch.long)
    for b, y in enumerate(targets):
        tin[b, : len(y) + 1] = torch.tensor([bos] + y)
        tout[b, : len(y) + 1] = torch.tensor(y + [eos])

    tp = {n: t(v) for n, v in P.items()}
    Rnn = torch.nn.LSTM if cell == "lstm" else torch.nn.GRU
    rnn = Rnn(E, h, batch_first=True, bidirectional=True).double()
    Cell = torch.nn.LSTMCell if cell == "lstm" else torch.nn.GRUCell
    dec = Cell(E + H, H).double()
    with torch.no_grad():
        for d, suffix in (("l0", ""), ("l0Reverse", "_reverse")):
            getattr(rnn, "weight_ih_l0" + suffix).copy_(torch.tensor(P[f"encoder.{d}.l0.weightIh"]).T)
            getattr(rnn, "weight_hh_l0" + suffix).copy_(torch.tensor(P[f"encoder.{d}.l0.weightHh"]).T)
            getattr(rnn, "bias_ih_l0" + suffix).copy_(torch.tensor(P[f"encoder.{d}.l0.biasIh"]))
            getattr(rnn, "bias_hh_l0" + suffix).copy_(torch.tensor(P[f"encoder.{d}.l0.biasHh"]))
        dec.weight_ih.copy_(torch.tensor(P["decoder.l0.weightIh"]).T)
        dec.weight_hh.copy_(torch.tensor(P["decoder.l0.weightHh"]).T)
        dec.bias_ih.copy_(torch.tensor(P["decoder.l0.biasIh"]))
        dec.bias_hh.copy_(torch.tensor(P["decoder.l0.biasHh"]))

    def embed(ids, w):
        return torch.nn.functional.embedding(ids, w) * (ids != pad).double().unsqueeze(-1)

    x = embed(src, tp["encoder.embedding.weight"])
    packed = torch.nn.utils.rnn.pack_padded_sequence(x, torch.tensor(lengths), batch_first=True, enforce_sorted=False)
    out, state = rnn(packed)
    keys, _ = torch.nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=S)
    hn = state[0] if cell == "lstm" else state
    hdec = torch.tanh(torch.cat([hn[0], hn[1]], 1) @ tp["bridge.h.weight"] + tp["bridge.h.bias"])
    if cell == "lstm":
        cdec = torch.tanh(torch.cat([state[1][0], state[1][1]], 1) @ tp["bridge.c.weight"] + tp["bridge.c.bias"])
    mask = torch.arange(S)[None, :] < torch.tensor(lengths)[:, None]
    if attention == "general":
        projected = keys @ tp["decoder.attention.weight"]
    else:
        projected = keys @ tp["decoder.attention.key.weight"]
    feed = torch.zeros(B, H, dtype=torch.float64)
    emb = embed(tin, tp["decoder.embedding.weight"])
    hiddens = []
    for step in range(T):
        inp = torch.cat([emb[:, step], feed], 1)
        if cell == "lstm":
            hdec, cdec = dec(inp, (hdec, cdec))
        else:
            hdec = dec(inp, hdec)
        if attention == "general":
            scores = torch.einsum("bh,bsh->bs", hdec, projected)
        else:
            q = hdec @ tp["decoder.attention.query.weight"] + tp["decoder.attention.query.bias"]
            scores = torch.tanh(projected + q[:, None, :]) @ tp["decoder.attention.v"]
        weights = torch.softmax(scores.masked_fill(~mask, float("-inf")), 1)
        context = torch.einsum("bs,bsh->bh", weights, keys)
        feed = torch.tanh(torch.cat([context, hdec], 1) @ tp["decoder.combine.weight"])
        hiddens.append(feed)
    logits = torch.stack(hiddens, 1) @ tp["decoder.output.weight"] + tp["decoder.output.bias"]
    loss = torch.nn.functional.cross_entropy(
        logits.reshape(-1, VT), tout.reshape(-1), ignore_index=pad, label_smoothing=smoothing
    )
    loss.backward()
    grads = {n: tolist(p.grad) for n, p in tp.items() if p.grad is not None}
    for d, suffix in (("l0", ""), ("l0Reverse", "_reverse")):
        grads[f"encoder.{d}.l0.weightIh"] = getattr(rnn, "weight_ih_l0" + suffix).grad.T.tolist()
        grads[f"encoder.{d}.l0.weightHh"] = getattr(rnn, "weight_hh_l0" + suffix).grad.T.tolist()
        grads[f"encoder.{d}.l0.biasIh"] = getattr(rnn, "bias_ih_l0" + suffix).grad.tolist()
        grads[f"encoder.{d}.l0.biasHh"] = getattr(rnn, "bias_hh_l0" + suffix).grad.tolist()
    grads["decoder.l0.weightIh"] = dec.weight_ih.grad.T.tolist()
    grads["decoder.l0.weightHh"] = dec.weight_hh.grad.T.tolist()
    grads["decoder.l0.biasIh"] = dec.bias_ih.grad.tolist()
    grads["decoder.l0.biasHh"] = dec.bias_hh.grad.tolist()
    return {
        "config": {
            "cell": cell,
            "attention": attention,
            "sourceVocabSize": VS,
            "targetVocabSize": VT,
            "embeddingSize": E,
            "hiddenSize": H,
            "bidirectional": True,
            "numLayers": 1,
            "dropout": 0,
        },
        "labelSmoothing": smoothing,
        "sources": sources,
        "targets": targets,
        "params": {n: v.tolist() for n, v in P.items()},
        "logits": tolist(logits),
        "loss": loss.item(),
        "grads": grads,
    }


out = {
    "torch": torch.__version__,
    "attention": [attention_case(k) for k in ("bahdanau", "dot", "general", "concat")],
    "loss": [loss_case(0.0), loss_case(0.1)],
    "model": [model_case("lstm", "general"), model_case("gru", "bahdanau")],
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "goldens.json")
with open(path, "w") as f:
    json.dump(out, f)
print("wrote", path, os.path.getsize(path), "bytes")

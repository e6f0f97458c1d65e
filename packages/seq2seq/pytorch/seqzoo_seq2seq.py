"""The PyTorch twin of @seqzoo/seq2seq's `seq2seq:attention` (plain torch.nn, no seqzoo import).

Its ``state_dict()`` names and layouts are exactly those that seqzoo writes under PyTorch naming
(``exportPytorchState`` / ``seqzoo export --to pytorch``), so weights move both ways:

    encoder.embedding.weight                     nn.Embedding(Vs, E, padding_idx=pad)
    encoder.rnn.weight_ih_l0[_reverse] ...       nn.LSTM/nn.GRU(E, H / dirs, L, bidirectional)
    bridge.h.weight, bridge.h.bias (bridge.c.*)  nn.Linear(H, H), tanh (c: LSTM only)
    attention.weight                             general [H, H]; concat [2H, units]
    attention.query.*, attention.key.weight      bahdanau nn.Linear(H, units), nn.Linear(H, units, bias=False)
    attention.v                                  bahdanau, concat [units]
    decoder.embedding.weight                     nn.Embedding(Vt, E, padding_idx=pad)
    decoder.rnn.weight_ih_l0 ...                 nn.LSTM/nn.GRU(E + H (input feeding), H, L)
    decoder.combine.weight                       nn.Linear(2H, H, bias=False), tanh (with attention)
    decoder.out.weight, decoder.out.bias         nn.Linear(H, Vt)

The config is seqzoo's (``cell``, ``embeddingSize``, ``hiddenSize``, ``numLayers``,
``bidirectional``, ``attention``: general | dot | bahdanau | concat | none, ``attentionUnits``,
``inputFeeding``, ``dropout``, vocabulary sizes and ``padId``/``bosId``/``eosId``), with the
same defaults. The maths (Luong et al. 2015 with input feeding, OpenNMT's brnn split of the
hidden size over the two directions) is the one of packages/seq2seq/src: greedy decoding bans
<pad> and <bos> and stops at <eos> or at floor(2 * source length + 10) tokens.
"""
import math

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

DEFAULTS = {
    "cell": "lstm",
    "embeddingSize": 64,
    "hiddenSize": 128,
    "numLayers": 1,
    "bidirectional": True,
    "attention": "general",
    "attentionUnits": None,
    "inputFeeding": True,
    "dropout": 0.1,
    "padId": 0,
    "bosId": 2,
    "eosId": 3,
}


def _rnn(cell, *args, **kwargs):
    return (nn.LSTM if cell == "lstm" else nn.GRU)(*args, batch_first=True, **kwargs)


class Encoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        dirs = 2 if c["bidirectional"] else 1
        self.embedding = nn.Embedding(c["sourceVocabSize"], c["embeddingSize"], padding_idx=c["padId"])
        self.rnn = _rnn(
            c["cell"],
            c["embeddingSize"],
            c["hiddenSize"] // dirs,
            num_layers=c["numLayers"],
            bidirectional=c["bidirectional"],
            dropout=c["dropout"] if c["numLayers"] > 1 else 0.0,
        )
        self.dirs = dirs

    def forward(self, source, lengths):
        """source [B, S] (padded), lengths [B] → outputs [B, S, H] (zero past each length), and
        per layer the final state with the directions side by side: [(h [B, H], c [B, H] | None)]."""
        x = self.embedding(source)
        packed = pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
        out, state = self.rnn(packed)
        out, _ = pad_packed_sequence(out, batch_first=True, total_length=source.shape[1])
        h, c = state if isinstance(state, tuple) else (state, None)

        def per_layer(t):
            L = t.shape[0] // self.dirs
            return [torch.cat([t[l * self.dirs + d] for d in range(self.dirs)], 1) for l in range(L)]

        hs = per_layer(h)
        cs = per_layer(c) if c is not None else [None] * len(hs)
        return out, list(zip(hs, cs))


class Bridge(nn.Module):
    def __init__(self, c):
        super().__init__()
        H = c["hiddenSize"]
        self.h = nn.Linear(H, H)
        if c["cell"] == "lstm":
            self.c = nn.Linear(H, H)

    def forward(self, final):
        return [
            (torch.tanh(self.h(h)), torch.tanh(self.c(c)) if c is not None else None) for h, c in final
        ]


class Attention(nn.Module):
    """Scores q against every key: general q·(k W), dot q·k, bahdanau v·tanh(W_q q + b + W_k k),
    concat v·tanh([q; k] W); softmax over the real source positions."""

    def __init__(self, kind, size, units):
        super().__init__()
        self.kind = kind
        if kind == "general":
            self.weight = nn.Parameter(torch.empty(size, size))
            nn.init.xavier_uniform_(self.weight)
        elif kind == "concat":
            self.weight = nn.Parameter(torch.empty(2 * size, units))
            nn.init.xavier_uniform_(self.weight)
        elif kind == "bahdanau":
            self.query = nn.Linear(size, units)
            self.key = nn.Linear(size, units, bias=False)
        if kind in ("bahdanau", "concat"):
            self.v = nn.Parameter(torch.empty(units).uniform_(-1 / math.sqrt(units), 1 / math.sqrt(units)))
        self.size = size

    def project(self, keys):
        """What a decoder step compares its query with, computed once per batch."""
        if self.kind == "general":
            return keys @ self.weight
        if self.kind == "bahdanau":
            return self.key(keys)
        if self.kind == "concat":
            return keys @ self.weight[self.size :]
        return keys

    def forward(self, query, keys, projected, mask):
        if self.kind in ("dot", "general"):
            scores = torch.einsum("bh,bsh->bs", query, projected)
        else:
            q = self.query(query) if self.kind == "bahdanau" else query @ self.weight[: self.size]
            scores = torch.tanh(projected + q[:, None, :]) @ self.v
        weights = torch.softmax(scores.masked_fill(~mask, float("-inf")), dim=1)
        return torch.einsum("bs,bsh->bh", weights, keys), weights


class Decoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        H = c["hiddenSize"]
        self.input_feeding = c["attention"] != "none" and c["inputFeeding"]
        self.embedding = nn.Embedding(c["targetVocabSize"], c["embeddingSize"], padding_idx=c["padId"])
        self.rnn = _rnn(
            c["cell"],
            c["embeddingSize"] + (H if self.input_feeding else 0),
            H,
            num_layers=c["numLayers"],
            dropout=c["dropout"] if c["numLayers"] > 1 else 0.0,
        )
        if c["attention"] != "none":
            self.combine = nn.Linear(2 * H, H, bias=False)
        self.out = nn.Linear(H, c["targetVocabSize"])
        self.drop = nn.Dropout(c["dropout"])
        self.lstm = c["cell"] == "lstm"


class Seq2Seq(nn.Module):
    def __init__(self, config):
        super().__init__()
        c = {**DEFAULTS, **{k: v for k, v in config.items() if v is not None}}
        if c["attentionUnits"] is None:
            c["attentionUnits"] = c["hiddenSize"]
        self.config = c
        self.encoder = Encoder(c)
        self.bridge = Bridge(c)
        if c["attention"] != "none":
            self.attention = Attention(c["attention"], c["hiddenSize"], c["attentionUnits"])
        else:
            self.attention = None
        self.decoder = Decoder(c)

    def encode(self, source, lengths):
        """→ (keys, projected keys, mask [B, S], the decoder's first state)."""
        keys, final = self.encoder(source, lengths)
        init = self.bridge(final)
        h = torch.stack([s[0] for s in init])
        state = (h, torch.stack([s[1] for s in init])) if self.decoder.lstm else h
        B, S = source.shape
        mask = torch.arange(S, device=source.device)[None, :] < lengths[:, None]
        projected = self.attention.project(keys) if self.attention is not None else None
        feed = keys.new_zeros(B, self.config["hiddenSize"]) if self.decoder.input_feeding else None
        return keys, projected, mask, (state, feed)

    def step(self, tokens, memory, carry):
        """One decoder step from the previous tokens [B] → (logits [B, Vt], attention weights or
        None, the new carry)."""
        keys, projected, mask = memory
        state, feed = carry
        x = self.decoder.embedding(tokens)
        if feed is not None:
            x = torch.cat([x, feed], 1)
        out, state = self.decoder.rnn(x[:, None, :], state)
        h = out[:, 0]
        weights = None
        if self.attention is None:
            hidden = self.decoder.drop(h)
        else:
            context, weights = self.attention(h, keys, projected, mask)
            hidden = self.decoder.drop(torch.tanh(self.decoder.combine(torch.cat([context, h], 1))))
        feed = hidden if self.decoder.input_feeding else None
        return self.decoder.out(hidden), weights, (state, feed)

    def forward(self, source, lengths, target_in):
        """Teacher-forced logits [B, T, Vt] for decoder inputs target_in [B, T] (<bos> y1 … yT)."""
        keys, projected, mask, carry = self.encode(source, lengths)
        logits = []
        for t in range(target_in.shape[1]):
            step, _, carry = self.step(target_in[:, t], (keys, projected, mask), carry)
            logits.append(step)
        return torch.stack(logits, 1)

    @torch.no_grad()
    def greedy(self, source, lengths, max_length_ratio=2.0, max_length_offset=10):
        """Greedy decoding as seqzoo's greedyDecode: per row the output ids (no <bos>/<eos>) and
        the summed log-probability (<eos> included)."""
        c = self.config
        keys, projected, mask, carry = self.encode(source, lengths)
        B = source.shape[0]
        limits = [max(1, math.floor(max_length_ratio * int(n) + max_length_offset)) for n in lengths]
        tokens = torch.full((B,), c["bosId"], dtype=torch.long, device=source.device)
        out = [[] for _ in range(B)]
        logp = [0.0] * B
        done = [False] * B
        while not all(done):
            logits, _, carry = self.step(tokens, (keys, projected, mask), carry)
            logits[:, c["padId"]] = -1e9
            logits[:, c["bosId"]] = -1e9
            best, tokens = torch.log_softmax(logits, 1).max(1)
            for b in range(B):
                if done[b]:
                    continue
                logp[b] += float(best[b])
                if int(tokens[b]) == c["eosId"]:
                    done[b] = True
                    continue
                out[b].append(int(tokens[b]))
                if len(out[b]) >= limits[b]:
                    done[b] = True
        return out, logp


def batch(sources, targets, pad=0, bos=2, eos=3):
    """Padded tensors as seqzoo's Seq2Seq.tensors: source [B, S], lengths, target_in, target_out."""
    B = len(sources)
    S = max(len(s) for s in sources)
    T = max(len(t) for t in targets) + 1
    source = torch.full((B, S), pad, dtype=torch.long)
    target_in = torch.full((B, T), pad, dtype=torch.long)
    target_out = torch.full((B, T), pad, dtype=torch.long)
    for b, (s, t) in enumerate(zip(sources, targets)):
        source[b, : len(s)] = torch.tensor(s)
        target_in[b, : len(t) + 1] = torch.tensor([bos] + list(t))
        target_out[b, : len(t) + 1] = torch.tensor(list(t) + [eos])
    return source, torch.tensor([len(s) for s in sources]), target_in, target_out

"""The PyTorch twins of @seqzoo/zoo's models with weights (plain torch.nn, no seqzoo import).

Each twin's ``state_dict()`` names and layouts are exactly those that seqzoo writes under PyTorch
naming (``seqzoo export --to pytorch``, ``exportWeights``, the saved model's safetensors), so
weights move both ways with ``safetensors.torch.save_file`` / ``load_file`` and
``load_state_dict(..., strict=True)``:

    zoo:char-lm, zoo:word-lm   RecurrentLM(config, vocab)
        embedding.weight                 nn.Embedding(V, E, padding_idx=vocab pad id or None)
        rnn.weight_ih_l0 ...             nn.LSTM / nn.GRU / nn.RNN(E, H, numLayers, batch_first)
        decoder.weight, decoder.bias     nn.Linear(H, V)
        outputBias                       [V], instead of decoder when tieEmbeddings (h · Eᵀ + b)
    zoo:rnn-classifier         RnnClassifier(config, vocab, labels)
        embedding.weight                 nn.Embedding(V, E, padding_idx=vocab pad id or None)
        rnn.weight_ih_l0[_reverse] ...   nn.LSTM / nn.GRU / nn.RNN(E, H, numLayers, bidirectional)
        head.weight, head.bias           nn.Linear(H · directions, classes, or 1 for 'sigmoid')
    zoo:mlp                    Mlp(config)
        fc0.weight, fc0.bias, fc1.* ...  nn.Linear per layer, the config's activations between
    zoo:bow-classifier         BowClassifier(config, num_features, labels)
        head.fc0.weight ...              an Mlp over the TF-IDF feature vector (features are
                                         computed by seqzoo's featurizer, not here)

``config`` is seqzoo's config of that model (the ``config`` of its model.json; missing fields take
seqzoo's defaults). ``vocab`` is the vocabulary JSON (see ``Vocab``): the tokens in id order and
which ids are pad/unk/bos/eos, each possibly None. The maths is the one of packages/zoo/src:
the LMs read a text after ``eos`` and predict ``eos`` at its end; greedy generation bans
pad/unk/bos and stops at eos. ``markov`` has no weights and no twin.
"""
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

SPECIAL_NAMES = ("pad", "unk", "bos", "eos")
STANDARD_TOKENS = ("<pad>", "<unk>", "<bos>", "<eos>")


class Vocab:
    """Tokens in id order and the ids of the specials (``None`` where there is none).

    JSON: ``{"tokens": [...], "specials": {"pad": 0, "unk": None, "bos": None, "eos": 1}}``.
    seqzoo's own ``{"format": "seqzoo-vocab", "version": 1, "tokens": [...]}`` without
    ``specials`` means the standard ``<pad> <unk> <bos> <eos>`` at ids 0-3.
    """

    def __init__(self, tokens, specials=None):
        self.tokens = list(tokens)
        if specials is None:
            if tuple(self.tokens[:4]) != STANDARD_TOKENS:
                raise ValueError("a vocabulary without 'specials' must start with <pad> <unk> <bos> <eos>")
            specials = {"pad": 0, "unk": 1, "bos": 2, "eos": 3}
        for name in SPECIAL_NAMES:
            i = specials.get(name)
            if i is not None and not (isinstance(i, int) and 0 <= i < len(self.tokens)):
                raise ValueError(f"specials.{name} = {i!r} is not an id of this vocabulary")
        self.specials = {name: specials.get(name) for name in SPECIAL_NAMES}
        self.ids = {t: i for i, t in enumerate(self.tokens)}

    @classmethod
    def from_json(cls, d):
        return cls(d["tokens"], d.get("specials"))

    def to_json(self):
        return {"tokens": list(self.tokens), "specials": dict(self.specials)}

    def __len__(self):
        return len(self.tokens)

    @property
    def pad(self):
        return self.specials["pad"]

    @property
    def unk(self):
        return self.specials["unk"]

    @property
    def bos(self):
        return self.specials["bos"]

    @property
    def eos(self):
        return self.specials["eos"]

    def encode(self, tokens):
        out = []
        for t in tokens:
            i = self.ids.get(t, self.unk)
            if i is None:
                raise KeyError(f"token {t!r} is not in the vocabulary and it has no unk")
            out.append(i)
        return out


def _vocab(v):
    return v if isinstance(v, Vocab) else Vocab.from_json(v)


def _rnn(c, input_size, bidirectional=False):
    kind = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}[c["cell"]]
    return kind(
        input_size,
        c["hiddenSize"],
        num_layers=c["numLayers"],
        bidirectional=bidirectional,
        dropout=c["dropout"] if c["numLayers"] > 1 else 0.0,
        batch_first=True,
    )


LM_DEFAULTS = {"embeddingSize": 32, "cell": "lstm", "hiddenSize": 64, "numLayers": 1, "dropout": 0.0, "tieEmbeddings": False}


class RecurrentLM(nn.Module):
    """zoo:char-lm / zoo:word-lm: embedding → stacked RNN/GRU/LSTM → linear over the vocabulary.

    Dropout (training only) on the embeddings, between layers and on the top outputs."""

    def __init__(self, config, vocab):
        super().__init__()
        c = {**LM_DEFAULTS, **{k: v for k, v in config.items() if v is not None}}
        self.config = c
        self.vocab = _vocab(vocab)
        V = len(self.vocab)
        self.embedding = nn.Embedding(V, c["embeddingSize"], padding_idx=self.vocab.pad)
        self.rnn = _rnn(c, c["embeddingSize"])
        if c["tieEmbeddings"]:
            if c["embeddingSize"] != c["hiddenSize"]:
                raise ValueError("tieEmbeddings needs embeddingSize == hiddenSize")
            self.outputBias = nn.Parameter(torch.zeros(V))
            self.decoder = None
        else:
            self.decoder = nn.Linear(c["hiddenSize"], V)
        self.drop = nn.Dropout(c["dropout"])

    def logits(self, h):
        if self.decoder is not None:
            return self.decoder(h)
        return h @ self.embedding.weight.t() + self.outputBias

    def forward(self, ids, state=None):
        """ids [B, T] → (logits [B, T, V], the state after the last step)."""
        out, state = self.rnn(self.drop(self.embedding(ids)), state)
        return self.logits(self.drop(out)), state

    @torch.no_grad()
    def greedy(self, prompt_ids, max_length=100):
        """Greedy continuation of a prompt (ids), as seqzoo's generate({temperature: 0}):
        reads eos then the prompt, then the most likely token (never pad/unk/bos) until eos."""
        v = self.vocab
        if v.eos is None:
            raise ValueError("a language model needs an eos id")
        ids = torch.tensor([[v.eos, *prompt_ids]], dtype=torch.long)
        logits, state = self(ids)
        last = logits[0, -1]
        banned = [i for i in (v.pad, v.unk, v.bos) if i is not None]
        out = []
        while len(out) < max_length:
            last = last.clone()
            last[banned] = float("-inf")
            token = int(torch.argmax(last))
            if token == v.eos:
                break
            out.append(token)
            logits, state = self(torch.tensor([[token]], dtype=torch.long), state)
            last = logits[0, -1]
        return out


CLASSIFIER_DEFAULTS = {
    "embeddingSize": 32,
    "cell": "lstm",
    "hiddenSize": 32,
    "numLayers": 1,
    "bidirectional": False,
    "dropout": 0.0,
    "pooling": "last",
    "output": "softmax",
}


class RnnClassifier(nn.Module):
    """zoo:rnn-classifier: embedding → RNN → pooling ('last' state at each length, masked 'mean'
    or 'max' over the valid steps) → linear (softmax over the classes, or one sigmoid logit)."""

    def __init__(self, config, vocab, labels):
        super().__init__()
        c = {**CLASSIFIER_DEFAULTS, **{k: v for k, v in config.items() if v is not None}}
        self.config = c
        self.vocab = _vocab(vocab)
        self.labels = list(labels)
        dirs = 2 if c["bidirectional"] else 1
        self.embedding = nn.Embedding(len(self.vocab), c["embeddingSize"], padding_idx=self.vocab.pad)
        self.rnn = _rnn(c, c["embeddingSize"], c["bidirectional"])
        self.head = nn.Linear(c["hiddenSize"] * dirs, 1 if c["output"] == "sigmoid" else len(self.labels))
        self.dirs = dirs

    def forward(self, ids, lengths):
        """Padded ids [B, T] and lengths [B] → logits [B, classes] ([B, 1] for 'sigmoid').

        Each row: a text's token ids cut to the config's ``maxLength`` (seqzoo's ``encode``:
        an empty text is one unk, or pad when there is no unk), padded with any id."""
        x = self.embedding(ids)
        packed = pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
        out, state = self.rnn(packed)
        pooling = self.config["pooling"]
        if pooling == "last":
            h = state[0] if isinstance(state, tuple) else state
            pooled = torch.cat([h[-self.dirs + d] for d in range(self.dirs)], 1)
        else:
            out, _ = pad_packed_sequence(out, batch_first=True, total_length=ids.shape[1])
            mask = (torch.arange(ids.shape[1])[None, :] < lengths[:, None]).to(out.dtype)[:, :, None]
            if pooling == "mean":
                pooled = (out * mask).sum(1) / lengths[:, None].to(out.dtype)
            else:
                pooled = (out + (mask - 1) * 1e9).max(1).values
        return self.head(pooled)


ACTIVATIONS = {
    "linear": lambda x: x,
    "relu": torch.relu,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "elu": nn.functional.elu,
    "gelu": nn.functional.gelu,  # the exact erf form, as seqzoo's
}

MLP_DEFAULTS = {"hiddenSizes": [], "activation": "relu", "output": "softmax", "outputSize": 2}


class Mlp(nn.Module):
    """zoo:mlp: fc0 → activation → fc1 → … → logits (softmax or sigmoid outside)."""

    def __init__(self, config):
        super().__init__()
        c = {**MLP_DEFAULTS, **{k: v for k, v in config.items() if v is not None}}
        self.config = c
        hidden = list(c["hiddenSizes"])
        acts = c["activation"] if isinstance(c["activation"], list) else [c["activation"]] * len(hidden)
        if len(acts) != len(hidden):
            raise ValueError(f"{len(acts)} activations for {len(hidden)} hidden layers")
        self.acts = acts + ["linear"]
        sizes = [c["inputSize"], *hidden, c["outputSize"]]
        for i in range(len(sizes) - 1):
            self.add_module(f"fc{i}", nn.Linear(sizes[i], sizes[i + 1]))
        self.depth = len(sizes) - 1

    def forward(self, x):
        for i in range(self.depth):
            x = ACTIVATIONS[self.acts[i]](getattr(self, f"fc{i}")(x))
        return x


class BowClassifier(nn.Module):
    """zoo:bow-classifier: an Mlp (``head``) over the TF-IDF vector of a text (seqzoo's
    featurizer computes it: the saved model's ``vocabularies.bow``)."""

    def __init__(self, config, num_features, labels):
        super().__init__()
        output = config.get("output") or "softmax"
        self.labels = list(labels)
        self.head = Mlp(
            {
                "inputSize": num_features,
                "hiddenSizes": config.get("hiddenSizes") or [],
                "activation": config.get("activation") or "relu",
                "output": output,
                "outputSize": 1 if output == "sigmoid" else len(self.labels),
            }
        )

    def forward(self, features):
        return self.head(features)


def classifier_loss(logits, targets, output="softmax"):
    """seqzoo's classifierLoss: mean softmax cross-entropy over class ids, or mean sigmoid
    cross-entropy against 0/1 targets (reshaped to the logits' shape)."""
    if output == "softmax":
        return nn.functional.cross_entropy(logits, targets.long())
    return nn.functional.binary_cross_entropy_with_logits(logits, targets.to(logits.dtype).reshape(logits.shape))


_DTYPES = {torch.float32: "F32", torch.float64: "F64", torch.int64: "I64", torch.int32: "I32"}


def save_safetensors(state_dict, path):
    """Writes a state dict as a safetensors file (what ``safetensors.torch.save_file`` writes, for
    installs without the ``safetensors`` package; float32 unless the tensors say otherwise)."""
    import json
    import os
    import struct

    header, chunks, offset = {}, [], 0
    for name, t in state_dict.items():
        t = t.detach().contiguous().cpu()
        data = t.numpy().tobytes()
        header[name] = {"dtype": _DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    head = json.dumps(header, separators=(",", ":")).encode()
    head += b" " * (-len(head) % 8)
    tmp = f"{path}.tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(head)))
        f.write(head)
        for c in chunks:
            f.write(c)
    os.replace(tmp, path)


def load_safetensors(path):
    """Reads a safetensors file into a dict of tensors (``safetensors.torch.load_file``'s result)."""
    import json
    import struct

    import numpy as np

    names = {"F32": np.float32, "F16": np.float16, "F64": np.float64, "I64": np.int64, "I32": np.int32}
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n])
    body = raw[8 + n :]
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        a, b = e["data_offsets"]
        arr = np.frombuffer(body[a:b], dtype=names[e["dtype"]]).reshape(e["shape"])
        out[name] = torch.from_numpy(arr.copy())
    return out


def load_saved(folder):
    """The twin of a model saved by seqzoo (``saveModel``, ``seqzoo train --out``, ``seqzoo
    import --out``): built from its model.json (id, config, vocabularies) with the weights of its
    safetensors file loaded strictly, ready to fine-tune. Needs the PyTorch naming (the default)."""
    import json
    import os

    with open(os.path.join(folder, "model.json")) as f:
        saved = json.load(f)
    model_id, config = saved["modelId"], saved["config"]
    vocabs = saved.get("vocabularies", {})
    if model_id in ("zoo:char-lm", "zoo:word-lm"):
        model = RecurrentLM(config, vocabs["text"]["vocab"])
    elif model_id == "zoo:rnn-classifier":
        model = RnnClassifier(config, vocabs["text"]["vocab"], vocabs["labels"])
    elif model_id == "zoo:mlp":
        model = Mlp(config)
    elif model_id == "zoo:bow-classifier":
        model = BowClassifier(config, len(vocabs["bow"]["terms"]), vocabs["labels"])
    else:
        raise ValueError(f"{model_id} has no twin in seqzoo_zoo.py")
    weights = saved["weights"]
    if weights.get("naming") != "pytorch":
        raise ValueError(f"{folder}: weights saved under seqzoo names; run `seqzoo export {folder} --to pytorch`")
    model.load_state_dict(load_safetensors(os.path.join(folder, weights["file"])), strict=True)
    return model

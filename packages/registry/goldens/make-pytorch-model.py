"""Golden files for @seqzoo/registry's PyTorch interop test (pytorch-interop.test.ts).

Builds small nn.Embedding -> nn.LSTM / nn.GRU -> nn.Linear taggers with a fixed seed, saves each
state_dict as safetensors written BY HAND (the `safetensors` package is not installed: 8-byte
little-endian header length, JSON header, packed little-endian data, header padded with spaces to
8 bytes as the reference writer does), and the inputs and PyTorch's outputs as JSON.

Run: /usr/bin/python3 packages/registry/goldens/make-pytorch-model.py   (torch 1.13)
"""
import json
import os
import struct

import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))


class Tagger(nn.Module):
    def __init__(self, kind, vocab, emb, hidden, layers, bidirectional, classes):
        super().__init__()
        self.embedding = nn.Embedding(vocab, emb)
        rnn = nn.LSTM if kind == "lstm" else nn.GRU
        self.rnn = rnn(emb, hidden, num_layers=layers, batch_first=True, bidirectional=bidirectional)
        self.head = nn.Linear(hidden * (2 if bidirectional else 1), classes)

    def forward(self, ids):
        out, _ = self.rnn(self.embedding(ids))
        return self.head(out)


def save_safetensors(path, state, metadata):
    header = {"__metadata__": metadata}
    chunks = []
    offset = 0
    for name in sorted(state):
        t = state[name].detach().contiguous().to(torch.float32)
        data = struct.pack("<%df" % t.numel(), *t.flatten().tolist())
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for c in chunks:
            f.write(c)


def main():
    goldens = {"torch": torch.__version__}
    configs = {
        "lstm": dict(kind="lstm", vocab=11, emb=5, hidden=6, layers=2, bidirectional=True, classes=4),
        "gru": dict(kind="gru", vocab=11, emb=5, hidden=6, layers=1, bidirectional=False, classes=4),
    }
    for i, (name, cfg) in enumerate(configs.items()):
        torch.manual_seed(1234 + i)
        model = Tagger(**cfg).eval()
        ids = torch.randint(0, cfg["vocab"], (3, 7))
        with torch.no_grad():
            logits = model(ids)
        save_safetensors(os.path.join(HERE, f"{name}-tagger.safetensors"), model.state_dict(), {"format": "pt"})
        goldens[name] = {
            "config": cfg,
            "names": list(model.state_dict().keys()),
            "ids": ids.tolist(),
            "logits": logits.tolist(),
        }
    with open(os.path.join(HERE, "pytorch-taggers.json"), "w") as f:
        json.dump(goldens, f)


if __name__ == "__main__":
    main()

"""PyTorch rows for the rnn benchmark (bench/src/suites/rnn.ts, `--torch on`).

Same steps as the JS side: LSTM/GRU over [B, T, F] (batch_first), loss = mean(y**2); training =
forward + backward + Adam step; inference = forward under no_grad. Prints one JSON object per line:
{cell, size, phase, medianMs, minMs, samples}. Debian's python3-torch 1.13 (run with
/usr/bin/python3); its default BLAS is the slow reference one, `apt-get install
libopenblas0-pthread` gives the real figure. Threads: torch's default (all cores).
"""
import json
import sys
import time

import torch

SIZES = {"S": (32, 32, 64, 128), "M": (64, 64, 128, 256)}


def bench(cell, size, phase, runs):
    B, T, F, H = SIZES[size]
    torch.manual_seed(0)
    layer = (torch.nn.LSTM if cell == "lstm" else torch.nn.GRU)(F, H, batch_first=True)
    x = torch.randn(B, T, F)
    opt = torch.optim.Adam(layer.parameters(), lr=1e-3)

    def step():
        if phase == "train":
            opt.zero_grad()
            y, _ = layer(x)
            loss = (y * y).mean()
            loss.backward()
            opt.step()
            loss.item()
        else:
            with torch.no_grad():
                y, _ = layer(x)
                y.sum().item()

    step()
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        step()
        samples.append((time.perf_counter() - t0) * 1000)
    s = sorted(samples)
    return {"cell": cell, "size": size, "phase": phase, "medianMs": s[len(s) // 2], "minMs": s[0], "samples": samples}


def main():
    cells, sizes, phases, runs = sys.argv[1].split(","), sys.argv[2].split(","), sys.argv[3].split(","), int(sys.argv[4])
    for cell in cells:
        for size in sizes:
            for phase in phases:
                print(json.dumps(bench(cell, size, phase, runs)), flush=True)


if __name__ == "__main__":
    main()

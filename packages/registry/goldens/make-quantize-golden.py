"""Golden values for @seqzoo/registry's quantization test (quantize.test.ts).

float16: PyTorch's float32 -> float16 conversion (round to nearest even, subnormals, overflow to
inf) as the bit patterns of `.half()`, for random values over many magnitudes and for the exact
ties between two halves. int8: `torch.quantize_per_channel` with symmetric scales
max|x|/127 (float32) and zero points 0, along axis 0 and axis 1, as `int_repr()`.

Run: /usr/bin/python3 packages/registry/goldens/make-quantize-golden.py   (torch 1.13)
"""
import json
import os

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
torch.manual_seed(7)

# Random magnitudes from 2^-30 (below half's subnormals) to 2^17 (beyond its range), both signs.
mags = torch.pow(2.0, torch.empty(400).uniform_(-30, 17))
signs = torch.where(torch.rand(400) < 0.5, -1.0, 1.0)
values = (mags * signs).float()
# Ties: the midpoint between consecutive halves rounds to the even one.
h = torch.tensor([1.0, 1.0009765625, 3.0, 1000.0, 6.1035156e-05, 5.9604645e-08], dtype=torch.float16)
ties = (h.float() + torch.tensor([2**-11, 2**-11, 2**-10, 0.25, 2**-25, 2**-25])).float()
specials = torch.tensor(
    [0.0, -0.0, 65504.0, 65519.0, 65520.0, 2**-24, 2**-25, 2**-25 * 1.0001, 3 * 2**-26, 1e-8],
    dtype=torch.float32,
)
all_values = torch.cat([values, ties, -ties, specials])
half_bits = all_values.half().view(torch.int16).int() & 0xFFFF

# int8 per channel.
w = torch.randn(6, 9) * torch.linspace(0.01, 3.0, 6).unsqueeze(1)
w[2, 3] = 0.0
ints = {}
for axis in (0, 1):
    amax = w.abs().amax(dim=1 - axis)
    scales = (amax / 127).float()
    q = torch.quantize_per_channel(
        w, scales.double(), torch.zeros(w.shape[axis], dtype=torch.long), axis, torch.qint8
    )
    ints[str(axis)] = {"scales": scales.tolist(), "q": q.int_repr().flatten().tolist()}

golden = {
    "note": "made by make-quantize-golden.py with torch " + torch.__version__,
    "half": {
        "values": [float(v) for v in all_values.tolist()],
        "bits": half_bits.tolist(),
    },
    "int8": {"shape": list(w.shape), "values": w.flatten().tolist(), "axes": ints},
}
with open(os.path.join(HERE, "quantize-golden.json"), "w") as f:
    json.dump(golden, f)
    f.write("\n")
print("wrote quantize-golden.json:", len(all_values), "half values")

"""Round trips between seqzoo and the PyTorch twin, for the tests (src/pytorch-twin.test.ts).

    /usr/bin/python3 roundtrip.py request.json response.json   (a request or a list of them)

request ``{"mode": "load", "config", "state": {name: {"shape", "data"}}, "sources", "targets"}``:
loads seqzoo's exported weights strictly into the twin and answers its teacher-forced logits
and greedy outputs. ``{"mode": "init", "config", "seed", "trainSteps", "sources", "targets"}``:
initialises the twin at random (torch's own initialisation), trains it ``trainSteps`` Adam steps
on the batch, and answers its state_dict with the logits and greedy outputs. Logits are
computed in float64 from the float32 weights.
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seqzoo_seq2seq import Seq2Seq, batch  # noqa: E402


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def main(request_path, response_path):
    """A request or a list of requests (one Python start for many round trips)."""
    with open(request_path) as f:
        req = json.load(f)
    out = [answer(r) for r in req] if isinstance(req, list) else answer(req)
    tmp = response_path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(out, f)
    os.replace(tmp, response_path)


def answer(req):
    c = req["config"]
    specials = (c.get("padId", 0), c.get("bosId", 2), c.get("eosId", 3))
    source, lengths, target_in, target_out = batch(req["sources"], req["targets"], *specials)
    if req["mode"] == "load":
        model = Seq2Seq(c)
        state = {k: torch.tensor(v["data"], dtype=torch.float32).reshape(v["shape"]) for k, v in req["state"].items()}
        model.load_state_dict(state, strict=True)
    else:
        torch.manual_seed(req["seed"])
        model = Seq2Seq(c)
        if req.get("trainSteps", 0) > 0:
            opt = torch.optim.Adam(model.parameters(), lr=0.01)
            model.train()
            for _ in range(req["trainSteps"]):
                opt.zero_grad()
                logits = model(source, lengths, target_in)
                loss = torch.nn.functional.cross_entropy(
                    logits.reshape(-1, logits.shape[-1]), target_out.reshape(-1), ignore_index=specials[0]
                )
                loss.backward()
                opt.step()
    model.eval()
    out = {"names": list(model.state_dict().keys())}
    if req["mode"] == "init":
        out["state"] = {k: {"shape": list(v.shape), "data": flat(v)} for k, v in model.state_dict().items()}
    model = model.double()
    with torch.no_grad():
        logits = model(source, lengths, target_in)
    tokens, logp = model.greedy(source, lengths)
    out.update({"logits": flat(logits), "logitsShape": list(logits.shape), "greedy": tokens, "greedyLogProb": logp})
    return out


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

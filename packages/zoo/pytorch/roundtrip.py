"""Round trips between seqzoo and the zoo's PyTorch twins, for the tests (src/pytorch-twin.test.ts).

    /usr/bin/python3 roundtrip.py requests.json responses.json

A request (or a list of them, answered in one Python start):

    {"model": "lm" | "rnn-classifier" | "mlp" | "bow-classifier",
     "config": seqzoo's config, "vocab": {"tokens", "specials"} (lm, rnn-classifier),
     "labels": [...] (classifiers), "numFeatures": n (bow-classifier),
     "saved": "folder"               the twin of a model seqzoo saved there (load_saved), or
     "load": "weights.safetensors"   start from these weights (seqzoo's export), strictly;
     "seed": s                       or from torch's own initialisation with this seed,
     "trainSteps": k, "lr": 0.01     then k Adam steps on the batch (dropout on),
     "save": "out.safetensors"       and write the weights there,
     "batch": lm {"input", "target"} | rnn-classifier {"ids", "lengths", "y"} | mlp, bow {"x", "y"},
     "grads": true                   the gradient of the batch loss before training (names → data),
     "prompts": [[ids]], "maxLength" (lm: greedy continuations)}

answers ``{"names", "grads"?, "logits", "logitsShape", "greedy"?}``: the logits of the batch after
training, in float64 from the float32 weights (the LM from the zero state).
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seqzoo_zoo import (  # noqa: E402
    BowClassifier,
    Mlp,
    RecurrentLM,
    RnnClassifier,
    classifier_loss,
    load_safetensors,
    load_saved,
    save_safetensors,
)


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def build(req):
    c = req["config"]
    kind = req["model"]
    if kind == "lm":
        return RecurrentLM(c, req["vocab"])
    if kind == "rnn-classifier":
        return RnnClassifier(c, req["vocab"], req["labels"])
    if kind == "mlp":
        return Mlp(c)
    return BowClassifier(c, req["numFeatures"], req["labels"])


def run(model, req):
    """The batch's logits and mean loss, as seqzoo's model.loss(batch) computes it."""
    b = req["batch"]
    kind = req["model"]
    if kind == "lm":
        logits, _ = model(torch.tensor(b["input"]))
        target = torch.tensor(b["target"])
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), target.reshape(-1))
        return logits, loss
    output = req["config"].get("output") or "softmax"
    if kind == "rnn-classifier":
        logits = model(torch.tensor(b["ids"]), torch.tensor(b["lengths"]))
    else:
        logits = model(torch.tensor(b["x"], dtype=next(model.parameters()).dtype))
    return logits, classifier_loss(logits, torch.tensor(b["y"]), output)


def answer(req):
    if "load" not in req:
        torch.manual_seed(req.get("seed", 0))
    model = load_saved(req["saved"]) if "saved" in req else build(req)
    if "load" in req:
        model.load_state_dict(load_safetensors(req["load"]), strict=True)
    out = {"names": list(model.state_dict().keys())}
    if req.get("grads"):
        model.eval()
        model.zero_grad()
        _, loss = run(model, req)
        loss.backward()
        out["grads"] = {k: flat(p.grad) for k, p in model.named_parameters() if p.grad is not None}
    steps = req.get("trainSteps", 0)
    if steps > 0:
        opt = torch.optim.Adam(model.parameters(), lr=req.get("lr", 0.01))
        model.train()
        for _ in range(steps):
            opt.zero_grad()
            _, loss = run(model, req)
            loss.backward()
            opt.step()
    model.eval()
    if "save" in req:
        save_safetensors(model.state_dict(), req["save"])
    model = model.double()
    with torch.no_grad():
        logits, _ = run(model, req)
    out.update({"logits": flat(logits), "logitsShape": list(logits.shape)})
    if req["model"] == "lm" and "prompts" in req:
        out["greedy"] = [model.greedy(p, req.get("maxLength", 20)) for p in req["prompts"]]
    return out


def main(request_path, response_path):
    with open(request_path) as f:
        req = json.load(f)
    out = [answer(r) for r in req] if isinstance(req, list) else answer(req)
    tmp = response_path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(out, f)
    os.replace(tmp, response_path)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

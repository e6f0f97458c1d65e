#!/usr/bin/python3
"""Writes the PyTorch goldens that @seqzoo/optimizers is tested against.

Run with Debian's PyTorch (1.13):  /usr/bin/python3 packages/optimizers/goldens/make-goldens.py
Writes optimizers.json, mlp.json, schedules.json and clip.json beside this script.
Options are written in the package's camelCase so that the tests can pass them through.
"""
import json
import math
import os
import warnings

import torch

warnings.filterwarnings("ignore")
torch.set_default_dtype(torch.float32)
HERE = os.path.dirname(os.path.abspath(__file__))
STEPS = 25


def flat(t):
    return [float(x) for x in t.detach().reshape(-1).tolist()]


def torch_kwargs(kind, o):
    """camelCase options of the package -> torch.optim keyword arguments."""
    names = {"weightDecay": "weight_decay", "lrDecay": "lr_decay",
             "initialAccumulatorValue": "initial_accumulator_value"}
    out = {}
    for k, v in o.items():
        out[names.get(k, k)] = tuple(v) if k == "betas" else v
    return out


CLASSES = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam, "adamw": torch.optim.AdamW,
           "rmsprop": torch.optim.RMSprop, "adagrad": torch.optim.Adagrad}


def make_optimizer(case, params):
    """Group 0 holds the parameters no explicit group selects (the package's default group)."""
    groups = case.get("groups", [])
    claimed = [n for g in groups for n in g["params"]]
    param_groups = [{"params": [params[n] for n in params if n not in claimed]}]
    for g in groups:
        param_groups.append({"params": [params[n] for n in g["params"]], **torch_kwargs(case["type"], g["options"])})
    return CLASSES[case["type"]](param_groups, **torch_kwargs(case["type"], case["options"]))


# ---------------------------------------------------------------- fixed problem, fixed gradients
def fixed_problem():
    g = torch.Generator().manual_seed(0)
    shapes = {"layer.weight": (3, 2), "layer.bias": (2,)}
    init = {n: torch.randn(s, generator=g) for n, s in shapes.items()}
    grads = [{n: torch.randn(s, generator=g) * (0.1 + 2.0 * (i % 5) / 4) for n, s in shapes.items()}
             for i in range(STEPS)]
    cases = [
        ("sgd", "sgd-plain", {"lr": 0.1}),
        ("sgd", "sgd-momentum", {"lr": 0.1, "momentum": 0.9}),
        ("sgd", "sgd-dampening", {"lr": 0.1, "momentum": 0.9, "dampening": 0.5}),
        ("sgd", "sgd-nesterov-wd", {"lr": 0.05, "momentum": 0.8, "nesterov": True, "weightDecay": 0.1}),
        ("sgd", "sgd-maximize", {"lr": 0.1, "momentum": 0.5, "maximize": True}),
        ("adam", "adam-default", {}),
        ("adam", "adam-lr", {"lr": 0.05}),
        ("adam", "adam-amsgrad-wd", {"lr": 0.05, "amsgrad": True, "weightDecay": 0.1}),
        ("adam", "adam-betas-eps", {"lr": 0.02, "betas": [0.8, 0.95], "eps": 1e-3, "maximize": True}),
        ("adamw", "adamw-default", {"lr": 0.05}),
        ("adamw", "adamw-amsgrad", {"lr": 0.05, "weightDecay": 0.3, "amsgrad": True}),
        ("rmsprop", "rmsprop-default", {}),
        ("rmsprop", "rmsprop-centered", {"lr": 0.01, "centered": True}),
        ("rmsprop", "rmsprop-momentum", {"lr": 0.01, "momentum": 0.9, "alpha": 0.9}),
        ("rmsprop", "rmsprop-all", {"lr": 0.005, "momentum": 0.5, "centered": True, "weightDecay": 0.1}),
        ("adagrad", "adagrad-default", {"lr": 0.1}),
        ("adagrad", "adagrad-decay-init", {"lr": 0.1, "lrDecay": 0.05, "initialAccumulatorValue": 0.1}),
        ("adagrad", "adagrad-wd-eps", {"lr": 0.1, "weightDecay": 0.1, "eps": 1e-3}),
    ]
    out = []
    for kind, name, opts in cases:
        out.append({"name": name, "type": kind, "options": opts})
    # parameter groups: no weight decay and another rate on the bias
    out.append({"name": "adamw-groups", "type": "adamw", "options": {"lr": 0.05, "weightDecay": 0.2},
                "groups": [{"params": ["layer.bias"], "options": {"weightDecay": 0.0, "lr": 0.01}}]})
    # missing gradients: the bias has none at steps 3, 4 and 9 (torch: p.grad is None)
    out.append({"name": "adam-skip", "type": "adam", "options": {"lr": 0.05},
                "skip": {"layer.bias": [3, 4, 9]}})
    out.append({"name": "sgd-skip", "type": "sgd", "options": {"lr": 0.1, "momentum": 0.9},
                "skip": {"layer.bias": [1, 2, 9]}})
    for case in out:
        params = {n: t.clone().requires_grad_(True) for n, t in init.items()}
        opt = make_optimizer(case, params)
        history = []
        for step in range(1, STEPS + 1):
            for n, p in params.items():
                skipped = step in case.get("skip", {}).get(n, [])
                p.grad = None if skipped else grads[step - 1][n].clone()
            opt.step()
            history.append({n: flat(p) for n, p in params.items()})
        case["params"] = history
    return {
        "shapes": {n: list(s) for n, s in shapes.items()},
        "init": {n: flat(t) for n, t in init.items()},
        "grads": [{n: flat(t) for n, t in g.items()} for g in grads],
        "cases": out,
    }


# ---------------------------------------------------------------- a real loss: a tiny MLP
def mlp_problem():
    g = torch.Generator().manual_seed(1)
    x = torch.randn(16, 4, generator=g)
    y = torch.randn(16, 2, generator=g)
    shapes = {"fc1.weight": (8, 4), "fc1.bias": (8,), "fc2.weight": (2, 8), "fc2.bias": (2,)}
    init = {n: torch.randn(s, generator=g) * 0.5 for n, s in shapes.items()}

    def loss_fn(p):
        h = torch.tanh(x @ p["fc1.weight"].T + p["fc1.bias"])
        out = h @ p["fc2.weight"].T + p["fc2.bias"]
        return ((out - y) ** 2).mean()

    cases = [
        {"name": "mlp-sgd-nesterov", "type": "sgd", "options": {"lr": 0.1, "momentum": 0.9, "nesterov": True}},
        {"name": "mlp-adam-amsgrad", "type": "adam", "options": {"lr": 0.01, "amsgrad": True}},
        {"name": "mlp-adamw", "type": "adamw", "options": {"lr": 0.01, "weightDecay": 0.1},
         "groups": [{"params": ["fc1.bias", "fc2.bias"], "options": {"weightDecay": 0.0}}]},
        {"name": "mlp-rmsprop-centered", "type": "rmsprop",
         "options": {"lr": 0.003, "centered": True, "momentum": 0.5}},
        {"name": "mlp-adagrad", "type": "adagrad", "options": {"lr": 0.05, "lrDecay": 0.01}},
    ]
    for case in cases:
        params = {n: t.clone().requires_grad_(True) for n, t in init.items()}
        opt = make_optimizer(case, params)
        history, losses, grads = [], [], []
        for _ in range(STEPS):
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(params)
            loss.backward()
            losses.append(float(loss))
            grads.append({n: flat(p.grad) for n, p in params.items()})
            opt.step()
            history.append({n: flat(p) for n, p in params.items()})
        case["params"] = history
        case["losses"] = losses
        case["grads"] = grads
    return {"x": flat(x), "y": flat(y), "xShape": [16, 4], "yShape": [16, 2],
            "shapes": {n: list(s) for n, s in shapes.items()},
            "init": {n: flat(t) for n, t in init.items()}, "cases": cases}


# ---------------------------------------------------------------- schedules over 1,000 steps
SCHED_STEPS = 1000
S = torch.optim.lr_scheduler


def noam_factor(d_model, warmup):
    return lambda e: d_model ** -0.5 * min((e + 1) ** -0.5, (e + 1) * warmup ** -1.5)


def inverse_sqrt_factor(warmup):
    return lambda e: min((e + 1) / warmup, math.sqrt(warmup / (e + 1)))


def build_schedule(spec, opt):
    k, o = spec["kind"], spec.get("options", {})
    if k == "constantLr":
        return S.ConstantLR(opt, factor=o["factor"], total_iters=o["totalIters"])
    if k == "stepLr":
        return S.StepLR(opt, step_size=o["stepSize"], gamma=o["gamma"])
    if k == "multiStepLr":
        return S.MultiStepLR(opt, milestones=o["milestones"], gamma=o["gamma"])
    if k == "exponentialLr":
        return S.ExponentialLR(opt, gamma=o["gamma"])
    if k == "cosineAnnealing":
        return S.CosineAnnealingLR(opt, T_max=o["tMax"], eta_min=o.get("etaMin", 0))
    if k == "cosineAnnealingWarmRestarts":
        return S.CosineAnnealingWarmRestarts(opt, T_0=o["t0"], T_mult=o["tMult"], eta_min=o["etaMin"])
    if k == "linearWarmup":
        return S.LinearLR(opt, start_factor=o["startFactor"], end_factor=o.get("endFactor", 1.0),
                          total_iters=o["totalIters"])
    if k == "oneCycle":
        return S.OneCycleLR(opt, max_lr=o["maxLr"], total_steps=o["totalSteps"],
                            anneal_strategy=o.get("annealStrategy", "cos"),
                            three_phase=o.get("threePhase", False), pct_start=o.get("pctStart", 0.3))
    if k == "reduceOnPlateau":
        return S.ReduceLROnPlateau(opt, mode=o.get("mode", "min"), factor=o["factor"], patience=o["patience"],
                                   threshold=o.get("threshold", 1e-4),
                                   threshold_mode=o.get("thresholdMode", "rel"), cooldown=o.get("cooldown", 0),
                                   min_lr=o.get("minLr", 0))
    if k == "noam":
        return S.LambdaLR(opt, noam_factor(o["dModel"], o["warmupSteps"]))
    if k == "inverseSqrt":
        return S.LambdaLR(opt, inverse_sqrt_factor(o["warmupSteps"]))
    if k == "sequential":
        children = [build_schedule(c, opt) for c in spec["children"]]
        return S.SequentialLR(opt, children, milestones=o["milestones"])
    if k == "chained":
        children = [build_schedule(c, opt) for c in spec["children"]]
        return S.ChainedScheduler(children)
    raise ValueError(k)


def plateau_metrics(n, kind):
    out = []
    for t in range(n):
        base = max(0.3, 1.0 - t / 150.0) if kind == "min" else min(0.9, 0.2 + t / 200.0)
        out.append(base + 0.02 * math.sin(t * 0.7) * (1 if t % 7 else -1))
    return out


def schedules():
    specs = [
        {"name": "constant", "kind": "constantLr", "options": {"factor": 0.5, "totalIters": 100}},
        {"name": "step", "kind": "stepLr", "options": {"stepSize": 30, "gamma": 0.9}},
        {"name": "multi-step", "kind": "multiStepLr",
         "options": {"milestones": [100, 300, 300, 700], "gamma": 0.5}},
        {"name": "exponential", "kind": "exponentialLr", "options": {"gamma": 0.995}},
        {"name": "cosine", "kind": "cosineAnnealing", "options": {"tMax": 300, "etaMin": 0.001}},
        {"name": "cosine-restarts", "kind": "cosineAnnealingWarmRestarts",
         "options": {"t0": 50, "tMult": 2, "etaMin": 1e-4}},
        {"name": "linear-warmup", "kind": "linearWarmup",
         "options": {"startFactor": 0.1, "endFactor": 1.0, "totalIters": 200}},
        {"name": "one-cycle", "kind": "oneCycle", "options": {"maxLr": [1.0, 0.5], "totalSteps": 1000}},
        {"name": "one-cycle-linear-3", "kind": "oneCycle",
         "options": {"maxLr": 0.3, "totalSteps": 1000, "annealStrategy": "linear", "threePhase": True,
                     "pctStart": 0.25}},
        {"name": "plateau-min", "kind": "reduceOnPlateau",
         "options": {"factor": 0.5, "patience": 10, "cooldown": 5, "minLr": 0.001}, "metrics": "min"},
        {"name": "plateau-max-abs", "kind": "reduceOnPlateau",
         "options": {"mode": "max", "factor": 0.3, "patience": 5, "threshold": 0.01, "thresholdMode": "abs"},
         "metrics": "max"},
        {"name": "noam", "kind": "noam", "options": {"dModel": 512, "warmupSteps": 100}},
        {"name": "inverse-sqrt", "kind": "inverseSqrt", "options": {"warmupSteps": 100}},
        {"name": "sequential", "kind": "sequential", "options": {"milestones": [100]},
         "children": [{"kind": "linearWarmup", "options": {"startFactor": 0.01, "totalIters": 100}},
                      {"kind": "cosineAnnealing", "options": {"tMax": 900}}]},
        {"name": "chained", "kind": "chained",
         "children": [{"kind": "linearWarmup", "options": {"startFactor": 0.1, "totalIters": 50}},
                      {"kind": "exponentialLr", "options": {"gamma": 0.998}}]},
    ]
    for spec in specs:
        a = torch.zeros(2, requires_grad=True)
        b = torch.zeros(3, requires_grad=True)
        opt = torch.optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.05}], lr=0.1, momentum=0.9)
        sched = build_schedule(spec, opt)
        metrics = plateau_metrics(SCHED_STEPS, spec["metrics"]) if "metrics" in spec else None
        lrs = [[g["lr"] for g in opt.param_groups]]
        momenta = [opt.param_groups[0]["momentum"]]
        for t in range(SCHED_STEPS):
            opt.step()
            if metrics is not None:
                sched.step(metrics[t])
            else:
                sched.step()
            lrs.append([g["lr"] for g in opt.param_groups])
            momenta.append(opt.param_groups[0]["momentum"])
        spec["lrs"] = lrs
        if spec["kind"] == "oneCycle":
            spec["momentum"] = momenta
        if metrics is not None:
            spec["metrics"] = metrics
    return {"groupLrs": [0.1, 0.05], "momentum": 0.9, "steps": SCHED_STEPS, "schedules": specs}


# ---------------------------------------------------------------- clipping
def clipping():
    g = torch.Generator().manual_seed(2)
    grads = {"a": torch.randn(3, 4, generator=g) * 2, "b": torch.randn(5, generator=g), "c.d": torch.randn(2, 2, generator=g) * 0.1}
    cases = []
    for max_norm, norm_type in [(1.0, 2.0), (100.0, 2.0), (0.5, 1.0), (0.5, math.inf), (0.7, 3.0)]:
        clones = {n: t.clone().requires_grad_(True) for n, t in grads.items()}
        for n, p in clones.items():
            p.grad = grads[n].clone()
        total = torch.nn.utils.clip_grad_norm_(list(clones.values()), max_norm, norm_type)
        cases.append({"maxNorm": max_norm, "normType": "Infinity" if math.isinf(norm_type) else norm_type,
                      "totalNorm": float(total), "grads": {n: flat(p.grad) for n, p in clones.items()}})
    value_clones = {n: t.clone().requires_grad_(True) for n, t in grads.items()}
    for n, p in value_clones.items():
        p.grad = grads[n].clone()
    torch.nn.utils.clip_grad_value_(list(value_clones.values()), 0.5)
    return {"shapes": {n: list(t.shape) for n, t in grads.items()},
            "grads": {n: flat(t) for n, t in grads.items()}, "norm": cases,
            "value": {"clipValue": 0.5, "grads": {n: flat(p.grad) for n, p in value_clones.items()}}}


def write(name, data):
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(data, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    assert torch.__version__.startswith("1.13"), torch.__version__
    write("optimizers.json", {"torch": torch.__version__, "steps": STEPS, **fixed_problem()})
    write("mlp.json", {"torch": torch.__version__, "steps": STEPS, **mlp_problem()})
    write("schedules.json", {"torch": torch.__version__, **schedules()})
    write("clip.json", {"torch": torch.__version__, **clipping()})

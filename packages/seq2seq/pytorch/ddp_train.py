"""Train seq2seq:attention's PyTorch twin with DistributedDataParallel; save it for `seqzoo import`.

The scale-out recipe of docs/outgrowing-one-machine.md. One process per CPU core or GPU:

    torchrun --nproc_per_node 2 --standalone ddp_train.py --data pairs.json --out run/

(torch < 2 on Python 3.11 also needs ``--redirects 2 --tee 2``: its default ``--redirects 0`` fails
with "'NoneType' object has no attribute 'get'".) Several machines: the same command on each, with
``--nnodes N --node_rank i --rdzv_backend c10d --rdzv_endpoint host:port`` instead of
``--standalone``, and ``--backend nccl`` on GPUs.

``--data`` is a JSON ``{"train": [{"source": "word", "target": "W ER1 D"}, ...], "test": [...]}``
(source: characters; target: space-separated tokens, or characters with ``--target-tokens
chars``). Every process reads it, builds the same vocabularies and the same model (same seed),
and trains on its own share of every batch; DDP averages the gradients. Process 0 then decodes
the test pairs greedily and writes to ``--out``:

    model.safetensors   the twin's state_dict (the names `seqzoo export --to pytorch` writes)
    vocabularies.json   {source, target: {tokens, specials}, sourceTokenizer, targetTokenizer}
    config.json         the seqzoo config
    eval.json           loss, WER, PER and every greedy output, computed as `seqzoo eval` does

which load with

    seqzoo import run/model.safetensors --from pytorch --model seq2seq:attention \\
      --config run/config.json --vocabularies run/vocabularies.json --out model/
"""
import argparse
import json
import math
import os
import struct
import sys
import time

import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seqzoo_seq2seq import Seq2Seq, batch  # noqa: E402

SPECIALS = {"pad": 0, "unk": 1, "bos": 2, "eos": 3}


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", required=True, help="JSON {train: [{source, target}], test: [...]}")
    p.add_argument("--out", required=True, help="folder for the model, vocabularies and eval")
    p.add_argument("--steps", type=int, default=300, help="optimizer steps")
    p.add_argument("--batch-size", type=int, default=32, help="pairs per process per step")
    p.add_argument("--lr", type=float, default=5e-3, help="Adam learning rate (falls linearly to a tenth)")
    p.add_argument("--clip", type=float, default=5.0, help="global gradient-norm clipping")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--backend", default="gloo", help="gloo (CPU) or nccl (GPU)")
    p.add_argument("--cell", default="lstm", choices=["lstm", "gru"])
    p.add_argument("--attention", default="general", choices=["general", "dot", "bahdanau", "concat", "none"])
    p.add_argument("--embedding-size", type=int, default=32)
    p.add_argument("--hidden-size", type=int, default=64)
    p.add_argument("--num-layers", type=int, default=1)
    p.add_argument("--dropout", type=float, default=0.1)
    p.add_argument("--target-tokens", default="words", choices=["words", "chars"])
    return p.parse_args()


def source_tokens(text):
    return list(text)  # Unicode code points, as seqzoo's charTokenizer


def target_tokenizer(kind):
    return (lambda t: t.split()) if kind == "words" else list


def vocabulary(sequences):
    """The four specials at ids 0-3, then every token once, sorted (as seqzoo's Vocab.fromTokens
    of the sorted tokens); written as {tokens, specials}, which `seqzoo import` keeps as it is."""
    tokens = sorted({t for s in sequences for t in s})
    return {"tokens": ["<pad>", "<unk>", "<bos>", "<eos>"] + tokens, "specials": dict(SPECIALS)}


def encode(vocab, tokens):
    ids = {t: i for i, t in enumerate(vocab["tokens"])}
    return [ids.get(t, SPECIALS["unk"]) for t in tokens]


def edit_distance(a, b):
    row = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        prev, row[0] = row[0], i
        for j in range(1, len(b) + 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] != b[j - 1]))
    return row[len(b)]


def save_safetensors(state, path):
    """A safetensors file (F32, names sorted, offsets without holes), written to a temp file and
    renamed; the format is 8 bytes of header length, the JSON header, then the raw data."""
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name in sorted(state):
        data = state[name].detach().to(torch.float32).contiguous().cpu().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(state[name].shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text)
        for blob in blobs:
            f.write(blob)
    os.replace(tmp, path)


def write_json(value, path):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(value, f, indent=1, ensure_ascii=False)
    os.replace(tmp, path)


@torch.no_grad()
def evaluate(model, pairs, source_vocab, target_vocab, split_target, joiner):
    """seqzoo's seq2seq evaluation: teacher-forced cross-entropy per target token (<eos>
    included); then per distinct source (its references: every target it has) the greedy output,
    wrong when it equals none of them (WER), and the edits to the closest one over its length (PER)."""
    model.eval()
    pad = SPECIALS["pad"]
    nll, count = 0.0, 0
    for i in range(0, len(pairs), 256):
        part = pairs[i : i + 256]
        src = [encode(source_vocab, source_tokens(p["source"])) for p in part]
        tgt = [encode(target_vocab, split_target(p["target"])) for p in part]
        source, lengths, target_in, target_out = batch(src, tgt, pad, SPECIALS["bos"], SPECIALS["eos"])
        logits = model(source, lengths, target_in)
        nll += float(torch.nn.functional.cross_entropy(
            logits.reshape(-1, logits.shape[-1]), target_out.reshape(-1), ignore_index=pad, reduction="sum"))
        count += int((target_out != pad).sum())
    groups = {}
    for p in pairs:
        groups.setdefault(p["source"], []).append(split_target(p["target"]))
    words = list(groups)
    outputs, wrong, edits, length = {}, 0, 0, 0
    for i in range(0, len(words), 256):
        part = words[i : i + 256]
        src = [encode(source_vocab, source_tokens(w)) for w in part]
        source, lengths, _, _ = batch(src, [[0]] * len(src), pad)
        ids, _ = model.greedy(source, lengths)
        for word, out in zip(part, ids):
            tokens = [target_vocab["tokens"][t] for t in out]
            outputs[word] = joiner.join(tokens)
            best, best_length = math.inf, 1
            for ref in groups[word]:
                d = edit_distance(ref, tokens)
                if d < best:
                    best, best_length = d, max(1, len(ref))
            wrong += best > 0
            edits += best
            length += best_length
    n = max(1, len(words))
    return {
        "loss": nll / max(1, count),
        "wer": wrong / n,
        "per": edits / max(1, length),
        "exactMatch": 1 - wrong / n,
        "examples": len(pairs),
        "words": len(words),
        "outputs": outputs,
    }


def main():
    args = parse_args()
    dist.init_process_group(args.backend)
    rank, world = dist.get_rank(), dist.get_world_size()
    device = torch.device("cuda", int(os.environ.get("LOCAL_RANK", 0))) if args.backend == "nccl" else torch.device("cpu")
    with open(args.data) as f:
        data = json.load(f)
    split_target = target_tokenizer(args.target_tokens)
    train = data["train"]
    source_vocab = vocabulary(source_tokens(p["source"]) for p in train)
    target_vocab = vocabulary(split_target(p["target"]) for p in train)
    config = {
        "cell": args.cell,
        "embeddingSize": args.embedding_size,
        "hiddenSize": args.hidden_size,
        "numLayers": args.num_layers,
        "bidirectional": True,
        "attention": args.attention,
        "inputFeeding": True,
        "dropout": args.dropout,
        "sourceTokens": "chars",
        "targetTokens": args.target_tokens,
    }
    twin = {
        **config,
        "sourceVocabSize": len(source_vocab["tokens"]),
        "targetVocabSize": len(target_vocab["tokens"]),
        "padId": SPECIALS["pad"],
        "bosId": SPECIALS["bos"],
        "eosId": SPECIALS["eos"],
    }
    torch.manual_seed(args.seed)  # the same initial weights in every process
    model = Seq2Seq(twin).to(device)
    ddp = DistributedDataParallel(model, device_ids=[device.index] if device.type == "cuda" else None)
    torch.manual_seed(args.seed + 1 + rank)  # each process its own dropout
    optimizer = torch.optim.Adam(ddp.parameters(), lr=args.lr)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: 1 - 0.9 * s / max(1, args.steps))
    encoded = [
        (encode(source_vocab, source_tokens(p["source"])), encode(target_vocab, split_target(p["target"])))
        for p in train
    ]
    order_rng = torch.Generator().manual_seed(args.seed)  # the same order in every process
    order, cursor = [], 0
    global_batch = args.batch_size * world
    started = time.time()
    ddp.train()
    for step in range(1, args.steps + 1):
        if cursor + global_batch > len(order):
            order, cursor = torch.randperm(len(encoded), generator=order_rng).tolist(), 0
        mine = order[cursor + rank * args.batch_size : cursor + (rank + 1) * args.batch_size]
        cursor += global_batch
        source, lengths, target_in, target_out = (
            t.to(device) for t in batch([encoded[i][0] for i in mine], [encoded[i][1] for i in mine])
        )
        logits = ddp(source, lengths, target_in)
        loss = torch.nn.functional.cross_entropy(
            logits.reshape(-1, logits.shape[-1]), target_out.reshape(-1), ignore_index=SPECIALS["pad"]
        )
        optimizer.zero_grad()
        loss.backward()  # DDP averages the gradients of all processes here
        torch.nn.utils.clip_grad_norm_(ddp.parameters(), args.clip)
        optimizer.step()
        schedule.step()
        if rank == 0 and (step % 50 == 0 or step == args.steps):
            print(f"step {step}/{args.steps} loss {loss.item():.4f} ({time.time() - started:.1f} s)", flush=True)
    if rank == 0:
        os.makedirs(args.out, exist_ok=True)
        # model (not ddp): the names without DDP's 'module.' prefix
        save_safetensors(model.state_dict(), os.path.join(args.out, "model.safetensors"))
        write_json(
            {
                "source": source_vocab,
                "target": target_vocab,
                "sourceTokenizer": {"kind": "char", "lowercase": False},
                "targetTokenizer": {"kind": "pretokenized"} if args.target_tokens == "words" else {"kind": "char", "lowercase": False},
            },
            os.path.join(args.out, "vocabularies.json"),
        )
        write_json(config, os.path.join(args.out, "config.json"))
        joiner = " " if args.target_tokens == "words" else ""
        report = evaluate(model.cpu(), data.get("test", []), source_vocab, target_vocab, split_target, joiner)
        report.update({"steps": args.steps, "processes": world, "trainSeconds": time.time() - started})
        write_json(report, os.path.join(args.out, "eval.json"))
        print(f"test: {report['words']} words, WER {report['wer']:.4f}, PER {report['per']:.4f}, loss {report['loss']:.4f}", flush=True)
    dist.barrier()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()

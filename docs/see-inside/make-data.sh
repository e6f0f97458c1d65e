#!/bin/sh
# Makes the data of the root README's "See inside" pictures with the seqzoo CLI (from sources),
# then draws them: docs/see-inside/data/{gates,loss,attention}.json from models trained here,
# data/gradients.json from fresh models (recomputed), and the SVGs. About 15 minutes on 2 cores
# (the char-LM trains for a fixed time, so its numbers differ from run to run).
#   sh docs/see-inside/make-data.sh
set -e
cd "$(dirname "$0")/../.."
seqzoo() { node --conditions=@seqzoo/source --import tsx apps/cli/src/cli.ts "$@"; }
tmp=$(mktemp -d)
data=docs/see-inside/data
seqzoo train zoo:char-lm --dataset names --set cell=lstm --set hiddenSize=64 --set embeddingSize=16 \
  --max-minutes 3 --backend wasm --seed 0 --out "$tmp/charlm"
seqzoo plot gates "$tmp/charlm" --text christopher --units 5 --out "$tmp/gates.svg" --json > "$data/gates.json"
seqzoo plot loss "$tmp/charlm" --out "$tmp/loss.svg" --json > "$data/loss.json"
# 55 epochs of 40 steps: what the committed picture's model had (2186 steps; exact match 1.0 on
# the held-out 10 %), about 10 minutes on wasm.
seqzoo train seq2seq:attention --dataset dates --size 5000 --set embeddingSize=16 --set hiddenSize=64 \
  --epochs 55 --valid-fraction 0.1 --backend wasm --out "$tmp/dates"
seqzoo plot attention "$tmp/dates" "March 3rd, 2019" --out "$tmp/attention.svg" --json > "$data/attention.json"
rm -rf "$tmp"
npm run figures -w @seqzoo/plot -- --recompute

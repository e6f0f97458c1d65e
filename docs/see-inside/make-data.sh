#!/bin/sh
# Makes the data of the root README's "See inside" pictures with the seqzoo CLI (from sources),
# then draws them: docs/see-inside/data/{gates,loss,attention}.json from models trained here,
# data/gradients.json from fresh models (recomputed), and the SVGs. About 12 minutes on 2 cores
# (the two trainings run for a fixed time, so the numbers differ from run to run).
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
seqzoo train seq2seq:attention --dataset dates --size 5000 --set embeddingSize=16 --set hiddenSize=64 \
  --max-minutes 7 --valid-fraction 0.1 --backend wasm --out "$tmp/dates"
seqzoo plot attention "$tmp/dates" "March 3rd, 2019" --out "$tmp/attention.svg" --json > "$data/attention.json"
rm -rf "$tmp"
npm run figures -w @seqzoo/plot -- --recompute

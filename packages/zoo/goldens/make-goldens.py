"""Reference values for the markov tests: interpolated Kneser-Ney and add-k written straight
from the formulas (Chen & Goodman 1998, eq. for interpolated KN with one discount D), with sets
for the N1+ counts, independently of the TypeScript code. Run with /usr/bin/python3:

    /usr/bin/python3 packages/zoo/goldens/make-goldens.py > packages/zoo/goldens/markov.json
"""
import itertools
import json

BOS, EOS, UNK = "<s>", "</s>", "<unk>"


def ngrams(corpus, order):
    """Every (order+1)-gram of the padded sequences, as tuples (with repetitions)."""
    out = []
    for text in corpus:
        padded = [BOS] * order + list(text) + [EOS]
        for i in range(order, len(padded)):
            out.append(tuple(padded[i - order : i + 1]))
    return out


def kn_model(corpus, order, D):
    n = order + 1
    grams = ngrams(corpus, order)
    vocab = sorted({t for text in corpus for t in text}) + [EOS, UNK]
    V = len(vocab)
    # raw counts of the top order; suffixes of those n-grams are the lower-order m-grams
    top = {}
    for g in grams:
        top[g] = top.get(g, 0) + 1
    # continuation counts for m < n: N1+(. g) = |{x : c(x g) > 0}| over the (m+1)-grams
    def cont_counts(m):
        longer = {g[-(m + 1):] for g in grams}  # the distinct (m+1)-gram suffixes
        out = {}
        for g in longer:
            out[g[1:]] = out.get(g[1:], 0) + 1
        return out

    counts = {n: top}
    for m in range(1, n):
        counts[m] = cont_counts(m)

    def p(m, ctx, w):
        if m == 0:
            return 1.0 / V
        table = counts[m]
        follows = {g[-1]: c for g, c in table.items() if g[:-1] == ctx}
        lower = p(m - 1, ctx[1:], w)
        total = sum(follows.values())
        if total == 0:
            return lower
        return max(follows.get(w, 0) - D, 0) / total + D * len(follows) / total * lower

    return vocab, lambda ctx, w: p(n, tuple(ctx), w)


def addk_model(corpus, order, k):
    grams = ngrams(corpus, order)
    vocab = sorted({t for text in corpus for t in text}) + [EOS, UNK]
    V = len(vocab)

    def p(ctx, w):
        ctx = tuple(ctx)
        c_hw = sum(1 for g in grams if g[:-1] == ctx and g[-1] == w)
        c_h = sum(1 for g in grams if g[:-1] == ctx)
        return (c_hw + k) / (c_h + k * V)

    return vocab, p


def contexts(vocab, order):
    """Every context of `order` tokens: padded starts and all vocabulary combinations."""
    symbols = [BOS] + [t for t in vocab if t not in (EOS,)]
    out = []
    for ctx in itertools.product(symbols, repeat=order):
        # <s> only as a prefix run, as in padded text
        seen_token = False
        ok = True
        for t in ctx:
            if t == BOS and seen_token:
                ok = False
            if t != BOS:
                seen_token = True
        if ok:
            out.append(list(ctx))
    return out


corpus = ["abab", "abba", "bab", "aab", "ca"]
cases = []
for order, D in [(0, 0.75), (1, 0.75), (2, 0.75), (2, 0.5), (3, 0.9)]:
    vocab, p = kn_model(corpus, order, D)
    rows = [{"context": ctx, "probs": {w: p(ctx, w) for w in vocab}} for ctx in contexts(vocab, order)]
    cases.append({"smoothing": "kneser-ney", "order": order, "discount": D, "rows": rows})
for order, k in [(1, 1.0), (2, 0.5)]:
    vocab, p = addk_model(corpus, order, k)
    rows = [{"context": ctx, "probs": {w: p(ctx, w) for w in vocab}} for ctx in contexts(vocab, order)]
    cases.append({"smoothing": "add-k", "order": order, "addK": k, "rows": rows})

print(json.dumps({"corpus": corpus, "cases": cases}))

#!/usr/bin/env python3
# Probe of issue 9 item 6's ideas with scikit-learn (a pre-study, not depeche): macro-F1 of
# MasakhaNEWS-fra train (5-fold CV: its dev split is reserved) and SIB-200-fra train -> dev.
import csv, sys, numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC
from sklearn.linear_model import LogisticRegression
from sklearn.decomposition import TruncatedSVD
from sklearn.model_selection import StratifiedKFold
from sklearn.metrics import f1_score
from scipy.sparse import hstack, csr_matrix
csv.field_size_limit(10**9)
def load(p):
    X, y = [], []
    with open(p, encoding="utf-8") as f:
        r = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE); next(r)
        for row in r:
            y.append(row[0]); X.append(row[1])
    return X, np.array(y)
def feats(kind):
    w = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), min_df=1, strip_accents="unicode", lowercase=True)
    c = TfidfVectorizer(sublinear_tf=True, analyzer="char_wb", ngram_range=(2, 5), min_df=1, lowercase=True)
    return {"word": [w], "char": [c], "word+char": [w, c]}[kind]
def fit_predict(Xtr, ytr, Xte, variant, unl):
    kind, extra = variant
    vs = feats(kind)
    A = [v.fit(Xtr + unl).transform(Xtr) for v in vs]; B = [v.transform(Xte) for v in vs]
    Atr, Ate = hstack(A).tocsr(), hstack(B).tocsr()
    if extra == "lsa":
        svd = TruncatedSVD(300, random_state=0).fit(hstack([v.transform(Xtr + unl) for v in vs]).tocsr())
        Ltr, Lte = svd.transform(Atr), svd.transform(Ate)
        n = np.linalg.norm(Ltr, axis=1, keepdims=True) + 1e-9; Ltr /= n
        n = np.linalg.norm(Lte, axis=1, keepdims=True) + 1e-9; Lte /= n
        Atr, Ate = hstack([Atr, csr_matrix(Ltr)]).tocsr(), hstack([Ate, csr_matrix(Lte)]).tocsr()
    if extra == "nbsvm":
        # one-vs-rest NB-SVM (Wang & Manning 2012): per class, features scaled by the log-count ratio
        labels = sorted(set(ytr)); scores = []
        Bin = (Atr > 0).astype(float); BinTe = (Ate > 0).astype(float)
        for l in labels:
            pos = np.asarray(Bin[ytr == l].sum(0)).ravel() + 1; neg = np.asarray(Bin[ytr != l].sum(0)).ravel() + 1
            r = np.log((pos / pos.sum()) / (neg / neg.sum()))
            m = LinearSVC(C=1).fit(Bin.multiply(r).tocsr(), (ytr == l).astype(int))
            scores.append(m.decision_function(BinTe.multiply(r).tocsr()))
        return np.array(labels)[np.argmax(np.array(scores), 0)]
    return LinearSVC(C=1).fit(Atr, ytr).predict(Ate)
variants = [("word", ""), ("char", ""), ("word+char", ""), ("word", "lsa"), ("word+char", "lsa"), ("word", "nbsvm"), ("word+char", "nbsvm")]
mX, my = load("/work/shared/datasets/masakhanews-fra/train.tsv")
sX, sy = load("/work/shared/datasets/sib200-fra/train.tsv"); dX, dy = load("/work/shared/datasets/sib200-fra/dev.tsv")
for v in variants:
    f = []
    for tr, te in StratifiedKFold(5, shuffle=True, random_state=0).split(mX, my):
        p = fit_predict([mX[i] for i in tr], my[tr], [mX[i] for i in te], v, [])
        f.append(f1_score(my[te], p, average="macro"))
    ps = fit_predict(sX, sy, dX, v, [])
    print(f"{v[0]:10s} {v[1]:6s} MasakhaNEWS train CV {np.mean(f):.4f}  SIB-200 dev {f1_score(dy, ps, average='macro'):.4f}", flush=True)

#!/usr/bin/python3
"""The SM peer as a classifier: logistic regression per modality on standardised features, as
../shared/tools/peer_baselines.py fits it, and its predicted-label accuracy on the test split from the image, from
the text and from both (class probabilities averaged), beside which MS2GAN's label head is measured.
Usage: sm_labels.py DATA_DIR [--json FILE]   (DATA_DIR holds train_image.npy train_text.npy train_labels.npy test_*.npy)"""
import argparse, json
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument("data")
p.add_argument("--json")
a = p.parse_args()
L = lambda n: np.load(f"{a.data}/{n}.npy")
Itr, Ttr, ytr, Ite, Tte, yte = L('train_image'), L('train_text'), L('train_labels'), L('test_image'), L('test_text'), L('test_labels')
if ytr.ndim > 1: ytr, yte = ytr.argmax(1), yte.argmax(1)
def fit(X, Xte):
    s = StandardScaler().fit(X)
    m = LogisticRegression(max_iter=5000, C=1.0).fit(s.transform(X), ytr)
    return m.predict_proba(s.transform(Xte)), m.classes_
pi, ci = fit(Itr, Ite)
pt, ct = fit(Ttr, Tte)
acc = lambda p, c: float((c[p.argmax(1)] == yte).mean())
result = {"image": acc(pi, ci), "text": acc(pt, ct), "both": acc((pi + pt) / 2, ci), "testItems": int(len(yte))}
print(f"SM labels: accuracy image {result['image']:.4f}  text {result['text']:.4f}  both {result['both']:.4f}  ({result['testItems']} test items)")
if a.json:
    with open(a.json, "w") as f:
        json.dump(result, f, indent=2)

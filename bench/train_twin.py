#!/usr/bin/python3
"""The MS2GAN trainer of shared/MS2GAN.Model (Ms2GanTrainer, Ms2GanNetwork, Ms2GanLosses) in PyTorch, with the
defaults of Ms2GanConfig, to time an epoch against the TorchSharp one on the same data, batch size and thread count.
Each epoch is what the C# trainer does: shuffled batches with half the pairs mixed with a pair of their class (a
discriminator step, then a generator step), then the validation mAP (joint 0.5/0.5) and a copy of the weights when it is
the best so far. (Early stopping and the refit are left out on both sides: every epoch is timed.)
Usage: train_twin.py DATA_DIR --epochs N --threads N --json FILE   (DATA_DIR holds train_image/text/labels.npy)"""
import argparse, copy, json, math, os, sys, time
import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

# Ms2GanConfig defaults.
# Ms2GanConfig defaults; batch_size None: Ms2GanConfig.ForData's rule (the fit share / 4, between 32 and 256).
CONFIG = dict(specific_hidden=[512], specific_dim=128, common_hidden=[128], shared_dim=128, discriminator_hidden=64,
              dropout=0.5, label_weight=2.0, inter_weight=2.0, intra_weight=0.5, difference_weight=0.1,
              adversarial_weight=0.05, similarity_scale=10.0, learning_rate=2e-4, discriminator_learning_rate=5e-4,
              weight_decay=1e-2, batch_size=None, seed=42, validation_fraction=0.15, same_class_mix=0.5)


def batch_size(c, train_items):
    if c["batch_size"]:
        return c["batch_size"]
    return int(np.clip(round(train_items * (1 - c["validation_fraction"])) // 4, 32, 256))


def same_class_mix(image, text, labels, index, by_class, rng, share):
    """Each chosen pair becomes lambda * itself + (1 - lambda) * a random pair of its class (as Ms2GanTrainer.Mix)."""
    mixed = rng.random(len(index)) < share
    partners = np.array([rng.choice(by_class[int(labels[i])]) if m else int(i) for i, m in zip(index, mixed)])
    lam = torch.from_numpy(np.where(mixed, rng.random(len(index)), 1.0).astype(np.float32)).unsqueeze(1)
    p = torch.from_numpy(partners)
    return image[index] * lam + image[p] * (1 - lam), text[index] * lam + text[p] * (1 - lam)


def mlp(inputs, hidden, outputs, dropout):
    widths = [inputs] + hidden + [outputs]
    layers = []
    for i in range(len(widths) - 1):
        layers.append(nn.Linear(widths[i], widths[i + 1]))
        if i + 2 < len(widths):
            layers += [nn.ReLU(), nn.Dropout(dropout)]
    return nn.Sequential(*layers)


class Generator(nn.Module):
    def __init__(self, image_dim, text_dim, classes, c):
        super().__init__()
        self.image_specific = mlp(image_dim, c["specific_hidden"], c["specific_dim"], c["dropout"])
        self.text_specific = mlp(text_dim, c["specific_hidden"], c["specific_dim"], c["dropout"])
        self.common = mlp(c["specific_dim"], c["common_hidden"], c["shared_dim"], c["dropout"])
        self.specific_classifier = nn.Linear(c["specific_dim"], classes)
        self.shared_classifier = nn.Linear(c["shared_dim"], classes)

    def forward(self, image, text):
        si, st = self.image_specific(image), self.text_specific(text)
        return si, st, self.common(si), self.common(st)


class Discriminator(nn.Module):
    def __init__(self, inputs, hidden):
        super().__init__()
        self.hidden, self.output = nn.Linear(inputs, hidden), nn.Linear(hidden, 1)

    def forward(self, shared):
        return self.output(F.leaky_relu(self.hidden(shared), 0.2)).squeeze(-1)


def similarity(a, b, la, lb, scale, skip_diagonal):
    theta = F.normalize(a, dim=1) @ F.normalize(b, dim=1).t() * scale
    same = (la.unsqueeze(1) == lb.unsqueeze(0)).float()
    valid = torch.ones_like(same)
    if skip_diagonal:
        valid = valid - torch.eye(same.shape[0], same.shape[1])
    positive, negative = same * valid, (1 - same) * valid
    pos = (F.softplus(-theta) * positive).sum() / positive.sum().clamp_min(1)
    neg = (F.softplus(theta) * negative).sum() / negative.sum().clamp_min(1)
    return (pos + neg) / 2


def difference(s, c):
    s, c = F.normalize(s, dim=1), F.normalize(c, dim=1)
    return (s.t() @ c).pow(2).sum() / float(s.shape[0]) ** 2


def bce(logits, target):
    return F.binary_cross_entropy_with_logits(logits, torch.full_like(logits, target))


def step(g, d, g_opt, d_opt, image, text, labels, c):
    si, st, ci, ct = g(image, text)
    d_opt.zero_grad()
    d_loss = (bce(d(ci.detach()), 1.0) + bce(d(ct.detach()), 0.0)) / 2
    d_loss.backward()
    d_opt.step()
    g_opt.zero_grad()
    label = (F.cross_entropy(g.specific_classifier(si), labels) + F.cross_entropy(g.specific_classifier(st), labels)
             + F.cross_entropy(g.shared_classifier(ci), labels) + F.cross_entropy(g.shared_classifier(ct), labels)) / 4
    k = c["similarity_scale"]
    inter = (similarity(si, st, labels, labels, k, False) + similarity(ci, ct, labels, labels, k, False)) / 2
    intra = sum(similarity(x, x, labels, labels, k, True) for x in (si, st, ci, ct)) / 4
    diff = (difference(si, ci) + difference(st, ct)) / 2
    adversarial = (bce(d(ci), 0.0) + bce(d(ct), 1.0)) / 2
    total = (label * c["label_weight"] + inter * c["inter_weight"] + intra * c["intra_weight"]
             + diff * c["difference_weight"] + adversarial * c["adversarial_weight"])
    total.backward()
    g_opt.step()
    # The C# trainer reads every loss back each batch (item<float>), which waits for the values; so does this.
    return [x.item() for x in (total, label, inter, intra, diff, adversarial, d_loss)]


def mean_ap(scores, query_labels, item_labels):
    aps = []
    for row, label in zip(scores, query_labels):
        relevant = (item_labels[np.argsort(-row, kind="stable")] == label).astype(np.float64)
        if relevant.sum() == 0:
            continue
        precision = np.cumsum(relevant) / np.arange(1, len(relevant) + 1)
        aps.append((precision * relevant).sum() / relevant.sum())
    return float(np.mean(aps))


def validation_map(g, image, text, labels):
    g.eval()
    with torch.no_grad():
        si, st, ci, ct = [F.normalize(x, dim=1).numpy() for x in g(image, text)]
    g.train()
    i2t = 0.5 * si @ st.T + 0.5 * ci @ ct.T
    return (mean_ap(i2t, labels, labels) + mean_ap(i2t.T.copy(), labels, labels)) / 2


def stratified(labels, fraction, rng):
    fit, held = [], []
    for label in np.unique(labels):
        rows = np.flatnonzero(labels == label)
        rng.shuffle(rows)
        n = 0 if len(rows) < 2 else int(np.clip(round(len(rows) * fraction), 1, len(rows) - 1))
        held += list(rows[:n])
        fit += list(rows[n:])
    return np.sort(fit), np.sort(held)


def standardize(fit, *others):
    # normalization auto: the signed square root first when no training value is negative (FeatureNormalizer).
    if not (fit < 0).any():
        fit, others = np.sqrt(fit), tuple(np.sign(x) * np.sqrt(np.abs(x)) for x in others)
    mean, std = fit.mean(0), fit.std(0)
    positive = np.sort(std[std > 0])
    floor = positive[len(positive) // 2] * 1e-2 if len(positive) else 1.0
    scale = 1.0 / np.maximum(std, floor)
    return [torch.from_numpy(((x - mean) * scale).astype(np.float32)) for x in (fit,) + others]


def parameter_count(image_dim, text_dim, classes, c=CONFIG):
    return sum(p.numel() for m in (Generator(image_dim, text_dim, classes, c), Discriminator(c["shared_dim"], c["discriminator_hidden"]))
               for p in m.parameters())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--json", required=True)
    a = parser.parse_args()
    if a.epochs < 2:
        sys.exit("train_twin.py: --epochs must be at least 2 (the first is warm-up)")
    try:
        image, text, labels = (np.load(os.path.join(a.data, f"train_{n}.npy")) for n in ("image", "text", "labels"))
    except (OSError, ValueError) as e:
        sys.exit(f"train_twin.py: {a.data}: cannot read the training split: {e}")
    if labels.ndim > 1:
        labels = labels.argmax(1)
    if not (len(image) == len(text) == len(labels)):
        sys.exit(f"train_twin.py: {a.data}: train_image, train_text and train_labels have {len(image)}, {len(text)}, {len(labels)} rows")
    c = CONFIG
    torch.set_num_threads(a.threads)
    torch.manual_seed(c["seed"])
    rng = np.random.default_rng(c["seed"])
    fit, held = stratified(labels, c["validation_fraction"], rng)
    fit_image, val_image = standardize(image[fit].astype(np.float64), image[held].astype(np.float64))
    fit_text, val_text = standardize(text[fit].astype(np.float64), text[held].astype(np.float64))
    fit_labels, val_labels = torch.from_numpy(labels[fit].astype(np.int64)), labels[held]
    classes = int(labels.max()) + 1
    g = Generator(image.shape[1], text.shape[1], classes, c)
    d = Discriminator(c["shared_dim"], c["discriminator_hidden"])
    g_opt = torch.optim.Adam(g.parameters(), c["learning_rate"], weight_decay=c["weight_decay"])
    d_opt = torch.optim.Adam(d.parameters(), c["discriminator_learning_rate"], weight_decay=c["weight_decay"])
    n, best, seconds, last = len(fit), -1.0, [], 0.0
    batch = batch_size(c, len(labels))
    by_class = {int(k): np.flatnonzero(labels[fit] == k) for k in np.unique(labels[fit])}
    print(f"train_twin.py: PyTorch {torch.__version__}, {a.epochs} epochs, batch {batch}, {a.threads} threads, {len(labels)} training pairs")
    for epoch in range(1, a.epochs + 1):
        start = time.perf_counter()
        g.train(); d.train()
        order = torch.randperm(n)
        for s in range(0, n, batch):
            index = order[s:s + batch]
            if len(index) < 2:
                continue
            image_batch, text_batch = same_class_mix(fit_image, fit_text, fit_labels, index.numpy(), by_class, rng, c["same_class_mix"])
            step(g, d, g_opt, d_opt, image_batch, text_batch, fit_labels[index], c)
        last = validation_map(g, val_image, val_text, val_labels)
        if last > best + 1e-9:
            best, snapshot = last, copy.deepcopy(g.state_dict())
        seconds.append(time.perf_counter() - start)
        print(f"  epoch {epoch}/{a.epochs}: {seconds[-1]:.3f} s, validation mAP {last:.4f}", flush=True)
    measured = sorted(seconds[1:])
    median = measured[math.ceil(len(measured) / 2) - 1]  # nearest rank, as the C# side (Percentiles.Of)
    parameters = parameter_count(image.shape[1], text.shape[1], classes)
    print(f"  seconds per epoch: median {median:.3f} of epochs 2..{a.epochs}; {parameters:,} parameters")
    with open(a.json, "w") as f:
        json.dump({"framework": f"PyTorch {torch.__version__}", "threads": a.threads, "batchSize": batch, "epochs": a.epochs,
                   "parameters": parameters, "fitItems": int(n), "validationItems": int(len(held)), "secondsPerEpoch": median,
                   "epochSeconds": seconds, "lastValidationMap": last}, f, indent=2)


if __name__ == "__main__":
    main()

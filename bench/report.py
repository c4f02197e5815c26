#!/usr/bin/python3
"""Writes bench/results.md, results.json and results.png from the files infra/scripts/bench-peers.sh leaves in
artifacts/bench/peers: each figure beside its peer, their ratio, the target and whether it is met.
Usage: report.py RUN_DIR OUT_DIR [--quick 0|1] [--failed "step step ..."]"""
import argparse, datetime, glob, json, math, os, platform, re, sys

JFSSL = {"i2t": 0.306, "t2i": 0.228}  # Wang et al. 2016, Wikipedia, as published
PEER_LINE = re.compile(r"^(\w+)\s+I->T ([\d.]+)\s+T->I ([\d.]+)\s+avg ([\d.]+)")


class ReportError(Exception):
    """A results file that is missing or malformed, named with the problem."""


def read_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except OSError as e:
        raise ReportError(f"{path}: cannot be read ({e.strerror})") from e
    except json.JSONDecodeError as e:
        raise ReportError(f"{path}: not valid JSON ({e})") from e


def field(obj, path, source):
    """obj[a][b]... for path 'a.b...', or a ReportError naming the file and the missing field."""
    for key in path.split("."):
        if not isinstance(obj, dict) or key not in obj:
            raise ReportError(f"{source}: no field '{path}'")
        obj = obj[key]
    return obj


def figure(section, name, ours, peer_name, peer, unit, higher_is_better, target=None, note="", strict=False, ratio=None):
    """One row: ratio = ours / peer unless given (a median of per-round ratios, say); target is the ratio to reach (>= when
    higher is better, <= otherwise; > or < when strict)."""
    if ratio is None:
        ratio = ours / peer if peer else math.nan
    met = None
    if target is not None and not math.isnan(ratio):
        if strict:
            met = ratio > target if higher_is_better else ratio < target
        else:
            met = ratio >= target if higher_is_better else ratio <= target
    return {"section": section, "figure": name, "ours": ours, "peerName": peer_name, "peer": peer, "unit": unit,
            "ratio": ratio, "higherIsBetter": higher_is_better, "target": target, "met": met, "note": note}


def best_at_recall(runs, key, floor=0.95):
    """The run with the most queries per second among those with recall@10 >= floor (None when none reaches it)."""
    good = [r for r in runs if r["recallAt10"] >= floor]
    return max(good, key=lambda r: r[key]) if good else None


def nearest_rank_median(values):
    ordered = sorted(values)
    return ordered[math.ceil(len(ordered) / 2) - 1]


def mean_std(values):
    """Mean, sample standard deviation, minimum and count of per-seed figures."""
    n = len(values)
    mean = sum(values) / n
    std = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1)) if n > 1 else 0.0
    return {"mean": mean, "std": std, "min": min(values), "n": n}


def peer_lines(path):
    """The 'NAME I->T a T->I b avg c' lines of a peer's log, by name (the last of each name)."""
    peers = {}
    with open(path) as f:
        for line in f:
            m = PEER_LINE.match(line.strip())
            if m:
                peers[m[1]] = {"i2t": float(m[2]), "t2i": float(m[3]), "avg": float(m[4])}
    return peers


def quality_datasets(run):
    """The datasets of this run's quality part: quality-NAME.json written by the quality verb, in a fixed order."""
    names = [os.path.basename(p)[len("quality-"):-len(".json")] for p in glob.glob(os.path.join(run, "quality-*.json"))]
    names = [n for n in names if not n.endswith("-sm-labels")]
    order = {"wikipedia": 0, "demo": 1, "oxygen-icons": 2}
    return sorted(names, key=lambda n: (order.get(n, 9), n))


def quality(run):
    """Per dataset: MS2GAN (verb quality, mean ± std over seeds, the ablation), CCA / SM / SCM, DSCMR over the same seeds, SM's labels."""
    datasets, figures = {}, []
    names = quality_datasets(run)
    if not names:
        raise ReportError(f"{run}: no quality-*.json (the quality verb's results)")
    for ds in names:
        source = f"quality-{ds}.json"
        ours = read_json(os.path.join(run, source))
        summary = field(ours, "summary", source)
        seeds = field(ours, "seeds", source)
        peers_log = os.path.join(run, f"quality-{ds}-peers.log")
        peers = peer_lines(peers_log)
        if not {"CCA", "SM", "SCM"} <= peers.keys():
            raise ReportError(f"{peers_log}: expected CCA, SM and SCM lines from peer_baselines.py, found {sorted(peers)}")
        dscmr = []
        for seed in seeds:
            log = os.path.join(run, f"quality-{ds}-dscmr-{seed}.log")
            found = peer_lines(log).get("DSCMR") if os.path.exists(log) else None
            if found is None:
                raise ReportError(f"{log}: no 'DSCMR I->T .. T->I .. avg ..' line (dscmr_ref.py with seed {seed})")
            dscmr.append(found)
        runs = field(ours, "runs", source)
        def spread(get):
            return {k: mean_std([get(r)[k] for r in runs]) for k in ("i2t", "t2i")} | {"avg": mean_std([(get(r)["i2t"] + get(r)["t2i"]) / 2 for r in runs])}
        joint, shared, specific = (spread(lambda r, k=k: r["report"][k]) for k in ("joint", "shared", "specific"))
        dscmr_spread = {k: mean_std([d[k] for d in dscmr]) for k in ("i2t", "t2i", "avg")}
        rows = [("MS2GAN joint (weights chosen on validation)", joint), ("MS2GAN shared only", shared), ("MS2GAN specific only", specific),
                (f"DSCMR (dscmr_ref.py, seeds {','.join(map(str, seeds))})", dscmr_spread)]
        rows += [(f"{k} (peer_baselines.py)", {m: {"mean": peers[k][m], "std": None, "min": peers[k][m], "n": 1} for m in ("i2t", "t2i", "avg")})
                 for k in ("CCA", "SM", "SCM")]
        if ds == "wikipedia":
            jfssl = dict(JFSSL, avg=(JFSSL["i2t"] + JFSSL["t2i"]) / 2)
            rows.append(("JFSSL (published)", {m: {"mean": jfssl[m], "std": None, "min": jfssl[m], "n": 1} for m in ("i2t", "t2i", "avg")}))
        labels_path = os.path.join(run, f"quality-{ds}-sm-labels.json")
        sm_labels = read_json(labels_path)
        labels = {"ms2gan": {k: summary[f"labels{k.capitalize()}"]["mean"] for k in ("image", "text", "both")},
                  "sm": {k: field(sm_labels, k, f"quality-{ds}-sm-labels.json") for k in ("image", "text", "both")}}
        datasets[ds] = {"rows": rows, "seeds": seeds, "trainItems": ours.get("trainItems"), "testItems": ours.get("testItems"),
                        "classes": ours.get("classes"), "dims": [ours.get("imageDim"), ours.get("textDim")], "labels": labels,
                        "bestEpoch": summary["bestEpoch"]["mean"], "secondsPerSeed": summary["seconds"]["mean"]}
        j = joint["avg"]["mean"]
        n = len(seeds)
        figures += [
            figure("quality", f"{ds}: MS2GAN joint vs DSCMR, mean of {n} seeds", j, "DSCMR", dscmr_spread["avg"]["mean"], "mAP", True, 1.0),
            figure("quality", f"{ds}: MS2GAN joint vs SM + 0.03", j, "SM + 0.03", peers["SM"]["avg"] + 0.03, "mAP", True, 1.0,
                   f"SM {peers['SM']['avg']:.4f}"),
            figure("quality", f"{ds}: MS2GAN joint vs max(shared only, specific only)", j, "shared only" if shared["avg"]["mean"] >= specific["avg"]["mean"] else "specific only",
                   max(shared["avg"]["mean"], specific["avg"]["mean"]), "mAP", True, 1.0, "met only when joint is above both", strict=True),
            figure("quality", f"{ds}: predicted-label accuracy from image and text, MS2GAN vs SM", labels["ms2gan"]["both"], "SM", labels["sm"]["both"], "accuracy", True,
                   None, f"image alone {labels['ms2gan']['image']:.3f} vs {labels['sm']['image']:.3f}, text alone {labels['ms2gan']['text']:.3f} vs {labels['sm']['text']:.3f}"),
        ]
        if ds == "wikipedia":
            figures += [
                figure("quality", f"wikipedia: MS2GAN joint, mean of {n} seeds, vs the bar 0.280", j, "bar", 0.280, "mAP", True, 1.0),
                figure("quality", f"wikipedia: MS2GAN joint, lowest of {n} seeds, vs the bar 0.272", joint["avg"]["min"], "bar", 0.272, "mAP", True, 1.0),
                figure("quality", "wikipedia: MS2GAN joint vs JFSSL (published)", j, "JFSSL (published)", (JFSSL["i2t"] + JFSSL["t2i"]) / 2, "mAP", True),
            ]
    return datasets, figures


def training(run):
    ours = [read_json(p) for p in sorted(glob.glob(os.path.join(run, "speed-torchsharp-*.json")))]
    twin = [read_json(p) for p in sorted(glob.glob(os.path.join(run, "speed-pytorch-*.json")))]
    if not ours or not twin:
        raise ReportError(f"{run}: no speed-torchsharp-*.json or speed-pytorch-*.json")
    # Every round's epochs after its first (warm-up), pooled: the rounds alternate, so both sides see the same load.
    mine = nearest_rank_median([s for r in ours for s in r["epochSeconds"][1:]])
    theirs = nearest_rank_median([s for r in twin for s in r["epochSeconds"][1:]])
    same = ours[0]["parameters"] == twin[0]["parameters"]
    note = (f"{ours[0]['parameters']:,} parameters on both sides" if same else
            f"PARAMETER COUNTS DIFFER: TorchSharp {ours[0]['parameters']:,}, PyTorch {twin[0]['parameters']:,}")
    note += f"; batch {ours[0]['BatchSize']}, {ours[0]['threads']} threads, {len(ours)} round(s) of {ours[0]['epochs']} epochs, {twin[0]['framework']}"
    return [figure("training", "seconds per epoch, TorchSharp vs PyTorch", mine, "PyTorch", theirs, "s/epoch", False, 1.15, note)]


def encoding(run):
    e = read_json(os.path.join(run, "encode.json"))
    figures = [figure("encoding", f"MS2GAN {m['modality']} encoder, ONNX Runtime vs TorchSharp", m["onnxItemsPerSecond"], "TorchSharp",
                      m["torchSharpItemsPerSecond"], "items/s", True, 1.0,
                      f"batches of {m['batch']}, {m['rows']:,} rows; largest difference {m['maxAbsDifference']:.1e}")
               for m in field(e, "featureMode", "encode.json")]
    raw = field(e, "rawMode", "encode.json")
    # The ratios are the medians of the rounds' ratios (the sides alternate within each round); the rates beside them are
    # each side's median rate, so their quotient can differ a little from the ratio.
    figures.append(figure("encoding", "raw images: decode + ResNet18 + MS2GAN (batches) vs bare batch-1 ResNet18 sessions", raw["pipelineImagesPerSecond"],
                          "bare ResNet18", raw["bareImagesPerSecond"], "images/s", True, 1.0,
                          f"{raw['images']} demo PNGs, batches of {raw['imageBatch']}; median of {raw['rounds']} rounds' ratios; "
                          f"one image at a time {raw['oneAtATimeRatio']:.2f}", ratio=raw["imageRatio"]))
    figures.append(figure("encoding", "raw texts: tokenize + MiniLM + pool + MS2GAN vs bare MiniLM session", raw["pipelineTextsPerSecond"],
                          "bare MiniLM", raw["bareTextsPerSecond"], "texts/s", True, 1.0,
                          f"{raw['texts']} captions in batches of {raw['textBatch']}; median of {raw['rounds']} rounds' ratios", ratio=raw["textRatio"]))
    return figures, e["provider"]


def search(run):
    store, peer = read_json(os.path.join(run, "search-store.json")), read_json(os.path.join(run, "search-faiss.json"))
    size = f"{store['items']:,} vectors x {store['dim']}, {store['queries']:,} queries"
    flight, processes = store["callers"], field(peer, "inFlight", "search-faiss.json")
    figures = [
        figure("search", "exact, one query at a time: store vs FAISS IndexFlatIP", store["exact"]["qpsOneAtATime"], "IndexFlatIP",
               peer["flat"]["qpsOneAtATime"], "q/s", True, 1.0, size + "; FAISS on 1 thread per query"),
        figure("search", f"exact, concurrent: store ({flight} callers) vs IndexFlatIP ({processes} processes)", store["exact"]["qpsConcurrent"],
               "IndexFlatIP", peer["flat"]["qpsInFlight"], "q/s", True, 1.0, "FAISS: one query per call, one OpenMP thread per process"),
        figure("search", f"exact, all queries at once: store (one SearchBatchAsync call) vs IndexFlatIP (one batch of {peer['queries']})",
               store["exact"].get("qpsBatch", store["exact"]["qpsConcurrent"]),
               "IndexFlatIP", peer["flat"]["qpsBatch"], "q/s", True, 1.0, "both get every query in one call: blocked scan vs one GEMM"),
    ]
    for key, label, peer_key in (("qpsOneAtATime", "one query at a time", "qpsOneAtATime"),
                                 ("qpsConcurrent", f"concurrent ({flight} callers vs {processes} processes)", "qpsInFlight")):
        ours, theirs = best_at_recall(store["hnsw"]["runs"], key), best_at_recall(peer["hnsw"]["runs"], peer_key)
        if ours and theirs:
            figures.append(figure("search", f"HNSW at recall@10 >= 0.95, {label}: store vs IndexHNSWFlat", ours[key], "IndexHNSWFlat",
                                  theirs[peer_key], "q/s", True, 1.0,
                                  f"store ef {ours['ef']} (recall {ours['recallAt10']:.3f}), FAISS efSearch {theirs['ef']} (recall {theirs['recallAt10']:.3f}); "
                                  f"M {store['hnsw']['m']}, efConstruction {store['hnsw']['efConstruction']}; build {store['hnsw']['buildSeconds']:.1f} s vs {peer['hnsw']['buildSeconds']:.1f} s"))
        else:
            figures.append(figure("search", f"HNSW, {label}: no setting reached recall@10 0.95 on "
                                  + ("either side" if not ours and not theirs else "the store" if not ours else "FAISS"), math.nan, "IndexHNSWFlat", math.nan,
                                  "q/s", True, 1.0))
    return figures


def pipeline(run):
    p = read_json(os.path.join(run, "pipeline.json"))
    batched = field(p, "batched.ItemsPerSecond", "pipeline.json")
    fresh = field(p, "freshness", "pipeline.json")
    figures = [
        figure("pipeline", "HTTP ingest to searchable vs RabbitMQ.Client publish/consume (one message per item)", batched,
               "RabbitMQ.Client", field(p, "rawClientMessagesPerSecond", "pipeline.json"), "items/s", True, None,
               f"{p['batched']['Items']:,} items; ingest sends one message per chunk of a batch"),
        figure("pipeline", "HTTP ingest to searchable vs MassTransit publish/consume (one message per item)", batched,
               "MassTransit", p["rawBrokerMessagesPerSecond"], "items/s", True, None),
    ]
    reindex_path = os.path.join(run, "reindex.json")
    if os.path.exists(reindex_path):
        r = read_json(reindex_path)
        figures.append(figure("pipeline", "reindex vs HTTP ingest to searchable (this run)", r["itemsPerSecond"], "ingest", batched,
                              "items/s", True, 2.0, f"{r['items']:,} items"))
    freshness = {"rate": fresh["Rate"], "achievedRate": fresh["AchievedRate"], "p50Ms": fresh["P50Ms"], "p99Ms": fresh["P99Ms"], "maxMs": fresh["MaxMs"]}
    return figures, freshness


def machine(run, provider):
    info = {"cores": os.cpu_count(), "os": platform.platform()}
    try:
        with open("/proc/cpuinfo") as f:
            info["cpu"] = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "unknown")
        with open("/proc/meminfo") as f:
            info["memoryGb"] = round(int(f.readline().split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    for path in sorted(glob.glob(os.path.join(run, "*.json"))):
        try:
            m = read_json(path)
        except ReportError:
            continue  # named by the part that reads it
        if isinstance(m, dict) and isinstance(m.get("machine"), dict):
            info["dotnet"] = m["machine"].get("dotnet")
            break
    gpu = os.path.exists("/dev/nvidia0")
    info["gpu"] = "present" if gpu else "none: no GPU on this machine, every figure is CPU only"
    info["onnxProvider"] = provider
    load = os.path.join(run, "load.txt")
    if os.path.exists(load):
        with open(load) as f:
            info["loadAverage"] = f.read().strip()
    return info


def gap(f):
    """How far a missed figure is from its target, as a factor >= 1 (None when met or without a target)."""
    if f["met"] is not False:
        return None
    return f["target"] / f["ratio"] if f["higherIsBetter"] else f["ratio"] / f["target"]


def number(v, unit=""):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    if unit in ("mAP", "accuracy"):
        return f"{v:.4f}"
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:,.3g}" if abs(v) < 1 else f"{v:,.2f}"


def spread(r, lowest=False):
    """A per-seed figure as 'mean ± std' (with the lowest seed when asked), a single figure as it is."""
    if r["std"] is None:
        return f"{r['mean']:.4f}"
    return f"{r['mean']:.4f} ± {r['std']:.4f}" + (f" ({r['min']:.4f})" if lowest and r["n"] > 1 else "")


def markdown(report):
    m = report["machine"]
    out = ["# Benchmarks against peers", "",
           f"Generated {report['generated']} by `bash infra/scripts/bench-peers.sh`" + (" --quick (smoke sizes: not for comparison)" if report["quick"] else "") + ".",
           f"Machine: {m.get('cpu', '?')}, {m['cores']} cores, {m.get('memoryGb', '?')} GB, {m['os']}, .NET {m.get('dotnet', '?')}; "
           f"GPU: {m['gpu']}; ONNX Runtime provider: {m['onnxProvider']}." + (f" Load average at the start (1, 5, 15 min): {m['loadAverage']}." if "loadAverage" in m else ""),
           "Ratios are ours / peer, both measured in this run (the machine is shared, so absolute figures drift; ratios less so).", ""]
    older = {n: v for n, v in (report.get("sections") or {}).items() if v.get("generated") != report["generated"]}
    if older:
        out += ["Parts kept from an earlier run: " + "; ".join(f"{n} measured {v.get('generated')}" + (f" (load average {v['loadAverage']})" if v.get("loadAverage") else "")
                                                       + (" --quick" if v.get("quick") else "") for n, v in older.items()) + ".", ""]
    if report["failed"]:
        out += [f"**Failed to run:** {', '.join(report['failed'])}.", ""]
    for ds, q in report["quality"].items():
        out += [f"## Model quality: {ds} (test split, mAP over all, cosine)", "",
                f"{q['trainItems']} train / {q['testItems']} test pairs, {q['classes']} classes, image {q['dims'][0]}-d, text {q['dims'][1]}-d; "
                f"MS2GAN and DSCMR: mean ± standard deviation over seeds {','.join(map(str, q['seeds']))} (lowest in brackets); "
                f"MS2GAN's best epoch {q['bestEpoch']:.0f} on average, {q['secondsPerSeed']:.0f} s a seed.", "",
                "| method | image->text | text->image | average |", "|---|---|---|---|"]
        out += [f"| {name} | {spread(r['i2t'])} | {spread(r['t2i'])} | {spread(r['avg'], lowest=True)} |" for name, r in q["rows"]]
        l = q["labels"]
        out += ["", f"Predicted-label accuracy on the test items: MS2GAN (the encoders' probability output) image {l['ms2gan']['image']:.4f}, "
                f"text {l['ms2gan']['text']:.4f}, both {l['ms2gan']['both']:.4f}; SM (logistic regression, bench/sm_labels.py) "
                f"image {l['sm']['image']:.4f}, text {l['sm']['text']:.4f}, both {l['sm']['both']:.4f}.", ""]
    for section, title in (("quality", "Quality ratios"), ("training", "Training speed"), ("encoding", "Encoding"), ("search", "Search"), ("pipeline", "Pipeline")):
        rows = [f for f in report["figures"] if f["section"] == section]
        if not rows:
            continue
        out += [f"## {title}", "", "| figure | ours | peer | ratio | target | met | notes |", "|---|---|---|---|---|---|---|"]
        for f in rows:
            target = "-" if f["target"] is None else (">= " if f["higherIsBetter"] else "<= ") + f"{f['target']:g}"
            met = {True: "yes", False: "**no**", None: "-"}[f["met"]]
            out.append(f"| {f['figure']} | {number(f['ours'], f['unit'])} {f['unit']} | {f['peerName']}: {number(f['peer'], f['unit'])} | "
                       f"{number(f['ratio'])} | {target} | {met} | {f['note']} |")
        if section == "pipeline" and report.get("freshness"):
            fr = report["freshness"]
            out += ["", f"Freshness (sent to searchable, at {fr['achievedRate']:,.0f} items/s): p50 {fr['p50Ms']:,.0f} ms, p99 {fr['p99Ms']:,.0f} ms, max {fr['maxMs']:,.0f} ms."]
        out.append("")
    largest = report.get("largestGap")
    out += ["## Largest gap to its target", "",
            f"{largest['figure']}: ratio {number(largest['ratio'])} against a target of {largest['target']:g} ({largest['factor']:.2f}x short). "
            "What limits it is profiled in the README, section Benchmarks against peers." if largest else "Every figure with a target met it.", ""]
    out += ["![ratios](results.png)", ""]
    return "\n".join(out)


def plot(report, path):
    try:
        import matplotlib
    except ImportError:
        print("report.py: no matplotlib (Debian python3-matplotlib): results.png not drawn", file=sys.stderr)
        return
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    rows = [f for f in report["figures"] if f["target"] is not None and not math.isnan(f["ratio"])]
    if not rows:
        return
    fig, ax = plt.subplots(figsize=(11, 0.45 * len(rows) + 1.5))
    # Every bar reads the same way: above 1 (right of the line) is better than the target.
    scores = [(f["ratio"] / f["target"]) if f["higherIsBetter"] else (f["target"] / f["ratio"]) for f in rows]
    ax.barh(range(len(rows)), scores, color=["#2a9d8f" if f["met"] else "#e76f51" for f in rows])
    ax.axvline(1.0, color="black", linewidth=1)
    ax.set_xscale("log")
    ax.set_yticks(range(len(rows)), [f["figure"][:70] for f in rows], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("ratio against its target (1 = on target, right is better; log scale)")
    ax.set_title("MS2GAN.Pipeline against peers" + (" (quick run)" if report["quick"] else ""))
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


PARTS = (("quality", quality), ("training", training), ("encoding", encoding), ("search", search), ("pipeline", pipeline))


def build(run, quick, failed, parts=None, previous=None):
    """The report of the parts asked for (all by default); with previous (an earlier results.json), the other parts are kept from it."""
    parts = parts or [name for name, _ in PARTS]
    figures, rows, provider, freshness = [], {}, "unknown", None
    for name, part in PARTS:
        if name not in parts:
            continue
        try:
            result = part(run)
        except (ReportError, OSError, KeyError, TypeError, ValueError) as e:
            failed = failed + [f"{name} (report: {e})"]
            continue
        if name == "quality":
            rows, result = result
        elif name == "encoding":
            result, provider = result
        elif name == "pipeline":
            result, freshness = result
        figures += result
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    info = machine(run, provider)
    sections = {name: {"generated": now, "quick": quick, "loadAverage": info.get("loadAverage")} for name in parts}
    if previous:
        # Sections this run did not measure come from the earlier report, with the time they were measured.
        kept = [n for n, _ in PARTS if n not in parts]
        earlier = previous.get("sections") or {n: {"generated": previous.get("generated"), "quick": previous.get("quick"),
                                                   "loadAverage": (previous.get("machine") or {}).get("loadAverage")} for n, _ in PARTS}
        figures = [f for f in previous.get("figures", []) if f.get("section") in kept] + figures
        sections = {n: earlier[n] for n in kept if n in earlier} | sections
        if "quality" not in parts and isinstance(previous.get("quality"), dict):
            rows = previous["quality"]
        if "pipeline" not in parts:
            freshness = previous.get("freshness")
        if "encoding" not in parts:
            info["onnxProvider"] = (previous.get("machine") or {}).get("onnxProvider", provider)
    gaps = [(gap(f), f) for f in figures if gap(f)]
    largest = max(gaps, key=lambda g: g[0]) if gaps else None
    return {"generated": now, "quick": quick, "machine": info, "failed": failed, "sections": sections, "quality": rows, "figures": figures,
            "freshness": freshness, "largestGap": dict(largest[1], factor=largest[0]) if largest else None}


def clean(value):
    """NaN (a figure that could not be measured) as null, which JSON has."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    return value


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("run")
    p.add_argument("out")
    p.add_argument("--quick", default="0")
    p.add_argument("--failed", default="")
    p.add_argument("--parts", default="", help="the parts this run measured (quality training encoding search pipeline); the others are kept from OUT/results.json")
    a = p.parse_args()
    if not os.path.isdir(a.run):
        sys.exit(f"report.py: {a.run}: no such folder (run infra/scripts/bench-peers.sh)")
    parts = a.parts.split() or None
    unknown = [x for x in parts or [] if x not in dict(PARTS)]
    if unknown:
        sys.exit(f"report.py: --parts: unknown part {', '.join(unknown)} (known: {', '.join(n for n, _ in PARTS)})")
    previous = None
    if parts and os.path.exists(os.path.join(a.out, "results.json")):
        try:
            previous = read_json(os.path.join(a.out, "results.json"))
        except ReportError as e:
            print(f"report.py: {e}; the parts not measured now are left out", file=sys.stderr)
    report = build(a.run, a.quick == "1", a.failed.split(), parts, previous)
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "results.json"), "w") as f:
        json.dump(clean(report), f, indent=2, allow_nan=False)
    with open(os.path.join(a.out, "results.md"), "w") as f:
        f.write(markdown(report))
    plot(report, os.path.join(a.out, "results.png"))
    print(markdown(report))
    return 1 if report["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Retrieval quality through the pipeline, as ops use it, next to the offline figure on the same items.

Starts `ms2gan serve` without --demo (own content: no model until the first retrain) in a fresh temporary data directory
on a free port, ingests DATA/train.jsonl (labelled) and DATA/heldout.jsonl (unlabelled, class in metadata `class`) with
`ms2gan ingest`, then per seed runs `ms2gan retrain --config {"seed": N} --tolerance 1`, waits for the promotion and the
reindex, and queries every held-out item through POST /v1/search in both directions (image -> text, text -> image), k =
the number of held-out items, filtered to them with `filter.metadata = {"split": "heldout"}`. mAP over the full ranking,
relevance = same metadata class.

Two query forms are scored:
  * `itemId`   - `{itemId, modality}`, the form the brief names. The service leaves the query item out of the hits (README,
                 "The web page": "which leaves the item out"), so the query's own paired text/image is NOT a candidate.
  * `features` - `{features, modality}` with the item's base features from DATA/features/test_*.npy (the same ResNet18 /
                 MiniLM features the pipeline computes): the paired item is a candidate, as in the standard cross-modal
                 protocol and in `ms2gan evaluate`. This is the figure compared with the offline one.
Offline figure: `ms2gan train --data DATA/features --seed N` then `ms2gan evaluate --json` (avg field) on the test split.

    /usr/bin/python3 bench/pipeline_quality.py --data artifacts/data/oxygen-icons --seeds 1,2,3 --json out.json
        [--app "dotnet /path/ms2gan.dll"] [--keep-tmp]

Progress goes to stderr, results to stdout. Errors: `error: <file>: <problem>`, exit code 1.
"""
import argparse
import concurrent.futures
import json
import os
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import numpy as np

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_APP = "dotnet " + os.path.join(REPO_ROOT, "services/Host/bin/Release/net10.0/linux-x64/ms2gan.dll")
HELDOUT_FILTER = {"metadata": {"split": "heldout"}}


class BenchError(Exception):
    def __init__(self, file, problem):
        super().__init__(f"{file}: {problem}")
        self.file, self.problem = file, problem


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- metrics

def average_precision(relevant):
    """AP of one ranked list of booleans over the full ranking; None when nothing is relevant (skipped, as ms2gan evaluate does)."""
    rel = np.asarray(relevant, dtype=bool)
    hits = int(rel.sum())
    if hits == 0:
        return None
    ranks = np.flatnonzero(rel) + 1                    # 1-based positions of the relevant items
    precision_at_hits = np.arange(1, hits + 1) / ranks
    return float(precision_at_hits.mean())


def mean_average_precision(ranked_lists):
    values = [ap for ap in (average_precision(r) for r in ranked_lists) if ap is not None]
    return float(np.mean(values)) if values else 0.0


# ---------------------------------------------------------------- processes and HTTP

def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method, url, body=None, key=None, timeout=120):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if key:
        request.add_header("X-Api-Key", key)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        raw = response.read()
        return response.status, raw.decode("utf-8", "replace")


def run_cli(app, args, env, what, log_file, timeout, ok_codes=(0,)):
    """Runs one ms2gan verb; stderr (logs) goes to log_file, stdout is returned."""
    command = app + args
    log(f"$ {' '.join(shlex.quote(c) for c in command)}")
    started = time.monotonic()
    with open(log_file, "ab") as errors:
        errors.write(f"\n==> {' '.join(command)}\n".encode())
        errors.flush()
        try:
            done = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=errors, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise BenchError(log_file, f"{what} did not finish within {timeout} s")
        except OSError as e:
            raise BenchError(command[0], f"cannot run {what}: {e}")
    elapsed = time.monotonic() - started
    out = done.stdout.decode("utf-8", "replace")
    if done.returncode not in ok_codes:
        tail = open(log_file, "rb").read().decode("utf-8", "replace").strip().splitlines()[-8:]
        raise BenchError(log_file, f"{what} exited with {done.returncode}: {out.strip()[-500:]} | " + " / ".join(tail))
    return out, elapsed


class Server:
    """`ms2gan serve` in its own process group; stop() sends Ctrl+C (SIGINT), then SIGKILL after 30 s, to that group only."""

    def __init__(self, app, data_dir, port, env, log_file, cwd):
        self.url = f"http://127.0.0.1:{port}"
        self.log_file = log_file
        command = app + ["serve", "--data-dir", data_dir, "--urls", self.url]
        log(f"$ {' '.join(shlex.quote(c) for c in command)}  (MS2GAN_API_KEY set, log {log_file})")
        self.out = open(log_file, "wb")
        self.process = subprocess.Popen(command, env=env, cwd=cwd, stdout=self.out, stderr=subprocess.STDOUT,
                                        start_new_session=True)

    def wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(self.log_file, f"ms2gan serve exited with {self.process.returncode} before it was ready: "
                                 + self.tail())
            try:
                status, _ = http("GET", self.url + "/health/ready", timeout=5)
                if status == 200:
                    return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(1)
        raise BenchError(self.log_file, f"ms2gan serve not ready after {timeout} s: " + self.tail())

    def tail(self, lines=6):
        try:
            return " / ".join(open(self.log_file, "rb").read().decode("utf-8", "replace").strip().splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self):
        if self.process.poll() is None:
            log("stopping ms2gan serve")
            try:
                os.killpg(self.process.pid, signal.SIGINT)
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
            except ProcessLookupError:
                pass
        self.out.close()


# ---------------------------------------------------------------- the benchmark

def read_jsonl(path):
    if not os.path.isfile(path):
        raise BenchError(path, "no such file")
    items = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                items.append((item["id"], item["metadata"]["class"]))
            except (ValueError, KeyError, TypeError) as e:
                raise BenchError(path, f"line {number}: not an item with id and metadata.class ({e})")
    if not items:
        raise BenchError(path, "no items")
    return items


def load_npy(path):
    if not os.path.isfile(path):
        raise BenchError(path, "no such file")
    try:
        return np.load(path, allow_pickle=False)
    except ValueError as e:
        raise BenchError(path, f"not a readable .npy: {e}")


def prometheus_sum(text, prefix):
    total = None
    for line in text.splitlines():
        if line.startswith(prefix) and not line.startswith("#"):
            name = line.split("{")[0].split(" ")[0]
            if name.endswith("_sum"):
                total = (total or 0) + float(line.rsplit(" ", 1)[1])
    return total


def wait_for_encoder(server, key, expected, timeout):
    """With no model active the items stay `ingested`; the encoder computes and keeps their base features. Waits until it
    has handled `expected` items (the ms2gan.encode.batch.size histogram's sum) so the first retrain sees all of them."""
    deadline, last = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        _, metrics = http("GET", server.url + "/metrics", timeout=30)
        done = prometheus_sum(metrics, "ms2gan_encode_batch_size") or 0   # absent until the first batch is done
        if done != last:
            log(f"encoder has handled {done:.0f}/{expected} items")
            last = done
        if done >= expected:
            return done
        time.sleep(3)
    raise BenchError(server.log_file, f"the encoder handled {last} of {expected} items within {timeout} s")


def check_features_kept(server, key, ids):
    """Every item has both base features kept (GET /v1/items/{id}: hasImageFeatures, hasTextFeatures) before the first retrain."""
    def one(item_id):
        _, body = http("GET", server.url + "/v1/items/" + item_id, key=key, timeout=60)
        item = json.loads(body)
        return item_id, item.get("hasImageFeatures") and item.get("hasTextFeatures"), item.get("state")
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        missing = [(i, state) for i, ok, state in pool.map(one, ids) if not ok]
    if missing:
        raise BenchError(server.url + "/v1/items", f"{len(missing)} items without both base features kept, e.g. {missing[:3]}")


def admin_status(server, key):
    _, body = http("GET", server.url + "/v1/admin/status", key=key, timeout=30)
    return json.loads(body)


def search_status(server, key):
    _, body = http("GET", server.url + "/v1/search/status", key=key, timeout=30)
    return json.loads(body)


def wait_for_reindex(server, key, version, total, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = search_status(server, key)
        indexed = status.get("items", {}).get("indexed", 0)
        if status.get("reindex") is None and status.get("indexModelVersion") == version and indexed >= total:
            return status
        time.sleep(2)
    raise BenchError(server.url + "/v1/search/status", f"index of {version} not complete after {timeout} s: {status}")


def query_all(server, key, heldout, k, features=None, workers=4):
    """Every held-out item in both directions; returns {direction: [(query_id, [hit ids])]}."""
    jobs = []
    for index, (item_id, _) in enumerate(heldout):
        for modality, target in (("image", "text"), ("text", "image")):
            if features is None:
                query = {"itemId": item_id, "modality": modality}
            else:
                query = {"features": [float(x) for x in features[modality][index]], "modality": modality}
            jobs.append((item_id, modality, target, {"query": query, "target": target, "k": k, "filter": HELDOUT_FILTER}))

    def one(job):
        item_id, modality, target, body = job
        try:
            _, answer = http("POST", server.url + "/v1/search", body=body, key=key, timeout=120)
        except urllib.error.HTTPError as e:
            raise BenchError(server.url + "/v1/search", f"{item_id} {modality}: HTTP {e.code} {e.read().decode()[:300]}")
        answer = json.loads(answer)
        hits = answer["hits"]
        if any(h["modality"] != target for h in hits):
            raise BenchError(server.url + "/v1/search", f"{item_id}: a hit of another modality than {target}")
        if any(h.get("metadata", {}).get("split") != "heldout" for h in hits):
            raise BenchError(server.url + "/v1/search", f"{item_id}: a hit outside the held-out items despite the filter")
        return item_id, modality, answer["modelVersion"], [h["id"] for h in hits]

    results = {"i2t": [], "t2i": []}
    versions = set()
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        for item_id, modality, version, ids in pool.map(one, jobs):
            results["i2t" if modality == "image" else "t2i"].append((item_id, ids))
            versions.add(version)
    return results, versions


def score(results, heldout, exclude_self):
    class_of = dict(heldout)
    out, sizes = {}, set()
    for direction, answers in results.items():
        lists = []
        for query_id, ids in answers:
            candidates = [i for i, _ in heldout if not (exclude_self and i == query_id)]
            if sorted(ids) != sorted(candidates):
                raise BenchError("/v1/search", f"{direction} {query_id}: {len(ids)} hits, not the {len(candidates)} held-out candidates")
            sizes.add(len(ids))
            lists.append([class_of[i] == class_of[query_id] for i in ids])
        out[direction] = mean_average_precision(lists)
    out["avg"] = (out["i2t"] + out["t2i"]) / 2
    out["hits_per_query"] = sorted(sizes)
    return out


def consistency(by_id, by_features):
    """The itemId ranking should be the features ranking with the query's own item taken out (same features, same model)."""
    same = total = 0
    for direction in by_id:
        feature_lists = dict(by_features[direction])
        for query_id, ids in by_id[direction]:
            total += 1
            same += ids == [i for i in feature_lists[query_id] if i != query_id]
    return same, total


def mean_std(values):
    a = np.asarray(values, dtype=float)
    return float(a.mean()), float(a.std(ddof=1)) if len(a) > 1 else 0.0


def bench(args):
    data = os.path.abspath(args.data)
    train_manifest, heldout_manifest = os.path.join(data, "train.jsonl"), os.path.join(data, "heldout.jsonl")
    features_dir = os.path.join(data, "features")
    train_items = read_jsonl(train_manifest)
    heldout = read_jsonl(heldout_manifest)
    test_features = {"image": load_npy(os.path.join(features_dir, "test_image.npy")),
                     "text": load_npy(os.path.join(features_dir, "test_text.npy"))}
    for modality, matrix in test_features.items():
        if matrix.ndim != 2 or matrix.shape[0] != len(heldout):
            raise BenchError(os.path.join(features_dir, f"test_{modality}.npy"),
                             f"shape {matrix.shape}, expected {len(heldout)} rows (one per held-out item)")
    try:
        seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    except ValueError:
        raise BenchError("--seeds", f"not a comma list of integers: {args.seeds}")
    if not seeds:
        raise BenchError("--seeds", "no seed given")
    app = shlex.split(args.app)
    dll = next((a for a in app if a.endswith(".dll")), app[0])
    if dll.endswith(".dll") and not os.path.isfile(dll):
        raise BenchError(dll, "no such file (build services/Host, or give --app)")
    total_items = len(train_items) + len(heldout)
    k = len(heldout)

    tmp = tempfile.mkdtemp(prefix="ms2gan-bench-")
    log(f"working in {tmp}")
    key = secrets.token_hex(16)
    env = dict(os.environ, MS2GAN_API_KEY=key, DOTNET_CLI_TELEMETRY_OPTOUT="1")
    cli_log = os.path.join(tmp, "cli.log")
    timings = {}
    report = {"data": data, "app": args.app, "seeds": seeds, "train_items": len(train_items), "heldout_items": len(heldout),
              "k": k, "filter": HELDOUT_FILTER, "protocol": {
                  "itemId": "query {itemId, modality}; the service leaves the query item out, so its own pair is no candidate",
                  "features": "query {features, modality} with the item's base features from features/test_*.npy; its own pair is a candidate (standard protocol, as ms2gan evaluate)",
                  "map": "full ranking, relevance = same metadata class, queries without a relevant item skipped"},
              "per_seed": []}
    server = None
    try:
        started = time.monotonic()
        server = Server(app, os.path.join(tmp, "data"), free_port(), env, os.path.join(tmp, "serve.log"), tmp)
        server.wait_ready(args.ready_timeout)
        timings["serve_ready_s"] = round(time.monotonic() - started, 1)
        log(f"serving on {server.url} after {timings['serve_ready_s']} s")

        started = time.monotonic()
        for manifest, name in ((train_manifest, "train"), (heldout_manifest, "heldout")):
            # --no-wait: with no model active the items stay `ingested` (features kept) until the first retrain indexes them.
            # --state in the temporary folder: the checkpoint would otherwise go beside the manifest, into the dataset.
            out, _ = run_cli(app, ["ingest", manifest, "--url", server.url, "--no-wait", "--state", os.path.join(tmp, f"{name}.ingest-state")],
                             env, f"ingest {name}.jsonl", cli_log, timeout=1800)
            for line in out.strip().splitlines():
                log(f"  {line}")
        timings["ingest_send_s"] = round(time.monotonic() - started, 1)
        wait_for_encoder(server, key, total_items, timeout=args.encode_timeout)
        check_features_kept(server, key, [i for i, _ in train_items + heldout])
        timings["ingest_until_features_kept_s"] = round(time.monotonic() - started, 1)
        counts = search_status(server, key).get("items", {})
        if counts.get("failed"):
            raise BenchError(server.log_file, f"{counts['failed']} items failed in the encoder: {counts}")

        for seed in seeds:
            row = {"seed": seed, "timings": {}}
            config = os.path.join(tmp, f"seed-{seed}.json")
            with open(config, "w") as f:
                json.dump({"seed": seed}, f)
            before = admin_status(server, key).get("active")
            started = time.monotonic()
            # --tolerance 1: from the second seed on the gate compares with the previous seed's model and could refuse.
            out, _ = run_cli(app, ["retrain", "--config", config, "--tolerance", "1", "--requested-by", "bench",
                                   "--url", server.url, "--timeout", "3600"], env, f"retrain seed {seed}", cli_log, timeout=3700)
            row["retrain_output"] = out.strip()
            log(f"  {out.strip()}")
            status = admin_status(server, key)
            version = status.get("active")
            if not version or version == before:
                raise BenchError(server.url + "/v1/admin/status", f"seed {seed}: no new active version after retrain ({out.strip()})")
            entry = next((v for v in status.get("models", []) if v.get("version") == version), {})
            row["model_version"] = version
            row["holdout_map"] = entry.get("holdoutMap")
            row["baseline_map"] = entry.get("baselineMap")
            wait_for_reindex(server, key, version, total_items, timeout=1800)
            row["timings"]["retrain_and_reindex_s"] = round(time.monotonic() - started, 1)

            started = time.monotonic()
            by_id, versions = query_all(server, key, heldout, k)
            if versions != {version}:
                raise BenchError("/v1/search", f"answers from model versions {versions}, expected {version}")
            row["pipeline_itemid"] = score(by_id, heldout, exclude_self=True)
            by_features, versions = query_all(server, key, heldout, k, features=test_features)
            if versions != {version}:
                raise BenchError("/v1/search", f"answers from model versions {versions}, expected {version}")
            row["pipeline"] = score(by_features, heldout, exclude_self=False)
            same, total = consistency(by_id, by_features)
            row["itemid_equals_features_minus_self"] = f"{same}/{total}"
            row["timings"]["queries_s"] = round(time.monotonic() - started, 1)
            row["queries"] = 2 * sum(len(v) for v in by_id.values())
            log(f"seed {seed}: {row['queries']} searches in {row['timings']['queries_s']} s; itemId ranking = features ranking "
                f"without the query item for {same}/{total} queries")

            model_dir = os.path.join(tmp, f"offline-model-{seed}")
            started = time.monotonic()
            run_cli(app, ["train", "--data", features_dir, "--out", model_dir, "--seed", str(seed)], env,
                    f"train seed {seed}", cli_log, timeout=3600)
            row["timings"]["offline_train_s"] = round(time.monotonic() - started, 1)
            started = time.monotonic()
            out, _ = run_cli(app, ["evaluate", "--model", model_dir, "--data", features_dir, "--json"], env,
                             f"evaluate seed {seed}", cli_log, timeout=1800)
            row["timings"]["offline_evaluate_s"] = round(time.monotonic() - started, 1)
            try:
                evaluated = json.loads(out)
                row["offline"] = {"i2t": evaluated["i2t"], "t2i": evaluated["t2i"], "avg": evaluated["avg"],
                                  "items": evaluated.get("items"), "weights": evaluated.get("weights")}
            except (ValueError, KeyError) as e:
                raise BenchError(cli_log, f"evaluate --json printed no i2t/t2i/avg: {e}: {out[:300]}")
            shutil.rmtree(model_dir, ignore_errors=True)

            p, q, o = row["pipeline"], row["pipeline_itemid"], row["offline"]
            print(f"seed {seed}: pipeline avg {p['avg']:.4f} ({p['i2t']:.4f}, {p['t2i']:.4f}), offline avg {o['avg']:.4f}"
                  f"  [itemId queries, own pair left out: avg {q['avg']:.4f} ({q['i2t']:.4f}, {q['t2i']:.4f})]", flush=True)
            report["per_seed"].append(row)

        rows = report["per_seed"]
        summary = {}
        for name in ("pipeline", "pipeline_itemid", "offline"):
            summary[name] = {}
            for field in ("i2t", "t2i", "avg"):
                m, s = mean_std([r[name][field] for r in rows])
                summary[name][field] = {"mean": m, "std": s}
        m, s = mean_std([r["pipeline"]["avg"] - r["offline"]["avg"] for r in rows])
        summary["pipeline_minus_offline_avg"] = {"mean": m, "std": s}
        report["summary"] = summary
        S = summary
        print(f"summary over {len(rows)} seed(s) (mean ± sample std): "
              f"pipeline avg {S['pipeline']['avg']['mean']:.4f} ± {S['pipeline']['avg']['std']:.4f} "
              f"(i2t {S['pipeline']['i2t']['mean']:.4f} ± {S['pipeline']['i2t']['std']:.4f}, "
              f"t2i {S['pipeline']['t2i']['mean']:.4f} ± {S['pipeline']['t2i']['std']:.4f}), "
              f"offline avg {S['offline']['avg']['mean']:.4f} ± {S['offline']['avg']['std']:.4f}, "
              f"pipeline - offline {m:+.4f} ± {s:.4f}; "
              f"itemId queries (own pair left out) avg {S['pipeline_itemid']['avg']['mean']:.4f} ± {S['pipeline_itemid']['avg']['std']:.4f}",
              flush=True)
    finally:
        if server is not None:
            server.stop()
            report["serve_log_tail"] = server.tail(3)
        report["timings"] = timings
        if args.keep_tmp:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True, help="the oxygen-icons folder (train.jsonl, heldout.jsonl, features/)")
    parser.add_argument("--app", default=DEFAULT_APP, help=f"how to run ms2gan (default: {DEFAULT_APP})")
    parser.add_argument("--seeds", default="1", help="comma list of seeds (default: 1)")
    parser.add_argument("--json", help="write the results here")
    parser.add_argument("--ready-timeout", type=int, default=300, help="seconds for serve to become ready")
    parser.add_argument("--encode-timeout", type=int, default=1800, help="seconds for the encoder to handle the ingested items")
    parser.add_argument("--keep-tmp", action="store_true", help="keep the temporary folder (logs, stores)")
    args = parser.parse_args()

    def terminate(signum, _frame):
        raise BenchError("signal", f"stopped by signal {signum}")
    signal.signal(signal.SIGTERM, terminate)
    started = time.monotonic()
    try:
        report = bench(args)
        report["timings"]["total_s"] = round(time.monotonic() - started, 1)
        if args.json:
            os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
            with open(args.json, "w") as f:
                json.dump(report, f, indent=2)
            log(f"wrote {args.json}")
    except BenchError as e:
        print(f"error: {e.file}: {e.problem}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: signal: interrupted", file=sys.stderr)
        return 1
    except (urllib.error.URLError, OSError, ValueError) as e:
        print(f"error: {args.data}: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

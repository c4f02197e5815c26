#!/usr/bin/python3
"""FAISS on the vectors the `search-peers` benchmark verb wrote (base.npy: one row per record, queries.npy: one per
query; inner product = the embedded store's score): IndexFlatIP (exact) and IndexHNSWFlat (inner product, the store's
M and efConstruction) at several efSearch values. Queries per second one query at a time, from --in-flight processes
at once (the peer of the store's concurrent callers) and as one batch of all, and
recall@10 of HNSW against the flat index.
Usage: faiss_peer.py VECTORS_DIR --threads N --m 16 --ef-construction 128 --ef-search 16,32,64 --in-flight 8 --json FILE"""
import argparse, json, os, sys, time
import multiprocessing
import numpy as np
import faiss

K = 10


def load(path):
    try:
        a = np.load(path)
    except (OSError, ValueError) as e:
        sys.exit(f"faiss_peer.py: {path}: {e}")
    if a.ndim != 2 or a.dtype != np.float32:
        sys.exit(f"faiss_peer.py: {path}: expected a 2-D float32 array, found {a.dtype} {a.shape}")
    return np.ascontiguousarray(a)


def one_at_a_time(index, queries):
    """Each query searched on its own, as a service answers requests, on one OpenMP thread (with more, FAISS spends a
    single query's time starting and spinning threads); returns (ids, queries per second)."""
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    ids = np.empty((len(queries), K), dtype=np.int64)
    start = time.perf_counter()
    for i in range(len(queries)):
        ids[i] = index.search(queries[i:i + 1], K)[1][0]
    rate = len(queries) / (time.perf_counter() - start)
    faiss.omp_set_num_threads(threads)
    return ids, rate


_shared = {}


def _search_each(rows):
    faiss.omp_set_num_threads(1)
    index, queries = _shared["index"], _shared["queries"]
    for i in rows:
        index.search(queries[i:i + 1], K)
    return len(rows)


def in_flight(index, queries, processes):
    """Queries per second from `processes` forked processes, each searching one query per call on one OpenMP thread:
    the peer of the store's concurrent callers. (Threads would not do: this FAISS build holds the GIL while it searches,
    and calls of several queries on all OpenMP threads cost about 12 ms each here whatever their size.)"""
    _shared.update(index=index, queries=queries)
    chunks = [range(p, len(queries), processes) for p in range(processes)]
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        pool.map(_search_each, [range(p, min(len(queries), 2 * processes), processes) for p in range(processes)])
        start = time.perf_counter()
        done = sum(pool.map(_search_each, chunks))
        return done / (time.perf_counter() - start)


def batched(index, queries, size=None):
    """Queries per second searching `size` queries per call (all of them in one call by default)."""
    size = size or len(queries)
    start = time.perf_counter()
    for i in range(0, len(queries), size):
        index.search(queries[i:i + size], K)
    return len(queries) / (time.perf_counter() - start)


def recall(truth, found):
    return float(np.mean([len(set(t) & set(f)) / K for t, f in zip(truth, found)]))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("vectors")
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--m", type=int, default=16)
    p.add_argument("--ef-construction", type=int, default=128)
    p.add_argument("--ef-search", default="16,32,64,128,256")
    p.add_argument("--in-flight", type=int, default=os.cpu_count(), help="processes searching at once, one query per call each")
    p.add_argument("--json", required=True)
    a = p.parse_args()
    base, queries = load(os.path.join(a.vectors, "base.npy")), load(os.path.join(a.vectors, "queries.npy"))
    if base.shape[1] != queries.shape[1]:
        sys.exit(f"faiss_peer.py: {a.vectors}: base.npy has {base.shape[1]} columns, queries.npy {queries.shape[1]}")
    faiss.omp_set_num_threads(a.threads)
    print(f"faiss_peer.py: FAISS {faiss.__version__}, {base.shape[0]:,} vectors x {base.shape[1]}, {len(queries):,} queries, {a.threads} threads")

    flat = faiss.IndexFlatIP(base.shape[1])
    flat.add(base)
    flat.search(queries[:10], K)
    truth, flat_one = one_at_a_time(flat, queries)
    flat_batch, flat_flight = batched(flat, queries), in_flight(flat, queries, a.in_flight)
    print(f"  IndexFlatIP: {flat_one:,.0f} q/s one at a time, {flat_flight:,.0f} q/s from {a.in_flight} processes, {flat_batch:,.0f} q/s as one batch")

    hnsw = faiss.IndexHNSWFlat(base.shape[1], a.m, faiss.METRIC_INNER_PRODUCT)
    hnsw.hnsw.efConstruction = a.ef_construction
    start = time.perf_counter()
    hnsw.add(base)
    build = time.perf_counter() - start
    print(f"  IndexHNSWFlat (M {a.m}, efConstruction {a.ef_construction}): built in {build:.1f} s")
    runs = []
    for ef in (int(v) for v in a.ef_search.split(",")):
        hnsw.hnsw.efSearch = ef
        hnsw.search(queries[:10], K)
        found, one = one_at_a_time(hnsw, queries)
        batch, flight = batched(hnsw, queries), in_flight(hnsw, queries, a.in_flight)
        r = recall(truth, found)
        print(f"    efSearch {ef:4d}: recall@10 {r:.3f}, {one:,.0f} q/s one at a time, {flight:,.0f} q/s from {a.in_flight} processes, {batch:,.0f} q/s as one batch")
        runs.append({"ef": ef, "recallAt10": r, "qpsOneAtATime": one, "qpsInFlight": flight, "qpsBatch": batch})
    with open(a.json, "w") as f:
        json.dump({"faiss": faiss.__version__, "threads": a.threads, "items": int(base.shape[0]), "queries": int(len(queries)),
                   "dim": int(base.shape[1]), "inFlight": a.in_flight,
                   "flat": {"qpsOneAtATime": flat_one, "qpsInFlight": flat_flight, "qpsBatch": flat_batch},
                   "hnsw": {"m": a.m, "efConstruction": a.ef_construction, "buildSeconds": build, "runs": runs}}, f, indent=2)


if __name__ == "__main__":
    main()

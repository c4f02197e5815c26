#!/usr/bin/python3
"""Merges the `scale` verb's figures (store.json) and bench/faiss_peer.py's (faiss.json), measured in one run of
infra/scripts/bench-scale.sh, into scale.json (the fields issue 16 names) and a readable scale.md.
Usage: scale_report.py RUN_DIR OUT_JSON OUT_MD"""
import json, math, sys


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        sys.exit(f"error: {path}: {e}")


def best(runs, rate, recall_key="recallAt10"):
    """The highest `rate` among runs with recall@10 >= 0.95, and that run; (nan, None) when none qualifies."""
    ok = [r for r in runs if r[recall_key] >= 0.95]
    if not ok:
        return math.nan, None
    top = max(ok, key=lambda r: r[rate])
    return top[rate], top


def gb(b):
    return f"{b / 1e9:.2f} GB"


def machine_memory_bytes(store):
    """The machine's memory: from the run's machine block when it has it, else this machine's /proc/meminfo."""
    gb_value = (store.get("machine") or {}).get("memoryGb")
    if gb_value:
        return float(gb_value) * 1e9
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    return math.nan


def projection(store, resident, sizes=(10_000_000, 100_000_000), memory_share=0.7):
    """Growth from the measured size to larger ones: memory and graph files linear in the items, build time N log N (an
    HNSW insertion visits about log N layers' neighbourhoods), reopen linear (each graph file is read once to verify its
    checksum). The embedded store's limit: the most items whose projected resident memory fits memory_share of the machine."""
    n = store["items"]
    per_item = resident / n
    memory = machine_memory_bytes(store)
    rows = []
    for size in sizes:
        rows.append({"items": size,
                     "residentBytes": per_item * size,
                     "fileBytes": (store["vectorBytes"] + store["graphBytes"]) / n * size,
                     "buildSeconds": store["buildSeconds"] * size / n * math.log(size) / math.log(n),
                     "reopenSeconds": store["reopenSeconds"] * size / n})
    return {"from": n, "residentBytesPerItem": per_item, "machineMemoryBytes": memory, "memoryShare": memory_share,
            "embeddedLimitItems": memory_share * memory / per_item if per_item > 0 else math.nan, "sizes": rows}


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    run_dir, out_json, out_md = sys.argv[1:]
    store, faiss = load(f"{run_dir}/store.json"), load(f"{run_dir}/faiss.json")
    fh = faiss["hnsw"]
    faiss_build = faiss["items"] / fh["buildSeconds"]
    ours1, our1 = best(store["runs"], "qpsOneAtATime")
    ours8, our8 = best(store["runs"], "qpsConcurrent")
    f1, faiss1 = best(fh["runs"], "qpsOneAtATime")
    f8, faiss8 = best(fh["runs"], "qpsInFlight")
    chosen = next(r for r in store["runs"] if r["ef"] == store["chosenEf"])
    resident = store["residentBytesInMemory"]
    scale = {
        "items": store["items"],
        "records": store["records"],
        "buildRatio": store["buildVectorsPerSecond"] / faiss_build,
        "buildVectorsPerSecond": store["buildVectorsPerSecond"],
        "faissBuildVectorsPerSecond": faiss_build,
        "qpsRatio1": ours1 / f1,
        "qpsRatio8": ours8 / f8,
        "qps1": ours1, "qps8": ours8, "faissQps1": f1, "faissQps8": f8,
        "efOurs1": our1 and our1["ef"], "efOurs8": our8 and our8["ef"], "efFaiss1": faiss1 and faiss1["ef"], "efFaiss8": faiss8 and faiss8["ef"],
        "recall10": chosen["recallAt10"],
        "p99Ms8Callers": chosen["p99ConcurrentMs"],
        "filteredRecall": {str(f["selectivity"]): f["store"]["recallAt10"] for f in store["filtered"]},
        "filteredQps": {str(f["selectivity"]): f["store"]["qps"] for f in store["filtered"]},
        "reopenSeconds": store["reopenSeconds"],
        "graphRebuilt": store["graphRebuilt"],
        "efAfterReopen": store["efAfterReopen"],
        "residentBytes": resident,
        "residentBytesViewed": store["residentBytesViewed"],
        "vectorBytes": store["vectorBytes"],
        "graphBytes": store["graphBytes"],
        "residentRatio": resident / (store["vectorBytes"] + store["graphBytes"]),
        "ingestRatio": store["ingestRatio"],
        "ingestGraphRatio": store["ingestGraphRatio"],
        "int8": store["int8"],
        "residentPerMillion": {
            "float32": resident / store["items"] * 1e6,
            "int8": (resident - (store["int8"]["float32"]["graphMemoryBytes"] - store["int8"]["int8"]["graphMemoryBytes"])
                     * store["items"] / store["int8"]["items"]) / store["items"] * 1e6,
        },
        "projection": projection(store, resident),
        "store": store,
        "faiss": faiss,
    }
    with open(out_json, "w") as f:
        json.dump(scale, f, indent=2)

    n = store["items"]
    lines = [
        f"# Scale: {n:,} items ({store['records']:,} vectors of {store['dim']} dims) on one machine",
        "",
        f"Written by `bash infra/scripts/bench-scale.sh --items {n}` (bench/scale_report.py) from one run: the embedded store",
        f"(HNSW mode, USearch {store.get('usearch', '2.26.6')} through its C library) and FAISS {faiss['faiss']} (Debian's python3-faiss) on",
        f"the same vectors, {store['machine']['cores']} cores, same M {store['m']}, efConstruction {store['efConstruction']} and",
        f"{store['buildThreads']} build threads. Load average when the run started: {store.get('load', '?')} (other sessions share the machine).",
        "Corpus: " + store["corpus"] + ".",
        "",
        "| figure | ours | FAISS | ratio | target |",
        "|---|---|---|---|---|",
        f"| build, vectors/s (ours: {store['buildVectors']:,} vectors into two graphs, upserts included; FAISS: {faiss['items']:,} into one IndexHNSWFlat) | {store['buildVectorsPerSecond']:,.0f} | {faiss_build:,.0f} | {scale['buildRatio']:.2f} | >= 1.0 |",
        f"| search q/s at recall@10 >= 0.95, one caller (ef ours {scale['efOurs1']}, FAISS {scale['efFaiss1']}) | {ours1:,.0f} | {f1:,.0f} | {scale['qpsRatio1']:.2f} | >= 1.0 |",
        f"| search q/s at recall@10 >= 0.95, {store['callers']} callers (FAISS: {faiss['inFlight']} processes; ef ours {scale['efOurs8']}, FAISS {scale['efFaiss8']}) | {ours8:,.0f} | {f8:,.0f} | {scale['qpsRatio8']:.2f} | >= 1.0 |",
        "",
        f"At the store's chosen ef {store['chosenEf']}: recall@10 {chosen['recallAt10']:.3f}, p99 {chosen['p99ConcurrentMs']:.1f} ms with {store['callers']} callers (store calls in",
        "process; the HTTP search service over this store was not measured in this run).",
        "",
        "## ef sweep (text->image queries, recall@10 against the store's exact scan)",
        "",
        "| ef | recall@10 | q/s 1 caller | p99 ms | q/s callers | p99 ms | FAISS recall@10 | FAISS q/s 1 | FAISS q/s in flight |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    fr = {r["ef"]: r for r in fh["runs"]}
    for r in store["runs"]:
        f = fr.get(r["ef"])
        lines.append(f"| {r['ef']} | {r['recallAt10']:.3f} | {r['qpsOneAtATime']:,.0f} | {r['p99OneMs']:.2f} | {r['qpsConcurrent']:,.0f} | {r['p99ConcurrentMs']:.1f} | "
                     + (f"{f['recallAt10']:.3f} | {f['qpsOneAtATime']:,.0f} | {f['qpsInFlight']:,.0f} |" if f else "| | |"))
    lines += ["", "## Filtered search (labels any-of, target image)", "",
              "The store answers a label filter matching less than HnswFilterExactBelow (2%) of the records by an exact score of the rows",
              "carrying the label, and others by the graph's predicate search; both other paths are measured too (on fewer queries).", "",
              "| selectivity | store recall@10 | store q/s | graph-only recall@10 | graph-only q/s | exact-only q/s |", "|---|---|---|---|---|---|"]
    for f in store["filtered"]:
        lines.append(f"| {f['selectivity']:.1%} | {f['store']['recallAt10']:.3f} | {f['store']['qps']:,.0f} | {f['graph']['recallAt10']:.3f} | {f['graph']['qps']:,.0f} | {f['exact']['qps']:,.0f} |")
    i8 = store["int8"]
    lines += ["", "## Reopen, memory, writes at this size", "",
              f"- Reopen to ready: {store['reopenSeconds']:.1f} s; graph rebuilt: {store['graphRebuilt']} (graphs opened as memory-mapped views, checksums",
              f"  verified); ef after reopen {store['efAfterReopen']} (set from the options; before, a reopened graph searched with ef >= 64).",
              f"  After reopen at ef {store['afterReopen']['ef']}: recall@10 {store['afterReopen']['recallAt10']:.3f}, {store['afterReopen']['qpsOneAtATime']:,.0f} q/s one caller,",
              f"  {store['afterReopen']['qpsConcurrent']:,.0f} q/s {store['callers']} callers.",
              f"- Resident memory of the store (VmRSS over the process without it): {gb(store['residentBytesViewed'])} right after reopen (views paged in",
              f"  by the searches), {gb(resident)} after writes loaded the graphs into memory. Vector bytes (float32, once) {gb(store['vectorBytes'])},",
              f"  graph files {gb(store['graphBytes'])} (USearch keeps its own copy of each vector in them): ratio {scale['residentRatio']:.2f} (target <= 1.5).",
              f"- int8 graphs on {i8['items']:,} items: recall@10 {i8['int8']['recallAt10']:.3f} (float32 {i8['float32']['recallAt10']:.3f}) at ef {store['chosenEf']},",
              f"  {i8['int8']['qps']:,.0f} q/s one caller (float32 {i8['float32']['qps']:,.0f}); graphs in memory {gb(i8['int8']['graphMemoryBytes'])} against {gb(i8['float32']['graphMemoryBytes'])}.",
              f"  Resident per million items: float32 {gb(scale['residentPerMillion']['float32'])} (measured above), int8 {gb(scale['residentPerMillion']['int8'])}",
              "  (derived: the float32 figure less the graphs' smaller size, scaled from the int8 run; the process-wide VmRSS deltas of",
              "  those small stores are not used, since memory the 1,000,000-item store freed before them is returned to the system late).",
              f"- Ingest to searchable (upsert returned; rows not yet in a graph are scored exactly, checked by a search): {store['ingestEmptyRecordsPerSecond']:,.0f} records/s",
              f"  on an empty store, {store['ingestFullRecordsPerSecond']:,.0f} with {n:,} items present ({store['ingestRatio']:.0%}; target >= 80%). Into the graphs (the rate",
              f"  ingest can keep up for long): {store['ingestEmptyGraphRecordsPerSecond']:,.0f} and {store['ingestFullGraphRecordsPerSecond']:,.0f} records/s ({store['ingestGraphRatio']:.0%}).",
              f"  The first write after reopen loaded the viewed graphs into memory in {store['viewToMemorySeconds']:.1f} s.",
              f"- Deletes {store['deletesPerSecond']:,.0f} items/s (deleted items found again: {store['deletedFound']}); replacements {store['replacementsPerSecond']:,.0f} records/s",
              f"  to searchable ({store['replacedFoundOf200']} of 200 found with their new vectors in the top 10).",
              f"- Closing (graphs saved and checksummed): {store['closeSeconds']:.1f} s.", ""]
    pj = scale["projection"]
    lines += ["## Projection to larger corpora (from this run's growth)", "",
              f"Resident memory and graph files grow linearly with the items ({pj['residentBytesPerItem']:,.0f} resident bytes per item here), the build",
              "as N log N (each HNSW insertion searches a graph that deepens with log N), a reopen linearly (every graph file is read",
              "once to verify its checksum). Same machine, float32 vectors, 128 + 128 dims per record, two records per item.", "",
              "| items | resident memory | vector + graph files | build (all cores) | reopen |", "|---|---|---|---|---|",
              f"| {n:,} (measured) | {gb(resident)} | {gb(store['vectorBytes'] + store['graphBytes'])} | {store['buildSeconds'] / 60:,.1f} min | {store['reopenSeconds']:.0f} s |"]
    for row in pj["sizes"]:
        lines.append(f"| {row['items']:,} | {gb(row['residentBytes'])} | {gb(row['fileBytes'])} | {row['buildSeconds'] / 3600:,.1f} h | {row['reopenSeconds'] / 60:,.1f} min |")
    lines += ["", f"On this machine ({gb(pj['machineMemoryBytes'])}) the embedded store fits about {pj['embeddedLimitItems'] / 1e6:,.1f} million items in "
              f"{pj['memoryShare']:.0%} of memory; beyond that, or when a rebuild of hours is too long, the README sends users to Elasticsearch "
              "(`Pipeline:Store=Elasticsearch`, `serve --store elasticsearch`), which spreads the vectors over nodes.", ""]
    with open(out_md, "w") as f:
        f.write("\n".join(lines))
    print(f"scale_report.py: wrote {out_json} and {out_md}")


if __name__ == "__main__":
    main()

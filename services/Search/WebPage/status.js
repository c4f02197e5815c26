// The status view (#status): GET /v1/search/status (items by state, model, reindex), /health/ready and /metrics (queue
// lag in time, indexing and search figures of this process), refreshed every 3 seconds while shown.
"use strict";

(() => {
  let timer = null;

  function facts(id, pairs) {
    document.getElementById(id).replaceChildren(...pairs.flatMap(([name, value]) => [element("dt", {}, name), element("dd", {}, String(value))]));
  }

  const map = value => (value === null || value === undefined ? "–" : value.toFixed(4));

  // Prometheus text: the sum of every sample of a metric (all label sets), or null when the process does not export it.
  function metricSum(text, name) {
    let total = null;
    for (const line of text.split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        total = (total || 0) + Number(line.slice(line.lastIndexOf(" ") + 1));
      }
    }
    return total;
  }

  function mean(text, histogram) {
    const count = metricSum(text, `${histogram}_count`);
    return count ? `${(metricSum(text, `${histogram}_sum`) / count).toFixed(1)} ms (mean of ${count})` : "none measured";
  }

  function showMetrics(metrics) {
    const rows = [["mAP", "image → text", "text → image", "mean"]];
    for (const [split, report] of [["validation", metrics.validation], ["test", metrics.test]]) {
      for (const kind of report ? ["joint", "shared", "specific"] : []) {
        const m = report[kind];
        rows.push([`${split} ${kind}`, map(m.i2t), map(m.t2i), map((m.i2t + m.t2i) / 2)]);
      }
    }
    document.getElementById("status-metrics").replaceChildren(
      ...rows.map((row, i) => element("tr", {}, ...row.map(cell => element(i === 0 ? "th" : "td", {}, cell)))));
  }

  function showReindex(reindex) {
    const box = document.getElementById("status-reindex");
    if (!reindex) {
      box.replaceChildren("none running");
      return;
    }
    const eta = reindex.remainingSeconds === null ? "" : `, about ${Math.ceil(reindex.remainingSeconds)} s left`;
    box.replaceChildren(
      element("p", {}, `${reindex.kind} to ${reindex.version} (from ${reindex.fromVersion}): ${reindex.done} of ${reindex.total} items, ${reindex.itemsPerSecond} items/s${eta}`),
      element("progress", { max: String(Math.max(reindex.total, 1)), value: String(reindex.done) }));
  }

  async function refresh() {
    try {
      const status = await apiJson("/v1/search/status");
      facts("status-items", [
        ["indexed", status.items.indexed || 0],
        ["waiting for the encoder (queue lag)", status.items.ingested || 0],
        ["failed", status.items.failed || 0],
        ["index searched", status.index ? `${status.index} (model ${status.indexModelVersion})` : "nothing indexed yet"],
      ]);
      const model = status.model;
      if (model) {
        facts("status-model", [
          ["version", model.version],
          ["trained", new Date(model.createdUtc).toLocaleString()],
          ["default weights", `specific ${model.defaultWeights.specific}, shared ${model.defaultWeights.shared}`],
          ["holdout mAP (quality gate)", map(model.holdoutMap)],
          ["mAP of the version it replaced", map(model.baselineMap)],
          ["previous version (rollback)", status.previous || "none"],
        ]);
        showMetrics(model.metrics);
      }
      showReindex(status.reindex);
      const [health, metrics] = await Promise.all([
        fetch("/health/ready").then(r => r.json()),
        fetch("/metrics").then(r => (r.ok ? r.text() : "")),
      ]);
      facts("status-process", [
        ["readiness", `${health.status}: ${health.checks.map(c => `${c.name} ${c.status}`).join(", ")}`],
        ["queue lag, ingest to encoding", mean(metrics, "ms2gan_queue_lag_milliseconds")],
        ["items indexed", metricSum(metrics, "ms2gan_items_indexed_total") ?? "none"],
        ["search latency", mean(metrics, "ms2gan_search_latency_milliseconds")],
      ]);
      showMessage("");
      document.getElementById("refreshed").textContent = new Date().toLocaleTimeString();
    } catch (error) {
      showMessage(error.message);
    } finally {
      document.body.dataset.statusRefreshes = String(Number(document.body.dataset.statusRefreshes || 0) + 1);
    }
  }

  views.status = {
    enter() {
      refresh();
      timer = setInterval(refresh, 3000);
    },
    leave() {
      clearInterval(timer);
    },
  };
})();

// The search view: a text or an image query, target and label filters, and the specific/shared weighting; changing
// any of them runs the last query again, so the ablation shows live.
"use strict";

const K = 12;
const form = document.getElementById("search-form");
const queryBox = document.getElementById("query");
const fileInput = document.getElementById("image-input");
const dropZone = document.getElementById("drop-zone");
const target = document.getElementById("target");
const labels = document.getElementById("labels");
const weight = document.getElementById("weight");
const weightValue = document.getElementById("weight-value");
const results = document.getElementById("results");
const summary = document.getElementById("summary");

let lastQuery = null;
let pending = null;

function weights() {
  const shared = Number(weight.value) / 100;
  return { specific: Math.round((1 - shared) * 100) / 100, shared };
}

function showWeights() {
  const w = weights();
  weightValue.textContent = `specific ${w.specific.toFixed(2)} · shared ${w.shared.toFixed(2)}`;
}

function labelFilter() {
  return labels.value.split(",").map(l => l.trim()).filter(l => l.length > 0);
}

function targetFor(queryModality) {
  return target.value === "auto" ? (queryModality === "text" ? "image" : "text") : target.value;
}

function search() {
  if (!lastQuery) {
    return Promise.resolve();
  }
  const w = weights();
  const wanted = labelFilter();
  if (lastQuery.file) {
    const body = new FormData();
    body.append("image", lastQuery.file);
    body.append("target", targetFor("image"));
    body.append("k", String(K));
    body.append("specificWeight", String(w.specific));
    body.append("sharedWeight", String(w.shared));
    wanted.forEach(label => body.append("labels", label));
    return runSearch(body, results, summary, `for the image ${lastQuery.file.name}`);
  }
  const body = { query: { text: lastQuery.text }, target: targetFor("text"), k: K, weights: w };
  if (wanted.length > 0) {
    body.filter = { labels: wanted };
  }
  return runSearch(body, results, summary, `for “${lastQuery.text}”`);
}

// Slider moves come fast: search once it rests for a moment.
function searchSoon() {
  clearTimeout(pending);
  pending = setTimeout(search, 150);
}

function searchImage(file) {
  if (!file) {
    return;
  }
  lastQuery = { file };
  queryBox.value = "";
  search();
}

form.addEventListener("submit", event => {
  event.preventDefault();
  lastQuery = { text: queryBox.value };
  fileInput.value = "";
  search();
});
fileInput.addEventListener("change", () => searchImage(fileInput.files[0]));
dropZone.addEventListener("dragover", event => {
  event.preventDefault();
  dropZone.classList.add("over");
});
dropZone.addEventListener("dragleave", () => dropZone.classList.remove("over"));
dropZone.addEventListener("drop", event => {
  event.preventDefault();
  dropZone.classList.remove("over");
  searchImage(event.dataTransfer.files[0]);
});
weight.addEventListener("input", () => {
  showWeights();
  searchSoon();
});
target.addEventListener("change", search);
labels.addEventListener("change", search);

views.search = { enter() {} };

// Start from the active model's default weights, and offer its class names as label filters.
(async () => {
  showWeights();
  try {
    const status = await apiJson("/v1/search/status");
    if (status.model) {
      const d = status.model.defaultWeights;
      weight.value = String(Math.round(100 * d.shared / (d.specific + d.shared)));
      showWeights();
      const options = document.getElementById("label-options");
      (status.model.classNames || []).forEach(name => options.append(element("option", { value: name })));
    }
  } catch (error) {
    showMessage(error.message);
  }
})();

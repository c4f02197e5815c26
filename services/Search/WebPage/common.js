// Shared by the three views (search, item, status; router.js shows one at a time): calls to the API (with the API
// key when the service asks for one), ProblemDetails turned into one readable message, and the result grid.
"use strict";

const KEY_STORAGE = "ms2gan-api-key";

// Each view script adds itself here: enter(argument) when shown, leave() when another view is shown.
const views = {};

// A failed call: the message a person reads, from the API's ProblemDetails when there is one.
class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

// "title: field: message; ..." from a ProblemDetails body, or the status line when the body is not one.
function problemMessage(problem, response) {
  if (!problem || typeof problem !== "object") {
    return `${response.status} ${response.statusText || "error"}`;
  }
  const parts = [problem.title || `${response.status} error`];
  if (problem.detail) {
    parts.push(problem.detail);
  }
  for (const [field, messages] of Object.entries(problem.errors || {})) {
    for (const message of messages) {
      if (message !== problem.title) {
        parts.push(`${field}: ${message}`);
      }
    }
  }
  return parts.join(" — ");
}

// fetch with the stored API key; JSON in and out. Throws ApiError with the ProblemDetails message on a refusal.
async function api(path, options = {}) {
  const headers = new Headers(options.headers || {});
  const key = sessionStorage.getItem(KEY_STORAGE);
  if (key) {
    headers.set("X-Api-Key", key);
  }
  let response;
  try {
    response = await fetch(path, { ...options, headers });
  } catch (error) {
    throw new ApiError(`the service cannot be reached (${error.message})`, 0);
  }
  if (response.ok) {
    return response;
  }
  let problem = null;
  try {
    problem = await response.json();
  } catch {
    // Not JSON (a proxy's error page): the status line says enough.
  }
  if (response.status === 401) {
    showKeyPanel();
  }
  throw new ApiError(problemMessage(problem, response), response.status);
}

async function apiJson(path, options) {
  return (await api(path, options)).json();
}

// The key panel appears when a call was refused for want of a key (ApiKeys:RequireForSearch); the key is kept for
// this browser tab only (sessionStorage), and sent as X-Api-Key.
function showKeyPanel() {
  const panel = document.getElementById("key-panel");
  if (!panel || !panel.hidden) {
    return;
  }
  panel.hidden = false;
  panel.querySelector("form").addEventListener("submit", event => {
    event.preventDefault();
    sessionStorage.setItem(KEY_STORAGE, panel.querySelector("input").value.trim());
    location.reload();
  });
}

function showMessage(text) {
  const box = document.getElementById("message");
  box.textContent = text || "";
  box.hidden = !text;
}

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "dataset") {
      Object.assign(node.dataset, value);
    } else {
      node.setAttribute(name, value);
    }
  }
  node.append(...children);
  return node;
}

function mediaPath(id, modality) {
  return `/v1/items/${encodeURIComponent(id)}/media?modality=${modality}`;
}

// Shows an item's image in img: a plain URL when no key is needed (the browser caches it), else fetched with the key.
async function loadImage(img, id) {
  if (!sessionStorage.getItem(KEY_STORAGE)) {
    img.src = mediaPath(id, "image");
    return;
  }
  const blob = await (await api(mediaPath(id, "image"))).blob();
  img.src = URL.createObjectURL(blob);
}

async function loadText(node, id) {
  node.textContent = await (await api(mediaPath(id, "text"))).text();
}

function itemLink(id, ...children) {
  return element("a", { href: `#item/${encodeURIComponent(id)}` }, ...children);
}

// One card per hit: the image or the text, score, modality, labels (an auto-label with a question mark) and id, best first.
function renderHits(container, hits) {
  container.replaceChildren();
  for (const hit of hits) {
    const media = hit.modality === "image"
      ? element("img", { alt: `image of ${hit.id}`, loading: "lazy" })
      : element("p", { class: "snippet" }, "…");
    const card = element("article", {
      class: `hit ${hit.modality}`,
      dataset: { id: hit.id, modality: hit.modality, labels: hit.labels.join("|"), score: String(hit.score) },
    },
      itemLink(hit.id, media),
      element("div", { class: "facts" },
        element("span", { class: "score", title: "similarity" }, hit.score.toFixed(4)),
        element("span", { class: "modality" }, hit.modality)),
      element("div", { class: "labels" }, ...hit.labels.map(label => element("span", { class: "label" }, label)),
        ...(hit.autoLabel
          ? [element("span", { class: "label auto", title: `auto-label, ${Math.round(hit.autoLabel.confidence * 100)}% confident` },
            `${hit.autoLabel.label}?`)]
          : [])),
      itemLink(hit.id, element("code", { class: "id" }, hit.id)));
    container.append(card);
    const load = hit.modality === "image" ? loadImage(media, hit.id) : loadText(media, hit.id);
    load.catch(error => { media.replaceWith(element("p", { class: "snippet missing" }, error.message)); });
  }
}

// A search and what the page shows after it: hits, or the API's message; document.body.dataset.searches counts
// finished searches (tests wait on it).
async function runSearch(body, results, summary, describe) {
  const started = performance.now();
  try {
    const response = await apiJson("/v1/search", body instanceof FormData
      ? { method: "POST", body }
      : { method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json" } });
    showMessage("");
    renderHits(results, response.hits);
    summary.textContent = `${response.hits.length} hits ${describe} · model ${response.modelVersion} · ${Math.round(performance.now() - started)} ms`;
  } catch (error) {
    showMessage(error.message);
    results.replaceChildren();
    summary.textContent = "";
  } finally {
    document.body.dataset.searches = String(Number(document.body.dataset.searches || 0) + 1);
  }
}

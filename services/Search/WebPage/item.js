// The item view (#item/ID): its media, labels (and the model's auto-label when it has none), metadata, state and model version, and "more like this" (a search by
// its id, which leaves the item itself out).
"use strict";

(() => {
  const results = document.getElementById("item-results");
  const summary = document.getElementById("item-summary");
  const facts = document.getElementById("item-facts");
  const figure = document.getElementById("item-image");
  const text = document.getElementById("item-text");
  let shown = null;

  function fact(name, value) {
    facts.append(element("dt", {}, name), element("dd", {}, value));
  }

  for (const button of document.querySelectorAll("[data-like]")) {
    button.addEventListener("click", () => {
      if (shown) {
        runSearch({ query: { itemId: shown.id, modality: shown.modality }, target: button.dataset.like, k: 12 }, results, summary,
          `like ${shown.id} (by its ${shown.modality})`);
      }
    });
  }

  async function enter(id) {
    shown = null;
    document.getElementById("item-id").textContent = id;
    for (const node of [facts, results, summary, text]) {
      node.replaceChildren();
    }
    figure.hidden = text.hidden = true;
    try {
      const item = await apiJson(`/v1/search/items/${encodeURIComponent(id)}`);
      fact("labels", item.labels.join(", ") || "none");
      if (item.autoLabel) {
        fact("auto-label", `${item.autoLabel.label} (${Math.round(item.autoLabel.confidence * 100)}% confident)`);
      }
      for (const [name, value] of Object.entries(item.metadata)) {
        fact(name, value);
      }
      fact("state", item.failureReason ? `${item.state}: ${item.failureReason}` : item.state);
      fact("model version", item.modelVersion || "not indexed yet");
      fact("created", new Date(item.createdAt).toLocaleString());
      fact("updated", new Date(item.updatedAt).toLocaleString());
      if (item.imageContentType) {
        fact("image", item.imageContentType);
        figure.hidden = false;
        await loadImage(figure.querySelector("img"), id);
      }
      if (item.hasText) {
        text.hidden = false;
        await loadText(text, id);
      }
      shown = { id, modality: item.imageContentType ? "image" : "text" };
    } catch (error) {
      showMessage(error.message);
    } finally {
      document.body.dataset.item = id;
    }
  }

  views.item = { enter };
})();

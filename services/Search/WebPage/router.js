// Shows the view the address names: #search (the default), #item/ID, #status.
"use strict";

let current = null;

function route() {
  const [name, ...rest] = location.hash.replace(/^#/, "").split("/");
  const next = views[name] ? name : "search";
  if (current && current !== next && views[current].leave) {
    views[current].leave();
  }
  for (const section of document.querySelectorAll(".view")) {
    section.hidden = section.id !== `${next}-view`;
  }
  for (const link of document.querySelectorAll("nav a")) {
    link.toggleAttribute("aria-current", link.dataset.view === next);
  }
  showMessage("");
  current = next;
  views[next].enter(decodeURIComponent(rest.join("/")));
}

window.addEventListener("hashchange", route);
route();

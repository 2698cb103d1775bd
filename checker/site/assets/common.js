/* SIMA site scripts' shared helpers (loaded first; compare.js, picker.js and dashboard.js use
   them through window.simaSite; selector.js stays standalone, for pages that load it alone). Plain ES2017, no libraries, no network.
   Data is only ever written with textContent; links accept relative URLs on this site only. */
(function () {
  "use strict";

  var SCHEME = /^[a-z][a-z0-9+.\-]*:/i;

  function safeHref(href) {
    // a relative URL or #anchor, as written; null for a scheme (javascript:, data:, ...) or //host
    if (typeof href !== "string" || !href) return null;
    var bare = href.replace(/[\u0000-\u0020\u007f]/g, "");
    if (SCHEME.test(bare) || bare.indexOf("//") === 0 || bare.indexOf("\\") === 0) return null;
    return href;
  }

  function resolve(href, base) {
    // a relative href of a JSON file, as an absolute URL on this site (null if anything else)
    var safe = safeHref(href);
    if (safe === null) return null;
    try {
      var url = new URL(safe, base);
      return url.origin === window.location.origin ? url.href : null;
    } catch (err) {
      return null;
    }
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  // The page holds a placeholder where a search box goes: a box that only works with a
  // script exists only where it runs (and no page builder writes form elements).
  function searchInput(holder) {
    if (!holder || holder.tagName === "INPUT") return holder;
    var input = document.createElement("input");
    input.type = "search";
    input.id = holder.getAttribute("data-id") || "";
    input.className = holder.className;
    input.setAttribute("autocomplete", "off");
    input.setAttribute("spellcheck", "false");
    ["placeholder", "aria-controls", "aria-describedby"].forEach(function (name) {
      var value = holder.getAttribute("data-" + name);
      if (value) input.setAttribute(name, value);
    });
    holder.parentNode.replaceChild(input, holder);
    return input;
  }

  window.simaSite = { safeHref: safeHref, resolve: resolve, el: el, clear: clear, searchInput: searchInput };
})();

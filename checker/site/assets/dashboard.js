/* SIMA compliance dashboard: turns the paged static file table written by
   checker/site/pages/compliance.py into one filterable, sortable table over every row.
   The rows come from the JSON beside the page (its URL in .sima-dash[data-rows]; layout in
   pages/dashrows.py). Without this script, or when the JSON cannot be loaded, the static
   pages stay as they are: every row, count and link is in the HTML.
   Plain ES2017, no libraries, no network beyond the one same-origin JSON. Data is only ever
   written with textContent; links accept relative URLs only and must stay on this origin.
   Filter state lives in the URL (?q=SIMA202&sort=-errors), so a link can open a filter.
   Works with MkDocs Material's instant navigation (document$) and without it. */
(function () {
  "use strict";

  var S = window.simaSite; // common.js
  var searchInput = S.searchInput;
  var safeHref = S.safeHref;
  var resolve = S.resolve;
  var el = S.el;

  var STEP = 200; // rows rendered at a time: 10,000 files stay fast
  var SEV = { e: "error", w: "warning", i: "info" };
  var SEV_WORDS = { error: 4, errors: 4, warning: 5, warnings: 5, info: 6, infos: 6 }; // -> row column
  var SORTS = { path: 0, kind: 3, errors: 4, warnings: 5, infos: 6 };

  function parseQuery(text) {
    // words, all of which must match; each a test on a row.
    // a word may be quoted to hold spaces: ^"my folder/"
    var words = String(text || "").toLowerCase().match(/\^?"[^"]*"|\S+/g) || [];
    return words.map(function (word) { return word.replace(/"/g, ""); }).filter(Boolean).map(function (word) {
      if (/^sima\d+$/.test(word)) {
        return function (row) {
          return row[7].some(function (r) { return String(r[0]).toLowerCase().indexOf(word) === 0; });
        };
      }
      if (SEV_WORDS[word]) {
        var col = SEV_WORDS[word];
        return function (row) { return row[col] > 0; };
      }
      if (word.charAt(0) === "^" && word.length > 1) {
        var start = word.slice(1);
        return function (row) { return String(row[0]).toLowerCase().indexOf(start) === 0; };
      }
      return function (row) { return row._text.indexOf(word) !== -1; };
    });
  }

  function readState() {
    var params = new URLSearchParams(window.location.search);
    var sort = params.get("sort") || "";
    var desc = sort.charAt(0) === "-";
    var key = desc ? sort.slice(1) : sort;
    return { q: params.get("q") || "", key: SORTS.hasOwnProperty(key) ? key : "path", desc: desc && SORTS.hasOwnProperty(key) };
  }

  function writeState(state) {
    var params = new URLSearchParams(window.location.search);
    if (state.q) params.set("q", state.q); else params.delete("q");
    if (state.key !== "path" || state.desc) params.set("sort", (state.desc ? "-" : "") + state.key); else params.delete("sort");
    var search = params.toString();
    try {
      window.history.replaceState(window.history.state, "", window.location.pathname + (search ? "?" + search : "") + window.location.hash);
    } catch (err) { /* a file:// page may refuse; the filter still works */ }
  }

  function setup(root) {
    if (root.getAttribute("data-sima-ready") === "1") return;
    var src = resolve(root.getAttribute("data-rows"), window.location.href);
    var tools = root.querySelector(".sima-dash__tools");
    var live = root.querySelector(".sima-dash__live");
    var staticPart = root.querySelector(".sima-dash__static");
    if (!src || !tools || !live || !staticPart || !window.fetch) return;
    root.setAttribute("data-sima-ready", "1");
    fetch(src, { credentials: "same-origin" })
      .then(function (resp) { if (!resp.ok) throw new Error(String(resp.status)); return resp.json(); })
      .then(function (doc) { start(root, doc, src, tools, live, staticPart); })
      .catch(function () { root.removeAttribute("data-sima-ready"); }); // the static pages stay
  }

  function start(root, doc, jsonUrl, tools, live, staticPart) {
    if (!doc || !Array.isArray(doc.rows)) return;
    var rules = doc.rules && typeof doc.rules === "object" ? doc.rules : {};
    var rows = doc.rows.filter(Array.isArray).map(function (row) {
      row._text = [row[0], row[2], row[3]].join(" ").toLowerCase();
      return row;
    });
    var input = searchInput(tools.querySelector(".sima-dash__q"));
    var clearBtn = tools.querySelector(".sima-dash__clear");
    var status = tools.querySelector(".sima-dash__status");
    var state = readState();
    var shown = STEP;

    // the table: header buttons sort, body is re-rendered on every change
    var wrap = el("div", "sima-table sima-compliance-table");
    var table = el("table");
    var thead = el("thead");
    var tr = el("tr");
    var heads = [["File", "path"], ["Kind", "kind"], ["Errors", "errors"], ["Warnings", "warnings"], ["Infos", "infos"], ["Rules", null]];
    var buttons = {};
    heads.forEach(function (h) {
      var th = el("th");
      if (h[1]) {
        var b = el("button", "sima-dash__sort", h[0]);
        b.type = "button";
        b.setAttribute("data-key", h[1]);
        b.addEventListener("click", function () {
          if (state.key === h[1]) state.desc = !state.desc;
          else { state.key = h[1]; state.desc = h[1] !== "path" && h[1] !== "kind"; } // counts: most first
          shown = STEP;
          update();
        });
        buttons[h[1]] = { button: b, th: th };
        th.appendChild(b);
      } else {
        th.textContent = h[0];
      }
      tr.appendChild(th);
    });
    thead.appendChild(tr);
    var tbody = el("tbody");
    table.appendChild(thead);
    table.appendChild(tbody);
    wrap.appendChild(table);
    var more = el("button", "sima-dash__more");
    more.type = "button";
    more.addEventListener("click", function () { shown += STEP; update(); });
    while (live.firstChild) live.removeChild(live.firstChild);
    live.appendChild(wrap);
    live.appendChild(more);

    function badge(r) {
      var code = String(r[0]);
      var sev = SEV[r[1]] || "info";
      var label = code + (r[2] > 1 ? " \u00d7" + r[2] : "");
      var info = rules[code];
      var href = info ? resolve(info.href, jsonUrl) : null;
      var node = el(href ? "a" : "span", "sima-badge sima-badge--" + sev, label);
      if (href) node.setAttribute("href", href);
      if (info && info.name) node.setAttribute("title", code + " " + info.name + " (" + sev + ")");
      return node;
    }

    function num(v, sev) {
      var td = el("td");
      if (v > 0) td.appendChild(el("span", "sima-n sima-n--" + sev, v));
      return td;
    }

    function renderRow(row) {
      var tr = el("tr");
      var file = el("td");
      var href = row[8] ? resolve(row[1], jsonUrl) : null;
      var title = el(href ? "a" : "span", null, row[2] || row[0]);
      if (href) title.setAttribute("href", href);
      file.appendChild(title);
      file.appendChild(el("br"));
      file.appendChild(el("code", "sima-path", row[0]));
      if (!row[8]) {
        file.appendChild(document.createTextNode(" "));
        file.appendChild(el("span", "sima-unpublished", "not published"));
      }
      tr.appendChild(file);
      tr.appendChild(el("td", null, row[3]));
      tr.appendChild(num(row[4], "error"));
      tr.appendChild(num(row[5], "warning"));
      tr.appendChild(num(row[6], "info"));
      var cell = el("td");
      var list = Array.isArray(row[7]) ? row[7] : [];
      if (!list.length) cell.appendChild(el("span", "sima-state sima-state--clean", "clean"));
      list.forEach(function (r, k) {
        if (k) cell.appendChild(document.createTextNode(" "));
        cell.appendChild(badge(r));
      });
      tr.appendChild(cell);
      return tr;
    }

    function update() {
      var tests = parseQuery(state.q);
      var matching = rows.filter(function (row) { return tests.every(function (t) { return t(row); }); });
      var col = SORTS[state.key];
      var sign = state.desc ? -1 : 1;
      matching.sort(function (a, b) {
        var x = a[col], y = b[col];
        var c = typeof x === "number" ? x - y : String(x).localeCompare(String(y));
        return c !== 0 ? sign * c : String(a[0]).localeCompare(String(b[0]));
      });
      var frag = document.createDocumentFragment();
      var upto = Math.min(shown, matching.length);
      for (var i = 0; i < upto; i++) frag.appendChild(renderRow(matching[i]));
      while (tbody.firstChild) tbody.removeChild(tbody.firstChild);
      tbody.appendChild(frag);
      if (!matching.length) {
        var empty = el("tr");
        var td = el("td", "sima-dash__empty", "No file matches the filter.");
        td.colSpan = heads.length;
        empty.appendChild(td);
        tbody.appendChild(empty);
      }
      more.hidden = upto >= matching.length;
      more.textContent = "Show " + Math.min(STEP, matching.length - upto) + " more (" + (matching.length - upto) + " not shown)";
      status.textContent = (state.q ? matching.length + " of " + rows.length + " files match" : rows.length + " files") +
        (upto < matching.length ? ", first " + upto + " shown" : "");
      Object.keys(buttons).forEach(function (key) {
        var on = key === state.key;
        buttons[key].th.setAttribute("aria-sort", on ? (state.desc ? "descending" : "ascending") : "none");
        buttons[key].button.setAttribute("data-dir", on ? (state.desc ? "desc" : "asc") : "");
      });
      if (input.value !== state.q) input.value = state.q;
      root.classList.toggle("sima-dash--filtered", !!state.q);
      writeState(state);
    }

    function setQuery(q) {
      state.q = q;
      shown = STEP;
      update();
    }

    function onType() { if (input.value !== state.q) setQuery(input.value); }
    input.addEventListener("input", onType);
    input.addEventListener("keyup", onType);
    clearBtn.addEventListener("click", function () { setQuery(""); input.focus(); });

    // counts and totals that name a filter set it (their href stays for readers without JS)
    root.addEventListener("click", function (ev) {
      var a = ev.target && ev.target.closest ? ev.target.closest("a[data-q]") : null;
      if (!a || !root.contains(a) || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button) return;
      ev.preventDefault();
      setQuery(a.getAttribute("data-q") || "");
      var files = document.getElementById("files");
      if (files && files.scrollIntoView) files.scrollIntoView({ block: "start" });
    });

    staticPart.hidden = true;
    tools.hidden = false;
    live.hidden = false;
    update();
  }

  function init() {
    var roots = document.querySelectorAll(".sima-dash[data-rows]");
    for (var i = 0; i < roots.length; i++) setup(roots[i]);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init); // Material: fires on every (instant) page load
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

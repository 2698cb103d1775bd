/* SIMA pattern picker (issue 12 §2): on the comparison page, search every pattern of the KB,
   pick two to four, see them side by side with their attributes aligned by name. The choice
   lives in the URL (?p=KEY.N&p=...), so it can be linked.

   Data: the block's data-index names a JSON index (pages/picker.py); the cells of the picked
   patterns come from chunk files fetched on demand. Hrefs in a JSON file are relative to that
   file's URL; only relative links on this site are followed (safeHref). Everything is written
   with textContent. Without JavaScript the block stays hidden and the page's "All patterns"
   list links every pattern. Plain ES2017, no libraries, nothing leaves the site. */
(function () {
  "use strict";

  var S = window.simaSite; // common.js
  var searchInput = S.searchInput;
  var safeHref = S.safeHref;
  var resolve = S.resolve;
  var el = S.el;
  var clear = S.clear;

  var HITS = 12; // results shown at once

  function inlineText(parent, text) {
    // `code` spans as <code>, ** dropped; the rest as text
    var parts = String(text).replace(/\*\*/g, "").split("`");
    for (var i = 0; i < parts.length; i++) {
      if (!parts[i]) continue;
      if (i % 2 === 1 && i < parts.length - 1) parent.appendChild(el("code", "", parts[i]));
      else parent.appendChild(document.createTextNode(i % 2 === 1 ? "`" + parts[i] : parts[i]));
    }
  }

  function count(n) {
    return ["none", "one", "two", "three", "four", "five", "six"][n] || String(n);
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error(url + ": " + r.status);
      return r.json();
    });
  }

  function readIndex(raw, indexUrl) {
    if (!raw || raw.version !== 1 || !Array.isArray(raw.entries) || !Array.isArray(raw.patterns)) return null;
    var entries = raw.entries.map(function (e) {
      return { key: String(e[0]), ident: String(e[1]), title: String(e[2] || ""), href: resolve(e[3], indexUrl) };
    });
    var byKey = {};
    var patterns = [];
    raw.patterns.forEach(function (row) {
      var entry = entries[row[2]];
      if (!entry) return;
      var p = {
        name: String(row[0]), qualifier: String(row[1] || ""), entry: row[2], n: Number(row[3]),
        key: entry.key + "." + row[3],
      };
      p.hay = [p.name, p.qualifier, entry.ident, entry.title].join(" ").toLowerCase();
      byKey[p.key] = p;
      patterns.push(p);
    });
    var chunks = (raw.chunks || []).map(function (h) { return resolve(h, indexUrl); });
    return { entries: entries, patterns: patterns, byKey: byKey, chunk: Number(raw.chunk) || 1, chunks: chunks };
  }

  function picksFromUrl() {
    var params = new URLSearchParams(window.location.search);
    var out = [];
    params.getAll("p").forEach(function (value) {
      value.split(",").forEach(function (key) {
        if (key && out.indexOf(key) < 0) out.push(key);
      });
    });
    return out;
  }

  function writeUrl(picks) {
    var url = new URL(window.location.href);
    url.searchParams.delete("p");
    picks.forEach(function (key) { url.searchParams.append("p", key); });
    if (url.href !== window.location.href) window.history.replaceState(window.history.state, "", url.href);
  }

  function setup(root) {
    if (root.getAttribute("data-sima-ready")) return;
    root.setAttribute("data-sima-ready", "loading");
    var indexUrl = resolve(root.getAttribute("data-index"), window.location.href);
    if (!indexUrl) return;
    var max = Number(root.getAttribute("data-max")) || 4;
    var input = searchInput(root.querySelector(".sima-picker-q"));
    var results = root.querySelector(".sima-picker-results");
    var chosen = root.querySelector(".sima-picker-chosen");
    var status = root.querySelector(".sima-picker-status");
    var view = root.querySelector(".sima-picker-view");
    var index = null;
    var chunkCache = {};
    var picks = [];
    var unknown = [];
    var drawn = 0;

    function chunkOf(entryNo) {
      var c = Math.floor(entryNo / index.chunk);
      var url = index.chunks[c];
      if (!url) return Promise.reject(new Error("no chunk " + c));
      if (!chunkCache[c]) {
        chunkCache[c] = getJSON(url).then(function (raw) { return { raw: raw, url: url }; });
        chunkCache[c].catch(function () { delete chunkCache[c]; });
      }
      return chunkCache[c];
    }

    function cellsOf(p) {
      return chunkOf(p.entry).then(function (chunk) {
        var list = chunk.raw && chunk.raw.entries && chunk.raw.entries[p.entry - chunk.raw.first];
        var data = list && list[p.n - 1];
        if (!data) throw new Error("pattern " + p.key + " not in its chunk");
        return { pattern: p, href: resolve(data.href, chunk.url), rows: Array.isArray(data.rows) ? data.rows : [] };
      });
    }

    function say(text) { status.textContent = text; }

    function search() {
      clear(results);
      if (!index) return;
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      input.setAttribute("aria-expanded", words.length ? "true" : "false");
      if (!words.length) return;
      var hits = index.patterns.filter(function (p) {
        return words.every(function (w) { return p.hay.indexOf(w) >= 0; });
      });
      var first = words[0];
      hits.sort(function (a, b) {
        var sa = a.name.toLowerCase().indexOf(first) === 0 ? 0 : 1;
        var sb = b.name.toLowerCase().indexOf(first) === 0 ? 0 : 1;
        return sa - sb || a.name.localeCompare(b.name);
      });
      if (!hits.length) {
        results.appendChild(el("li", "sima-picker-none", "No pattern matches \u201c" + input.value.trim() + "\u201d."));
        return;
      }
      hits.slice(0, HITS).forEach(function (p) {
        var entry = index.entries[p.entry];
        var li = el("li");
        var button = el("button", "sima-picker-hit");
        button.type = "button";
        button.setAttribute("data-pick", p.key);
        button.appendChild(el("span", "sima-picker-name", p.name));
        if (p.qualifier) button.appendChild(el("span", "sima-picker-qual", " (" + p.qualifier + ")"));
        button.appendChild(el("span", "sima-picker-entry", entry.ident + (entry.title && entry.title !== entry.ident ? " \u00b7 " + entry.title : "")));
        var taken = picks.indexOf(p.key) >= 0;
        button.disabled = taken || picks.length >= max;
        if (taken) button.setAttribute("title", "Already chosen");
        li.appendChild(button);
        results.appendChild(li);
      });
      if (hits.length > HITS) results.appendChild(el("li", "sima-picker-more", (hits.length - HITS) + " more: type more of the name"));
    }

    function drawChosen() {
      clear(chosen);
      picks.forEach(function (key) {
        var p = index.byKey[key];
        var entry = index.entries[p.entry];
        var li = el("li", "sima-picker-chip");
        li.appendChild(el("span", "sima-picker-name", p.name));
        li.appendChild(el("span", "sima-picker-entry", " " + entry.ident));
        var remove = el("button", "sima-picker-remove", "\u00d7");
        remove.type = "button";
        remove.setAttribute("data-remove", key);
        remove.setAttribute("aria-label", "Remove " + p.name);
        remove.setAttribute("title", "Remove " + p.name);
        li.appendChild(remove);
        chosen.appendChild(li);
      });
    }

    function headCell(item) {
      var p = item.pattern;
      var entry = index.entries[p.entry];
      var th = el("th");
      th.scope = "col";
      if (item.href) {
        var a = el("a", "", p.name);
        a.href = item.href;
        th.appendChild(a);
      } else {
        th.appendChild(document.createTextNode(p.name));
      }
      if (p.qualifier) {
        th.appendChild(el("br"));
        th.appendChild(el("span", "sima-qualifier", p.qualifier));
      }
      th.appendChild(el("br"));
      var from = el("span", "sima-picker-from");
      if (entry.href) {
        var link = el("a", "", entry.ident);
        link.href = entry.href;
        if (entry.title) link.title = entry.title;
        from.appendChild(link);
      } else {
        from.textContent = entry.ident;
      }
      th.appendChild(from);
      return th;
    }

    function bodyCell(item, row) {
      var td = el("td");
      td.setAttribute("data-pattern", item.label);
      if (!row) {
        td.className = "sima-empty";
        td.textContent = "\u2014";
        return td;
      }
      var text = row[1], items = row[2], code = row[3];
      if (text) {
        if (code) {
          var pre = el("pre");
          pre.appendChild(el("code", "", text));
          td.appendChild(pre);
        } else {
          var para = el("p");
          inlineText(para, text);
          td.appendChild(para);
        }
      }
      if (Array.isArray(items) && items.length) {
        var ul = el("ul");
        items.forEach(function (i) {
          var li = el("li");
          inlineText(li, i);
          ul.appendChild(li);
        });
        td.appendChild(ul);
      }
      if (item.href) {
        var a = el("a", "sima-cell-link", "\u2197");
        a.href = item.href;
        a.title = "Go to " + item.pattern.name;
        a.setAttribute("aria-label", "Go to " + item.pattern.name);
        td.appendChild(a);
      }
      return td;
    }

    function table(items) {
      var attrs = [];
      items.forEach(function (item) { // the phone cards' label: the name, with its entry when two share it
        var same = items.filter(function (other) { return other.pattern.name === item.pattern.name; }).length;
        item.label = item.pattern.name + (same > 1 ? " \u00b7 " + index.entries[item.pattern.entry].ident : "");
      });
      var cells = items.map(function (item) {
        var byAttr = {};
        item.rows.forEach(function (row) {
          var name = String(row[0]);
          if (!(name in byAttr)) byAttr[name] = row;
          if (attrs.indexOf(name) < 0) attrs.push(name);
        });
        return byAttr;
      });
      var wrap = el("div", "sima-comparison-wrap");
      var t = el("table", "sima-comparison sima-picked");
      var thead = el("thead");
      var hr = el("tr");
      var corner = el("th", "", "Attribute");
      corner.scope = "col";
      hr.appendChild(corner);
      items.forEach(function (item) { hr.appendChild(headCell(item)); });
      thead.appendChild(hr);
      t.appendChild(thead);
      var tbody = el("tbody");
      attrs.forEach(function (name) {
        var tr = el("tr");
        var th = el("th", "", name);
        th.scope = "row";
        tr.appendChild(th);
        items.forEach(function (item, i) {
          var row = Object.prototype.hasOwnProperty.call(cells[i], name) ? cells[i][name] : null;
          tr.appendChild(bodyCell(item, row));
        });
        tbody.appendChild(tr);
      });
      t.appendChild(tbody);
      wrap.appendChild(t);
      return wrap;
    }

    function draw() {
      var turn = ++drawn;
      drawChosen();
      writeUrl(picks);
      search();
      var note = unknown.length ? " Not found in this knowledge base: " + unknown.join(", ") + "." : "";
      if (picks.length < 2) {
        clear(view);
        say((picks.length ? "Pick at least one more pattern." : "Pick two to " + count(max) + " patterns.") + note);
        return;
      }
      say("Loading\u2026" + note);
      Promise.all(picks.map(function (key) { return cellsOf(index.byKey[key]); })).then(function (items) {
        if (turn !== drawn) return; // a newer choice is being drawn
        clear(view);
        view.appendChild(table(items));
        if (window.simaCompare) window.simaCompare.enhance(view);
        say(items.length + " patterns side by side." + note);
      }, function () {
        if (turn !== drawn) return;
        clear(view);
        say("The pattern data could not be loaded." + note);
      });
    }

    function pick(key) {
      if (!index.byKey[key] || picks.indexOf(key) >= 0) return;
      if (picks.length >= max) {
        say("At most " + count(max) + " patterns: remove one first.");
        return;
      }
      picks.push(key);
      input.value = "";
      draw();
      input.focus();
    }

    function hitButtons() {
      return Array.prototype.slice.call(results.querySelectorAll("button:not([disabled])"));
    }

    input.addEventListener("input", function () {
      if (index) search();
      else load().then(function () { if (index) search(); });
    });
    input.addEventListener("keydown", function (event) {
      var hits = hitButtons();
      if (event.key === "Enter") {
        event.preventDefault();
        if (hits.length) pick(hits[0].getAttribute("data-pick"));
      } else if (event.key === "ArrowDown" && hits.length) {
        event.preventDefault();
        hits[0].focus();
      } else if (event.key === "Escape") {
        input.value = "";
        search();
      }
    });
    results.addEventListener("keydown", function (event) {
      var hits = hitButtons();
      var at = hits.indexOf(document.activeElement);
      if (at < 0) return;
      if (event.key === "ArrowDown" && at + 1 < hits.length) { event.preventDefault(); hits[at + 1].focus(); }
      else if (event.key === "ArrowUp") { event.preventDefault(); (at > 0 ? hits[at - 1] : input).focus(); }
      else if (event.key === "Escape") { event.preventDefault(); input.focus(); }
    });
    results.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest("button[data-pick]") : null;
      if (button && !button.disabled) pick(button.getAttribute("data-pick"));
    });
    chosen.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest("button[data-remove]") : null;
      if (!button) return;
      var at = picks.indexOf(button.getAttribute("data-remove"));
      if (at >= 0) picks.splice(at, 1);
      unknown = [];
      draw();
      input.focus();
    });

    // The index (every pattern's name) is fetched when the reader starts to search, or at
    // once when the address names patterns: a large KB's list costs nothing until it is used.
    var loading = null;
    function load() {
      if (loading) return loading;
      say("Loading the list of patterns\u2026");
      loading = getJSON(indexUrl).then(function (raw) {
        index = readIndex(raw, indexUrl);
        if (!index) throw new Error("unexpected index");
        var wanted = picksFromUrl();
        picks = wanted.filter(function (k) { return index.byKey[k]; }).slice(0, max);
        unknown = wanted.filter(function (k) { return !index.byKey[k]; });
        root.setAttribute("data-sima-ready", "1");
        draw();
      }).catch(function () {
        root.setAttribute("data-sima-ready", "failed");
        say("The list of patterns could not be loaded; the list below links every pattern.");
      });
      return loading;
    }

    root.hidden = false;
    root.setAttribute("data-sima-ready", "idle");
    say("Pick two to " + count(max) + " patterns.");
    input.addEventListener("focus", load);
    if (picksFromUrl().length) load();
  }

  function init() {
    var roots = document.querySelectorAll(".sima-picker");
    for (var i = 0; i < roots.length; i++) setup(roots[i]);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init); // Material: fires on every (instant) page load
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

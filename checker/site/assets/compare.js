/* SIMA comparison tables (issue 12 §1): long cells are clamped with a "Show more" toggle, and
   a table of five patterns or more gets a column chooser (the first four shown).
   Without this script every cell and column shows in full. Plain ES2017, no network; text is
   only written with textContent. Works with MkDocs Material's instant navigation (document$).
   window.simaCompare.enhance(node) is what picker.js calls on the tables it builds. */
(function () {
  "use strict";


  var SHOWN = 4; // columns shown at first when a table has more patterns
  var CLAMP_EM = 14; // matches .sima-cell.sima-clamped max-height in selector.css
  var SLACK = 1.4; // clamp only cells clearly taller than that

  function emPx(node) {
    var size = parseFloat(window.getComputedStyle(node).fontSize);
    return isFinite(size) && size > 0 ? size : 16;
  }

  function wrapCell(td) {
    var box = td.querySelector(":scope > .sima-cell");
    if (box) return box;
    box = document.createElement("div");
    box.className = "sima-cell";
    var kids = Array.prototype.slice.call(td.childNodes);
    for (var i = 0; i < kids.length; i++) {
      var kid = kids[i];
      if (kid.nodeType === 1 && kid.classList.contains("sima-cell-link")) continue;
      box.appendChild(kid);
    }
    td.insertBefore(box, td.firstChild);
    return box;
  }

  function clampCell(td) {
    if (td.getAttribute("data-sima-clamp")) return;
    if (td.classList.contains("sima-empty")) return;
    var box = wrapCell(td);
    var limit = CLAMP_EM * emPx(box);
    if (!box.scrollHeight || box.scrollHeight <= limit * SLACK) return; // short, or not laid out
    td.setAttribute("data-sima-clamp", "1");
    box.classList.add("sima-clamped");
    var id = "sima-cell-" + Math.random().toString(36).slice(2, 10);
    box.id = id;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "sima-clamp-toggle";
    button.setAttribute("aria-controls", id);
    button.setAttribute("aria-expanded", "false");
    button.textContent = "Show more";
    button.addEventListener("click", function () {
      var open = box.classList.toggle("sima-clamped") === false;
      button.setAttribute("aria-expanded", open ? "true" : "false");
      button.textContent = open ? "Show less" : "Show more";
    });
    td.insertBefore(button, box.nextSibling);
  }

  function setColumn(table, col, shown) {
    var rows = table.rows;
    for (var r = 0; r < rows.length; r++) {
      var cell = rows[r].cells[col];
      if (cell) cell.classList.toggle("sima-col-hidden", !shown);
    }
  }

  function chooser(table) {
    if (table.getAttribute("data-sima-columns")) return;
    var head = table.tHead && table.tHead.rows[0];
    if (!head || head.cells.length - 1 <= SHOWN) return;
    table.setAttribute("data-sima-columns", "1");
    var box = document.createElement("fieldset");
    box.className = "sima-columns";
    var legend = document.createElement("legend");
    legend.textContent = "Patterns shown";
    box.appendChild(legend);
    var inputs = [];
    function sync() {
      var on = inputs.filter(function (i) { return i.checked; });
      for (var k = 0; k < inputs.length; k++) inputs[k].disabled = on.length === 1 && inputs[k].checked;
    }
    for (var c = 1; c < head.cells.length; c++) {
      var label = document.createElement("label");
      var input = document.createElement("input");
      input.type = "checkbox";
      input.checked = c <= SHOWN;
      input.setAttribute("data-column", String(c));
      label.appendChild(input);
      var name = head.cells[c].querySelector("a");
      label.appendChild(document.createTextNode(" " + (name || head.cells[c]).textContent.trim()));
      box.appendChild(label);
      inputs.push(input);
      setColumn(table, c, input.checked);
      input.addEventListener("change", function (event) {
        var i = event.target;
        setColumn(table, Number(i.getAttribute("data-column")), i.checked);
        sync();
        enhanceCells(table); // cells just shown are laid out now
      });
    }
    sync();
    var wrap = table.closest(".sima-comparison-wrap") || table;
    wrap.parentNode.insertBefore(box, wrap);
  }

  function enhanceCells(table) {
    var cells = table.querySelectorAll("tbody td");
    for (var i = 0; i < cells.length; i++) {
      if (!cells[i].classList.contains("sima-col-hidden")) clampCell(cells[i]);
    }
  }

  function enhance(root) {
    var tables = (root || document).querySelectorAll("table.sima-comparison");
    for (var i = 0; i < tables.length; i++) {
      chooser(tables[i]);
      enhanceCells(tables[i]);
    }
  }

  window.simaCompare = { enhance: enhance };

  function init() { enhance(document); }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init); // Material: fires on every (instant) page load
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

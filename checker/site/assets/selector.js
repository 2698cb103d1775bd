/* SIMA pattern selector: turns the static decision-tree list emitted by
   checker/site/comparison.py into a one-question-at-a-time widget.
   Plain ES2017, no libraries, no network. Data is only ever written with textContent;
   links accept relative URLs and #anchors only. Works with MkDocs Material's instant
   navigation (document$) and without it (DOMContentLoaded). */
(function () {
  "use strict";

  var SCHEME = /^[a-z][a-z0-9+.\-]*:/i;

  function safeHref(href) {
    if (typeof href !== "string") return null;
    var bare = href.replace(/[\u0000-\u0020\u007f]/g, "");
    if (SCHEME.test(bare) || bare.indexOf("//") === 0 || bare.indexOf("\\") === 0) return null;
    return href;
  }

  function readTree(root) {
    // data-tree (what comparison.py writes); a <script type="application/json" class="sima-tree">
    // child is read too, for pages that do not use Material's instant navigation
    var node = root.querySelector("script.sima-tree");
    var text = root.getAttribute("data-tree") || (node ? node.textContent : "");
    if (!text) return null;
    try {
      var tree = JSON.parse(text);
      if (!tree || typeof tree.questions !== "object" || !tree.questions[tree.start]) return null;
      return tree;
    } catch (err) {
      return null;
    }
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function setup(root) {
    if (root.getAttribute("data-sima-ready") === "1") return;
    var tree = readTree(root);
    var ui = root.querySelector(".sima-interactive");
    if (!tree || !ui) return; // the static list stays as it is
    var qid = ui.querySelector(".sima-qid");
    var question = ui.querySelector(".sima-question");
    var answers = ui.querySelector(".sima-answers");
    var result = ui.querySelector(".sima-result");
    var trail = ui.querySelector(".sima-path");
    var state = { current: tree.start, done: false };

    function addStep(id, answer) {
      if (!trail) return;
      var li = document.createElement("li");
      li.textContent = id + ": " + tree.questions[id].text + " \u2192 " + (answer === "yes" ? "Yes" : "No");
      trail.appendChild(li);
    }

    function showQuestion(id) {
      var q = tree.questions[id];
      state.current = id;
      state.done = false;
      if (qid) qid.textContent = id;
      question.textContent = q.text;
      question.hidden = false;
      if (answers) answers.hidden = false;
      result.hidden = true;
      clear(result);
    }

    function showResult(outcome) {
      state.done = true;
      clear(result);
      var href = safeHref(outcome.href);
      if (outcome.pattern && href) {
        result.appendChild(document.createTextNode("Recommended: "));
        var a = document.createElement("a");
        a.setAttribute("href", href);
        a.textContent = outcome.pattern;
        result.appendChild(a);
        if (outcome.qualifier) result.appendChild(document.createTextNode(" (" + outcome.qualifier + ")"));
      } else {
        result.textContent = "Outcome: " + (outcome.pattern || outcome.text || "");
      }
      question.hidden = true;
      if (answers) answers.hidden = true;
      if (qid) qid.textContent = "";
      result.hidden = false;
    }

    function answer(which) {
      if (state.done) return;
      var q = tree.questions[state.current];
      var outcome = q && q[which];
      if (!outcome) return;
      addStep(state.current, which);
      if (outcome.goto && tree.questions[outcome.goto]) showQuestion(outcome.goto);
      else showResult(outcome);
    }

    function restart() {
      if (trail) clear(trail);
      showQuestion(tree.start);
    }

    root.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest("button") : null;
      if (!button || !root.contains(button)) return;
      var which = button.getAttribute("data-answer");
      if (which === "yes" || which === "no") answer(which);
      else if (button.getAttribute("data-action") === "restart") restart();
    });

    var list = root.querySelector(".sima-tree-static");
    if (list) list.hidden = true;
    ui.hidden = false;
    root.setAttribute("data-sima-ready", "1");
    restart();
  }

  function init() {
    var roots = document.querySelectorAll(".sima-selector");
    for (var i = 0; i < roots.length; i++) setup(roots[i]);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init); // Material: fires on every (instant) page load
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

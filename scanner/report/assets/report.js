// exscan report: sorting and filtering of the findings table, and the
// timeline's click-to-filter. No network, no framework; the page reads
// fine without this script (all rows visible, unsorted controls inert).
(function () {
  "use strict";
  var root = document.documentElement;
  window.addEventListener("error", function () { root.setAttribute("data-js", "error"); });

  var table = document.getElementById("findings");
  if (table) {
    var tbody = table.tBodies[0];
    var rows = Array.prototype.slice.call(tbody.rows);
    var q = document.getElementById("f-text");
    var sev = document.getElementById("f-sev");
    var kind = document.getElementById("f-kind");
    var camp = document.getElementById("f-campaign");
    var shown = document.getElementById("f-shown");
    var rangeBox = document.getElementById("f-range");
    var rangeText = document.getElementById("f-range-text");
    var range = null;
    var text = rows.map(function (r) { return r.textContent.toLowerCase(); });

    var apply = function () {
      var needle = q.value.trim().toLowerCase();
      var minSev = parseInt(sev.value, 10) || 0;
      var k = kind.value, c = camp.value, n = 0;
      rows.forEach(function (r, i) {
        var ok = (parseInt(r.getAttribute("data-sev"), 10) >= minSev) &&
          (!k || r.getAttribute("data-kind") === k) &&
          (!c || (" " + r.getAttribute("data-campaigns") + " ").indexOf(" " + c + " ") >= 0) &&
          (!needle || text[i].indexOf(needle) >= 0);
        if (ok && range) {
          // A grouped row spans data-time .. data-time-last.
          var t = r.getAttribute("data-time");
          var last = r.getAttribute("data-time-last") || t;
          ok = t !== "" && t <= range[1] && last >= range[0];
        }
        r.classList.toggle("hidden", !ok);
        if (ok) { n++; }
      });
      shown.textContent = n + " of " + rows.length;
    };
    [q, sev, kind, camp].forEach(function (el) {
      el.addEventListener("input", apply);
      el.addEventListener("change", apply);
    });

    var setRange = function (from, to, label) {
      range = from ? [from, to] : null;
      rangeText.textContent = label || "";
      rangeBox.classList.toggle("on", !!range);
      apply();
    };
    document.getElementById("f-range-clear").addEventListener("click", function () { setRange(null); });
    document.getElementById("f-reset").addEventListener("click", function () {
      q.value = ""; sev.value = "0"; kind.value = ""; camp.value = "";
      setRange(null);
    });
    Array.prototype.forEach.call(document.querySelectorAll("svg .dot"), function (d) {
      d.addEventListener("click", function () {
        var lane = d.getAttribute("data-campaign") || "";
        if (lane && lane !== "-") { camp.value = lane; } else { camp.value = ""; }
        setRange(d.getAttribute("data-from"), d.getAttribute("data-to"), d.getAttribute("data-label"));
        table.scrollIntoView({ behavior: "smooth", block: "start" });
      });
    });

    var sortKey = function (r, key) {
      var v = r.getAttribute("data-" + key) || "";
      return key === "sev" || key === "n" || key === "line" ? parseFloat(v) || 0 : v.toLowerCase();
    };
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      var key = th.getAttribute("data-sort");
      if (!key) { return; }
      th.addEventListener("click", function () {
        var dir = th.classList.contains("asc") ? -1 : 1;
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (o) { o.classList.remove("asc", "desc"); });
        th.classList.add(dir === 1 ? "asc" : "desc");
        var order = rows.map(function (r, i) { return [sortKey(r, key), i, r]; });
        order.sort(function (a, b) {
          if (a[0] < b[0]) { return -dir; }
          if (a[0] > b[0]) { return dir; }
          return a[1] - b[1];
        });
        var frag = document.createDocumentFragment();
        order.forEach(function (o) { frag.appendChild(o[2]); });
        tbody.appendChild(frag);
      });
    });
    apply();
  }
  if (root.getAttribute("data-js") !== "error") { root.setAttribute("data-js", "ok"); }
}());

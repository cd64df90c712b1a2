(function () {
  var bar = document.getElementById("filters");
  bar.hidden = false;
  var q = document.getElementById("q"), kind = document.getElementById("kind");
  var shown = document.getElementById("shown");
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-search]"));
  function apply() {
    var text = q.value.trim().toLowerCase(), k = kind.value, n = 0, rows = 0;
    items.forEach(function (el) {
      var hit = (!text || el.getAttribute("data-search").indexOf(text) !== -1) &&
        (!k || (" " + el.getAttribute("data-kinds") + " ").indexOf(" " + k + " ") !== -1);
      el.hidden = !hit;
      if (hit && el.classList.contains("cluster")) { n++; }
      else if (hit && el.tagName === "TR" && !el.classList.contains("ov")) { rows++; }
    });
    shown.textContent = n + (n === 1 ? " linked cluster shown" : " linked clusters shown") +
      (text || k ? ", " + rows + (rows === 1 ? " other row" : " other rows") : "");
  }
  q.addEventListener("input", apply);
  kind.addEventListener("change", apply);
  // A value on the page is a pivot: clicking it searches the report for it.
  document.addEventListener("click", function (event) {
    var value = event.target.closest && event.target.closest(".pv");
    if (value) { q.value = value.getAttribute("data-v"); apply(); bar.scrollIntoView(); }
  });
  apply();
})();

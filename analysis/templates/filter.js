(function () {
  var bar = document.getElementById("filters");
  bar.hidden = false;
  var q = document.getElementById("q"), kind = document.getElementById("kind");
  var shown = document.getElementById("shown");
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-search]"));
  function apply() {
    var text = q.value.trim().toLowerCase(), k = kind.value, n = 0;
    items.forEach(function (el) {
      var hit = (!text || el.getAttribute("data-search").indexOf(text) !== -1) &&
        (!k || (" " + el.getAttribute("data-kinds") + " ").indexOf(" " + k + " ") !== -1);
      el.hidden = !hit;
      if (hit && el.classList.contains("cluster")) { n++; }
    });
    shown.textContent = n + (n === 1 ? " linked cluster shown" : " linked clusters shown");
  }
  q.addEventListener("input", apply);
  kind.addEventListener("change", apply);
  apply();
})();

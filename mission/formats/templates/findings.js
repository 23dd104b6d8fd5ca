(function () {
  "use strict";
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[data-severity]"));
  var status = document.getElementById("shown");
  function update() {
    var shown = 0;
    var total = 0;
    boxes.forEach(function (box) {
      document.body.classList.toggle("hide-" + box.getAttribute("data-severity"), !box.checked);
    });
    Array.prototype.forEach.call(document.querySelectorAll("tr.finding"), function (row) {
      var box = document.getElementById("show-" + row.getAttribute("data-severity"));
      total += 1;
      if (!box || box.checked) { shown += 1; }
    });
    status.textContent = "Showing " + shown + " of " + total + " findings.";
  }
  boxes.forEach(function (box) { box.addEventListener("change", update); });
  update();
}());

// The invitation picker's count follows the boxes as they are ticked. Without this script the
// count stays hidden: what the page said on loading would be wrong after the first tick.
(function () {
  "use strict";
  const count = document.getElementById("picked-count");
  if (!count) {
    return;
  }
  const form = count.closest("form");
  const show = function () {
    const ticked = form.querySelectorAll('input[type="checkbox"][name="code"]:checked').length;
    const text = ticked === 1 ? count.dataset.one : count.dataset.other;
    count.textContent = text.replace("{n}", String(ticked));
  };
  form.addEventListener("change", function (event) {
    if (event.target.name === "code") {
      show();
    }
  });
  show();
  count.hidden = false;
})();

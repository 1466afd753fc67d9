// Keyboard shortcuts for the review queue: j/k move between cards, p publishes, r rejects,
// e edits the current card. Ignored while typing in a field.
(function () {
  "use strict";
  var cards = Array.prototype.slice.call(document.querySelectorAll(".review-card"));
  if (!cards.length) { return; }
  var current = 0;
  function select(index) {
    if (index < 0 || index >= cards.length) { return; }
    cards[current].classList.remove("is-current");
    current = index;
    cards[current].classList.add("is-current");
    cards[current].scrollIntoView({ block: "nearest" });
    cards[current].focus({ preventScroll: true });
  }
  var fromHash = cards.findIndex(function (card) { return "#" + card.id === window.location.hash; });
  select(fromHash >= 0 ? fromHash : 0);
  cards.forEach(function (card, index) {
    card.addEventListener("click", function () { select(index); });
  });
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (target && /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) { return; }
    var card = cards[current];
    var action = null;
    if (event.key === "j") { select(current + 1); }
    else if (event.key === "k") { select(current - 1); }
    else if (event.key === "p") { action = card.querySelector("form.card-publish"); }
    else if (event.key === "r") { action = card.querySelector("form.card-reject"); }
    else if (event.key === "e") {
      var edit = card.querySelector("a.card-edit");
      if (edit) { window.location.href = edit.href; }
    } else { return; }
    event.preventDefault();
    if (action) {
      if (typeof action.requestSubmit === "function") { action.requestSubmit(); } else { action.submit(); }
    }
  });
}());

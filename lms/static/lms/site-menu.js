/* The header's menu: a disclosure button (aria-expanded) that shows and hides the links.
   Without JavaScript the same links sit in a <details> element that opens by itself;
   this script swaps its <summary> for a real button. Escape closes the menu and gives
   the focus back to the button; a click outside closes it. */
(function () {
  "use strict";
  function setUp(details) {
    var summary = details.querySelector("summary");
    var panel = details.querySelector("[data-menu-panel]");
    if (!summary || !panel) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "menu-button";
    button.textContent = summary.textContent;
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", panel.id);
    panel.hidden = true;
    details.parentNode.insertBefore(button, details);
    details.parentNode.insertBefore(panel, details);
    details.parentNode.removeChild(details);

    function toggle(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      panel.hidden = !open;
    }
    button.addEventListener("click", function () {
      toggle(button.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !panel.hidden) { toggle(false); button.focus(); }
    });
    document.addEventListener("click", function (event) {
      if (!panel.hidden && !panel.contains(event.target) && event.target !== button) { toggle(false); }
    });
  }
  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("details[data-menu]"), setUp);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());

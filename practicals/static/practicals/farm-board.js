// The farm board: polls the farm's JSON every few seconds and redraws each printer's card
// (state, offline flag, file, trainee, progress, temperatures, next booking). The text comes
// from the server already translated; this script only puts it in place.
(function () {
  const board = document.getElementById("farm-board");
  if (!board) return;
  const url = board.dataset.statusUrl;
  const every = (parseInt(board.dataset.pollSeconds, 10) || 3) * 1000;
  const stale = document.getElementById("board-stale");
  const updated = document.getElementById("board-updated");

  function draw(printer) {
    const card = board.querySelector('[data-printer="' + printer.id + '"]');
    if (!card) return false;
    card.className = "card board-card " + printer.status;
    card.querySelectorAll("[data-field]").forEach(function (node) {
      const value = printer[node.dataset.field];
      node.textContent = value === null || value === "" ? "—" : value;
    });
    const badge = card.querySelector('[data-field="status_label"]');
    badge.className = "badge " + printer.status;
    card.querySelector('[data-field="offline_text"]').hidden = !printer.offline;
    const bar = card.querySelector("progress");
    bar.value = printer.progress === null ? 0 : printer.progress;
    return true;
  }

  async function poll() {
    try {
      const response = await fetch(url, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (response.status === 200) {
        const data = await response.json();
        // A printer added or removed: the page is redrawn by the server.
        const known = board.querySelectorAll("[data-printer]").length;
        if (known !== data.printers.length || !data.printers.every(draw)) {
          window.location.reload();
          return;
        }
        stale.hidden = true;
        updated.textContent = data.updated;
      } else {
        stale.hidden = false;
      }
    } catch (e) {
      stale.hidden = false;
    }
    setTimeout(poll, every);
  }
  setTimeout(poll, every);
})();

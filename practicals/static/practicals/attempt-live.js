// Follows a running print: polls the attempt's status every 2 s and updates the page,
// then reloads once the print is over to show the whole result.
(function () {
  const box = document.getElementById("attempt");
  if (!box || box.dataset.finished === "1") return;
  const url = box.dataset.statusUrl;
  async function poll() {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const s = await response.json();
        const state = document.getElementById("attempt-state");
        state.textContent = s.state_label;
        state.className = "badge " + s.state;
        document.getElementById("attempt-progress").textContent =
          s.progress === null ? "—" : Math.round(s.progress) + " %";
        document.getElementById("attempt-time").textContent =
          s.print_time_s === null ? "—" : s.print_time_s + " s";
        if (s.error) document.getElementById("attempt-error").textContent = s.error;
        if (s.finished) { window.location.reload(); return; }
      }
    } catch (e) { /* network hiccup: try again */ }
    setTimeout(poll, 2000);
  }
  setTimeout(poll, 1000);
})();

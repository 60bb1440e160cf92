// Follows a running print: polls the attempt's status every 2 s and updates the page (state,
// heating, progress bar, time left, temperatures, the printer's message), redraws the
// server-drawn temperature chart every 6 s, and reloads once the print is over. The status
// URL carries a signed token that expires after a few hours: told so (410), the script
// reloads the page, which gives a fresh one; refused (404), it stops polling.
(function () {
  const box = document.getElementById("attempt");
  if (!box || box.dataset.finished === "1") return;
  const url = box.dataset.statusUrl;
  const chart = document.getElementById("attempt-chart");
  const chartUrl = chart ? chart.getAttribute("src") : null;
  let ticks = 0;
  function text(id, value) {
    const node = document.getElementById(id);
    if (node) node.textContent = value;
  }
  function temp(actual, target) {
    if (actual === null) return "—";
    return Math.round(actual) + " / " + Math.round(target || 0) + " °C";
  }
  async function poll() {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (response.status === 410) { window.location.reload(); return; }
      if (response.status === 404) return;
      if (response.ok) {
        const s = await response.json();
        const state = document.getElementById("attempt-state");
        state.textContent = s.state_label;
        state.className = "badge " + s.state;
        document.getElementById("attempt-heating").hidden = !s.heating;
        const bar = document.getElementById("attempt-bar");
        if (bar && s.progress !== null) bar.value = s.progress;
        text("attempt-progress", s.progress === null ? "—" : Math.round(s.progress) + " %");
        text("attempt-time", s.print_time_s === null ? "—" : s.print_time_s + " s");
        text("attempt-left", s.time_left_s === null ? "—" : s.time_left_s + " s");
        text("attempt-nozzle", temp(s.nozzle, s.nozzle_target));
        text("attempt-bed", temp(s.bed, s.bed_target));
        text("attempt-error", s.message || s.printer_state || "—");
        if (s.finished) { window.location.reload(); return; }
      }
    } catch (e) { /* network hiccup: try again */ }
    ticks += 1;
    if (chart && chartUrl && ticks % 3 === 0) chart.src = chartUrl + "?t=" + Date.now();
    setTimeout(poll, 2000);
  }
  setTimeout(poll, 1000);
})();

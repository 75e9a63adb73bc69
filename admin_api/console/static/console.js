// CollectBot console: the dashboard's charts, the agent's screen-pop, the recording player.
// No inline scripts (the pages' CSP allows only this origin's files); text goes in as text.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);

  // --- charts of the day (Chart.js, served by the API from the npm package) ---
  const PALETTE = ["#0b4f8a", "#1a6b34", "#a3161c", "#8a4b00", "#5b3f99", "#00727a", "#6b6b6b", "#b04a8f"];
  function drawCharts() {
    const box = $("charts");
    if (!box || typeof Chart === "undefined") return;
    fetch(box.dataset.src, { credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
      .then((data) => {
        const opts = { responsive: true, maintainAspectRatio: false, animation: false,
          scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } };
        const outcomes = Object.entries(data.outcomes).map(([name, values], i) => ({
          label: (data.labels && data.labels[name]) || name, data: values, backgroundColor: PALETTE[i % PALETTE.length] }));
        ["chart-calls", "chart-promises", "chart-abandon"].forEach((id) => { const c = Chart.getChart($(id)); if (c) c.destroy(); });
        new Chart($("chart-calls"), { type: "bar", data: { labels: data.hours, datasets: outcomes }, options: opts });
        new Chart($("chart-promises"), { type: "bar",
          data: { labels: data.hours, datasets: [{ label: "#", data: data.promises, backgroundColor: PALETTE[1] }] },
          options: { ...opts, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } } });
        new Chart($("chart-abandon"), { type: "line",
          data: { labels: data.hours, datasets: [{ label: "%", data: data.abandon, borderColor: PALETTE[2] },
            { label: "3 %", data: data.hours.map(() => 3), borderColor: PALETTE[6], borderDash: [4, 4], pointRadius: 0 }] },
          options: { responsive: true, maintainAspectRatio: false, animation: false, scales: { y: { beginAtZero: true } } } });
        box.dataset.ready = "1";
        box.dataset.draws = String(Number(box.dataset.draws || 0) + 1);
      })
      .catch(() => { box.dataset.ready = "error"; });
  }
  function dayCharts() {  // hourly figures: drawn again every minute while the page is open
    if (!$("charts") || typeof Chart === "undefined") return;
    drawCharts();
    setInterval(drawCharts, 60000);
  }

  // --- the portfolio: cases and recovery by DPD bucket, promises kept and collected per week ---
  function drawPortfolio() {
    const box = $("portfolio");
    if (!box || typeof Chart === "undefined") return;
    fetch(box.dataset.src, { credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
      .then((d) => {
        const L = d.labels || {};
        const base = { responsive: true, maintainAspectRatio: false, animation: false };
        const twoAxes = { y: { beginAtZero: true, ticks: { precision: 0 } },
          pct: { position: "right", beginAtZero: true, max: 100, grid: { drawOnChartArea: false } } };
        new Chart($("chart-buckets"), { data: { labels: d.buckets, datasets: [
          { type: "bar", label: L.cases, data: d.cases, backgroundColor: PALETTE[0], yAxisID: "y" },
          { type: "line", label: L.recovery, data: d.recovery, borderColor: PALETTE[1], backgroundColor: PALETTE[1], yAxisID: "pct" }] },
          options: { ...base, scales: twoAxes } });
        new Chart($("chart-kept"), { data: { labels: d.weeks, datasets: [
          { type: "bar", label: L.promises, data: d.promises, backgroundColor: PALETTE[4], yAxisID: "y" },
          { type: "line", label: L.kept, data: d.kept_rate, borderColor: PALETTE[1], backgroundColor: PALETTE[1], yAxisID: "pct" }] },
          options: { ...base, scales: twoAxes } });
        const money = Object.entries(d.collected).map(([cur, values], i) => ({
          label: (L.collected || "") + " " + cur, data: values.map(Number), backgroundColor: PALETTE[(i + 1) % PALETTE.length] }));
        new Chart($("chart-collected"), { type: "bar", data: { labels: d.weeks, datasets: money },
          options: { ...base, scales: { y: { beginAtZero: true } } } });
        box.dataset.ready = "1";
      })
      .catch(() => { box.dataset.ready = "error"; });
  }

  // --- the live board: pushed over Server-Sent Events; polled every 5 s when that fails ---
  function clock(seconds) {
    const h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    const mm = h ? String(m).padStart(2, "0") : String(m);
    return (h ? h + ":" : "") + mm + ":" + String(s).padStart(2, "0");
  }
  function liveBoard() {
    const box = $("board");
    if (!box || !box.dataset.stream) return;
    const state = $("board-live");
    let received = Date.now();
    let poller = null;
    function show(mode) { state.dataset.state = mode; state.textContent = state.dataset[mode] || ""; }
    function swap(html) {
      box.innerHTML = html;
      received = Date.now();
      box.dataset.updates = String(Number(box.dataset.updates) + 1);
    }
    function poll() {
      if (poller) return;
      show("polling");
      poller = setInterval(() => {
        fetch(box.dataset.poll, { credentials: "same-origin", headers: { "HX-Request": "true" } })
          .then((r) => {
            const go = r.headers.get("HX-Redirect");
            if (go) { location.href = go; return null; }
            return r.ok ? r.text() : null;
          })
          .then((html) => { if (html) swap(html); })
          .catch(() => {});
      }, 5000);
    }
    setInterval(() => {  // time in state keeps counting between two pushes
      const extra = Math.floor((Date.now() - received) / 1000);
      box.querySelectorAll("[data-elapsed]").forEach((td) => { td.textContent = clock(Number(td.dataset.elapsed) + extra); });
    }, 1000);
    if (typeof EventSource === "undefined") { poll(); return; }
    const source = new EventSource(box.dataset.stream);
    let failures = 0;
    source.addEventListener("board", (ev) => { failures = 0; show("live"); swap(ev.data); });
    source.onerror = () => {
      failures += 1;
      if (source.readyState === EventSource.CLOSED || failures >= 3) { source.close(); poll(); }
    };
  }

  // --- a report's chart: its counts per row (period, segment, agent…) ---
  function drawReport() {
    const canvas = $("report-chart");
    if (!canvas || typeof Chart === "undefined") return;
    const spec = JSON.parse(canvas.dataset.chart);
    const datasets = Object.entries(spec.series).map(([name, values], i) => ({
      label: name, data: values, backgroundColor: PALETTE[i % PALETTE.length], borderColor: PALETTE[i % PALETTE.length] }));
    new Chart(canvas, { type: "bar", data: { labels: spec.labels, datasets },
      options: { responsive: true, maintainAspectRatio: false, animation: false, scales: { y: { beginAtZero: true } } } });
    canvas.dataset.ready = "1";
  }

  // --- the agent's screen-pop: the live topic of this agent over a websocket ---
  function line(list, entry) {
    const li = document.createElement("li");
    li.className = "sp-" + (entry.speaker || "");
    const who = document.createElement("span");
    who.className = "who";
    who.textContent = entry.speaker || "";
    li.append(who, " ", entry.text || "");
    list.append(li);
  }
  function screenPop() {
    const pop = $("screen-pop");
    if (!pop) return;
    const status = $("live-status");
    let callId = null;
    let delay = 1000;
    function show(msg) {
      const caseId = (msg.case && msg.case.id) || msg.case_id;
      if (!caseId) return;
      callId = msg.call_id || null;
      const url = pop.dataset.caseUrl + encodeURIComponent(caseId);
      $("pop-case").textContent = caseId;
      $("pop-case").href = url;
      $("pop-by").textContent = msg.by || "";
      $("pop-summary").textContent = msg.summary || "";
      $("pop-state").textContent = $("pop-state").dataset.live;
      const list = $("pop-transcript");
      list.replaceChildren();
      (msg.transcript || []).forEach((t) => line(list, t));
      $("pop-wrapup").href = url + (callId ? "?call=" + encodeURIComponent(callId) : "") + "#wrapup";
      pop.hidden = false;
      pop.dataset.caseId = caseId;
      if (window.htmx) htmx.trigger("#queue", "refresh");
      pop.scrollIntoView({ block: "start" });
    }
    function connect() {
      const scheme = location.protocol === "https:" ? "wss://" : "ws://";
      const ws = new WebSocket(scheme + location.host + pop.dataset.ws);
      ws.onopen = () => { delay = 1000; status.textContent = status.dataset.connected; status.dataset.state = "open"; };
      ws.onmessage = (ev) => {
        let msg;
        try { msg = JSON.parse(ev.data); } catch (e) { return; }
        if (msg.type === "screen_pop") show(msg);
        else if (msg.type === "transcript" && msg.call_id === callId) line($("pop-transcript"), msg);
        else if (msg.type === "call.ended" && msg.call_id === callId) $("pop-state").textContent = $("pop-state").dataset.ended;
        else if (msg.type === "case.assigned" && window.htmx) htmx.trigger("#queue", "refresh");
      };
      ws.onclose = () => {
        status.textContent = status.dataset.closed;
        status.dataset.state = "closed";
        setTimeout(connect, delay);
        delay = Math.min(delay * 2, 30000);
      };
    }
    connect();
  }

  // --- the case page: the transferred call's id into the wrap-up; players without audio ---
  function casePage() {
    const call = new URLSearchParams(location.search).get("call");
    if (call && $("wrap-call-id")) $("wrap-call-id").value = call.slice(0, 64);
    document.querySelectorAll("audio[data-recording]").forEach((audio) => {
      audio.addEventListener("error", () => {
        audio.hidden = true;
        const note = audio.parentElement.querySelector(".no-recording");
        if (note) note.hidden = false;
      });
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    dayCharts(); drawPortfolio(); liveBoard(); drawReport(); screenPop(); casePage();
  });
})();

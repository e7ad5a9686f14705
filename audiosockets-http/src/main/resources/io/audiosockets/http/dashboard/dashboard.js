// The mailman's live dashboard: one WebSocket (/ws), messages described in docs/HTTP-API.md.
// No build step, no library: what the page shows is what the mailman pushes.
(function () {
  "use strict";
  const FLOOR_DB = -60;          // the meter's left end
  const DECAY_DB_PER_TICK = 6;   // a stream that sends nothing lets its meter fall, never freezes
  const HISTORY_COLUMNS = 300;   // spectrogram width: 6 s at a column every 20 ms
  const TICK_MS = 100;           // the mailman sends levels this often

  // The token arrives once in the address (?token=...): keep it for this tab, take it out of the address bar.
  const params = new URLSearchParams(location.search);
  if (params.has("token")) {
    sessionStorage.setItem("audiosockets-token", params.get("token"));
    params.delete("token");
    history.replaceState(null, "", location.pathname + (params.toString() ? "?" + params : ""));
  }
  const token = sessionStorage.getItem("audiosockets-token") || "";

  const $ = (id) => document.getElementById(id);
  const cards = new Map();       // stream name -> {el, meter, peak, canvas, ctx, figures, state, level, peakDb, columns, pending}
  const rows = new Map();        // processor name -> {el, delivered, at}
  const results = new Map();     // result stream name -> its table row
  // How long the page takes to handle the mailman's messages: read by the browser tests, and by anyone
  // wondering whether the page keeps up (window.audiosocketsDashboard in the browser's console).
  const stats = { messages: 0, handlingMs: 0, maxHandlingMs: 0 };
  window.audiosocketsDashboard = stats;
  const palette = buildPalette();
  let lastAudioAt = performance.now();

  function connect(delay) {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const ws = new WebSocket(scheme + "//" + location.host + "/ws" + (token ? "?token=" + encodeURIComponent(token) : ""));
    ws.onopen = () => { setConnection("live", true); delay = 500; };
    ws.onmessage = (m) => {
      const begin = performance.now();
      onMessage(JSON.parse(m.data));
      const took = performance.now() - begin;
      stats.messages++;
      stats.handlingMs += took;
      stats.maxHandlingMs = Math.max(stats.maxHandlingMs, took);
    };
    ws.onclose = () => {
      setConnection("disconnected: retrying…", false);
      for (const c of cards.values()) { markStopped(c, "mailman unreachable"); }
      setTimeout(() => connect(Math.min(delay * 2, 5000)), delay);
    };
  }

  function setConnection(text, live) {
    const el = $("connection");
    el.textContent = text;
    el.classList.toggle("live", live);
  }

  function onMessage(msg) {
    if (msg.type === "status") {
      onStatus(msg.status);
    } else if (msg.type === "audio") {
      lastAudioAt = performance.now();
      for (const s of msg.streams) { onAudio(s); }
      for (const e of msg.events || []) { addEvent(e); }
    }
  }

  function onStatus(s) {
    $("server").textContent = s.server + " · up " + formatSeconds(s.uptime_seconds);
    const audio = s.streams.filter((st) => st.kind === "audio");
    const names = new Set(audio.map((st) => st.name));
    for (const [name, c] of cards) {
      if (!names.has(name)) { c.el.remove(); cards.delete(name); }
    }
    for (const st of audio) { updateCard(card(st.name), st); }
    $("stream-count").textContent = "(" + audio.length + ")";
    $("no-streams").hidden = audio.length > 0;

    const pnames = new Set(s.processors.map((p) => p.name));
    for (const [name, r] of rows) {
      if (!pnames.has(name)) { r.el.remove(); rows.delete(name); }
    }
    for (const p of s.processors) { updateRow(p); }
    $("processor-count").textContent = "(" + s.processors.length + ")";
    $("no-processors").hidden = s.processors.length > 0;

    const res = s.streams.filter((st) => st.kind === "results");
    const rnames = new Set(res.map((st) => st.name));
    for (const [name, el] of results) {
      if (!rnames.has(name)) { el.remove(); results.delete(name); }
    }
    for (const st of res) { updateResult(st); }
    $("result-count").textContent = "(" + res.length + ")";
    $("no-results").hidden = res.length > 0;
    $("results").hidden = res.length === 0;

    if (!$("events").dataset.loaded) {
      $("events").dataset.loaded = "1";
      for (const e of s.events) { addEvent(e); }
    }
  }

  function card(name) {
    let c = cards.get(name);
    if (c) { return c; }
    const el = document.createElement("div");
    el.className = "card";
    el.dataset.stream = name;
    el.innerHTML = '<div class="title"><span class="name"></span><span class="level"></span><span class="state"></span></div>'
      + '<div class="meter"><div class="rms"></div><div class="peak"></div></div>'
      + '<canvas class="spectrogram" width="' + HISTORY_COLUMNS + '" height="32"></canvas>'
      + '<div class="figures"></div>';
    el.querySelector(".name").textContent = name;
    $("streams").appendChild(el);
    const canvas = el.querySelector("canvas");
    c = { el, canvas, ctx: canvas.getContext("2d"), meter: el.querySelector(".rms"), peak: el.querySelector(".peak"),
          figures: el.querySelector(".figures"), state: el.querySelector(".state"), levelText: el.querySelector(".level"), level: -Infinity, peakDb: -Infinity,
          columns: 0, pending: [], pendingColumns: 0 };
    c.ctx.fillStyle = "#000";
    c.ctx.fillRect(0, 0, canvas.width, canvas.height);
    cards.set(name, c);
    return c;
  }

  function updateCard(c, st) {
    c.figures.textContent = st.sample_rate + " Hz · " + st.channels + " ch · " + st.chunks_per_second.toFixed(1)
      + " chunks/s · seq " + st.last_seq + " · holds " + st.retained_seconds.toFixed(1) + " s";
    if (!st.recorder_connected) {
      markStopped(c, "recorder gone");
    } else if (st.seconds_since_last_chunk > quietLimit(st)) {
      markStopped(c, "nothing for " + formatSeconds(st.seconds_since_last_chunk));
    } else {
      c.el.classList.remove("stopped");
      c.el.dataset.state = "live";
      c.state.textContent = "live";
      c.state.classList.add("live");
    }
  }

  // How long a stream may send nothing before its card says so: a few of its chunks' durations (a recorder
  // with 500 ms chunks is silent for 500 ms between them), and never less than 2 s, as the status itself is
  // up to a second old and a busy machine delays chunks.
  function quietLimit(st) {
    const chunkSeconds = st.retained_chunks > 0 ? st.retained_seconds / st.retained_chunks : 0;
    return Math.max(2, 3 * chunkSeconds);
  }

  function markStopped(c, why) {
    c.el.classList.add("stopped");
    c.el.dataset.state = "stopped";
    c.state.textContent = why;
    c.state.classList.remove("live");
  }

  function onAudio(s) {
    const c = cards.get(s.name);
    if (!c) { return; }
    if (s.new_chunks > 0) {
      c.level = s.rms_dbfs;
      c.peakDb = s.peak_dbfs;
      if (s.columns > 0) { queueColumns(c, atob(s.mel), s.columns, s.bands); }
      c.el.dataset.seq = s.seq;
      showLevel(c);
    } else {
      fall(c);
    }
  }

  function fall(c) {
    // Down to just below the floor, so that a long silence keeps a sane figure in data-rms-dbfs.
    c.level = Math.max(c.level - DECAY_DB_PER_TICK, FLOOR_DB - DECAY_DB_PER_TICK);
    c.peakDb = Math.max(c.peakDb - DECAY_DB_PER_TICK, FLOOR_DB - DECAY_DB_PER_TICK);
    showLevel(c);
  }

  function showLevel(c) {
    c.meter.style.width = percent(c.level) + "%";
    c.peak.style.left = percent(c.peakDb) + "%";
    c.el.dataset.rmsDbfs = Number.isFinite(c.level) ? c.level.toFixed(1) : "-inf";
    c.levelText.textContent = c.level > FLOOR_DB ? c.level.toFixed(0) + " dBFS" : "";
  }

  // When no levels arrive at all (the mailman gone or stalled, the connection lost), the meters fall
  // by themselves rather than freeze at the last level they were sent.
  setInterval(() => {
    if (performance.now() - lastAudioAt > 3 * TICK_MS) {
      for (const c of cards.values()) { fall(c); }
    }
  }, TICK_MS);

  // Spectrogram columns are painted once per animation frame, however many messages arrived since the last
  // one (a burst after a stall, 100 streams): one scroll and one putImageData per card and frame. What waits
  // is bounded by the canvas's width; a hidden tab (no frames) keeps only that much per card.
  let drawScheduled = false;

  function queueColumns(c, bytes, columns, bands) {
    c.pending.push({ bytes, columns, bands });
    c.pendingColumns += columns;
    while (c.pending.length > 1 && c.pendingColumns - c.pending[0].columns >= c.canvas.width) {
      c.pendingColumns -= c.pending.shift().columns;
    }
    c.columns += columns;
    if (!drawScheduled) {
      drawScheduled = true;
      requestAnimationFrame(drawPending);
    }
  }

  function drawPending() {
    drawScheduled = false;
    for (const c of cards.values()) {
      if (c.pending.length > 0) { drawColumns(c); }
    }
  }

  function drawColumns(c) {
    const w = c.canvas.width;
    const h = c.canvas.height;
    const n = Math.min(c.pendingColumns, w);
    // Scroll left by the new columns, then paint them at the right, lowest band at the bottom.
    c.ctx.drawImage(c.canvas, n, 0, w - n, h, 0, 0, w - n, h);
    const img = c.ctx.createImageData(n, h);
    let x = n - 1;
    for (let k = c.pending.length - 1; k >= 0 && x >= 0; k--) {
      const { bytes, columns, bands } = c.pending[k];
      for (let col = columns - 1; col >= 0 && x >= 0; col--, x--) {
        for (let y = 0; y < h; y++) {
          const v = bytes.charCodeAt(col * bands + Math.floor((h - 1 - y) * bands / h));
          const p = (y * n + x) * 4;
          img.data[p] = palette[v * 3];
          img.data[p + 1] = palette[v * 3 + 1];
          img.data[p + 2] = palette[v * 3 + 2];
          img.data[p + 3] = 255;
        }
      }
    }
    c.ctx.putImageData(img, w - n, 0);
    c.pending = [];
    c.pendingColumns = 0;
    c.canvas.dataset.columns = String(c.columns);
  }

  function updateRow(p) {
    let r = rows.get(p.name);
    if (!r) {
      const el = document.createElement("tr");
      el.dataset.processor = p.name;
      el.innerHTML = "<td></td><td></td><td></td><td></td><td></td><td></td><td></td><td></td>";
      $("processors").tBodies[0].appendChild(el);
      r = { el, delivered: p.delivered, at: performance.now(), rate: 0 };
      rows.set(p.name, r);
    }
    const now = performance.now();
    if (now > r.at) {
      r.rate = (p.delivered - r.delivered) * 1000 / (now - r.at);
      r.delivered = p.delivered;
      r.at = now;
    }
    const cells = r.el.children;
    cells[0].textContent = p.name;
    cells[1].textContent = p.subscriptions.length ? p.subscriptions.join(", ") : "all";
    cells[2].textContent = p.delivered;
    cells[3].textContent = r.rate.toFixed(1);
    cells[4].textContent = p.lag_chunks;
    cells[5].textContent = p.lag_seconds.toFixed(2);
    cells[6].textContent = p.gaps;
    cells[7].textContent = p.remote_address;
    r.el.classList.toggle("behind", p.lag_seconds > 2);
    r.el.dataset.lagSeconds = p.lag_seconds;
  }

  function updateResult(st) {
    let el = results.get(st.name);
    if (!el) {
      el = document.createElement("tr");
      el.dataset.result = st.name;
      el.innerHTML = "<td></td><td></td><td></td><td></td><td></td>";
      $("results").tBodies[0].appendChild(el);
      results.set(st.name, el);
    }
    const cells = el.children;
    cells[0].textContent = st.name;
    cells[1].textContent = st.recorder_connected ? "connected" : "gone";
    cells[2].textContent = st.chunks_per_second.toFixed(1);
    cells[3].textContent = st.last_seq;
    cells[4].textContent = st.retained_chunks + " records";
    el.classList.toggle("gone", !st.recorder_connected);
    el.dataset.publisher = st.recorder_connected ? "connected" : "gone";
    el.dataset.lastSeq = st.last_seq;
  }

  function addEvent(e) {
    const li = document.createElement("li");
    li.className = e.kind;
    li.dataset.kind = e.kind;
    li.textContent = e.at.substring(11, 19) + "  " + e.kind + "  " + e.client + (e.stream && e.stream !== e.client ? " · " + e.stream : "")
      + "  " + e.message;
    const list = $("events");
    list.prepend(li);
    while (list.children.length > 200) { list.lastChild.remove(); }
  }

  function percent(db) {
    if (!Number.isFinite(db) || db <= FLOOR_DB) { return 0; }
    return Math.min(100, (db - FLOOR_DB) * 100 / -FLOOR_DB);
  }

  function formatSeconds(s) {
    if (s < 60) { return s.toFixed(0) + " s"; }
    if (s < 3600) { return Math.floor(s / 60) + " min"; }
    return (s / 3600).toFixed(1) + " h";
  }

  // A dark-to-bright colour map (black, purple, orange, yellow) for 256 levels.
  function buildPalette() {
    const stops = [[0, 0, 0, 0], [0.35, 87, 16, 110], [0.7, 232, 93, 36], [1, 252, 255, 164]];
    const out = new Uint8ClampedArray(256 * 3);
    for (let i = 0; i < 256; i++) {
      const t = i / 255;
      let k = 0;
      while (k < stops.length - 2 && t > stops[k + 1][0]) { k++; }
      const [t0, r0, g0, b0] = stops[k];
      const [t1, r1, g1, b1] = stops[k + 1];
      const f = (t - t0) / (t1 - t0);
      out[i * 3] = r0 + (r1 - r0) * f;
      out[i * 3 + 1] = g0 + (g1 - g0) * f;
      out[i * 3 + 2] = b0 + (b1 - b0) * f;
    }
    return out;
  }

  connect(500);
})();

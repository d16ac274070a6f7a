/* BioTwin web panel: talks only to the JSON API and the event stream of its own context (relative URLs), so it runs
   standalone or in an MES iframe under any context path. No inline script (the CSP forbids it). */
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const state = { session: null, unit: null, source: null, unitData: null, charts: {}, measured: null, advisories: [], closedLoop: null };

  // ------------------------------------------------------------------------------------------------ API
  async function api(method, path, body) {
    const headers = { 'Accept': 'application/json' };
    if (method !== 'GET') {
      headers['Content-Type'] = 'application/json';
      if (state.session) headers['X-CSRF-Token'] = state.session.csrfToken;
    }
    const r = await fetch('api/' + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin', cache: 'no-store' });
    if (r.status === 204) return null;
    const json = await r.json().catch(() => ({ error: 'HTTP ' + r.status }));
    if (r.status === 401 && path !== 'login') { showLogin('Your session has ended: please log in again.'); }
    if (!r.ok) { const e = new Error(json.error || ('HTTP ' + r.status)); e.status = r.status; throw e; }
    return json;
  }

  const esc = (s) => String(s == null ? '' : s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
  const fmt = (x, d) => (x == null || !isFinite(x)) ? '–' : (Math.abs(x) >= 1000 || (Math.abs(x) < 0.01 && x !== 0) ? Number(x).toPrecision(4) : Number(x).toFixed(d == null ? 3 : d));
  function show(view) { ['login-view', 'overview-view', 'unit-view'].forEach((v) => $(v).classList.toggle('hidden', v !== view)); }

  // ------------------------------------------------------------------------------------------------ session
  function showLogin(message) {
    state.session = null; closeStream();
    $('who').textContent = ''; $('logout').classList.add('hidden');
    $('login-error').textContent = message || '';
    show('login-view'); $('login-user').focus();
  }
  function loggedIn(s) {
    state.session = s;
    $('who').textContent = s.printedName + ' (' + s.roles.join(', ') + ')';
    $('logout').classList.remove('hidden');
    route();
  }
  $('login-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    $('login-error').textContent = '';
    try {
      const s = await api('POST', 'login', { userId: $('login-user').value, password: $('login-password').value });
      $('login-password').value = '';
      loggedIn(s);
    } catch (err) { $('login-error').textContent = err.message; $('login-password').value = ''; }
  });
  $('logout').addEventListener('click', async () => { try { await api('POST', 'logout', {}); } catch (e) { /* gone */ } showLogin('Logged out.'); });

  // ------------------------------------------------------------------------------------------------ routing
  function route() {
    if (!state.session) return;
    const m = /unit=([^&]+)/.exec(location.hash);
    if (m) openUnit(decodeURIComponent(m[1])); else openOverview();
  }
  window.addEventListener('hashchange', route);
  $('nav-overview').addEventListener('click', (e) => { e.preventDefault(); location.hash = ''; });

  function openStream(unit) {
    closeStream();
    const es = new EventSource('api/events' + (unit ? '?unit=' + encodeURIComponent(unit) : ''));
    state.source = es;
    es.onopen = () => setLive(true);
    es.onerror = () => { setLive(false); };
    es.addEventListener('units', (e) => renderUnits(JSON.parse(e.data)));
    es.addEventListener('unit', (e) => { state.unitData = JSON.parse(e.data); state.closedLoop = state.unitData.closedLoop; renderUnit(); });
    es.addEventListener('state', (e) => { const s = JSON.parse(e.data); if (state.unitData) { state.unitData.state = s; renderState(); } });
    es.addEventListener('prediction', (e) => {
      const p = JSON.parse(e.data);
      if (state.unitData) { state.unitData.prediction = p; state.unitData.estimated.variables = p.estimated || {}; renderCharts(); }
      // Measured history comes from the historian, not the event stream: re-read it now and then.
      if (state.unit && Date.now() - (state.measuredAt || 0) > 15000) loadMeasured(state.unit);
    });
    es.addEventListener('alarm', (e) => { const a = JSON.parse(e.data); if (state.unitData) { state.unitData.alarms = (state.unitData.alarms || []).concat(a.alarms); renderAlarms(); } });
    es.addEventListener('advisories', (e) => { state.advisories = JSON.parse(e.data).advisories; renderAdvisories(); });
    es.addEventListener('closed-loop', (e) => { state.closedLoop = JSON.parse(e.data); renderClosedLoop(); });
    es.addEventListener('golden-batch', (e) => { if (state.unitData) { state.unitData.goldenBatch = JSON.parse(e.data); renderCharts(); } });
    es.addEventListener('session-expired', () => { closeStream(); showLogin('Your session has timed out: please log in again.'); });
  }
  function closeStream() { if (state.source) { state.source.close(); state.source = null; } setLive(false); }
  function setLive(on) { $('live').className = 'live ' + (on ? 'on' : 'off'); $('live').textContent = on ? 'live' : 'offline'; }

  // ------------------------------------------------------------------------------------------------ overview
  async function openOverview() {
    state.unit = null; state.unitData = null; $('crumb-unit').textContent = '';
    show('overview-view');
    renderUnits(await api('GET', 'units'));
    openStream(null);
  }
  function renderUnits(units) {
    const tb = document.querySelector('#units tbody');
    tb.innerHTML = units.map((u) => '<tr class="link" data-unit="' + esc(u.unit) + '">' +
      '<td><a href="#unit=' + encodeURIComponent(u.unit) + '">' + esc(u.unit) + '</a></td>' +
      '<td><span class="status ' + esc(u.status) + '">' + esc(u.status) + '</span></td>' +
      '<td>' + esc(u.batch || '–') + '</td><td>' + esc(u.phase || '–') + '</td>' +
      '<td class="num">' + fmt(u.batchAge_h, 2) + ' h</td><td>' + esc(u.activeModel || '–') + '</td>' +
      '<td>' + (u.closedLoopOn ? '<span class="mode closed">closed loop</span>' : '<span class="note">indirect</span>') + '</td>' +
      '<td title="' + esc(u.lastAlarm || '') + '">' + u.alarmCount + '</td><td>' + u.openAdvisories + '</td></tr>').join('');
    tb.querySelectorAll('tr.link').forEach((tr) => tr.addEventListener('click', () => { location.hash = 'unit=' + encodeURIComponent(tr.dataset.unit); }));
  }

  // ------------------------------------------------------------------------------------------------ unit view
  async function openUnit(unit) {
    state.unit = unit; $('crumb-unit').textContent = ' › ' + unit;
    show('unit-view');
    const [u, adv] = await Promise.all([api('GET', 'units/' + encodeURIComponent(unit)),
      api('GET', 'units/' + encodeURIComponent(unit) + '/advisories').catch(() => [])]);
    state.unitData = u; state.advisories = adv; state.closedLoop = u.closedLoop;
    renderUnit();
    openStream(unit);
    loadMeasured(unit);
  }
  async function loadMeasured(unit) {
    state.measuredAt = Date.now();
    try {
      const m = await api('GET', 'units/' + encodeURIComponent(unit) + '/measured');
      state.measured = m;
      $('measured-note').textContent = m.available ? '' : 'Measured points not shown: ' + m.reason;
      renderCharts();
    } catch (e) { $('measured-note').textContent = 'Measured points not shown: ' + e.message; }
  }
  function renderUnit() {
    const u = state.unitData; if (!u) return;
    const b = u.batchContext;
    $('batch-context').innerHTML = b ? dl([['Batch', b.batchId], ['State', b.state], ['Phase', b.phase || '–'], ['Product', b.product],
      ['Recipe', b.recipeId + ' v' + b.recipeVersion], ['Started', b.batchStart || '–']]) : dl([['Batch', u.batch || '–'], ['Context', 'no batch record']]);
    const v = u.model.validation || {};
    $('model-info').innerHTML = dl([['Active', u.model.active || 'none'], ['Validation', v.status + (v.reportVerdict ? ' (report ' + v.reportVerdict + ')' : '')],
      ['Approvals', v.approvals == null ? '–' : v.approvals], ['Valid until', v.validUntil || '–'], ['Available', (u.model.availableVersions || []).join(', ') || '–'],
      ['Note', v.reason || '']]);
    renderState(); renderAlarms(); renderCharts(); renderAdvisories(); renderClosedLoop();
  }
  function dl(rows) { return rows.map((r) => '<dt>' + esc(r[0]) + '</dt><dd>' + esc(r[1]) + '</dd>').join(''); }
  function renderState() {
    const s = state.unitData && state.unitData.state;
    const tb = document.querySelector('#state-table tbody');
    if (!s) { tb.innerHTML = '<tr><td colspan="4">no estimate yet</td></tr>'; $('state-age').textContent = ''; return; }
    $('state-age').textContent = 'at batch age ' + fmt(s.batchAge_h, 3) + ' h (' + s.time + ')';
    $('state-age').dataset.batchAge = s.batchAge_h;
    tb.innerHTML = s.states.map((x) => '<tr data-state="' + esc(x.name) + '"><td>' + esc(x.name) + '</td><td class="num mean">' + fmt(x.mean, 4) +
      '</td><td class="num">' + fmt(x.sd, 4) + '</td><td>' + esc(x.unit) + '</td></tr>').join('');
  }
  function renderAlarms() {
    const a = (state.unitData && state.unitData.alarms) || [];
    $('alarms').innerHTML = a.slice(-10).map((x) => '<li>' + esc(x) + '</li>').join('');
  }

  // ------------------------------------------------------------------------------------------------ charts
  function renderCharts() {
    const u = state.unitData; if (!u || typeof uPlot === 'undefined') return;
    const p = u.prediction;
    const est = (u.estimated && u.estimated.variables) || {};
    const vars = p ? p.bands.map((b) => b.variable) : Object.keys(est);
    const box = $('charts');
    Object.keys(state.charts).forEach((k) => { if (!vars.includes(k)) { state.charts[k].destroy(); delete state.charts[k]; } });
    vars.forEach((v) => {
      const band = p ? p.bands.find((b) => b.variable === v) : null;
      const e = est[v];
      const meas = (state.measured && state.measured.series || []).filter((s) => s.variable === v && (!band || s.uom === band.unit));
      const gold = ((u.goldenBatch && u.goldenBatch.series) || []).find((g) => g.variable === v && (!band || g.unit === band.unit)) || null;
      const data = align(e, band, meas, gold);
      let div = document.getElementById('chart-' + v);
      if (!div) {
        div = document.createElement('div'); div.className = 'chart'; div.id = 'chart-' + v;
        div.innerHTML = '<h3></h3><div class="plot"></div><div class="legend"></div>'; box.appendChild(div);
      }
      div.querySelector('h3').textContent = v + ' [' + ((band && band.unit) || (e && e.unit) || '') + ']';
      div.dataset.points = String(data[0].length);
      div.dataset.lastEstimated = e && e.p50.length ? String(e.p50[e.p50.length - 1]) : '';
      const golden = gold ? '1' : '0';
      div.dataset.goldenPoints = gold ? String(gold.times_h.length) : '0';
      div.dataset.goldenTag = gold ? gold.tag : '';
      // Measured every minute or so, points would merge into a blot: a dense series is drawn as a thin line.
      const measCount = meas.reduce((n, m) => n + m.values.length, 0);
      const dense = measCount > 300;
      // The golden series are part of the chart only when the twin has an envelope, and a dense measured series is
      // styled otherwise: a change of either rebuilds the chart.
      const shape = golden + (dense ? 'd' : 'p');
      if (state.charts[v] && div.dataset.shape !== shape) { state.charts[v].destroy(); delete state.charts[v]; }
      div.dataset.golden = golden; div.dataset.shape = shape;
      // A compact legend of what the chart shows (uPlot's own lists every band edge with its value).
      const entries = [];
      if (measCount) entries.push([dense ? 'line' : 'dot', 'measured']);
      entries.push(['est', 'estimated (5–95 %)'], ['pred', 'predicted (5–95 %)']);
      if (gold) entries.push(['gold', 'golden batch (' + gold.tag + ', ' + Math.max.apply(null, gold.batches) + ' good batches)']);
      div.querySelector('.legend').innerHTML = entries.map((x) => '<span class="key"><i class="sw ' + x[0] + '"></i>' + esc(x[1]) + '</span>').join('');
      const shown = gold ? data : [data[0]].concat(data.slice(4));
      if (state.charts[v]) { state.charts[v].setData(shown); return; }
      const width = Math.max(380, div.clientWidth || 420);
      // Golden band first, so that it is drawn behind the trajectories.
      const goldSeries = gold ? [
        { label: 'golden low', stroke: 'rgba(90,90,90,0.45)', width: 1, spanGaps: true },
        { label: 'golden batch (' + gold.tag + ')', stroke: 'rgba(90,90,90,0.8)', width: 1, dash: [2, 3], spanGaps: true },
        { label: 'golden high', stroke: 'rgba(90,90,90,0.45)', width: 1, spanGaps: true }] : [];
      const o = goldSeries.length;
      state.charts[v] = new uPlot({
        width, height: 220, legend: { show: false },
        scales: { x: { time: false } },
        axes: [{ label: 'batch age, h' }, {}],
        series: [{ label: 'age h' }].concat(goldSeries, [
          dense ? { label: 'measured', stroke: 'rgba(60,60,60,0.6)', width: 1, points: { show: false }, spanGaps: true }
            : { label: 'measured', stroke: '#444', width: 0, points: { show: true, size: 4, fill: '#444' } },
          { label: 'est. 5 %', stroke: 'rgba(31,111,178,0.3)', width: 1, spanGaps: true },
          { label: 'estimated', stroke: '#1f6fb2', width: 2, spanGaps: true },
          { label: 'est. 95 %', stroke: 'rgba(31,111,178,0.3)', width: 1, spanGaps: true },
          { label: 'pred. 5 %', stroke: 'rgba(230,120,20,0.35)', width: 1, spanGaps: true },
          { label: 'predicted', stroke: '#e67814', width: 2, dash: [6, 4], spanGaps: true },
          { label: 'pred. 95 %', stroke: 'rgba(230,120,20,0.35)', width: 1, spanGaps: true }]),
        bands: (gold ? [{ series: [3, 1], fill: 'rgba(120,120,120,0.18)' }] : []).concat([
          { series: [o + 4, o + 2], fill: 'rgba(31,111,178,0.15)' }, { series: [o + 7, o + 5], fill: 'rgba(230,120,20,0.15)' }]),
      }, shown, div.querySelector('.plot'));
    });
  }
  /**
   * One x axis (batch age) for the golden-batch envelope (low, mean, high), measured points, the estimated band and the
   * predicted band: [x, gLow, gMean, gHigh, measured, est5, est50, est95, pred5, pred50, pred95]; absent values are null.
   */
  function align(e, band, meas, gold) {
    const rows = new Map();
    const put = (x, col, val) => { if (x == null || val == null) return; const k = Math.round(x * 1e4) / 1e4; if (!rows.has(k)) rows.set(k, new Array(10).fill(null)); rows.get(k)[col] = val; };
    if (gold) gold.times_h.forEach((x, i) => { put(x, 0, gold.lower[i]); put(x, 1, gold.mean[i]); put(x, 2, gold.upper[i]); });
    meas.forEach((s) => s.batchAge_h.forEach((x, i) => put(x, 3, s.values[i])));
    if (e) e.batchAge_h.forEach((x, i) => { put(x, 4, e.p05[i]); put(x, 5, e.p50[i]); put(x, 6, e.p95[i]); });
    if (band) band.times_h.forEach((x, i) => { put(x, 7, band.p05[i]); put(x, 8, band.p50[i]); put(x, 9, band.p95[i]); });
    const xs = Array.from(rows.keys()).sort((a, b) => a - b);
    const out = [xs]; for (let c = 0; c < 10; c++) out.push(xs.map((x) => rows.get(x)[c]));
    return out;
  }

  // ------------------------------------------------------------------------------------------------ advisories
  function renderAdvisories() {
    const list = state.advisories || [];
    const canAct = state.session && state.session.roles.some((r) => r === 'operator' || r === 'engineer');
    $('advise-now').classList.toggle('hidden', !canAct);
    $('advisories').innerHTML = list.length ? list.slice(0, 5).map((a) => {
      const w = a.whatIf; const g = w.gain;
      const risks = Object.keys(w.withAction.violationRisk).map((k) => esc(k) + ': ' + fmt(100 * w.baseline.violationRisk[k], 0) + ' % → ' + fmt(100 * w.withAction.violationRisk[k], 0) + ' %').join('; ');
      return '<div class="advisory ' + esc(a.status) + '" data-id="' + esc(a.id) + '">' +
        '<div><b>' + esc(a.status) + '</b> · ' + esc(a.createdAt) + ' · model ' + esc(a.model) + '</div>' +
        '<div>Why: ' + esc(a.triggers.join('; ')) + '</div>' +
        '<div>Action: <span class="action">' + esc(w.action.description) + '</span></div>' +
        '<div>Expected ' + esc(w.baseline.objective) + ': ' + fmt(w.baseline.p50, 1) + ' → ' + fmt(w.withAction.p50, 1) + ' ' + esc(w.baseline.objectiveUnit) +
        ' (gain ' + fmt(g.p50, 1) + ', 5–95 %: ' + fmt(g.p05, 1) + ' to ' + fmt(g.p95, 1) + ')' + (w.currency && isFinite(w.value) && w.value != null ? ', value ' + fmt(w.value, 0) + ' ' + esc(w.currency) : '') + '</div>' +
        '<div>Risk: ' + (risks || 'none') + '</div>' +
        (a.decision ? '<div class="decision">' + (a.decision.accepted ? 'Accepted' : 'Rejected') + ' by ' + esc(a.decision.printedName) + ' (' + esc(a.decision.userId) + ') at ' + esc(a.decision.time) + ': ' + esc(a.decision.reason) + '</div>' : '') +
        (a.status === 'OPEN' && canAct ? '<div class="buttons"><button type="button" class="reject" data-decide="reject">Reject…</button><button type="button" data-decide="accept">Accept…</button></div>' : '') +
        '</div>';
    }).join('') : '<p class="note">No advisories for this batch.</p>';
    $('advisories').querySelectorAll('button[data-decide]').forEach((btn) => btn.addEventListener('click', () => {
      const id = btn.closest('.advisory').dataset.id; sign(id, btn.dataset.decide === 'accept');
    }));
  }
  $('advise-now').addEventListener('click', async () => {
    $('advise-message').textContent = 'Searching for a better plan…';
    try {
      const r = await api('POST', 'units/' + encodeURIComponent(state.unit) + '/advise', {});
      $('advise-message').textContent = r.advisory ? '' : r.message;
      state.advisories = await api('GET', 'units/' + encodeURIComponent(state.unit) + '/advisories'); renderAdvisories();
    } catch (e) { $('advise-message').textContent = e.message; }
  });

  // The e-signature dialog: always re-asks the password; the session is never reused as a signature.
  let pending = null;
  function sign(id, accept) {
    pending = { kind: 'decision', id, accept };
    $('sign-title').textContent = (accept ? 'Accept' : 'Reject') + ' advisory: electronic signature';
    $('sign-meaning').textContent = 'Meaning: ' + (accept ? 'ACCEPTED_ADVICE' : 'REJECTED_ADVICE') + '. Signing requires your user id and password (21 CFR 11.200).';
    $('sign-user').value = state.session.userId; $('sign-password').value = ''; $('sign-reason').value = ''; $('sign-error').textContent = '';
    $('sign-dialog').showModal(); $('sign-password').focus();
  }
  $('sign-cancel').addEventListener('click', () => { $('sign-password').value = ''; $('sign-dialog').close(); });
  $('sign-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      if (pending.kind === 'closed-loop') {
        state.closedLoop = await api('POST', 'units/' + encodeURIComponent(pending.unit) + '/closed-loop/enable', { userId: $('sign-user').value,
          password: $('sign-password').value, reason: $('sign-reason').value });
        $('sign-password').value = ''; $('sign-dialog').close(); renderClosedLoop();
        return;
      }
      await api('POST', 'advisories/' + encodeURIComponent(pending.id) + '/decision', { accept: pending.accept, userId: $('sign-user').value,
        password: $('sign-password').value, reason: $('sign-reason').value });
      $('sign-password').value = ''; $('sign-dialog').close();
      state.advisories = await api('GET', 'units/' + encodeURIComponent(state.unit) + '/advisories'); renderAdvisories();
    } catch (err) { $('sign-password').value = ''; $('sign-error').textContent = err.message; }
  });

  // ------------------------------------------------------------------------------------------------ closed loop
  // Indirect control is the default and what the card shows unless closed loop is on. Enabling is an e-signature
  // (engineer role; the signature service checks its own authority); switching off is one button for any operator or
  // engineer, asks only a reason, and takes effect at once.
  const hasRole = (...r) => !!state.session && state.session.roles.some((x) => r.includes(x));
  function renderClosedLoop() {
    const c = state.closedLoop;
    const card = $('closed-loop-card');
    const on = !!(c && c.enabled);
    card.classList.toggle('on', on); card.dataset.enabled = String(on);
    card.dataset.available = String(!!(c && c.available)); card.dataset.configured = String(!!(c && c.configured));
    const mode = $('cl-mode');
    mode.className = 'mode ' + (on ? 'closed' : (c && c.configured ? 'indirect' : 'unavailable'));
    mode.textContent = on ? 'CLOSED LOOP ON' : 'indirect control';
    $('cl-error').textContent = '';
    if (!c || !c.configured) {
      $('cl-note').textContent = c ? (c.available ? 'Closed loop cannot be enabled for this unit: ' + c.reason : c.reason) : 'Closed loop: no status yet.';
      $('cl-info').innerHTML = ''; $('cl-refusal').textContent = '';
      document.querySelector('#cl-limits tbody').innerHTML = ''; document.querySelector('#cl-writes tbody').innerHTML = '';
      $('cl-enable').classList.add('hidden'); $('cl-off-box').classList.add('hidden');
      document.querySelector('#closed-loop-card .buttons').classList.add('hidden');
      document.querySelector('#closed-loop-card .cl-tables').classList.add('hidden');
      return;
    }
    document.querySelector('#closed-loop-card .cl-tables').classList.remove('hidden');
    $('cl-note').textContent = on ? 'Accepted feed and setpoint advice is written to the plant within the limits below.'
      : 'Indirect control (the default): a person carries accepted advice out. Closed loop would write accepted setpoints to the plant within the limits below.'
        + (hasRole('engineer') ? '' : ' Enabling it needs the engineer role and an electronic signature.');
    $('cl-info').innerHTML = on ? dl([['Enabled by', c.enabledBy ? (c.enabledByName ? c.enabledByName + ' (' + c.enabledBy + ')' : c.enabledBy) : '–'], ['Enabled at', c.enabledAt || '–'], ['Signature', c.signatureId || '–'],
      ['Carrying out', c.executing ? 'advisory ' + c.executing : 'no accepted advisory yet']]) : '';
    document.querySelector('#cl-limits tbody').innerHTML = c.limits.map((l) => '<tr><td>' + esc(l.input) + '</td><td class="num">' + fmt(l.min, 3) +
      '</td><td class="num">' + fmt(l.max, 3) + '</td><td class="num">' + fmt(l.maxStep, 3) + '</td></tr>').join('');
    const writes = c.writes.slice(0, 8);
    // Time of day and a short advisory id keep a row on one line; the full values are in the titles.
    document.querySelector('#cl-writes tbody').innerHTML = writes.length ? writes.map((w) => '<tr class="write" data-advisory="' + esc(w.advisoryId) + '"><td title="' + esc(w.time) + '">' +
      esc((w.time || '').replace(/^.*T/, '').replace(/\.\d+Z$/, '')) + '</td><td class="num">' + fmt(w.batchAge_h, 2) + '</td><td>' + esc(w.input) + '</td><td class="num value">' +
      fmt(w.value, 4) + '</td><td>' + esc(w.topic) + '</td><td title="' + esc(w.advisoryId) + '">' + esc(w.advisoryId.slice(0, 8)) + '…</td></tr>').join('')
      : '<tr><td colspan="6" class="note">none yet</td></tr>';
    $('cl-writes').dataset.count = String(c.writes.length);
    $('cl-refusal').textContent = c.lastRefusal ? 'Latest refused write: ' + c.lastRefusal : '';
    $('cl-enable').classList.toggle('hidden', on || !hasRole('engineer'));
    document.querySelector('#closed-loop-card .buttons').classList.toggle('hidden', on || !hasRole('engineer'));
    $('cl-off-box').classList.toggle('hidden', !on || !hasRole('operator', 'engineer'));
  }
  $('cl-enable').addEventListener('click', () => {
    pending = { kind: 'closed-loop', unit: state.unit };
    $('sign-title').textContent = 'Enable closed loop on ' + state.unit + ': electronic signature';
    $('sign-meaning').textContent = 'Meaning: ENABLED_CLOSED_LOOP. Accepted feed and setpoint advice will be written to the plant within the configured limits until closed loop is switched off. Signing requires your user id and password (21 CFR 11.200).';
    $('sign-user').value = state.session.userId; $('sign-password').value = ''; $('sign-reason').value = ''; $('sign-error').textContent = '';
    $('sign-dialog').showModal(); $('sign-password').focus();
  });
  $('cl-disable').addEventListener('click', () => {
    $('off-reason').value = 'Switched off from the web panel by ' + state.session.printedName; $('off-error').textContent = '';
    $('off-dialog').showModal(); $('off-submit').focus();
  });
  $('off-cancel').addEventListener('click', () => $('off-dialog').close());
  $('off-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      state.closedLoop = await api('POST', 'units/' + encodeURIComponent(state.unit) + '/closed-loop/disable', { reason: $('off-reason').value });
      $('off-dialog').close(); renderClosedLoop();
    } catch (err) { $('off-error').textContent = err.message; }
  });

  // ------------------------------------------------------------------------------------------------ what-if
  function kindFields() {
    const k = $('wi-kind').value;
    document.querySelectorAll('.k-profile').forEach((x) => x.classList.toggle('hidden', !(k === 'FEED_PROFILE' || k === 'SETPOINT_CHANGE')));
    document.querySelectorAll('.k-time').forEach((x) => x.classList.toggle('hidden', !(k === 'HARVEST_TIME' || k === 'BOLUS')));
    document.querySelectorAll('.k-bolus').forEach((x) => x.classList.toggle('hidden', k !== 'BOLUS'));
  }
  $('wi-kind').addEventListener('change', kindFields); kindFields();
  const list = (s) => s.split(',').map((x) => x.trim()).filter((x) => x.length).map(Number);
  $('whatif-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    $('whatif-error').textContent = ''; $('whatif-result').textContent = 'Simulating…';
    const k = $('wi-kind').value; const body = { kind: k };
    if (k === 'FEED_PROFILE' || k === 'SETPOINT_CHANGE') { body.input = $('wi-input').value; body.times_h = list($('wi-times').value); body.values = list($('wi-values').value); }
    if (k === 'HARVEST_TIME' || k === 'BOLUS') { body.time = $('wi-time').value === '' ? null : Number($('wi-time').value); }
    if (k === 'BOLUS') {
      body.volume = $('wi-volume').value === '' ? null : Number($('wi-volume').value); body.content = {};
      $('wi-content').value.split(',').filter((x) => x.includes('=')).forEach((x) => { const [s, c] = x.split('='); body.content[s.trim()] = Number(c); });
    }
    try {
      const w = await api('POST', 'units/' + encodeURIComponent(state.unit) + '/whatif', body);
      const g = w.gain;
      $('whatif-result').innerHTML = '<table class="grid compact" id="whatif-table"><thead><tr><th></th><th>as planned</th><th>with action</th></tr></thead><tbody>' +
        '<tr><td>' + esc(w.baseline.objective) + ' (median)</td><td class="num">' + fmt(w.baseline.p50, 1) + '</td><td class="num">' + fmt(w.withAction.p50, 1) + '</td></tr>' +
        '<tr><td>5–95 %</td><td class="num">' + fmt(w.baseline.p05, 1) + ' – ' + fmt(w.baseline.p95, 1) + '</td><td class="num">' + fmt(w.withAction.p05, 1) + ' – ' + fmt(w.withAction.p95, 1) + '</td></tr>' +
        '<tr><td>harvest age, h</td><td class="num">' + fmt(w.baseline.harvestAge_h, 1) + '</td><td class="num">' + fmt(w.withAction.harvestAge_h, 1) + '</td></tr>' +
        Object.keys(w.withAction.violationRisk).map((r) => '<tr><td>P(' + esc(r) + ')</td><td class="num">' + fmt(100 * w.baseline.violationRisk[r], 0) + ' %</td><td class="num">' + fmt(100 * w.withAction.violationRisk[r], 0) + ' %</td></tr>').join('') +
        '</tbody></table><p id="whatif-gain">Paired gain: <b>' + fmt(g.p50, 2) + ' ' + esc(g.unit) + '</b> (5–95 %: ' + fmt(g.p05, 2) + ' to ' + fmt(g.p95, 2) + ') · ' + esc(w.action.description) + '</p>';
    } catch (err) { $('whatif-result').textContent = ''; $('whatif-error').textContent = err.message; }
  });

  // ------------------------------------------------------------------------------------------------ start
  // Close the event stream when the page goes (reload, navigation, MES iframe replaced): a page kept in the browser's
  // back/forward cache would otherwise hold its stream open, and a few reloads use up the browser's six connections to
  // the host, after which API requests wait for ever. Reopen it when such a page comes back.
  window.addEventListener('pagehide', () => closeStream());
  window.addEventListener('pageshow', (e) => { if (e.persisted) route(); });
  api('GET', 'session').then(loggedIn).catch(() => showLogin(''));
})();

// The cost panel's page. It draws what the language server projected and asks the extension for
// what-if comparisons; it does no analysis. Every string goes through textContent, never HTML.
(function () {
  const vscode = acquireVsCodeApi();
  const app = document.getElementById('app');
  let projection = null;
  /** Volume factor per feature from the sliders (1 = as in the usage file). */
  const factors = {};
  const sort = { byModel: 1, byFeature: 1, byFile: 1, sites: 5 };

  const usd = (v) => {
    if (v === null || v === undefined) return 'unknown';
    if (v === 0) return '$0';
    const a = Math.abs(v);
    if (a >= 10000) return `$${(v / 1000).toFixed(1)}k`;
    if (a >= 100) return `$${v.toFixed(0)}`;
    if (a >= 1) return `$${v.toFixed(2)}`;
    return `$${v.toFixed(Math.min(8, Math.max(2, 1 - Math.floor(Math.log10(a)))))}`;
  };

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'text') e.textContent = v;
      else if (k === 'style') e.style.cssText = v; // CSSOM: allowed by the CSP, unlike a style attribute
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v);
    }
    for (const c of children) if (c) e.append(c);
    return e;
  }

  /** Monthly cost of a call site with the feature sliders applied. */
  const scaled = (s) => (s.monthlyCostUsd === null ? null : s.monthlyCostUsd * (factors[s.feature ?? '(no feature)'] ?? 1));

  function totals() {
    const by = { byModel: {}, byFeature: {}, byFile: {} };
    let total = 0;
    let counted = 0;
    for (const s of projection.callSites) {
      const v = scaled(s);
      if (v === null) continue;
      counted++;
      total += v;
      by.byModel[s.model ?? 'unknown'] = (by.byModel[s.model ?? 'unknown'] ?? 0) + v;
      by.byFeature[s.feature ?? '(no feature)'] = (by.byFeature[s.feature ?? '(no feature)'] ?? 0) + v;
      by.byFile[s.file] = (by.byFile[s.file] ?? 0) + v;
    }
    return { total: counted ? total : null, ...by };
  }

  function breakdown(title, key, data) {
    const rows = Object.entries(data).sort((a, b) => sort[key] * (b[1] - a[1]));
    const max = Math.max(0, ...rows.map((r) => r[1]));
    const header = el('th', { tabindex: '0', class: 'n', 'aria-sort': sort[key] > 0 ? 'descending' : 'ascending', text: '$/month ' + (sort[key] > 0 ? '▼' : '▲') });
    const flip = () => { sort[key] = -sort[key]; render(); };
    header.addEventListener('click', flip);
    header.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') flip(); });
    return el('section', { 'aria-label': title },
      el('h2', { text: title }),
      el('table', {},
        el('thead', {}, el('tr', {}, el('th', { text: title.replace('By ', '') }), header)),
        el('tbody', {}, ...rows.map(([k, v]) => el('tr', {},
          el('td', {}, el('span', { class: 'bar', style: `width:${max ? Math.max(2, Math.round((v / max) * 120)) : 2}px` }), document.createTextNode(k)),
          el('td', { class: 'n', text: usd(v) }))))));
  }

  function sitesTable() {
    const rows = [...projection.callSites].sort((a, b) => sort.sites * ((scaled(b) ?? -1) - (scaled(a) ?? -1)));
    return el('section', { 'aria-label': 'Call sites' },
      el('h2', { text: `Call sites (${rows.length})` }),
      el('table', {},
        el('thead', {}, el('tr', {}, ...['Call site', 'Model', 'Feature', '$/call', 'Calls/month', '$/month'].map((h, i) => el('th', { class: i >= 3 ? 'n' : '', text: h })))),
        el('tbody', {}, ...rows.map((s) => {
          const open = () => vscode.postMessage({ type: 'open', file: s.file, line: s.line });
          return el('tr', { class: 'site', tabindex: '0', role: 'link', title: (s.assumptions || []).join('\n'), 'aria-label': `Open ${s.file} line ${s.line}`, onclick: open, onkeydown: (e) => { if (e.key === 'Enter') open(); } },
            el('td', { text: `${s.file}:${s.line}` }),
            el('td', { text: s.model ?? 'dynamic' }),
            el('td', { text: s.feature ?? '' }),
            el('td', { class: 'n', text: usd(s.costPerCallUsd.expected) }),
            el('td', { class: 'n', text: s.callsPerMonth === null ? '–' : s.callsPerMonth.toLocaleString('en-US') }),
            el('td', { class: 'n', text: s.callsPerMonth === null ? 'depends on usage' : usd(scaled(s)) }));
        }))));
  }

  function sliders() {
    const features = [...new Set(projection.callSites.filter((s) => s.callsPerMonth !== null).map((s) => s.feature ?? '(no feature)'))].sort();
    if (!features.length) return null;
    return el('section', { 'aria-label': 'Volumes' },
      el('h2', { text: 'Volumes per feature' }),
      ...features.map((f) => {
        const value = Math.round((factors[f] ?? 1) * 100);
        const label = el('span', { text: `${f}: ${value}%` });
        const input = el('input', { type: 'range', min: '0', max: '500', step: '10', value: String(value), 'aria-label': `Volume of ${f} in percent` });
        input.addEventListener('input', () => { factors[f] = Number(input.value) / 100; render(); });
        return el('div', {}, input, label);
      }));
  }

  function whatIf() {
    const models = [...new Set(projection.callSites.filter((s) => s.model && s.callsPerMonth !== null).map((s) => s.model))].sort();
    if (!models.length) return null;
    const from = el('select', { 'aria-label': 'Model now' }, ...models.map((m) => el('option', { value: m, text: m })));
    const to = el('input', { 'aria-label': 'Model to compare', placeholder: 'e.g. gpt-4o-mini', list: 'llmlint-models' });
    const result = el('span', { id: 'whatif-result', class: 'muted' });
    const run = () => { if (to.value.trim()) vscode.postMessage({ type: 'whatIf', from: from.value, to: to.value.trim(), feature: null }); };
    return el('section', { 'aria-label': 'What if' },
      el('h2', { text: 'What if' }),
      el('div', { class: 'whatif' }, document.createTextNode('Replace'), from, document.createTextNode('with'), to, el('button', { text: 'Compare', onclick: run }), result));
  }

  function render() {
    if (!projection) return;
    const t = totals();
    const focus = document.activeElement && document.activeElement.getAttribute('aria-label');
    app.replaceChildren(
      el('h1', { text: 'LLM cost' }),
      el('div', { class: 'total', id: 'total', text: t.total === null ? 'Monthly cost depends on usage' : `${usd(t.total)} / month` }),
      el('div', { class: 'muted', text: `${projection.callSites.length} call sites · prices as of ${projection.pricingAsOf ?? '?'}${projection.scanning ? ' · scanning…' : ''}${projection.unknownPrice.length ? ` · ${projection.unknownPrice.length} without a price (not counted)` : ''}${projection.withoutUsage.length ? ` · ${projection.withoutUsage.length} without volumes (not counted)` : ''}` }),
      el('div', { class: 'grid' }, breakdown('By model', 'byModel', t.byModel), breakdown('By feature', 'byFeature', t.byFeature)),
      whatIf(),
      sliders(),
      breakdown('By file', 'byFile', t.byFile),
      sitesTable(),
    );
    if (focus) document.querySelector(`[aria-label="${CSS.escape(focus)}"]`)?.focus();
  }

  window.addEventListener('message', (event) => {
    const m = event.data;
    if (m.type === 'projection') {
      projection = m.projection;
      render();
    } else if (m.type === 'whatIf') {
      const out = document.getElementById('whatif-result');
      if (!out) return;
      const r = m.result;
      out.textContent = r.unknownModel
        ? `"${m.request.to}" has no price in the table.`
        : `${r.callSites} call sites: ${usd(r.before)} → ${usd(r.after)} / month (${r.after <= r.before ? 'saves' : 'adds'} ${usd(Math.abs(r.before - r.after))}, before cache and batch discounts)`;
    }
  });
  vscode.postMessage({ type: 'ready' });
})();

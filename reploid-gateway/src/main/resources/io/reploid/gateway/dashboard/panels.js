// The page's panels: headline figures, instances, event log, controls, strategies and notices.

import {
  EVENT_COLORS, STATE_COLORS, clock, count, el, instanceColor, millis, percent, rate, utilisationColor,
} from './format.js';

const CARD_LIMIT = 24;
const MAX_EVENTS = 400;
const STATES = ['joining', 'healthy', 'full', 'suspect', 'draining', 'dead'];

/** The figures in the header. */
export function renderHeadline(cluster) {
  const instances = cluster.instances || [];
  const gateways = cluster.gateways || [];
  const live = instances.filter((i) => i.state !== 'dead');
  const clients = instances.reduce((n, i) => n + (i.clients || 0), 0);
  const capacity = live.reduce((n, i) => n + (i.capacity || 0), 0);
  let rps = 0;
  let p99 = 0;
  for (const i of instances) {
    rps += (i.requests && i.requests.ratePerSecond) || 0;
    p99 = Math.max(p99, (i.requests && i.requests.p99Ms) || 0);
  }
  set('kpi-instances', `${live.length}`, instances.length > live.length ? ` +${instances.length - live.length} dead` : '');
  set('kpi-clients', count(clients), capacity ? ` / ${count(capacity)}` : '');
  set('kpi-rate', rate(rps), '');
  set('kpi-p99', millis(p99), '');
  set('kpi-balancer', gateways.map((g) => g.balancer).filter(Boolean).join(', ') || '–', '');
  const source = document.getElementById('source');
  source.textContent = cluster.source === 'simulation'
    ? `simulated cluster${cluster.workload ? ' · ' + cluster.workload : ''}`
    : gateways.length === 1 ? `gateway ${gateways[0].id}` : `${gateways.length} gateways`;
  document.body.dataset.source = cluster.source || 'gateway';
}

function set(id, value, suffix) {
  const node = document.getElementById(id);
  node.textContent = value;
  if (suffix) {
    node.append(el('span', { class: 'suffix' }, suffix));
  }
}

/** Instance cards (up to 24) or a tile map with the busiest listed. */
export class InstancesPanel {
  constructor(root, summary, actions) {
    this.root = root;
    this.summary = summary;
    this.actions = actions;
    this.cards = new Map();
    this.mode = null;
    this.selected = null;
    this.detailFor = undefined;
  }

  render(instances) {
    this.renderSummary(instances);
    const mode = instances.length <= CARD_LIMIT ? 'cards' : 'tiles';
    if (mode !== this.mode) {
      this.root.replaceChildren();
      this.cards.clear();
      this.mode = mode;
      this.root.className = mode;
    }
    if (mode === 'cards') {
      this.renderCards(instances);
    } else {
      this.renderTiles(instances);
    }
  }

  renderSummary(instances) {
    const counts = {};
    for (const i of instances) {
      counts[i.state] = (counts[i.state] || 0) + 1;
    }
    this.summary.replaceChildren(...STATES.filter((s) => counts[s]).map((s) => el('span', {
      class: `pill state-${s}`, title: `${counts[s]} ${s}`,
    }, `${counts[s]} ${s}`)));
  }

  renderCards(instances) {
    const seen = new Set();
    instances.forEach((inst, k) => {
      seen.add(inst.id);
      let card = this.cards.get(inst.id);
      if (!card) {
        card = this.card(inst);
        this.cards.set(inst.id, card);
      }
      if (this.root.children[k] !== card.node) {
        this.root.insertBefore(card.node, this.root.children[k] || null);
      }
      card.update(inst);
    });
    for (const [id, card] of this.cards) {
      if (!seen.has(id)) {
        card.node.remove();
        this.cards.delete(id);
      }
    }
  }

  card(inst) {
    const badge = el('span', { class: 'badge' });
    const clients = el('span', { class: 'clients' });
    const bar = el('div', { class: 'bar-fill' });
    const stats = el('div', { class: 'stats' });
    const meta = el('div', { class: 'meta' });
    const buttons = el('div', { class: 'card-actions' });
    const drain = el('button', {
      class: 'ghost', type: 'button', dataset: { action: 'drain-instance', instance: inst.id },
      title: 'Stop placing new clients here',
      onclick: () => this.actions.run('drain-instance', { instance: inst.id }, drain),
    }, 'Drain');
    const crash = el('button', {
      class: 'danger', type: 'button', dataset: { action: 'crash-instance', instance: inst.id },
      title: 'Stop this instance abruptly',
      onclick: () => this.actions.run('crash-instance', { instance: inst.id }, crash),
    }, 'Crash');
    buttons.append(drain, crash);
    const node = el('article', { class: 'instance', dataset: { instance: inst.id } },
      el('header', {},
        el('span', { class: 'swatch', style: null }),
        el('span', { class: 'id' }, inst.id),
        badge),
      meta,
      el('div', { class: 'load' }, clients, el('div', { class: 'bar' }, bar)),
      stats,
      buttons);
    node.querySelector('.swatch').style.background = instanceColor(inst.id);
    const update = (i) => {
      node.dataset.state = i.state;
      node.dataset.clients = String(i.clients);
      badge.textContent = i.state;
      badge.className = `badge state-${i.state}`;
      clients.replaceChildren(el('b', {}, String(i.clients)), ` / ${i.capacity} clients`);
      const u = i.capacity ? i.clients / i.capacity : 0;
      bar.style.width = `${Math.min(100, u * 100).toFixed(1)}%`;
      bar.style.background = utilisationColor(u);
      const labels = Object.entries(i.labels || {}).map(([k, v]) => `${k}=${v}`).join(' ');
      meta.textContent = [labels, i.address].filter(Boolean).join(' · ');
      const r = i.requests || {};
      const load = i.load || {};
      stats.replaceChildren(
        stat('req/s', rate(r.ratePerSecond)),
        stat('p50', millis(r.p50Ms)),
        stat('p99', millis(r.p99Ms)),
        stat('cpu', percent(load.cpu)));
      const gone = i.state === 'dead';
      drain.hidden = !this.actions.has('drain-instance');
      crash.hidden = !this.actions.has('crash-instance');
      drain.disabled = gone || i.state === 'draining' || drain.dataset.busy === '1';
      crash.disabled = gone || crash.dataset.busy === '1';
      buttons.hidden = drain.hidden && crash.hidden;
    };
    return { node, update };
  }

  renderTiles(instances) {
    if (!this.tiles) {
      this.detail = el('div', { class: 'detail' });
      this.grid = el('div', { class: 'tile-grid' });
      this.table = el('table', { class: 'busiest' });
      this.root.append(this.detail, this.grid, el('h3', {}, 'Busiest'), this.table);
      this.tiles = new Map();
    }
    const seen = new Set();
    instances.forEach((inst, k) => {
      seen.add(inst.id);
      let tile = this.tiles.get(inst.id);
      if (!tile) {
        tile = el('button', {
          class: 'tile', type: 'button', dataset: { instance: inst.id },
          onclick: () => {
            this.selected = inst.id;
            this.renderDetail(this.lastInstances);
          },
        });
        this.tiles.set(inst.id, tile);
      }
      if (this.grid.children[k] !== tile) {
        this.grid.insertBefore(tile, this.grid.children[k] || null);
      }
      const u = inst.capacity ? inst.clients / inst.capacity : 0;
      tile.dataset.state = inst.state;
      tile.style.background = inst.state === 'dead' ? '#3b2630' : utilisationColor(u, 0.9);
      tile.title = `${inst.id}: ${inst.state}, ${inst.clients} / ${inst.capacity} clients`;
      tile.classList.toggle('selected', inst.id === this.selected);
    });
    for (const [id, tile] of this.tiles) {
      if (!seen.has(id)) {
        tile.remove();
        this.tiles.delete(id);
      }
    }
    this.lastInstances = instances;
    this.renderDetail(instances);
    const busiest = instances.filter((i) => i.state !== 'dead')
      .sort((a, b) => b.clients / b.capacity - a.clients / a.capacity).slice(0, 8);
    this.table.replaceChildren(...busiest.map((i) => el('tr', {},
      el('td', {}, i.id),
      el('td', {}, el('span', { class: `badge state-${i.state}` }, i.state)),
      el('td', { class: 'num' }, `${i.clients} / ${i.capacity}`),
      el('td', { class: 'num' }, percent(i.capacity ? i.clients / i.capacity : 0)))));
  }

  renderDetail(instances) {
    const inst = instances && instances.find((i) => i.id === this.selected);
    if (!inst) {
      if (this.detailFor !== null) {
        this.detailFor = null;
        this.detail.replaceChildren(el('p', { class: 'hint' }, 'Select a tile for details and actions.'));
      }
      return;
    }
    if (this.detailFor !== inst.id || this.detailActions !== this.actions.enabled) {
      // Built once per selection, then updated in place, so a click never lands on a replaced button.
      this.detailFor = inst.id;
      this.detailActions = this.actions.enabled;
      const head = el('div', { class: 'detail-head' }, el('b', {}, inst.id), el('span', { class: 'badge' }));
      const stats = el('div', { class: 'stats' });
      const buttons = [];
      for (const [name, label, kind] of [['drain-instance', 'Drain', 'ghost'], ['crash-instance', 'Crash', 'danger']]) {
        if (this.actions.has(name)) {
          const b = el('button', { class: kind, type: 'button', dataset: { action: name, instance: inst.id } }, label);
          b.addEventListener('click', () => this.actions.run(name, { instance: inst.id }, b));
          buttons.push(b);
        }
      }
      this.detail.replaceChildren(head, stats, el('div', { class: 'card-actions' }, ...buttons));
      this.detailParts = { badge: head.querySelector('.badge'), stats, buttons };
    }
    const { badge, stats, buttons } = this.detailParts;
    badge.textContent = inst.state;
    badge.className = `badge state-${inst.state}`;
    const r = inst.requests || {};
    stats.replaceChildren(
      stat('clients', `${inst.clients} / ${inst.capacity}`),
      stat('req/s', rate(r.ratePerSecond)),
      stat('p99', millis(r.p99Ms)));
    for (const b of buttons) {
      b.disabled = b.dataset.busy === '1' || inst.state === 'dead'
        || (b.dataset.action === 'drain-instance' && inst.state === 'draining');
    }
  }
}

function stat(label, value) {
  return el('span', { class: 'stat' }, el('small', {}, label), el('b', {}, value));
}

/** The event log, newest first. */
export class EventLog {
  constructor(root) {
    this.root = root;
    this.seen = new Set();
  }

  clear() {
    this.root.replaceChildren();
    this.seen.clear();
  }

  add(events) {
    for (const e of events) {
      const key = `${e.seq}`;
      if (this.seen.has(key)) {
        continue;
      }
      this.seen.add(key);
      const badge = el('span', { class: 'badge' }, e.type);
      badge.style.color = EVENT_COLORS[e.type] || '#aab5cf';
      badge.style.borderColor = EVENT_COLORS[e.type] || '#aab5cf';
      const item = el('li', { dataset: { type: e.type, instance: e.instance || '' }, class: 'fresh' },
        el('time', { datetime: e.time }, clock(e.time)),
        badge,
        e.instance ? el('b', {}, e.instance) : null,
        el('span', { class: 'message' }, e.message || ''));
      this.root.prepend(item);
      setTimeout(() => item.classList.remove('fresh'), 1600);
    }
    while (this.root.children.length > MAX_EVENTS) {
      const last = this.root.lastElementChild;
      this.root.removeChild(last);
    }
    document.getElementById('events-empty').hidden = this.root.children.length > 0;
  }
}

/** What /api/actions allows, and running an action with a notice of its outcome. */
export class Actions {
  constructor(notices) {
    this.notices = notices;
    this.enabled = false;
    this.available = new Set();
    this.workloads = [];
    this.balancers = [];
    this.reason = null;
  }

  has(name) {
    return this.enabled && this.available.has(name);
  }

  async load() {
    try {
      const r = await fetch('api/actions', { cache: 'no-store' });
      const body = await r.json();
      this.enabled = !!body.enabled;
      this.available = new Set(body.actions || []);
      this.workloads = body.workloads || [];
      this.balancers = body.balancers || [];
      this.reason = body.reason || null;
    } catch (err) {
      this.enabled = false;
      this.available = new Set();
      this.reason = 'the gateway could not be reached';
    }
  }

  async run(name, body, button) {
    if (button) {
      button.disabled = true;
      button.dataset.busy = '1';
    }
    try {
      const r = await fetch(`api/actions/${name}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body || {}),
      });
      const answer = await r.json().catch(() => ({}));
      if (r.ok) {
        this.notices.show(answer.message || `${name} done`, 'ok');
      } else {
        this.notices.show(answer.error || `${name} failed (${r.status})`, 'error');
      }
    } catch (err) {
      this.notices.show(`${name}: the gateway could not be reached`, 'error');
    } finally {
      if (button) {
        delete button.dataset.busy;
        button.disabled = false;
      }
    }
  }
}

/** The controls panel, filled from {@link Actions}. */
export function renderControls(root, actions, cluster) {
  const body = root.querySelector('.controls-body');
  root.dataset.enabled = String(actions.enabled);
  if (!actions.enabled) {
    body.replaceChildren(el('p', { class: 'hint', id: 'actions-off' },
      'Actions are off: ' + (actions.reason || 'not enabled') + '.'));
    return;
  }
  const rows = [];
  if (actions.has('add-instance')) {
    const b = el('button', { type: 'button', dataset: { action: 'add-instance' } }, '+ Add instance');
    b.addEventListener('click', () => actions.run('add-instance', {}, b));
    rows.push(row('Instances', b));
  }
  if (actions.has('add-clients') || actions.has('remove-clients')) {
    const n = el('input', { type: 'number', min: 1, max: 100000, value: cluster.source === 'simulation' ? 1000 : 10, id: 'client-count', 'aria-label': 'clients' });
    const parts = [n];
    if (actions.has('add-clients')) {
      const add = el('button', { type: 'button', dataset: { action: 'add-clients' } }, 'Add');
      add.addEventListener('click', () => actions.run('add-clients', { count: Number(n.value) }, add));
      parts.push(add);
    }
    if (actions.has('remove-clients')) {
      const rm = el('button', { type: 'button', class: 'ghost', dataset: { action: 'remove-clients' } }, 'Remove');
      rm.addEventListener('click', () => actions.run('remove-clients', { count: Number(n.value) }, rm));
      parts.push(rm);
    }
    rows.push(row('Clients', ...parts));
  }
  if (actions.has('switch-balancer')) {
    const current = ((cluster.gateways || [])[0] || {}).balancer || '';
    const list = el('datalist', { id: 'balancer-list' }, ...actions.balancers.map((b) => el('option', { value: b })));
    const input = el('input', { type: 'text', list: 'balancer-list', value: current, id: 'balancer-spec', spellcheck: 'false', 'aria-label': 'balancer' });
    const go = el('button', { type: 'button', dataset: { action: 'switch-balancer' } }, 'Switch');
    go.addEventListener('click', () => actions.run('switch-balancer', { balancer: input.value }, go));
    rows.push(row('Balancer', input, list, go));
  }
  if (actions.has('change-workload') && actions.workloads.length) {
    const select = el('select', { id: 'workload', 'aria-label': 'workload' },
      ...actions.workloads.map((w) => el('option', { value: w, selected: w === cluster.workload }, w)));
    const go = el('button', { type: 'button', dataset: { action: 'change-workload' } }, 'Apply');
    go.addEventListener('click', () => actions.run('change-workload', { workload: select.value }, go));
    rows.push(row('Workload', select, go));
  }
  const hints = [];
  if (actions.has('crash-instance') || actions.has('drain-instance')) {
    hints.push(el('p', { class: 'hint' }, 'Drain or crash an instance from its card.'));
  }
  body.replaceChildren(...rows, ...hints);
}

function row(label, ...controls) {
  return el('div', { class: 'control-row' }, el('label', {}, label), el('div', { class: 'control-inputs' }, ...controls));
}

/** Side-by-side scores of strategies from the simulator (simulation only). */
export function renderStrategies(root, strategies) {
  if (!strategies) {
    root.hidden = true;
    return;
  }
  root.hidden = false;
  root.querySelector('.strategies-caption').textContent = strategies.description
    ? `${strategies.status === 'running' ? 'scoring… ' : ''}${strategies.description}` : strategies.status || '';
  const table = root.querySelector('table');
  const rows = (strategies.rows || []).slice().sort((a, b) => a.peakToAverageMean - b.peakToAverageMean);
  const best = rows.length ? rows[0].peakToAverageMean : 0;
  table.replaceChildren(
    el('thead', {}, el('tr', {}, ...['strategy', 'p2a mean', 'p2a max', 'cv end', 'moved', 'stray', 'ns/pick']
      .map((h) => el('th', {}, h)))),
    el('tbody', {}, ...rows.map((r) => {
      const swatch = el('span', { class: 'swatch' });
      swatch.style.background = instanceColor('strategy:' + r.strategy);
      const tr = el('tr', { class: r.strategy === strategies.live ? 'live' : null },
        el('td', {}, swatch, r.strategy, r.strategy === strategies.live ? el('span', { class: 'tag' }, 'live') : null),
        el('td', { class: 'num' + (r.peakToAverageMean === best ? ' best' : '') }, r.peakToAverageMean.toFixed(3)),
        el('td', { class: 'num' }, r.peakToAverageMax.toFixed(3)),
        el('td', { class: 'num' }, r.cvFinal.toFixed(3)),
        el('td', { class: 'num' }, count(r.moved)),
        el('td', { class: 'num' }, percent(r.strayFraction)),
        el('td', { class: 'num' }, r.nanosPerPick.toFixed(0)));
      return tr;
    })));
}

/** Short-lived notices in the corner. */
export class Notices {
  constructor(root) {
    this.root = root;
  }

  show(text, kind = 'info') {
    const node = el('div', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
    this.root.append(node);
    setTimeout(() => node.classList.add('leaving'), 4200);
    setTimeout(() => node.remove(), 4700);
    while (this.root.children.length > 4) {
      this.root.firstElementChild.remove();
    }
  }
}

export { STATE_COLORS };

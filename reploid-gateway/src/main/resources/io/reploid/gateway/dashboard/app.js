// The Reploid dashboard: wires the live feed to the panels, the charts and the traffic view.

import { Feed, History } from './feed.js';
import { barChart, histogram, lineChart } from './charts.js';
import { Topology } from './topology.js';
import {
  Actions, EventLog, InstancesPanel, Notices, renderControls, renderHeadline, renderStrategies,
} from './panels.js';
import { count, instanceColor, millis, rate, utilisationColor } from './format.js';

const WINDOW_MS = 5 * 60 * 1000;
const PER_INSTANCE_LINES = 12;

const notices = new Notices(document.getElementById('notices'));
const actions = new Actions(notices);
const topology = new Topology(document.getElementById('topology'));
const instancesPanel = new InstancesPanel(document.getElementById('instances'),
  document.getElementById('state-summary'), actions);
const eventLog = new EventLog(document.getElementById('events'));
const history = new History();
const controls = document.getElementById('controls');
const strategies = document.getElementById('strategies');
let run = null;
let cluster = null;
let lastTime = 0;
let controlsKey = null;

function onMessage(message) {
  const fresh = message.run !== run;
  if (fresh && run !== null) {
    notices.show(message.reset ? 'The source restarted; the feed resumed.' : 'Reconnected.', 'info');
    history.mark(message.time);
  }
  if (message.reset) {
    eventLog.clear();
  }
  run = message.run;
  cluster = message.cluster;
  const spread = lastTime ? Math.min(1500, Math.max(200, message.time - lastTime)) : 500;
  lastTime = message.time;
  history.add(message.time, cluster.instances || []);
  renderHeadline(cluster);
  instancesPanel.render(cluster.instances || []);
  eventLog.add(message.events || []);
  topology.update(cluster);
  topology.addFlows(message.flows || [], spread);
  topology.addMoves(message.moves || [], spread);
  renderStrategies(strategies, cluster.strategies);
  drawCharts();
  if (fresh) {
    actions.load().then(() => refreshControls(true));
  } else {
    refreshControls(false);
  }
}

function refreshControls(force) {
  const key = `${actions.enabled}|${[...actions.available].join()}|${cluster && cluster.source}`;
  if (force || key !== controlsKey) {
    controlsKey = key;
    renderControls(controls, actions, cluster || {});
    instancesPanel.render((cluster && cluster.instances) || []);
  }
  const spec = document.getElementById('balancer-spec');
  const current = cluster && cluster.gateways && cluster.gateways[0] && cluster.gateways[0].balancer;
  if (spec && current && document.activeElement !== spec && spec.dataset.shown !== current) {
    spec.value = current;
    spec.dataset.shown = current;
  }
}

function onStatus(status) {
  const node = document.getElementById('status');
  node.dataset.state = status;
  node.querySelector('.text').textContent = {
    connecting: 'connecting',
    live: 'live',
    reconnecting: 'reconnecting…',
    stalled: 'no data',
  }[status] || status;
}

function drawCharts() {
  if (!cluster) {
    return;
  }
  const now = lastTime || Date.now();
  // The window grows with the history, from one minute to five.
  const first = history.points.length ? history.points[0].t : now;
  const windowMs = Math.min(WINDOW_MS, Math.max(60000, Math.ceil((now - first) / 30000) * 30000));
  const instances = cluster.instances || [];
  const ids = instances.map((i) => i.id);
  const few = ids.length <= PER_INSTANCE_LINES;
  const points = history.points;
  const seriesOf = (pick) => points.map((p) => ({ t: p.t, v: p.gap ? null : pick(p) }));

  const rateSeries = [{
    name: 'total', color: '#e6ebf5', width: 2, fill: 'rgba(91, 140, 255, 0.22)', values: seriesOf((p) => p.rate),
  }];
  if (few && ids.length > 1) {
    for (const id of ids) {
      rateSeries.push({
        name: id, color: instanceColor(id), width: 1.4,
        values: seriesOf((p) => (p.byInstance[id] ? p.byInstance[id].rate : null)),
      });
    }
  }
  lineChart(document.getElementById('rate-chart'), {
    series: rateSeries, now, windowMs, format: (v) => count(v), emptyText: 'no requests yet',
  });
  legend('rate-legend', rateSeries.map((s) => [s.name, s.color]));

  const latencySeries = [
    { name: 'p50', color: '#34d399', width: 2, fill: 'rgba(52, 211, 153, 0.14)', values: seriesOf((p) => p.p50 || null) },
    { name: 'p99 (worst instance)', color: '#fbbf24', width: 2, dash: [6, 4], values: seriesOf((p) => p.p99 || null) },
  ];
  lineChart(document.getElementById('latency-chart'), {
    series: latencySeries, now, windowMs, format: (v) => (v === 0 ? '0' : v >= 1 ? v.toFixed(v >= 10 ? 0 : 1) : v.toFixed(2)),
    emptyText: 'no latency samples yet',
  });
  legend('latency-legend', latencySeries.map((s) => [s.name, s.color]));

  const spreadCanvas = document.getElementById('spread-chart');
  if (instances.length <= 24) {
    barChart(spreadCanvas, instances.map((i) => ({
      label: i.id, value: i.clients || 0, capacity: i.capacity, color: instanceColor(i.id), dim: i.state === 'dead',
    })));
    document.getElementById('spread-caption').textContent = 'clients per instance · dashed: capacity';
  } else {
    const bins = Array.from({ length: 20 }, (_, k) => ({ count: 0, color: utilisationColor((k + 0.5) / 20) }));
    let max = 0;
    let sum = 0;
    let n = 0;
    for (const i of instances) {
      if (i.state === 'dead' || !i.capacity) {
        continue;
      }
      const u = i.clients / i.capacity;
      bins[Math.min(19, Math.floor(u * 20))].count++;
      max = Math.max(max, u);
      sum += u;
      n++;
    }
    const mean = n ? sum / n : 0;
    histogram(spreadCanvas, bins, 'instances by utilisation (clients / capacity)');
    document.getElementById('spread-caption').textContent =
      `mean ${(mean * 100).toFixed(1)}% · max ${(max * 100).toFixed(1)}% · peak/avg ${mean ? (max / mean).toFixed(2) : '–'}`;
  }
  const lastPoint = points[points.length - 1];
  document.getElementById('rate-now').textContent = lastPoint && !lastPoint.gap ? `${rate(lastPoint.rate)} req/s` : '';
  document.getElementById('latency-now').textContent = lastPoint && !lastPoint.gap
    ? `p50 ${millis(lastPoint.p50)} · p99 ${millis(lastPoint.p99)}` : '';
}

function legend(id, entries) {
  const root = document.getElementById(id);
  const key = entries.map((e) => e.join(':')).join('|');
  if (root.dataset.key === key) {
    return;
  }
  root.dataset.key = key;
  root.replaceChildren(...entries.map(([name, color]) => {
    const dot = document.createElement('i');
    dot.style.background = color;
    const span = document.createElement('span');
    span.append(dot, name);
    return span;
  }));
}

window.addEventListener('resize', drawCharts);
new Feed(onMessage, onStatus).start();
actions.load().then(() => refreshControls(true));

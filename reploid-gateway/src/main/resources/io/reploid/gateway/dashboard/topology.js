// The traffic view: clients (left) -> gateway (middle) -> instances (right) on a canvas, with sampled
// requests travelling along the links and clients flying to their new instance when they are re-pinned.
// Up to 16 instances are drawn as a column of cards with each one's clients as a band of dots; more are
// drawn as a grid of tiles coloured by utilisation, with the clients as one cloud.

import { STATE_COLORS, fitCanvas, hash, instanceColor, utilisationColor } from './format.js';

const COLUMN_LIMIT = 16;
const MAX_PARTICLES = 420;
const MAX_MOVERS = 320;
const LEG_MS = 420;
const MOVE_MS = 1500;
const CLOUD_DOTS = 640;
const FONT = 'system-ui, -apple-system, "Segoe UI", sans-serif';

export class Topology {
  constructor(canvas) {
    this.canvas = canvas;
    this.instances = [];
    this.gateways = [];
    this.particles = [];
    this.movers = [];
    this.hits = new Map();
    this.shown = new Map();
    this.lastFrame = performance.now();
    this.totalClients = 0;
    const loop = (now) => {
      try {
        this.frame(now);
      } catch (err) {
        console.warn('Topology frame failed', err);
      }
      requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
  }

  update(cluster) {
    this.instances = cluster.instances || [];
    this.gateways = cluster.gateways && cluster.gateways.length ? cluster.gateways : [{ id: 'gateway' }];
    this.totalClients = this.instances.reduce((n, i) => n + (i.clients || 0), 0);
    const ids = new Set(this.instances.map((i) => i.id));
    for (const id of this.shown.keys()) {
      if (!ids.has(id)) {
        this.shown.delete(id);
      }
    }
  }

  /** Sampled requests of the last tick, spread over {@code spreadMs} so the motion stays even. */
  addFlows(flows, spreadMs) {
    const now = performance.now();
    flows.forEach((f, k) => {
      this.particles.push({
        client: f.client,
        gateway: f.gateway,
        instance: f.instance,
        start: now + (flows.length > 1 ? (k / flows.length) * spreadMs : 0) + Math.random() * 40,
        latency: f.latencyMs || 0,
      });
    });
    if (this.particles.length > MAX_PARTICLES) {
      this.particles.splice(0, this.particles.length - MAX_PARTICLES);
    }
  }

  addMoves(moves, spreadMs) {
    const now = performance.now();
    moves.forEach((m, k) => {
      this.movers.push({
        client: m.client,
        from: m.from,
        to: m.to,
        start: now + (moves.length > 1 ? (k / moves.length) * Math.min(spreadMs, 900) : 0),
      });
    });
    if (this.movers.length > MAX_MOVERS) {
      this.movers.splice(0, this.movers.length - MAX_MOVERS);
    }
  }

  // ------------------------------------------------------------------ layout

  layout(width, height) {
    const n = this.instances.length;
    const column = n <= COLUMN_LIMIT;
    const pad = 14;
    const g = this.gateways.length;
    const gateways = this.gateways.map((gw, k) => ({
      id: gw.id,
      data: gw,
      x: width * 0.47,
      y: pad + ((height - 2 * pad) * (k + 1)) / (g + 1),
      r: Math.max(18, Math.min(28, height / (4 * g))),
    }));
    const nodes = new Map();
    const bands = new Map();
    if (column) {
      const rowH = (height - 2 * pad) / Math.max(1, n);
      const boxW = Math.min(width * 0.27, 250);
      const boxH = Math.max(22, Math.min(rowH - 10, 62));
      const bandX0 = width * 0.03;
      const bandX1 = width * 0.33;
      this.instances.forEach((inst, k) => {
        const top = pad + rowH * k;
        const cy = top + rowH / 2;
        nodes.set(inst.id, { x: width * 0.69, y: cy - boxH / 2, w: boxW, h: boxH, cx: width * 0.69, cy, inst });
        bands.set(inst.id, bandGeometry(bandX0, bandX1, top + 6, top + rowH - 6, inst.clients || 0));
      });
    } else {
      const x0 = width * 0.6;
      const x1 = width - pad;
      const y0 = pad;
      const y1 = height - pad;
      const aw = x1 - x0;
      const ah = y1 - y0;
      const cols = Math.max(1, Math.ceil(Math.sqrt((n * aw) / ah)));
      const rows = Math.max(1, Math.ceil(n / cols));
      const size = Math.max(3, Math.min(aw / cols, ah / rows));
      this.instances.forEach((inst, k) => {
        const c = k % cols;
        const r = Math.floor(k / cols);
        const x = x0 + c * size;
        const y = y0 + r * size;
        nodes.set(inst.id, { x, y, w: size - 2, h: size - 2, cx: x + size / 2 - 1, cy: y + size / 2 - 1, inst });
      });
    }
    return { column, gateways, nodes, bands, width, height };
  }

  // ------------------------------------------------------------------ drawing

  frame(now) {
    const fit = fitCanvas(this.canvas);
    if (!fit) {
      return;
    }
    const { ctx, width, height } = fit;
    const dt = Math.min(100, now - this.lastFrame);
    this.lastFrame = now;
    ctx.clearRect(0, 0, width, height);
    const L = this.layout(width, height);
    this.easeCounts(L, dt);
    this.drawLinks(ctx, L);
    if (L.column) {
      this.drawBands(ctx, L);
    } else {
      this.drawCloud(ctx, L);
    }
    this.drawGateways(ctx, L, now);
    this.drawNodes(ctx, L, now);
    this.drawParticles(ctx, L, now);
    this.drawMovers(ctx, L, now);
    if (!this.instances.length) {
      ctx.fillStyle = '#7d89a6';
      ctx.font = `13px ${FONT}`;
      ctx.textAlign = 'center';
      ctx.fillText('no instances registered yet', width * 0.75, height / 2);
    }
  }

  /** Band sizes follow the real counts smoothly, so a failover drains one band as the others fill. */
  easeCounts(L, dt) {
    const k = 1 - Math.exp(-dt / 350);
    for (const inst of this.instances) {
      const target = inst.clients || 0;
      const cur = this.shown.has(inst.id) ? this.shown.get(inst.id) : target;
      const next = Math.abs(target - cur) < 0.5 ? target : cur + (target - cur) * k;
      this.shown.set(inst.id, next);
    }
  }

  drawLinks(ctx, L) {
    const gw = L.gateways[0];
    ctx.lineWidth = 1;
    for (const node of L.nodes.values()) {
      if (!L.column) {
        break;
      }
      ctx.strokeStyle = node.inst.state === 'dead' ? 'rgba(248,113,113,0.10)' : 'rgba(148,163,194,0.13)';
      const band = L.bands.get(node.inst.id);
      curve(ctx, band.x1 + 4, band.cy, gw.x - gw.r, gw.y);
      curve(ctx, gw.x + gw.r, gw.y, node.x, node.cy);
    }
    if (!L.column) {
      ctx.strokeStyle = 'rgba(148,163,194,0.13)';
      curve(ctx, L.width * 0.34, L.height / 2, gw.x - gw.r, gw.y);
      curve(ctx, gw.x + gw.r, gw.y, L.width * 0.6, L.height / 2);
    }
  }

  drawBands(ctx, L) {
    ctx.font = `11px ${FONT}`;
    ctx.textBaseline = 'top';
    ctx.textAlign = 'left';
    for (const inst of this.instances) {
      const band = L.bands.get(inst.id);
      const shown = Math.round(this.shown.get(inst.id) || 0);
      const dots = Math.min(band.capacity, Math.ceil(shown / band.per));
      ctx.fillStyle = instanceColor(inst.id, inst.state === 'dead' ? 0.35 : 0.9);
      ctx.beginPath();
      for (let d = 0; d < dots; d++) {
        const p = band.dot(d);
        ctx.moveTo(p.x + band.r, p.y);
        ctx.arc(p.x, p.y, band.r, 0, Math.PI * 2);
      }
      ctx.fill();
      ctx.fillStyle = 'rgba(201, 211, 234, 0.6)';
      ctx.textAlign = 'right';
      const label = `${inst.clients || 0} client${inst.clients === 1 ? '' : 's'}` + (band.per > 1 ? ` · 1 dot = ${band.per}` : '');
      ctx.fillText(label, band.x1, band.y0);
    }
  }

  drawCloud(ctx, L) {
    const x0 = L.width * 0.03;
    const x1 = L.width * 0.33;
    const y0 = 20;
    const y1 = L.height - 14;
    const dots = Math.min(CLOUD_DOTS, this.totalClients);
    ctx.fillStyle = 'rgba(125, 160, 255, 0.55)';
    ctx.beginPath();
    for (let d = 0; d < dots; d++) {
      const p = cloudDot(d, x0, x1, y0, y1);
      ctx.moveTo(p.x + 1.6, p.y);
      ctx.arc(p.x, p.y, 1.6, 0, Math.PI * 2);
    }
    ctx.fill();
    ctx.fillStyle = 'rgba(201, 211, 234, 0.6)';
    ctx.font = `11px ${FONT}`;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    ctx.fillText(`${this.totalClients.toLocaleString('en-US')} clients`
        + (this.totalClients > dots ? ` (${dots} drawn)` : ''), x0, 2);
  }

  drawGateways(ctx, L, now) {
    for (const g of L.gateways) {
      const glow = ctx.createRadialGradient(g.x, g.y, g.r * 0.4, g.x, g.y, g.r * 2.2);
      glow.addColorStop(0, 'rgba(91, 140, 255, 0.28)');
      glow.addColorStop(1, 'rgba(91, 140, 255, 0)');
      ctx.fillStyle = glow;
      ctx.beginPath();
      ctx.arc(g.x, g.y, g.r * 2.2, 0, Math.PI * 2);
      ctx.fill();
      ctx.fillStyle = '#17213b';
      ctx.strokeStyle = '#5b8cff';
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(g.x, g.y, g.r, 0, Math.PI * 2);
      ctx.fill();
      ctx.stroke();
      ctx.save();
      ctx.strokeStyle = 'rgba(91, 140, 255, 0.55)';
      ctx.setLineDash([4, 6]);
      ctx.lineDashOffset = -now / 60;
      ctx.beginPath();
      ctx.arc(g.x, g.y, g.r + 6, 0, Math.PI * 2);
      ctx.stroke();
      ctx.restore();
      ctx.fillStyle = '#e6ebf5';
      ctx.font = `600 11px ${FONT}`;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.fillText('GW', g.x, g.y);
      ctx.font = `11px ${FONT}`;
      ctx.fillStyle = '#aab5cf';
      ctx.textBaseline = 'top';
      ctx.fillText(g.id, g.x, g.y + g.r + 10);
      if (g.data.balancer) {
        ctx.fillStyle = '#7d89a6';
        ctx.fillText(g.data.balancer, g.x, g.y + g.r + 24);
      }
    }
  }

  drawNodes(ctx, L, now) {
    for (const node of L.nodes.values()) {
      const inst = node.inst;
      const state = inst.state || 'joining';
      const color = STATE_COLORS[state] || '#94a3b8';
      const u = inst.capacity ? (inst.clients || 0) / inst.capacity : 0;
      const hit = this.hits.get(inst.id);
      const heat = hit ? Math.max(0, 1 - (now - hit) / 450) : 0;
      if (!L.column) {
        ctx.globalAlpha = state === 'dead' ? 0.35 : 1;
        ctx.fillStyle = state === 'dead' ? '#3b2630' : utilisationColor(u, 0.9);
        ctx.fillRect(node.x, node.y, node.w, node.h);
        if (state !== 'healthy' && state !== 'full') {
          ctx.strokeStyle = color;
          ctx.lineWidth = Math.max(1, node.w / 8);
          ctx.strokeRect(node.x + 0.5, node.y + 0.5, node.w - 1, node.h - 1);
        }
        if (heat > 0) {
          ctx.fillStyle = `rgba(255,255,255,${0.45 * heat})`;
          ctx.fillRect(node.x, node.y, node.w, node.h);
        }
        ctx.globalAlpha = 1;
        continue;
      }
      ctx.save();
      ctx.globalAlpha = state === 'dead' ? 0.5 : 1;
      if (heat > 0) {
        ctx.shadowColor = instanceColor(inst.id, 0.8);
        ctx.shadowBlur = 18 * heat;
      }
      ctx.fillStyle = '#141d33';
      roundRect(ctx, node.x, node.y, node.w, node.h, 9);
      ctx.fill();
      ctx.shadowBlur = 0;
      let borderAlpha = 1;
      if (state === 'suspect') {
        borderAlpha = 0.45 + 0.55 * Math.abs(Math.sin(now / 180));
      }
      ctx.strokeStyle = color;
      ctx.globalAlpha = (state === 'dead' ? 0.6 : 1) * borderAlpha;
      ctx.lineWidth = 1.5;
      if (state === 'draining') {
        ctx.setLineDash([5, 4]);
      }
      roundRect(ctx, node.x, node.y, node.w, node.h, 9);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.globalAlpha = state === 'dead' ? 0.5 : 1;
      ctx.fillStyle = instanceColor(inst.id);
      roundRect(ctx, node.x, node.y, 4, node.h, 2);
      ctx.fill();
      const small = node.h < 40;
      ctx.textBaseline = 'top';
      ctx.textAlign = 'left';
      ctx.fillStyle = '#e6ebf5';
      ctx.font = `600 12px ${FONT}`;
      ctx.fillText(inst.id, node.x + 12, node.y + (small ? node.h / 2 - 7 : 8));
      ctx.textAlign = 'right';
      ctx.fillStyle = color;
      ctx.font = `600 10px ${FONT}`;
      ctx.fillText(state.toUpperCase(), node.x + node.w - 10, node.y + (small ? node.h / 2 - 6 : 9));
      if (!small) {
        ctx.textAlign = 'left';
        ctx.fillStyle = '#aab5cf';
        ctx.font = `11px ${FONT}`;
        ctx.fillText(`${inst.clients || 0} / ${inst.capacity || 0} clients`, node.x + 12, node.y + 25);
        const bx = node.x + 12;
        const bw = node.w - 24;
        const by = node.y + node.h - 11;
        ctx.fillStyle = 'rgba(148,163,194,0.16)';
        roundRect(ctx, bx, by, bw, 4, 2);
        ctx.fill();
        ctx.fillStyle = utilisationColor(u);
        roundRect(ctx, bx, by, Math.max(2, bw * Math.min(1, u)), 4, 2);
        ctx.fill();
      }
      if (state === 'dead') {
        ctx.strokeStyle = '#f87171';
        ctx.lineWidth = 2;
        const cx = node.x + node.w - 18;
        const cy = node.y + node.h - (small ? node.h / 2 : 18);
        ctx.beginPath();
        ctx.moveTo(cx - 5, cy - 5);
        ctx.lineTo(cx + 5, cy + 5);
        ctx.moveTo(cx + 5, cy - 5);
        ctx.lineTo(cx - 5, cy + 5);
        ctx.stroke();
      }
      ctx.restore();
    }
  }

  /** Where a client's dot sits: in its instance's band, or in the cloud. */
  clientPoint(L, client, instanceId) {
    if (L.column) {
      const band = L.bands.get(instanceId);
      if (!band) {
        return null;
      }
      const shown = Math.max(1, Math.min(band.capacity, Math.ceil((this.shown.get(instanceId) || 1) / band.per)));
      return band.dot(hash(client) % shown);
    }
    const dots = Math.max(1, Math.min(CLOUD_DOTS, this.totalClients));
    return cloudDot(hash(client) % dots, L.width * 0.03, L.width * 0.33, 20, L.height - 14);
  }

  instancePoint(L, id) {
    const node = L.nodes.get(id);
    if (!node) {
      return null;
    }
    return L.column ? { x: node.x, y: node.cy } : { x: node.cx, y: node.cy };
  }

  drawParticles(ctx, L, now) {
    const keep = [];
    for (const p of this.particles) {
      const t = (now - p.start) / (2 * LEG_MS);
      if (t < 0) {
        keep.push(p);
        continue;
      }
      if (t >= 1) {
        this.hits.set(p.instance, now);
        continue;
      }
      keep.push(p);
      const a = this.clientPoint(L, p.client, p.instance);
      const b = L.gateways.find((g) => g.id === p.gateway) || L.gateways[0];
      const c = this.instancePoint(L, p.instance);
      if (!a || !c) {
        continue;
      }
      for (let k = 5; k >= 0; k--) {
        const tk = t - k * 0.028;
        if (tk < 0) {
          continue;
        }
        const pos = along(a, b, c, tk);
        const alpha = k === 0 ? 1 : 0.5 * (1 - k / 6);
        ctx.fillStyle = k === 0 ? '#ffffff' : instanceColor(p.instance, alpha);
        ctx.beginPath();
        ctx.arc(pos.x, pos.y, k === 0 ? 3 : 3 - k * 0.3, 0, Math.PI * 2);
        ctx.fill();
      }
      const head = along(a, b, c, t);
      ctx.fillStyle = instanceColor(p.instance, 0.28);
      ctx.beginPath();
      ctx.arc(head.x, head.y, 7, 0, Math.PI * 2);
      ctx.fill();
    }
    this.particles = keep;
  }

  drawMovers(ctx, L, now) {
    const keep = [];
    for (const m of this.movers) {
      const t = (now - m.start) / MOVE_MS;
      if (t < 0) {
        keep.push(m);
        continue;
      }
      if (t >= 1) {
        this.hits.set(m.to, now);
        continue;
      }
      keep.push(m);
      const a = L.column ? this.clientPoint(L, m.client + '#from', m.from) || this.instancePoint(L, m.from)
          : this.instancePoint(L, m.from);
      const c = L.column ? this.clientPoint(L, m.client, m.to) : this.instancePoint(L, m.to);
      if (!a || !c) {
        continue;
      }
      const e = t < 0.5 ? 2 * t * t : 1 - Math.pow(-2 * t + 2, 2) / 2;
      const ctrl = { x: Math.min(a.x, c.x) - 70 - Math.abs(a.y - c.y) * 0.15, y: (a.y + c.y) / 2 };
      const pos = quad(a, ctrl, c, e);
      for (let k = 6; k >= 1; k--) {
        const ek = Math.max(0, e - k * 0.025);
        const pk = quad(a, ctrl, c, ek);
        ctx.fillStyle = instanceColor(m.to, 0.45 * (1 - k / 7));
        ctx.beginPath();
        ctx.arc(pk.x, pk.y, 3, 0, Math.PI * 2);
        ctx.fill();
      }
      ctx.fillStyle = e < 0.5 ? instanceColor(m.from) : instanceColor(m.to);
      ctx.strokeStyle = '#ffffff';
      ctx.lineWidth = 1.4;
      ctx.beginPath();
      ctx.arc(pos.x, pos.y, 4, 0, Math.PI * 2);
      ctx.fill();
      ctx.stroke();
    }
    this.movers = keep;
  }
}

/** A band of client dots, filled row by row from its right end (next to the gateway). */
function bandGeometry(x0, x1, y0, y1, clients) {
  const w = Math.max(10, x1 - x0);
  const h = Math.max(6, y1 - y0 - 12);
  const top = y0 + 12;
  let s = 9;
  let cols;
  let rows;
  for (; ; s--) {
    cols = Math.max(1, Math.floor(w / s));
    rows = Math.max(1, Math.floor(h / s));
    if (cols * rows >= clients || s <= 5) {
      break;
    }
  }
  const capacity = cols * rows;
  const per = Math.max(1, Math.ceil(clients / capacity));
  const r = Math.max(1.4, s * 0.32);
  return {
    x0, x1, y0, y1, cy: (y0 + y1) / 2, r, capacity, per,
    dot(d) {
      const col = Math.floor(d / rows);
      const row = d % rows;
      return { x: x1 - s / 2 - col * s, y: top + s / 2 + row * s };
    },
  };
}

function cloudDot(d, x0, x1, y0, y1) {
  const h1 = hash('c' + d);
  const h2 = hash('d' + d);
  return { x: x0 + ((h1 % 10000) / 10000) * (x1 - x0), y: y0 + ((h2 % 10000) / 10000) * (y1 - y0) };
}

function curve(ctx, x0, y0, x1, y1) {
  const mx = (x0 + x1) / 2;
  ctx.beginPath();
  ctx.moveTo(x0, y0);
  ctx.bezierCurveTo(mx, y0, mx, y1, x1, y1);
  ctx.stroke();
}

function cubic(p0, p1, p2, p3, t) {
  const u = 1 - t;
  return {
    x: u * u * u * p0.x + 3 * u * u * t * p1.x + 3 * u * t * t * p2.x + t * t * t * p3.x,
    y: u * u * u * p0.y + 3 * u * u * t * p1.y + 3 * u * t * t * p2.y + t * t * t * p3.y,
  };
}

function quad(a, c, b, t) {
  const u = 1 - t;
  return { x: u * u * a.x + 2 * u * t * c.x + t * t * b.x, y: u * u * a.y + 2 * u * t * c.y + t * t * b.y };
}

/** A point on client -> gateway -> instance at t in [0, 1], following the drawn links. */
function along(a, g, c, t) {
  if (t < 0.5) {
    const s = t * 2;
    const mx = (a.x + g.x) / 2;
    return cubic(a, { x: mx, y: a.y }, { x: mx, y: g.y }, g, s);
  }
  const s = (t - 0.5) * 2;
  const mx = (g.x + c.x) / 2;
  return cubic(g, { x: mx, y: g.y }, { x: mx, y: c.y }, c, s);
}

function roundRect(ctx, x, y, w, h, r) {
  const rr = Math.min(r, w / 2, h / 2);
  ctx.beginPath();
  ctx.moveTo(x + rr, y);
  ctx.arcTo(x + w, y, x + w, y + h, rr);
  ctx.arcTo(x + w, y + h, x, y + h, rr);
  ctx.arcTo(x, y + h, x, y, rr);
  ctx.arcTo(x, y, x + w, y, rr);
  ctx.closePath();
}

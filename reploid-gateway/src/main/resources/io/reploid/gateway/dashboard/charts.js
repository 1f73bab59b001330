// Small canvas charts: lines over time, bars per instance and a histogram. No library.

import { fitCanvas } from './format.js';

const GRID = 'rgba(148, 163, 194, 0.12)';
const AXIS_TEXT = '#7d89a6';
const FONT = '11px system-ui, -apple-system, "Segoe UI", sans-serif';

/** A round step for about {@code count} ticks up to {@code max}. */
function niceStep(max, count) {
  const raw = max / count;
  const pow = Math.pow(10, Math.floor(Math.log10(raw)));
  const n = raw / pow;
  return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 2.5 ? 2.5 : n <= 5 ? 5 : 10) * pow;
}

function empty(ctx, width, height, text) {
  ctx.fillStyle = AXIS_TEXT;
  ctx.font = FONT;
  ctx.textAlign = 'center';
  ctx.fillText(text, width / 2, height / 2);
}

/**
 * Lines over the last {@code windowMs}. Each series: {name, color, width, dash, fill, values: [{t, v}]},
 * where a value of null breaks the line.
 */
export function lineChart(canvas, { series, now, windowMs, format, emptyText = 'waiting for data' }) {
  const fit = fitCanvas(canvas);
  if (!fit) {
    return;
  }
  const { ctx, width, height } = fit;
  ctx.clearRect(0, 0, width, height);
  const pad = { left: 46, right: 10, top: 10, bottom: 20 };
  const w = width - pad.left - pad.right;
  const h = height - pad.top - pad.bottom;
  const from = now - windowMs;
  let max = 0;
  let any = false;
  for (const s of series) {
    for (const p of s.values) {
      if (p.v != null && p.t >= from) {
        max = Math.max(max, p.v);
        any = true;
      }
    }
  }
  const step = niceStep(max > 0 ? max * 1.1 : 1, 4);
  const top = Math.max(step, Math.ceil((max * 1.08) / step) * step);
  const x = (t) => pad.left + ((t - from) / windowMs) * w;
  const y = (v) => pad.top + h - (v / top) * h;

  ctx.font = FONT;
  ctx.lineWidth = 1;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (let v = 0; v <= top + step / 2; v += step) {
    ctx.strokeStyle = GRID;
    ctx.beginPath();
    ctx.moveTo(pad.left, Math.round(y(v)) + 0.5);
    ctx.lineTo(pad.left + w, Math.round(y(v)) + 0.5);
    ctx.stroke();
    ctx.fillStyle = AXIS_TEXT;
    ctx.fillText(format(v), pad.left - 6, y(v));
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  const tick = [15000, 30000, 60000, 120000, 300000].find((s) => windowMs / s <= 6) || 600000;
  for (let ago = Math.floor(windowMs / tick) * tick; ago >= 0; ago -= tick) {
    const label = ago === 0 ? 'now' : ago < 60000 ? `−${ago / 1000}s` : `−${ago / 60000}m`;
    ctx.fillText(label, Math.max(pad.left + 10, Math.min(x(now - ago), pad.left + w - 12)), pad.top + h + 5);
  }
  if (!any) {
    empty(ctx, width, height, emptyText);
    return;
  }
  ctx.save();
  ctx.beginPath();
  ctx.rect(pad.left, pad.top - 2, w, h + 4);
  ctx.clip();
  for (const s of series) {
    const runs = [];
    let run = [];
    for (const p of s.values) {
      if (p.v == null) {
        if (run.length) {
          runs.push(run);
        }
        run = [];
      } else if (p.t >= from - 2000) {
        run.push(p);
      }
    }
    if (run.length) {
      runs.push(run);
    }
    for (const r of runs) {
      if (s.fill && r.length > 1) {
        const gradient = ctx.createLinearGradient(0, pad.top, 0, pad.top + h);
        gradient.addColorStop(0, s.fill);
        gradient.addColorStop(1, 'rgba(0,0,0,0)');
        ctx.fillStyle = gradient;
        ctx.beginPath();
        ctx.moveTo(x(r[0].t), y(0));
        for (const p of r) {
          ctx.lineTo(x(p.t), y(p.v));
        }
        ctx.lineTo(x(r[r.length - 1].t), y(0));
        ctx.closePath();
        ctx.fill();
      }
      ctx.strokeStyle = s.color;
      ctx.lineWidth = s.width || 1.5;
      ctx.lineJoin = 'round';
      ctx.setLineDash(s.dash || []);
      ctx.beginPath();
      r.forEach((p, i) => (i === 0 ? ctx.moveTo(x(p.t), y(p.v)) : ctx.lineTo(x(p.t), y(p.v))));
      ctx.stroke();
      ctx.setLineDash([]);
    }
  }
  ctx.restore();
}

/** Bars of clients per instance against a capacity tick. items: [{label, value, capacity, color, dim}]. */
export function barChart(canvas, items) {
  const fit = fitCanvas(canvas);
  if (!fit) {
    return;
  }
  const { ctx, width, height } = fit;
  ctx.clearRect(0, 0, width, height);
  if (!items.length) {
    empty(ctx, width, height, 'no instances yet');
    return;
  }
  const pad = { left: 40, right: 8, top: 10, bottom: 30 };
  const w = width - pad.left - pad.right;
  const h = height - pad.top - pad.bottom;
  const max = Math.max(1, ...items.map((i) => Math.max(i.value, i.capacity || 0)));
  const step = niceStep(max, 4);
  const top = Math.ceil(max / step) * step;
  const y = (v) => pad.top + h - (v / top) * h;
  ctx.font = FONT;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (let v = 0; v <= top + step / 2; v += step) {
    ctx.strokeStyle = GRID;
    ctx.beginPath();
    ctx.moveTo(pad.left, Math.round(y(v)) + 0.5);
    ctx.lineTo(pad.left + w, Math.round(y(v)) + 0.5);
    ctx.stroke();
    ctx.fillStyle = AXIS_TEXT;
    ctx.fillText(String(Math.round(v)), pad.left - 6, y(v));
  }
  const slot = w / items.length;
  const bar = Math.min(46, slot * 0.62);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  items.forEach((item, k) => {
    const cx = pad.left + slot * (k + 0.5);
    if (item.capacity) {
      ctx.fillStyle = 'rgba(148, 163, 194, 0.10)';
      ctx.fillRect(cx - bar / 2, y(item.capacity), bar, y(0) - y(item.capacity));
      ctx.strokeStyle = 'rgba(148, 163, 194, 0.55)';
      ctx.setLineDash([3, 3]);
      ctx.beginPath();
      ctx.moveTo(cx - bar / 2 - 3, Math.round(y(item.capacity)) + 0.5);
      ctx.lineTo(cx + bar / 2 + 3, Math.round(y(item.capacity)) + 0.5);
      ctx.stroke();
      ctx.setLineDash([]);
    }
    ctx.globalAlpha = item.dim ? 0.35 : 1;
    ctx.fillStyle = item.color;
    const top2 = y(item.value);
    roundedTop(ctx, cx - bar / 2, top2, bar, y(0) - top2, Math.min(4, bar / 3));
    ctx.globalAlpha = 1;
    ctx.fillStyle = '#c9d3ea';
    if (item.value > 0 && y(0) - top2 > 16) {
      ctx.fillStyle = 'rgba(10, 14, 28, 0.85)';
      ctx.fillText(String(item.value), cx, top2 + 3);
    }
    ctx.fillStyle = AXIS_TEXT;
    const label = item.label.length > 10 && slot < 70 ? item.label.slice(-8) : item.label;
    ctx.fillText(label, cx, pad.top + h + 6);
  });
}

function roundedTop(ctx, x, y, w, h, r) {
  if (h <= 0) {
    return;
  }
  const rr = Math.min(r, h);
  ctx.beginPath();
  ctx.moveTo(x, y + h);
  ctx.lineTo(x, y + rr);
  ctx.quadraticCurveTo(x, y, x + rr, y);
  ctx.lineTo(x + w - rr, y);
  ctx.quadraticCurveTo(x + w, y, x + w, y + rr);
  ctx.lineTo(x + w, y + h);
  ctx.closePath();
  ctx.fill();
}

/** A histogram of utilisation: bins [{from, to, count, color}]. */
export function histogram(canvas, bins, caption) {
  const fit = fitCanvas(canvas);
  if (!fit) {
    return;
  }
  const { ctx, width, height } = fit;
  ctx.clearRect(0, 0, width, height);
  const pad = { left: 40, right: 8, top: 18, bottom: 30 };
  const w = width - pad.left - pad.right;
  const h = height - pad.top - pad.bottom;
  const max = Math.max(1, ...bins.map((b) => b.count));
  const step = niceStep(max, 4);
  const top = Math.ceil(max / step) * step;
  const y = (v) => pad.top + h - (v / top) * h;
  ctx.font = FONT;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (let v = 0; v <= top + step / 2; v += step) {
    ctx.strokeStyle = GRID;
    ctx.beginPath();
    ctx.moveTo(pad.left, Math.round(y(v)) + 0.5);
    ctx.lineTo(pad.left + w, Math.round(y(v)) + 0.5);
    ctx.stroke();
    ctx.fillStyle = AXIS_TEXT;
    ctx.fillText(String(Math.round(v)), pad.left - 6, y(v));
  }
  const slot = w / bins.length;
  bins.forEach((b, k) => {
    ctx.fillStyle = b.color;
    roundedTop(ctx, pad.left + slot * k + 1, y(b.count), slot - 2, y(0) - y(b.count), 3);
  });
  ctx.fillStyle = AXIS_TEXT;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (let k = 0; k <= bins.length; k += Math.max(1, Math.round(bins.length / 5))) {
    ctx.fillText(Math.round((k / bins.length) * 100) + '%', Math.min(pad.left + slot * k, width - 18), pad.top + h + 6);
  }
  ctx.textAlign = 'left';
  ctx.fillText(caption, pad.left, 2);
}

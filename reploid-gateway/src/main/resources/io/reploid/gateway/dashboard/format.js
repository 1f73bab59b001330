// Number and time formatting, colours, and a tiny element builder shared by the panels.

export const STATE_COLORS = {
  joining: '#60a5fa',
  healthy: '#34d399',
  full: '#fbbf24',
  suspect: '#fb923c',
  dead: '#f87171',
  draining: '#c084fc',
};

export const EVENT_COLORS = {
  joined: '#60a5fa',
  healthy: '#34d399',
  full: '#fbbf24',
  suspect: '#fb923c',
  dead: '#f87171',
  removed: '#94a3b8',
  draining: '#c084fc',
  balancer: '#5b8cff',
  workload: '#22d3ee',
  scale: '#22d3ee',
  migration: '#e879f9',
};

/** A stable colour per instance: hues spread by the golden angle in order of first appearance. */
const instanceHues = new Map();
export function instanceColor(id, alpha = 1) {
  if (!instanceHues.has(id)) {
    instanceHues.set(id, (205 + instanceHues.size * 137.508) % 360);
  }
  const hue = instanceHues.get(id);
  return alpha === 1 ? `hsl(${hue.toFixed(1)} 78% 62%)` : `hsl(${hue.toFixed(1)} 78% 62% / ${alpha})`;
}

/** Blue (idle) through green and amber to red (at capacity), for a utilisation in [0, 1]. */
export function utilisationColor(u, alpha = 1) {
  const x = Math.max(0, Math.min(1, u));
  const hue = x < 0.5 ? 200 - x * 2 * 60 : 140 - (x - 0.5) * 2 * 140;
  const light = 52 + (x > 0.85 ? 6 : 0);
  return `hsl(${hue.toFixed(0)} 75% ${light}% / ${alpha})`;
}

export function count(n) {
  if (n == null || Number.isNaN(n)) {
    return '–';
  }
  const a = Math.abs(n);
  if (a >= 1e6) {
    return (n / 1e6).toFixed(a >= 1e7 ? 0 : 1) + 'M';
  }
  if (a >= 1e4) {
    return (n / 1e3).toFixed(a >= 1e5 ? 0 : 1) + 'k';
  }
  return Math.round(n).toLocaleString('en-US');
}

export function rate(n) {
  if (n == null || Number.isNaN(n)) {
    return '–';
  }
  return n >= 100 ? count(n) : n.toFixed(n >= 10 ? 0 : 1);
}

export function millis(ms) {
  if (ms == null || Number.isNaN(ms) || ms <= 0) {
    return '–';
  }
  if (ms >= 1000) {
    return (ms / 1000).toFixed(ms >= 10000 ? 0 : 1) + ' s';
  }
  return (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2)) + ' ms';
}

export function percent(x) {
  return x == null || x < 0 || Number.isNaN(x) ? '–' : Math.round(x * 100) + '%';
}

export function clock(time) {
  const d = time instanceof Date ? time : new Date(time);
  return d.toLocaleTimeString('en-GB', { hour12: false });
}

/** A small hash of a string, for stable pseudo-random placement. */
export function hash(s) {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/**
 * Builds an element: el('div', {class: 'x', dataset: {id: 'a'}, onclick: f}, child, 'text').
 * Text is always set as text, never parsed as HTML.
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value == null || value === false) {
      continue;
    }
    if (key === 'class') {
      node.className = value;
    } else if (key === 'dataset') {
      Object.assign(node.dataset, value);
    } else if (key.startsWith('on')) {
      node.addEventListener(key.slice(2), value);
    } else if (value === true) {
      node.setAttribute(key, '');
    } else {
      node.setAttribute(key, String(value));
    }
  }
  for (const child of children.flat()) {
    if (child != null && child !== false) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return node;
}

/** Sizes a canvas for the device pixel ratio; returns its 2D context in CSS pixels, or null if hidden. */
export function fitCanvas(canvas) {
  const rect = canvas.getBoundingClientRect();
  if (rect.width < 2 || rect.height < 2) {
    return null;
  }
  const dpr = window.devicePixelRatio || 1;
  const w = Math.round(rect.width * dpr);
  const h = Math.round(rect.height * dpr);
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
  }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return { ctx, width: rect.width, height: rect.height };
}

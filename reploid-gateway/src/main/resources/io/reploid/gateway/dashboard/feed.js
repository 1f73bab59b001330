// The live feed: Server-Sent Events from /api/stream (docs/dashboard.md), with reconnects that resume the
// event log through Last-Event-ID, and a short history of each snapshot's figures for the charts.

const STALL_MS = 5000;
const HISTORY_MS = 10 * 60 * 1000;

export class Feed {
  /**
   * @param onMessage called with each snapshot message (parsed JSON)
   * @param onStatus called with 'connecting', 'live', 'reconnecting' or 'stalled'
   */
  constructor(onMessage, onStatus) {
    this.onMessage = onMessage;
    this.onStatus = onStatus;
    this.lastId = null;
    this.lastMessageAt = 0;
    this.source = null;
    this.status = null;
    this.retryTimer = null;
  }

  start() {
    this.connect();
    setInterval(() => {
      if (this.status === 'live' && performance.now() - this.lastMessageAt > STALL_MS) {
        this.setStatus('stalled');
      }
    }, 1000);
  }

  connect() {
    this.setStatus(this.lastId == null ? 'connecting' : 'reconnecting');
    // The browser sends Last-Event-ID itself when it reconnects this EventSource; a new one (after the
    // old was closed for good) passes it in the query.
    const url = this.lastId == null ? 'api/stream' : 'api/stream?lastEventId=' + encodeURIComponent(this.lastId);
    const source = new EventSource(url);
    this.source = source;
    source.addEventListener('open', () => this.setStatus('live'));
    source.addEventListener('snapshot', (e) => {
      this.lastId = e.lastEventId || this.lastId;
      this.lastMessageAt = performance.now();
      if (this.status !== 'live') {
        this.setStatus('live');
      }
      let message;
      try {
        message = JSON.parse(e.data);
      } catch (err) {
        console.warn('Dropped a snapshot that is not JSON', err);
        return;
      }
      this.onMessage(message);
    });
    source.addEventListener('error', () => {
      if (source.readyState === EventSource.CLOSED) {
        // Closed for good (an error status, a proxy in the way): start a new one after a pause.
        source.close();
        clearTimeout(this.retryTimer);
        this.retryTimer = setTimeout(() => this.connect(), 2000);
      }
      this.setStatus('reconnecting');
    });
  }

  setStatus(status) {
    if (status !== this.status) {
      this.status = status;
      this.onStatus(status);
    }
  }
}

/** Figures over time, one point per snapshot, for the charts. */
export class History {
  constructor() {
    this.points = [];
  }

  add(time, instances) {
    let total = 0;
    let weighted = 0;
    let p99 = 0;
    const byInstance = {};
    for (const i of instances) {
      const r = i.requests || {};
      const rps = r.ratePerSecond || 0;
      total += rps;
      weighted += rps * (r.p50Ms || 0);
      p99 = Math.max(p99, r.p99Ms || 0);
      byInstance[i.id] = { rate: rps, p50: r.p50Ms || 0, p99: r.p99Ms || 0, state: i.state };
    }
    this.points.push({ t: time, rate: total, p50: total > 0 ? weighted / total : 0, p99, byInstance });
    const cutoff = time - HISTORY_MS;
    while (this.points.length > 2 && this.points[0].t < cutoff) {
      this.points.shift();
    }
  }

  /** A gap in the lines: the gateway restarted or the feed was down. */
  mark(time) {
    this.points.push({ t: time, gap: true, byInstance: {} });
  }
}

// A minimal JSON-RPC 2.0 client over one WebSocket: requests, subscriptions, nothing else.
// The load tool submits raw extrinsics and reads raw blocks through it, so that nothing is
// decoded on the hot path (@polkadot/api decodes every extrinsic of every block it fetches).

import WebSocket from 'ws';

/** An error answer of the node: `code` and `data` as the node sent them. */
export class RpcError extends Error {
  constructor(method, error) {
    const data = error.data === undefined ? ''
      : ` (${typeof error.data === 'string' ? error.data : JSON.stringify(error.data)})`;
    super(`${method}: ${error.message}${data}`);
    this.code = error.code;
    this.data = error.data;
    this.rpcMessage = error.message;
  }
}

export class RawRpc {
  constructor(url) {
    this.url = url;
    this.nextId = 1;
    this.pending = new Map(); // id -> { resolve, reject, method }
    this.subs = new Map(); // subscription id -> callback
    this.early = new Map(); // notifications that came before their subscription's answer
    this.ws = null;
    this.error = null;
    this.closing = false;
    this.onClose = null;
  }

  /** Opens the connection; rejects if it is not open within `timeoutMs`. */
  connect(timeoutMs = 30_000) {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.url, { perMessageDeflate: false, maxPayload: 1 << 30 });
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error(`cannot connect to ${this.url} within ${timeoutMs} ms`));
      }, timeoutMs);
      ws.on('open', () => {
        clearTimeout(timer);
        this.ws = ws;
        resolve(this);
      });
      ws.on('error', (e) => {
        if (!this.ws) {
          clearTimeout(timer);
          reject(new Error(`cannot connect to ${this.url}: ${e.message}`));
        } else {
          this.fail(new Error(`connection to ${this.url} failed: ${e.message}`));
        }
      });
      ws.on('close', () => this.fail(new Error(`connection to ${this.url} closed`)));
      ws.on('message', (data) => this.onMessage(data));
    });
  }

  fail(error) {
    if (this.error) return;
    this.error = error;
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
    if (!this.closing && this.onClose) this.onClose(error);
  }

  onMessage(data) {
    let msg;
    try {
      msg = JSON.parse(data);
    } catch {
      return;
    }
    if (msg.id !== undefined && msg.id !== null) {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.error) p.reject(new RpcError(p.method, msg.error));
      else p.resolve(msg.result);
      return;
    }
    const sub = msg.params?.subscription;
    if (sub === undefined) return;
    const cb = this.subs.get(sub);
    if (cb) {
      cb(msg.params.result);
    } else {
      const list = this.early.get(sub) ?? [];
      if (list.length < 1000) list.push(msg.params.result);
      this.early.set(sub, list);
    }
  }

  /** Number of requests waiting for an answer. */
  get inflight() {
    return this.pending.size;
  }

  call(method, params = []) {
    if (this.error) return Promise.reject(this.error);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, method });
      this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }), (err) => {
        if (err && this.pending.has(id)) {
          this.pending.delete(id);
          reject(err);
        }
      });
    });
  }

  /** Subscribes; `cb` gets each notification's result. Resolves with an unsubscribe function. */
  async subscribe(method, params, unsubscribeMethod, cb) {
    const id = await this.call(method, params);
    this.subs.set(id, cb);
    for (const result of this.early.get(id) ?? []) cb(result);
    this.early.delete(id);
    return () => {
      this.subs.delete(id);
      return this.call(unsubscribeMethod, [id]).catch(() => {});
    };
  }

  close() {
    this.closing = true;
    if (this.ws) this.ws.close();
  }
}

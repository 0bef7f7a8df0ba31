// Shared by both pages: the socket with reconnect and resume, and the message list.
// Everything from the network is rendered with textContent, never as HTML.
(function () {
  'use strict';
  var S = window.KefuStrings;

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function time(ts) {
    var d = new Date(typeof ts === 'number' ? ts : Date.now());
    var p = function (n) {
      return (n < 10 ? '0' : '') + n;
    };
    return p(d.getHours()) + ':' + p(d.getMinutes());
  }

  function newCid() {
    var b = new Uint8Array(9);
    crypto.getRandomValues(b);
    return Array.prototype.map.call(b, function (x) {
      return (x + 256).toString(16).slice(1);
    }).join('');
  }

  /**
   * The conversation on screen. Messages are keyed by seq (a replay never shows one twice) and
   * by cid while waiting for their ack.
   */
  function MessageList(container, myRole) {
    this.container = container;
    this.myRole = myRole;
    this.seqs = {};
    this.pending = {};
    this.lastSeq = 0;
  }

  MessageList.prototype.nearBottom = function () {
    var c = this.container;
    return c.scrollHeight - c.scrollTop - c.clientHeight < 60;
  };

  MessageList.prototype.append = function (node) {
    var stick = this.nearBottom();
    this.container.appendChild(node);
    // Follow new messages only when the reader is at the bottom: never yank someone reading back.
    if (stick) this.container.scrollTop = this.container.scrollHeight;
  };

  MessageList.prototype.clear = function () {
    this.container.textContent = '';
    this.seqs = {};
    this.pending = {};
    this.lastSeq = 0;
  };

  MessageList.prototype.system = function (text, kind) {
    var row = el('div', 'msg system' + (kind ? ' ' + kind : ''));
    row.appendChild(el('span', 'bubble', text));
    this.append(row);
  };

  MessageList.prototype.bubble = function (sender, text, ts, own) {
    var row = el('div', 'msg ' + (own ? 'own' : 'peer'));
    var meta = el('div', 'meta');
    meta.appendChild(el('span', 'sender', sender));
    meta.appendChild(el('time', 'time', time(ts)));
    row.appendChild(meta);
    row.appendChild(el('div', 'bubble', text));
    var state = el('div', 'state');
    row.appendChild(state);
    return row;
  };

  /** Shows an own message at once, marked pending until its ack arrives. */
  MessageList.prototype.pendingMessage = function (cid, sender, text) {
    var row = this.bubble(sender, text, Date.now(), true);
    row.classList.add('pending');
    row.querySelector('.state').textContent = S.t('pending');
    this.pending[cid] = { row: row, text: text };
    this.append(row);
  };

  MessageList.prototype.failed = function (cid, onRetry) {
    var p = this.pending[cid];
    if (!p) return;
    p.row.classList.remove('pending');
    p.row.classList.add('failed');
    var state = p.row.querySelector('.state');
    state.textContent = '';
    var retry = el('button', 'link', S.t('failed'));
    retry.type = 'button';
    retry.addEventListener('click', function () {
      p.row.classList.remove('failed');
      p.row.classList.add('pending');
      state.textContent = S.t('pending');
      onRetry(cid, p.text);
    });
    state.appendChild(retry);
  };

  /** A message frame from the server (echo/ack, relay or replay). Returns true when new. */
  MessageList.prototype.message = function (f) {
    var own = f.role === this.myRole;
    if (typeof f.seq === 'number') {
      if (this.seqs[f.seq]) {
        this.settle(f);
        return false;
      }
      this.seqs[f.seq] = true;
      if (f.seq > this.lastSeq) this.lastSeq = f.seq;
    }
    if (own && f.cid && this.pending[f.cid]) {
      this.settle(f);
      return false;
    }
    this.append(this.bubble(f.shuiFaDe, f.neiRong, f.ts, own));
    return !own;
  };

  MessageList.prototype.settle = function (f) {
    var p = f.cid && this.pending[f.cid];
    if (!p) return;
    p.row.classList.remove('pending', 'failed');
    p.row.querySelector('.state').textContent = '';
    var t = p.row.querySelector('.time');
    if (t) t.textContent = time(f.ts);
    delete this.pending[f.cid];
  };

  MessageList.prototype.unacked = function () {
    var out = [];
    for (var cid in this.pending) out.push({ cid: cid, text: this.pending[cid].text });
    return out;
  };

  /**
   * A socket that comes back by itself after a drop (exponential backoff with jitter), asking
   * the page for fresh query parameters each time (so it can add resume and since).
   */
  function Connection(opts) {
    this.opts = opts;
    this.ws = null;
    this.attempt = 0;
    this.timer = null;
    this.stopped = true;
  }

  Connection.prototype.start = function () {
    this.stopped = false;
    this.attempt = 0;
    this.open();
  };

  Connection.prototype.open = function () {
    var self = this;
    var params = this.opts.params();
    var url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws?' + new URLSearchParams(params).toString();
    var ws;
    try {
      ws = new WebSocket(url);
    } catch (e) {
      this.opts.onClose({ code: 1006, reason: '' }, false);
      return;
    }
    this.ws = ws;
    var opened = false;
    ws.onopen = function () {
      opened = true;
      self.attempt = 0;
      self.opts.onOpen();
    };
    ws.onmessage = function (e) {
      var f;
      try {
        f = JSON.parse(e.data);
      } catch (err) {
        return;
      }
      self.opts.onFrame(f);
    };
    ws.onclose = function (e) {
      if (self.ws !== ws) return;
      self.ws = null;
      var again = !self.stopped && self.opts.shouldRetry(e.code, opened);
      self.opts.onClose(e, again);
      if (again) self.retry();
    };
  };

  Connection.prototype.retry = function () {
    var self = this;
    var base = Math.min(30000, 500 * Math.pow(2, this.attempt));
    var delay = Math.round(base / 2 + Math.random() * (base / 2));
    this.attempt++;
    this.opts.onRetry(Math.ceil(delay / 1000));
    this.timer = setTimeout(function () {
      self.timer = null;
      if (!self.stopped) self.open();
    }, delay);
  };

  Connection.prototype.send = function (obj) {
    if (!this.ws || this.ws.readyState !== 1) return false;
    this.ws.send(JSON.stringify(obj));
    return true;
  };

  /** A deliberate leave: close 1000, which the server treats as leaving, not dropping. */
  Connection.prototype.stop = function () {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.ws) this.ws.close(1000);
  };

  /** Unread count in the tab title while the tab is hidden. */
  function TitleBadge(base) {
    var self = this;
    this.base = base;
    this.count = 0;
    document.title = base;
    document.addEventListener('visibilitychange', function () {
      if (!document.hidden) self.reset();
    });
  }
  TitleBadge.prototype.bump = function () {
    if (!document.hidden) return;
    this.count++;
    document.title = S.t('unread', this.count) + this.base;
  };
  TitleBadge.prototype.reset = function () {
    this.count = 0;
    document.title = this.base;
  };

  /** Enter sends, Shift+Enter is a newline; IME composition (Chinese input) is left alone. */
  function bindComposer(textarea, onSend) {
    textarea.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
        e.preventDefault();
        onSend();
      }
    });
  }

  var EMOJI = ['😀', '😂', '😊', '😍', '🤔', '😢', '😡', '👍', '👎', '🙏', '👏', '🎉', '❤️', '🔥', '✅', '❓'];

  /** A small emoji palette that inserts at the caret. */
  function bindEmoji(button, panel, textarea) {
    EMOJI.forEach(function (em) {
      var b = el('button', 'emoji', em);
      b.type = 'button';
      b.setAttribute('aria-label', em);
      b.addEventListener('click', function () {
        var start = textarea.selectionStart || 0;
        var end = textarea.selectionEnd || 0;
        textarea.value = textarea.value.slice(0, start) + em + textarea.value.slice(end);
        textarea.selectionStart = textarea.selectionEnd = start + em.length;
        panel.hidden = true;
        button.setAttribute('aria-expanded', 'false');
        textarea.focus();
      });
      panel.appendChild(b);
    });
    button.addEventListener('click', function () {
      panel.hidden = !panel.hidden;
      button.setAttribute('aria-expanded', String(!panel.hidden));
    });
  }

  function validName(name) {
    var n = name.trim();
    var len = Array.from(n).length;
    return len >= 1 && len <= 32 && !/[\u0000-\u001f\u007f]/.test(n);
  }

  window.KefuChat = {
    el: el,
    newCid: newCid,
    MessageList: MessageList,
    Connection: Connection,
    TitleBadge: TitleBadge,
    bindComposer: bindComposer,
    bindEmoji: bindEmoji,
    validName: validName,
  };
})();

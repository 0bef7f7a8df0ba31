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

  function pad(n) {
    return (n < 10 ? '0' : '') + n;
  }

  /** HH:MM for today, MM-DD HH:MM for an older message (a resumed conversation). */
  function time(ts) {
    var d = new Date(typeof ts === 'number' ? ts : Date.now());
    var hm = pad(d.getHours()) + ':' + pad(d.getMinutes());
    return d.toDateString() === new Date().toDateString() ? hm : pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' + hm;
  }

  /** A wait as people say it: seconds under a minute, else minutes and seconds. */
  function duration(ms) {
    var total = Math.max(0, Math.round(ms / 1000));
    return total < 60 ? S.t('seconds', total) : S.t('minutes', Math.floor(total / 60), total % 60);
  }

  function timeElement(ts) {
    var d = new Date(typeof ts === 'number' ? ts : Date.now());
    var t = el('time', 'time', time(d.getTime()));
    t.dateTime = d.toISOString();
    t.title = d.toLocaleString();
    return t;
  }

  /**
   * The built-in avatar set: the same ids as src/protocol/avatars.ts (a test keeps the two
   * equal), each drawn as an emoji on a soft disc, so no image file is needed.
   */
  var AVATARS = [
    ['cat', '🐱'], ['dog', '🐶'], ['fox', '🦊'], ['panda', '🐼'], ['rabbit', '🐰'], ['bear', '🐻'],
    ['tiger', '🐯'], ['koala', '🐨'], ['frog', '🐸'], ['penguin', '🐧'], ['owl', '🦉'], ['whale', '🐳'],
  ];
  var AVATAR_EMOJI = {};
  AVATARS.forEach(function (a) {
    AVATAR_EMOJI[a[0]] = a[1];
  });

  /**
   * Fills an avatar element: the picked avatar when there is one, else the first character of
   * the name on one of six calm colours picked from the name, so a person keeps their colour
   * (classes only: the CSP forbids inline styles).
   */
  function paintAvatar(node, name, avatarId) {
    var pic = avatarId && Object.prototype.hasOwnProperty.call(AVATAR_EMOJI, avatarId) ? AVATAR_EMOJI[avatarId] : '';
    var first = name ? Array.from(name.trim())[0] || '?' : '';
    node.textContent = pic || (first ? first.toUpperCase() : '');
    // FNV-1a over the UTF-16 units: cheap and spreads short names well.
    var h = 2166136261;
    for (var i = 0; i < (name || '').length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619) >>> 0;
    node.className = node.className.replace(/\s*(hue-\d|pic)\b/g, '') + (pic ? ' pic' : name ? ' hue-' + (h % 6) : '');
  }

  /**
   * The avatar choice on a sign-in form: radio buttons (keyboard and screen reader friendly)
   * for "from my name" and each of the set, remembered in this browser under `storageKey`.
   * Returns a function giving the chosen id, or '' for none.
   */
  function bindAvatarPicker(container, storageKey, nameInput) {
    var saved = '';
    try {
      saved = localStorage.getItem(storageKey) || '';
    } catch (e) {
      /* storage may be off: the choice just is not remembered */
    }
    if (!Object.prototype.hasOwnProperty.call(AVATAR_EMOJI, saved)) saved = '';
    var radios = [];
    var initials = null;
    function option(id, label) {
      var wrap = el('label', 'avatar-option');
      var input = el('input');
      input.type = 'radio';
      input.name = storageKey;
      input.value = id;
      input.checked = id === saved;
      input.setAttribute('aria-label', label);
      var face = el('span', 'avatar');
      face.setAttribute('aria-hidden', 'true');
      wrap.appendChild(input);
      wrap.appendChild(face);
      container.appendChild(wrap);
      radios.push(input);
      return face;
    }
    initials = option('', S.t('avatarFromName'));
    AVATARS.forEach(function (a) {
      paintAvatar(option(a[0], S.t('avatarName_' + a[0])), '', a[0]);
    });
    function paintInitials() {
      paintAvatar(initials, nameInput.value.trim() || '?');
    }
    nameInput.addEventListener('input', paintInitials);
    paintInitials();
    container.addEventListener('change', function () {
      try {
        localStorage.setItem(storageKey, chosen());
      } catch (e) {
        /* not remembered */
      }
    });
    function chosen() {
      for (var i = 0; i < radios.length; i++) if (radios[i].checked) return radios[i].value;
      return '';
    }
    return chosen;
  }

  function newCid() {
    var b = new Uint8Array(9);
    crypto.getRandomValues(b);
    return Array.prototype.map.call(b, function (x) {
      return (x + 256).toString(16).slice(1);
    }).join('');
  }

  // Messages from one person within this window are grouped under one name line.
  var GROUP_MS = 3 * 60 * 1000;

  /**
   * The conversation on screen. Messages are keyed by seq (a replay never shows one twice) and
   * by cid while waiting for their ack. `jump` is a button shown when something new arrives
   * while the reader is scrolled up.
   */
  function MessageList(container, myRole, jump) {
    var self = this;
    this.container = container;
    this.myRole = myRole;
    this.jump = jump || null;
    this.seqs = {};
    this.pending = {};
    this.lastSeq = 0;
    this.last = null;
    this.count = 0;
    /** Picked avatars of the people in this conversation, by name. */
    this.avatars = {};
    container.addEventListener('scroll', function () {
      if (self.jump && self.nearBottom()) self.jump.hidden = true;
    });
    if (this.jump) {
      this.jump.addEventListener('click', function () {
        self.toBottom();
        container.focus();
      });
    }
  }

  MessageList.prototype.nearBottom = function () {
    var c = this.container;
    return c.scrollHeight - c.scrollTop - c.clientHeight < 60;
  };

  MessageList.prototype.toBottom = function () {
    this.container.scrollTop = this.container.scrollHeight;
    if (this.jump) this.jump.hidden = true;
  };

  MessageList.prototype.append = function (node, force) {
    var stick = force || this.nearBottom();
    this.container.appendChild(node);
    // Follow new messages only when the reader is at the bottom: never yank someone reading back.
    if (stick) this.toBottom();
    else if (this.jump) this.jump.hidden = false;
  };

  MessageList.prototype.clear = function () {
    this.container.textContent = '';
    this.seqs = {};
    this.pending = {};
    this.lastSeq = 0;
    this.last = null;
    this.count = 0;
    if (this.jump) this.jump.hidden = true;
  };

  MessageList.prototype.system = function (text, kind) {
    var row = el('div', 'msg system' + (kind ? ' ' + kind : ''));
    row.appendChild(el('span', 'bubble', text));
    this.last = null;
    this.append(row);
    return row;
  };

  /** Only our own image paths go into src/href: a frame can never point a page elsewhere. */
  function imageUrl(image) {
    return image && typeof image.url === 'string' && /^\/api\/images\/[A-Za-z0-9_-]{22}\?[A-Za-z0-9_=&-]*$/.test(image.url) ? image.url : null;
  }

  /** A thumbnail that opens the full image in a new tab (the server serves it sandboxed). */
  function thumbnail(image, sender) {
    var url = imageUrl(image);
    if (!url) return null;
    var link = el('a', 'thumb-link');
    link.href = url;
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
    link.title = S.t('openImage');
    var img = el('img', 'thumb');
    img.src = url;
    img.alt = S.t('imageAlt', sender);
    if (image.width > 0 && image.height > 0) {
      img.width = image.width;
      img.height = image.height;
    }
    link.appendChild(img);
    return link;
  }

  MessageList.prototype.bubble = function (sender, text, ts, own, image) {
    var when = typeof ts === 'number' ? ts : Date.now();
    var row = el('div', 'msg ' + (own ? 'own' : 'peer'));
    var prev = this.last;
    var grouped = prev && prev.own === own && prev.sender === sender && when - prev.ts < GROUP_MS;
    if (grouped) row.classList.add('cont');
    if (!own) {
      var avatar = el('span', 'avatar small');
      avatar.setAttribute('aria-hidden', 'true');
      paintAvatar(avatar, sender, this.avatars[sender]);
      row.appendChild(avatar);
    }
    var body = el('div', 'body');
    var meta = el('div', 'meta');
    // Own messages need no name: they are on the right and the name is in the header.
    meta.appendChild(el('span', own ? 'sender visually-hidden' : 'sender', sender));
    meta.appendChild(timeElement(when));
    body.appendChild(meta);
    var thumb = image ? thumbnail(image, sender) : null;
    var bubble = el('div', thumb ? 'bubble image' : 'bubble', thumb ? undefined : text);
    if (thumb) bubble.appendChild(thumb);
    body.appendChild(bubble);
    body.appendChild(el('div', 'state'));
    row.appendChild(body);
    this.last = { own: own, sender: sender, ts: when };
    this.count++;
    return row;
  };

  /**
   * Shows an own message at once, marked pending until its ack arrives. `frame` is what to send
   * again on a retry (an image frame); a text message is resent from its text.
   */
  MessageList.prototype.pendingMessage = function (cid, sender, text, frame) {
    var row = this.bubble(sender, text, Date.now(), true);
    row.classList.add('pending');
    row.querySelector('.state').textContent = S.t('pending');
    this.pending[cid] = { row: row, text: text, frame: frame || null };
    this.append(row, true);
  };

  MessageList.prototype.failed = function (cid, onRetry) {
    var p = cid && this.pending[cid];
    if (!p || p.row.classList.contains('failed')) return;
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
      onRetry(cid, p.text, p.frame);
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
    this.append(this.bubble(String(f.shuiFaDe), String(f.neiRong), f.ts, own, f.image));
    return !own;
  };

  /**
   * An answer from the FAQ bot: a peer bubble marked as the bot's in words (a badge) and in
   * style, so nobody takes it for a person. Never stored, so it has no seq.
   */
  MessageList.prototype.bot = function (f) {
    var row = this.bubble(String(f.shuiFaDe), String(f.neiRong), f.ts, false);
    row.classList.add('bot');
    var meta = row.querySelector('.meta');
    meta.insertBefore(el('span', 'badge', S.t('botBadge')), meta.firstChild.nextSibling);
    // Grouping would hide the badge on a second answer: each answer carries its own.
    this.last = null;
    this.append(row);
    return row;
  };

  MessageList.prototype.settle = function (f) {
    var p = f.cid && this.pending[f.cid];
    if (!p) return;
    p.row.classList.remove('pending', 'failed');
    p.row.querySelector('.state').textContent = '';
    // An image shows as text while it is on its way; the ack brings its URL.
    var thumb = f.image ? thumbnail(f.image, String(f.shuiFaDe)) : null;
    var bubble = p.row.querySelector('.bubble');
    if (thumb && bubble && !bubble.querySelector('img')) {
      bubble.textContent = '';
      bubble.classList.add('image');
      bubble.appendChild(thumb);
    }
    var t = p.row.querySelector('.time');
    if (t && typeof f.ts === 'number') t.textContent = time(f.ts);
    delete this.pending[f.cid];
  };

  /**
   * The last message still waiting for its ack. An error that names no cid (the server rejects
   * an over-rate frame before reading it) most likely refers to it; if that guess is wrong, the
   * real ack still arrives and clears the mark.
   */
  MessageList.prototype.newestPending = function () {
    var keys = Object.keys(this.pending);
    return keys.length ? keys[keys.length - 1] : null;
  };

  MessageList.prototype.unacked = function () {
    var out = [];
    for (var cid in this.pending) out.push({ cid: cid, text: this.pending[cid].text, frame: this.pending[cid].frame });
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
      if (f && typeof f === 'object') self.opts.onFrame(f);
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

  /** Unread count in the tab title and a flashing header while the tab is hidden. */
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
    if (!document.hidden) return false;
    this.count++;
    document.title = S.t('unread', this.count) + this.base;
    document.body.classList.add('attention');
    return true;
  };
  TitleBadge.prototype.reset = function () {
    this.count = 0;
    document.title = this.base;
    document.body.classList.remove('attention');
  };

  /** A short soft beep; silent where audio is not allowed (the title badge still shows it). */
  function chime() {
    try {
      var Ctx = window.AudioContext || window.webkitAudioContext;
      if (!Ctx) return;
      var ctx = new Ctx();
      var osc = ctx.createOscillator();
      var gain = ctx.createGain();
      gain.gain.value = 0.05;
      osc.connect(gain);
      gain.connect(ctx.destination);
      osc.frequency.value = 880;
      osc.start();
      osc.stop(ctx.currentTime + 0.15);
      osc.onended = function () {
        ctx.close();
      };
    } catch (e) {
      /* no audio */
    }
  }

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

  /** A small emoji palette that inserts at the caret; Escape or a click elsewhere closes it. */
  function bindEmoji(button, panel, textarea) {
    function close() {
      panel.hidden = true;
      button.setAttribute('aria-expanded', 'false');
    }
    EMOJI.forEach(function (em) {
      var b = el('button', 'emoji', em);
      b.type = 'button';
      b.setAttribute('aria-label', em);
      b.addEventListener('click', function () {
        var start = textarea.selectionStart || 0;
        var end = textarea.selectionEnd || 0;
        textarea.value = textarea.value.slice(0, start) + em + textarea.value.slice(end);
        textarea.selectionStart = textarea.selectionEnd = start + em.length;
        close();
        textarea.focus();
      });
      panel.appendChild(b);
    });
    button.addEventListener('click', function () {
      panel.hidden = !panel.hidden;
      button.setAttribute('aria-expanded', String(!panel.hidden));
      if (!panel.hidden && panel.firstChild) panel.firstChild.focus();
    });
    panel.addEventListener('keydown', function (e) {
      if (e.key === 'Escape') {
        close();
        button.focus();
      }
    });
    document.addEventListener('click', function (e) {
      if (!panel.hidden && !panel.contains(e.target) && e.target !== button) close();
    });
  }

  /** The other party's name: a field when the server sends one, else read from the notice text. */
  function nameIn(f, field, pattern) {
    if (typeof f[field] === 'string') return f[field];
    if (typeof f.peer === 'string') return f.peer;
    return String(f.neiRong).replace(pattern, '$1');
  }

  // The server's name rule, closely enough that a page never sends a name the server refuses for
  // its characters: nothing invisible (controls, format characters, default ignorables) and
  // something visible. The server stays the authority (it also refuses look-alikes of reserved names).
  var NAME_FORBIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;
  var NAME_DRAWS_NOTHING = /[\s\p{Z}\p{M}\u2800\u115f\u1160\u3164\uffa0\u{1d159}]/gu;

  /** A name as the server will know it: NFKC (full-width letters as plain ones), trimmed. */
  function normalName(name) {
    return name.normalize('NFKC').trim();
  }

  function validName(name) {
    var n = normalName(name);
    var len = Array.from(n).length;
    return len >= 1 && len <= 32 && !NAME_FORBIDDEN.test(n) && n.replace(NAME_DRAWS_NOTHING, '') !== '';
  }

  /** A notice that shows for a few seconds (error frames are not chat messages). */
  function Notice(node) {
    this.node = node;
    this.timer = null;
  }
  Notice.prototype.hide = function () {
    clearTimeout(this.timer);
    this.node.hidden = true;
  };
  Notice.prototype.show = function (text) {
    var node = this.node;
    node.textContent = text;
    node.hidden = false;
    clearTimeout(this.timer);
    this.timer = setTimeout(function () {
      node.hidden = true;
    }, 5000);
  };

  /** Sends a typing frame while the person types: at most one every 2 s, never for an empty field. */
  function bindTyping(textarea, canSend, send) {
    var last = 0;
    textarea.addEventListener('input', function () {
      var now = Date.now();
      if (!textarea.value.trim() || now - last < 2000 || !canSend()) return;
      last = now;
      send({ type: 'typing' });
    });
  }

  /** "NAME is typing…" under the conversation, gone after a few quiet seconds or their message. */
  function TypingIndicator(node) {
    this.node = node;
    this.timer = null;
  }
  TypingIndicator.prototype.show = function (name) {
    var node = this.node;
    node.textContent = S.t('typing', name);
    node.hidden = false;
    clearTimeout(this.timer);
    this.timer = setTimeout(function () {
      node.hidden = true;
    }, 4000);
  };
  TypingIndicator.prototype.hide = function () {
    clearTimeout(this.timer);
    this.node.hidden = true;
  };

  /**
   * The types and size the server takes: the defaults until GET /api/images/limits answers
   * (the server has the last word anyway, with 413 and 415).
   */
  var IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];
  var MAX_IMAGE_BYTES = 5 * 1024 * 1024;

  function loadImageLimits() {
    fetch('/api/images/limits')
      .then(function (r) {
        return r.ok ? r.json() : null;
      })
      .then(function (body) {
        if (body && typeof body.maxBytes === 'number' && body.maxBytes > 0) MAX_IMAGE_BYTES = body.maxBytes;
      })
      .catch(function () {
        /* the defaults stand; the server still checks */
      });
  }

  function sizeText(bytes) {
    return bytes >= 1024 * 1024 ? Math.round((bytes / 1024 / 1024) * 10) / 10 + ' MB' : Math.max(1, Math.round(bytes / 1024)) + ' KB';
  }

  /** Why a file can't be sent, before uploading it (null when it may go). */
  function checkImage(file) {
    if (IMAGE_TYPES.indexOf(file.type) < 0) return S.t('imageNotImage', file.name);
    if (file.size > MAX_IMAGE_BYTES) return S.t('imageTooLarge', file.name, sizeText(MAX_IMAGE_BYTES));
    return null;
  }

  /** How many times an upload turned away as busy (429) is tried again, after the server's Retry-After. */
  var BUSY_RETRIES = 3;

  /**
   * Uploads one image; resolves { id } or { error: readable text }. The server decides by the
   * bytes, so a renamed text file is refused here too (415), and tells its own size limit (413).
   */
  function uploadImage(file, url, token, retries) {
    if (retries === undefined) retries = BUSY_RETRIES;
    return fetch(url, { method: 'POST', headers: { Authorization: 'Bearer ' + token }, body: file })
      .then(function (r) {
        return r.json().then(
          function (body) {
            return { status: r.status, body: body || {}, retryAfter: Number(r.headers.get('Retry-After')) || 1 };
          },
          function () {
            return { status: r.status, body: {}, retryAfter: 1 };
          },
        );
      })
      .then(function (res) {
        if (res.status === 429 && retries > 0) {
          return new Promise(function (resolve) {
            setTimeout(resolve, Math.min(res.retryAfter, 10) * 1000);
          }).then(function () {
            return uploadImage(file, url, token, retries - 1);
          });
        }
        if (res.status === 201 && typeof res.body.id === 'string') return { id: res.body.id };
        if (res.status === 413) return { error: S.t('imageTooLarge', file.name, sizeText(Number(res.body.maxBytes) || MAX_IMAGE_BYTES)) };
        if (res.status === 415) return { error: S.t('imageNotImage', file.name) };
        return { error: S.t('imageFailed', file.name) };
      })
      .catch(function () {
        return { error: S.t('imageFailed', file.name) };
      });
  }

  /**
   * Uploads go one after another, in the order the files were given: the server lets a
   * conversation have only a couple in progress at once (and they share the line anyway).
   */
  var uploads = Promise.resolve();

  /**
   * Sends one image as a person expects: checked here, uploaded (with the page's own token),
   * then sent as an image frame shown pending until its ack, like a text message. `chat` is the
   * page's { sender, list, notice, send(frame) -> bool, resend }.
   */
  function sendImage(file, url, token, chat) {
    var problem = checkImage(file);
    if (problem) {
      chat.notice.show(problem);
      return;
    }
    chat.notice.show(S.t('imageUploading'));
    uploads = uploads.then(function () {
      return uploadImage(file, url, token);
    });
    uploads.then(function (res) {
      if (res.error) {
        chat.notice.show(res.error);
        return;
      }
      chat.notice.hide();
      var cid = newCid();
      var frame = { type: 'image', image: res.id, cid: cid };
      chat.list.pendingMessage(cid, chat.sender, S.t('imageMessage'), frame);
      if (!chat.send(frame)) chat.list.failed(cid, chat.resend);
    });
  }

  /**
   * Every way a person hands the page an image: the attach button (a hidden file input behind
   * it), pasting into the message field, and dropping files on the conversation.
   */
  function bindImagePicker(button, input, textarea, dropZone, onFile) {
    loadImageLimits();
    button.addEventListener('click', function () {
      input.click();
    });
    input.addEventListener('change', function () {
      Array.prototype.forEach.call(input.files || [], onFile);
      input.value = '';
    });
    textarea.addEventListener('paste', function (e) {
      var files = e.clipboardData ? Array.prototype.slice.call(e.clipboardData.files || []) : [];
      if (!files.length) return;
      // A pasted picture is sent as a picture, not as its file name in the text.
      e.preventDefault();
      files.forEach(onFile);
    });
    var depth = 0;
    function hasFiles(e) {
      return e.dataTransfer && Array.prototype.indexOf.call(e.dataTransfer.types || [], 'Files') >= 0;
    }
    dropZone.addEventListener('dragenter', function (e) {
      if (!hasFiles(e)) return;
      depth++;
      dropZone.classList.add('dragging');
    });
    dropZone.addEventListener('dragleave', function () {
      depth = Math.max(0, depth - 1);
      if (!depth) dropZone.classList.remove('dragging');
    });
    dropZone.addEventListener('dragover', function (e) {
      if (!hasFiles(e)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    });
    dropZone.addEventListener('drop', function (e) {
      depth = 0;
      dropZone.classList.remove('dragging');
      var files = e.dataTransfer ? Array.prototype.slice.call(e.dataTransfer.files || []) : [];
      if (!files.length) return;
      e.preventDefault();
      files.forEach(onFile);
    });
  }

  window.KefuChat = {
    checkImage: checkImage,
    uploadImage: uploadImage,
    sendImage: sendImage,
    bindImagePicker: bindImagePicker,
    bindTyping: bindTyping,
    TypingIndicator: TypingIndicator,
    el: el,
    time: time,
    duration: duration,
    paintAvatar: paintAvatar,
    bindAvatarPicker: bindAvatarPicker,
    newCid: newCid,
    MessageList: MessageList,
    Connection: Connection,
    TitleBadge: TitleBadge,
    Notice: Notice,
    chime: chime,
    bindComposer: bindComposer,
    bindEmoji: bindEmoji,
    validName: validName,
    normalName: normalName,
    nameIn: nameIn,
  };
})();

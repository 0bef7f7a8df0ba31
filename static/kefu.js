// Agent console: one room, one customer at a time, resumable after a drop or a reload.
(function () {
  'use strict';
  var S = window.KefuStrings;
  var C = window.KefuChat;
  var $ = function (id) {
    return document.getElementById(id);
  };
  var ui = {
    status: $('status'), loginView: $('loginView'), login: $('login'), name: $('name'), key: $('key'), loginError: $('loginError'),
    connect: $('connect'), chat: $('chat'), peer: $('peer'), peerState: $('peerState'), peerAvatar: $('peerAvatar'), messages: $('messages'),
    notice: $('notice'), composer: $('composer'), input: $('input'), send: $('send'), disconnect: $('disconnect'),
    emojiButton: $('emojiButton'), emojiPanel: $('emojiPanel'), jump: $('jump'),
    meName: $('meName'), meAvatar: $('meAvatar'), customerCard: $('customerCard'), customerName: $('customerName'),
    customerAvatar: $('customerAvatar'), customerSince: $('customerSince'), noCustomer: $('noCustomer'), queueInfo: $('queueInfo'),
  };
  var list = new C.MessageList(ui.messages, 'kefu', ui.jump);
  var badge = new C.TitleBadge(S.t('agentTitle'));
  var notice = new C.Notice(ui.notice);
  var me = { name: '', key: '' };
  var conversationId = null;
  var customer = null;
  var sinceTime = '';
  var conn = null;

  // The key comes in the URL fragment (never sent to a server) and stays only in this tab.
  var fragment = new URLSearchParams(location.hash.slice(1));
  if (fragment.get('key')) ui.key.value = fragment.get('key');
  ui.name.value = sessionStorage.getItem('kefu.name') || '';
  (ui.name.value ? (ui.key.value ? ui.connect : ui.key) : ui.name).focus();

  function setStatus(text, kind) {
    ui.status.textContent = text;
    ui.status.className = 'status ' + kind;
  }

  function setComposer(enabled) {
    // A disabled field keeps focus but takes no keys: hand focus to the conversation instead.
    if (!enabled && document.activeElement === ui.input) ui.messages.focus();
    ui.input.disabled = !enabled;
    ui.send.disabled = !enabled;
  }

  function showChat(on) {
    ui.loginView.hidden = on;
    ui.chat.hidden = !on;
  }

  /** Header, sidebar and status for "serving NAME" or, with null, "waiting for a customer". */
  function serving(name, since) {
    customer = name;
    ui.peer.textContent = name || S.t('waitingShort');
    if (since) sinceTime = C.time(since);
    ui.peerState.textContent = name ? S.t('inConversation', sinceTime) : S.t('noCustomer');
    // With nobody in the room a message would only echo back: wait for a customer.
    var wasDisabled = ui.input.disabled;
    setComposer(!!name && !!conn && !conn.stopped);
    if (wasDisabled && !ui.input.disabled && (!document.activeElement || document.activeElement === document.body || document.activeElement === ui.messages)) ui.input.focus();
    C.paintAvatar(ui.peerAvatar, name || '');
    ui.peerAvatar.classList.toggle('placeholder', !name);
    ui.customerCard.hidden = !name;
    ui.noCustomer.hidden = !!name;
    if (name) {
      ui.customerName.textContent = name;
      C.paintAvatar(ui.customerAvatar, name);
      ui.customerSince.textContent = S.t('since', sinceTime);
      setStatus(S.t('stateServing', name), 'ok');
    } else {
      setStatus(S.t('stateWaitingRoom'), 'waiting');
    }
  }

  function attention() {
    if (badge.bump()) C.chime();
  }

  function reloadHistory() {
    if (!conversationId) return;
    fetch('/api/conversations/' + encodeURIComponent(conversationId) + '/messages?limit=200', {
      headers: { Authorization: 'Bearer ' + me.key },
    })
      .then(function (r) {
        return r.ok ? r.json() : null;
      })
      .then(function (body) {
        if (!body || !Array.isArray(body.messages)) return;
        list.clear();
        body.messages.forEach(function (m) {
          list.message({ neiRong: m.content, shuiFaDe: m.sender, role: m.role, ts: m.ts, seq: m.seq, cid: m.cid });
        });
      })
      .catch(function () {
        /* the live conversation goes on; only the backlog is missing */
      });
  }

  /** Server frames: a switch on type, then on event, so a new event is one more case. */
  function onFrame(f) {
    switch (f.type) {
      case 'message':
        if (list.message(f)) attention();
        return;
      case 'error':
        list.failed(f.cid || list.newestPending(), resend);
        notice.show(String(f.neiRong));
        return;
      case 'system':
        break;
      default:
        return;
    }
    var text = String(f.neiRong);
    if (typeof f.waiting === 'number') showQueue(f.waiting);
    switch (f.event) {
      case 'room_opened':
        conversationId = null;
        serving(null);
        list.system(text);
        break;
      case 'customer_entered': {
        if (f.conversationId !== conversationId) {
          list.clear();
          conversationId = f.conversationId || null;
          attention();
        }
        // Remember when this customer arrived, so a reloaded console still shows it.
        var sinceKey = 'kefu.since.' + conversationId;
        if (!sessionStorage.getItem(sinceKey)) sessionStorage.setItem(sinceKey, String(f.ts || Date.now()));
        serving(C.nameIn(f, 'customer', /^用户-(.*)-已进入房间$/), Number(sessionStorage.getItem(sinceKey)));
        list.system(text);
        break;
      }
      case 'customer_left':
        list.system(text);
        conversationId = null;
        serving(null);
        break;
      case 'peer_away':
        list.system(text, 'away');
        setStatus(S.t('statePeerAway'), 'warn');
        ui.peerState.textContent = S.t('statePeerAway');
        break;
      case 'peer_back':
        list.system(text);
        serving(customer);
        break;
      case 'resumed':
        if (!f.recovered) reloadHistory();
        break;
      case 'queue_length':
        break;
      default:
        list.system(text);
    }
  }

  /** How many customers wait, when the server says (a `waiting` count on a system frame). */
  function showQueue(n) {
    ui.queueInfo.hidden = n <= 0;
    ui.queueInfo.textContent = S.t('queueLength', n);
  }

  function resend(cid, text) {
    if (!conn.send({ neiRong: text, cid: cid })) list.failed(cid, resend);
  }

  function sendMessage() {
    var text = ui.input.value;
    if (!text.trim() || ui.input.disabled) return;
    var cid = C.newCid();
    list.pendingMessage(cid, me.name, text);
    if (!conn.send({ neiRong: text, cid: cid })) list.failed(cid, resend);
    ui.input.value = '';
    ui.input.focus();
  }

  function start() {
    var name = ui.name.value.trim();
    var key = ui.key.value;
    ui.loginError.textContent = '';
    if (!C.validName(name)) {
      ui.loginError.textContent = S.t('nameRequired');
      ui.name.focus();
      return;
    }
    if (!key) {
      ui.loginError.textContent = S.t('keyRequired');
      ui.key.focus();
      return;
    }
    me = { name: name, key: key };
    ui.meName.textContent = name;
    C.paintAvatar(ui.meAvatar, name);
    sessionStorage.setItem('kefu.name', name);
    ui.connect.disabled = true;
    setStatus(S.t('stateConnecting'), 'busy');
    conn = new C.Connection({
      params: function () {
        var p = { type: 'kefu', name: me.name, key: me.key };
        if (conversationId && list.lastSeq > 0) p.since = String(list.lastSeq);
        return p;
      },
      onOpen: function () {
        sessionStorage.setItem('kefu.active', '1');
        ui.connect.disabled = false;
        showChat(true);
        setComposer(!!customer);
        (customer ? ui.input : ui.messages).focus();
        list.unacked().forEach(function (p) {
          conn.send({ neiRong: p.text, cid: p.cid });
        });
      },
      onFrame: onFrame,
      shouldRetry: function (code, opened) {
        if (code === 4400 || code === 4401 || code === 4409) return false;
        return opened || code === 1006;
      },
      onRetry: function (seconds) {
        setStatus(S.t('stateReconnecting', seconds), 'warn');
      },
      onClose: function (e, again) {
        setComposer(false);
        if (again) return;
        ui.connect.disabled = false;
        sessionStorage.removeItem('kefu.active');
        conversationId = null;
        list.clear();
        if (e.code === 1000 && conn && conn.stopped) {
          setStatus(S.t('stateIdle'), 'idle');
        } else {
          var reason = S.closeReason(e.code, 'kefu');
          setStatus(reason, 'error');
          ui.loginError.textContent = reason;
        }
        showChat(false);
        ui.connect.focus();
      },
    });
    conn.start();
  }

  ui.login.addEventListener('submit', function (e) {
    e.preventDefault();
    start();
  });
  ui.composer.addEventListener('submit', function (e) {
    e.preventDefault();
    sendMessage();
  });
  ui.disconnect.addEventListener('click', function () {
    sessionStorage.removeItem('kefu.active');
    if (conn) conn.stop();
  });
  C.bindComposer(ui.input, sendMessage);
  C.bindEmoji(ui.emojiButton, ui.emojiPanel, ui.input);

  // A reload while connected reconnects at once; the server replays the whole conversation.
  if (sessionStorage.getItem('kefu.active') && ui.name.value && ui.key.value) start();
})();

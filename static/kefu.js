// Agent console: one room, one customer at a time, resumable after a drop or a reload.
(function () {
  'use strict';
  var S = window.KefuStrings;
  var C = window.KefuChat;
  var $ = function (id) {
    return document.getElementById(id);
  };
  var ui = {
    status: $('status'), login: $('login'), name: $('name'), key: $('key'), loginError: $('loginError'),
    chat: $('chat'), peer: $('peer'), messages: $('messages'), notice: $('notice'), composer: $('composer'),
    input: $('input'), send: $('send'), disconnect: $('disconnect'), emojiButton: $('emojiButton'), emojiPanel: $('emojiPanel'),
  };
  var list = new C.MessageList(ui.messages, 'kefu');
  var badge = new C.TitleBadge(S.t('agentTitle'));
  var me = { name: '', key: '' };
  var conversationId = null;
  var customer = null;
  var conn = null;
  var noticeTimer = null;

  // The key comes in the URL fragment (never sent to a server) and stays only in this tab.
  var fragment = new URLSearchParams(location.hash.slice(1));
  if (fragment.get('key')) ui.key.value = fragment.get('key');
  ui.name.value = sessionStorage.getItem('kefu.name') || '';

  function setStatus(text, kind) {
    ui.status.textContent = text;
    ui.status.className = 'status ' + kind;
  }

  function notice(text) {
    ui.notice.textContent = text;
    ui.notice.hidden = false;
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(function () {
      ui.notice.hidden = true;
    }, 5000);
  }

  function setComposer(enabled) {
    ui.input.disabled = !enabled;
    ui.send.disabled = !enabled;
  }

  function showChat(on) {
    ui.login.hidden = on;
    ui.chat.hidden = !on;
  }

  function serving(name) {
    customer = name;
    ui.peer.textContent = name ? name : '';
    if (name) setStatus(S.t('stateServing', name), 'ok');
    else setStatus(S.t('stateWaitingRoom'), 'waiting');
  }

  function alertArrival() {
    badge.bump();
    if (document.hidden) {
      document.body.classList.add('attention');
      try {
        var ctx = new (window.AudioContext || window.webkitAudioContext)();
        var osc = ctx.createOscillator();
        var gain = ctx.createGain();
        gain.gain.value = 0.05;
        osc.connect(gain);
        gain.connect(ctx.destination);
        osc.frequency.value = 880;
        osc.start();
        osc.stop(ctx.currentTime + 0.15);
      } catch (e) {
        /* no audio: the title badge still shows it */
      }
    }
  }
  document.addEventListener('visibilitychange', function () {
    if (!document.hidden) document.body.classList.remove('attention');
  });

  function reloadHistory() {
    if (!conversationId) return;
    fetch('/api/conversations/' + encodeURIComponent(conversationId) + '/messages?limit=200', {
      headers: { Authorization: 'Bearer ' + me.key },
    })
      .then(function (r) {
        return r.ok ? r.json() : null;
      })
      .then(function (body) {
        if (!body) return;
        list.clear();
        body.messages.forEach(function (m) {
          list.message({ neiRong: m.content, shuiFaDe: m.sender, role: m.role, ts: m.ts, seq: m.seq, cid: m.cid });
        });
      });
  }

  function onFrame(f) {
    if (f.type === 'message') {
      if (list.message(f)) alertArrival();
      return;
    }
    if (f.type === 'error') {
      if (f.cid && list.pending[f.cid]) list.failed(f.cid, resend);
      notice(f.neiRong);
      return;
    }
    if (f.type !== 'system') return;
    switch (f.event) {
      case 'room_opened':
        conversationId = null;
        serving(null);
        list.system(f.neiRong);
        break;
      case 'customer_entered':
        if (f.conversationId !== conversationId) {
          list.clear();
          conversationId = f.conversationId;
          alertArrival();
        }
        serving(f.neiRong.replace(/^用户-(.*)-已进入房间$/, '$1'));
        list.system(f.neiRong);
        break;
      case 'customer_left':
        list.system(f.neiRong);
        conversationId = null;
        serving(null);
        break;
      case 'peer_away':
        list.system(f.neiRong, 'away');
        setStatus(S.t('statePeerAway'), 'warn');
        break;
      case 'peer_back':
        list.system(f.neiRong);
        serving(customer);
        break;
      case 'resumed':
        if (!f.recovered) reloadHistory();
        break;
      default:
        list.system(f.neiRong);
    }
  }

  function resend(cid, text) {
    conn.send({ neiRong: text, cid: cid });
  }

  function sendMessage() {
    var text = ui.input.value;
    if (!text.trim()) return;
    var cid = C.newCid();
    list.pendingMessage(cid, me.name, text);
    ui.messages.scrollTop = ui.messages.scrollHeight;
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
      return;
    }
    if (!key) {
      ui.loginError.textContent = S.t('keyRequired');
      return;
    }
    me = { name: name, key: key };
    sessionStorage.setItem('kefu.name', name);
    setStatus(S.t('stateConnecting'), 'busy');
    conn = new C.Connection({
      params: function () {
        var p = { type: 'kefu', name: me.name, key: me.key };
        if (conversationId && list.lastSeq > 0) p.since = String(list.lastSeq);
        return p;
      },
      onOpen: function () {
        sessionStorage.setItem('kefu.active', '1');
        showChat(true);
        setComposer(true);
        ui.input.focus();
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
        sessionStorage.removeItem('kefu.active');
        if (e.code === 1000 && conn && conn.stopped) {
          setStatus(S.t('stateIdle'), 'idle');
        } else {
          setStatus(S.closeReason(e.code), 'error');
          ui.loginError.textContent = S.closeReason(e.code);
        }
        showChat(false);
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

// Customer widget: ask for an agent (or a place in the queue), chat, and come back by itself
// after a drop or a reload with the resume token the server gave.
(function () {
  'use strict';
  var S = window.KefuStrings;
  var C = window.KefuChat;
  var $ = function (id) {
    return document.getElementById(id);
  };
  var ui = {
    status: $('status'), start: $('start'), name: $('name'), startError: $('startError'), contact: $('contact'),
    chat: $('chat'), peer: $('peer'), messages: $('messages'), notice: $('notice'), ended: $('ended'), endedText: $('endedText'),
    again: $('again'), composer: $('composer'), input: $('input'), send: $('send'), leave: $('leave'),
    emojiButton: $('emojiButton'), emojiPanel: $('emojiPanel'),
  };
  var list = new C.MessageList(ui.messages, 'yonghu');
  var badge = new C.TitleBadge(S.t('customerTitle'));
  var conn = null;
  var noticeTimer = null;
  // What survives a reload of this tab: who we are and how to resume.
  var session = JSON.parse(sessionStorage.getItem('yonghu.session') || 'null') || { name: '', resume: null, agent: null };
  var ticket = null;
  var seated = false;

  function save() {
    sessionStorage.setItem('yonghu.session', JSON.stringify(session));
  }

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
    ui.start.hidden = on;
    ui.chat.hidden = !on;
  }

  /** The conversation is over: no reconnect, the next chat starts from the name field. */
  function end(text) {
    seated = false;
    session.resume = null;
    sessionStorage.removeItem('yonghu.session');
    setComposer(false);
    ui.leave.hidden = true;
    ui.endedText.textContent = text;
    ui.ended.hidden = false;
    setStatus(S.t('stateEnded'), 'idle');
    if (conn) conn.stop();
  }

  function reloadHistory() {
    if (!session.resume) return;
    fetch('/api/me/messages?limit=200', { headers: { Authorization: 'Bearer ' + session.resume } })
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
      if (list.message(f)) badge.bump();
      return;
    }
    if (f.type === 'close') {
      end(S.t('stateEnded'));
      return;
    }
    if (f.type === 'error') {
      if (f.cid && list.pending[f.cid]) list.failed(f.cid, resend);
      notice(f.neiRong);
      return;
    }
    if (typeof f.resume === 'string') {
      session.resume = f.resume;
      save();
    }
    switch (f.event) {
      case 'queue_position':
        setStatus(S.t('stateQueued', Math.max(0, f.position - 1)), 'waiting');
        ui.peer.textContent = '';
        if (!ui.messages.querySelector('.queue')) list.system(f.neiRong, 'queue');
        else ui.messages.querySelector('.queue .bubble').textContent = f.neiRong;
        break;
      case 'agent_assigned':
        seated = true;
        session.agent = f.neiRong.replace(/^客服-(.*)-将为您服务$/, '$1');
        save();
        ui.peer.textContent = session.agent;
        setStatus(S.t('stateChatting', session.agent), 'ok');
        setComposer(true);
        if (!list.seenAssigned) list.system(f.neiRong);
        list.seenAssigned = true;
        ui.input.focus();
        break;
      case 'peer_away':
        list.system(f.neiRong, 'away');
        setStatus(S.t('statePeerAway'), 'warn');
        break;
      case 'peer_back':
        list.system(f.neiRong);
        setStatus(S.t('stateChatting', session.agent), 'ok');
        break;
      case 'resumed':
        if (!f.recovered) reloadHistory();
        break;
      case 'queue_timeout':
      case 'agent_left':
        list.system(f.neiRong);
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
    if (!text.trim() || !seated) return;
    var cid = C.newCid();
    list.pendingMessage(cid, session.name, text);
    ui.messages.scrollTop = ui.messages.scrollHeight;
    if (!conn.send({ neiRong: text, cid: cid })) list.failed(cid, resend);
    ui.input.value = '';
    ui.input.focus();
  }

  function connect() {
    showChat(true);
    ui.ended.hidden = true;
    ui.leave.hidden = false;
    setStatus(S.t('stateConnecting'), 'busy');
    conn = new C.Connection({
      params: function () {
        var p = { type: 'yonghu', name: session.name };
        if (session.resume && (seated || !ticket)) {
          p.resume = session.resume;
          // An empty page (after a reload) gets the whole conversation; otherwise what it missed.
          if (list.lastSeq > 0) p.since = String(list.lastSeq);
        } else {
          p.ticket = ticket;
        }
        return p;
      },
      onOpen: function () {
        list.unacked().forEach(function (p) {
          conn.send({ neiRong: p.text, cid: p.cid });
        });
      },
      onFrame: onFrame,
      shouldRetry: function (code, opened) {
        if (code === 1000 || code === 4002 || code === 4400 || code === 4401 || code === 4409) return false;
        // A place in the queue is not resumable: only a seated customer comes back by itself.
        if (!seated) return false;
        return opened || code === 1006;
      },
      onRetry: function (seconds) {
        setComposer(false);
        setStatus(S.t('stateReconnecting', seconds), 'warn');
      },
      onClose: function (e, again) {
        if (again) return;
        if (!ui.ended.hidden) return;
        if (e.code === 4401 && session.resume) end(S.t('stateEnded')); // the conversation ended while we were away
        else end(e.code === 1006 && !seated ? S.t('stateUnreachable') : S.closeReason(e.code));
      },
    });
    conn.start();
  }

  function contact() {
    var name = ui.name.value.trim();
    ui.startError.textContent = '';
    if (!C.validName(name)) {
      ui.startError.textContent = S.t('nameRequired');
      return;
    }
    ui.contact.disabled = true;
    fetch('/getroom?userName=' + encodeURIComponent(name), { cache: 'no-store' })
      .then(function (r) {
        return r.json().then(function (body) {
          return { status: r.status, body: body };
        });
      })
      .then(function (res) {
        ui.contact.disabled = false;
        if (res.status !== 200) {
          ui.startError.textContent = res.body.message || S.t('nameRequired');
          return;
        }
        if (!res.body.ticket) {
          ui.startError.textContent = res.body.full ? S.t('queueFull') : S.t('noAgent');
          ui.contact.textContent = S.t('tryAgain');
          return;
        }
        session = { name: name, resume: null, agent: null };
        save();
        ticket = res.body.ticket;
        seated = false;
        list.clear();
        list.seenAssigned = false;
        connect();
      })
      .catch(function () {
        ui.contact.disabled = false;
        ui.startError.textContent = S.t('stateUnreachable');
        setStatus(S.t('stateUnreachable'), 'error');
      });
  }

  ui.start.addEventListener('submit', function (e) {
    e.preventDefault();
    contact();
  });
  ui.composer.addEventListener('submit', function (e) {
    e.preventDefault();
    sendMessage();
  });
  ui.leave.addEventListener('click', function () {
    end(S.t('stateEnded'));
  });
  ui.again.addEventListener('click', function () {
    ui.ended.hidden = true;
    showChat(false);
    ui.name.value = session.name || ui.name.value;
    ui.name.focus();
  });
  C.bindComposer(ui.input, sendMessage);
  C.bindEmoji(ui.emojiButton, ui.emojiPanel, ui.input);

  ui.name.value = session.name || '';
  // Reloaded mid-conversation: come back with the resume token and get the whole history.
  if (session.resume && session.name) {
    seated = true;
    connect();
  }
})();

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
    status: $('status'), startView: $('startView'), start: $('start'), name: $('name'), startError: $('startError'),
    contact: $('contact'), chat: $('chat'), peer: $('peer'), peerState: $('peerState'), peerAvatar: $('peerAvatar'),
    messages: $('messages'), notice: $('notice'), queueCard: $('queueCard'), queueAhead: $('queueAhead'), ended: $('ended'),
    endedText: $('endedText'), again: $('again'), composer: $('composer'), input: $('input'), send: $('send'), leave: $('leave'),
    emojiButton: $('emojiButton'), emojiPanel: $('emojiPanel'), jump: $('jump'), attach: $('attachButton'), fileInput: $('fileInput'),
    conversation: $('conversation'), typing: $('typing'), avatarChoices: $('avatarChoices'),
    queueHint: $('queueHint'), offlineOpen: $('offlineOpen'), offlineForm: $('offlineForm'), offlineContact: $('offlineContact'),
    offlineText: $('offlineText'), offlineError: $('offlineError'), offlineSend: $('offlineSend'), offlineCancel: $('offlineCancel'),
    startOffline: $('startOffline'),
  };
  var chosenAvatar = C.bindAvatarPicker(ui.avatarChoices, 'yonghu.avatar', ui.name);
  var typing = new C.TypingIndicator(ui.typing);
  var list = new C.MessageList(ui.messages, 'yonghu', ui.jump);
  var badge = new C.TitleBadge(S.t('customerTitle'));
  var notice = new C.Notice(ui.notice);
  var rating = window.KefuRating.attach();
  var conn = null;
  // What survives a reload of this tab: who we are and how to resume.
  var session = readSession();
  var ticket = null;
  var seated = false;
  var seenAssigned = false;
  // Waiting in the queue: messages go to the FAQ bot until an agent takes the customer.
  var queuedNow = false;
  // No agent online at all (from /getroom or the bot): the page offers to leave a message.
  var noAgent = false;
  // Only leaving a message: the queue was full and nobody is online, so there is no socket.
  var offlineOnly = false;

  function readSession() {
    try {
      var s = JSON.parse(sessionStorage.getItem('yonghu.session') || 'null');
      if (s && typeof s.name === 'string') return s;
    } catch (e) {
      /* a damaged entry is the same as none */
    }
    return { name: '', resume: null, agent: null };
  }

  function save() {
    sessionStorage.setItem('yonghu.session', JSON.stringify(session));
  }

  function setStatus(text, kind) {
    ui.status.textContent = text;
    ui.status.className = 'status ' + kind;
  }

  function setComposer(enabled) {
    ui.input.disabled = !enabled;
    ui.send.disabled = !enabled;
    ui.attach.disabled = !enabled;
  }

  /**
   * Which panel sits under the conversation: the composer (chatting), the queue card, or the
   * ended card. One place decides, so two never show at once.
   */
  function bottom(which) {
    // While queued the composer stays: the customer can ask the bot meanwhile.
    ui.composer.hidden = which !== 'composer' && which !== 'queue';
    if (which !== 'queue' && which !== 'offline') showOfflineForm(false);
    ui.queueCard.hidden = which !== 'queue';
    ui.ended.hidden = which !== 'ended';
    ui.leave.hidden = which === 'ended' || which === 'offline';
    ui.leave.textContent = S.t(which === 'queue' ? 'cancelQueue' : 'endChat');
    if (which !== 'ended') rating.reset();
  }

  function showChat(on) {
    ui.startView.hidden = on;
    ui.chat.hidden = !on;
  }

  function peer(name, state) {
    ui.peer.textContent = name;
    ui.peerState.textContent = state;
    C.paintAvatar(ui.peerAvatar, session.agent ? name : '', session.agent ? session.agentAvatar : '');
    ui.peerAvatar.classList.toggle('placeholder', !session.agent);
  }

  /** The conversation is over: no reconnect, the next chat starts from the name field. */
  function end(text) {
    // A conversation took place (an agent was assigned): its token still rates it after the end.
    var rateWith = session.resume && session.agent ? session.resume : null;
    seated = false;
    queuedNow = false;
    session.resume = null;
    sessionStorage.removeItem('yonghu.session');
    setComposer(false);
    ui.endedText.textContent = text;
    bottom('ended');
    setStatus(S.t('stateEnded'), 'idle');
    if (session.agent) ui.peerState.textContent = S.t('stateEnded');
    if (conn) conn.stop();
    if (!rating.open()) rating.offer(rateWith);
    ui.again.focus();
  }

  function reloadHistory() {
    if (!session.resume) return;
    fetch('/api/me/messages?limit=200', { headers: { Authorization: 'Bearer ' + session.resume } })
      .then(function (r) {
        return r.ok ? r.json() : null;
      })
      .then(function (body) {
        if (!body || !Array.isArray(body.messages)) return;
        list.clear();
        body.messages.forEach(function (m) {
          list.message({ neiRong: m.content, shuiFaDe: m.sender, role: m.role, ts: m.ts, seq: m.seq, cid: m.cid, image: m.image });
        });
      })
      .catch(function () {
        /* the live conversation goes on; only the backlog is missing */
      });
  }

  /** Says whether anyone is online, and offers the message form when nobody is. */
  function setNoAgent(on) {
    noAgent = on;
    ui.queueHint.textContent = S.t(on ? 'noAgentOnline' : 'queueHint');
    ui.offlineOpen.hidden = !on || !ui.offlineForm.hidden;
  }

  function showOfflineForm(on) {
    ui.offlineForm.hidden = !on;
    // On a phone the form and the composer do not both fit: writing the message is the task now.
    if (queuedNow) ui.composer.hidden = on;
    ui.offlineOpen.setAttribute('aria-expanded', String(on));
    ui.offlineOpen.hidden = on || !noAgent;
    if (on) {
      ui.offlineError.textContent = '';
      ui.offlineContact.focus();
    }
  }

  /** Sends the message form; the server checks everything again and says what is wrong. */
  function leaveOfflineMessage() {
    var contact = ui.offlineContact.value.trim();
    var text = ui.offlineText.value;
    ui.offlineError.textContent = '';
    ui.offlineContact.removeAttribute('aria-invalid');
    ui.offlineText.removeAttribute('aria-invalid');
    if (!contact) return offlineFailed(S.t('offlineContactRequired'), ui.offlineContact);
    if (!text.trim()) return offlineFailed(S.t('offlineTextRequired'), ui.offlineText);
    ui.offlineSend.disabled = true;
    ui.offlineSend.textContent = S.t('offlineSending');
    fetch('/api/offline-messages', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: session.name, contact: contact, content: text }),
    })
      .then(function (r) {
        return r.json().then(function (body) {
          return { status: r.status, body: body || {} };
        });
      })
      .then(function (res) {
        ui.offlineSend.disabled = false;
        ui.offlineSend.textContent = S.t('offlineSend');
        if (res.status === 201) {
          ui.offlineText.value = '';
          if (offlineOnly) {
            offlineOnly = false;
            end(S.t('offlineThanks', contact));
            return;
          }
          showOfflineForm(false);
          list.system(S.t('offlineThanks', contact));
          ui.offlineOpen.focus();
          return;
        }
        var code = String(res.body.error);
        var known = S.t('offlineErrors.' + code);
        offlineFailed(known === 'offlineErrors.' + code ? S.t('offlineFailed') : known, code === 'bad_contact' ? ui.offlineContact : ui.offlineText);
      })
      .catch(function () {
        ui.offlineSend.disabled = false;
        ui.offlineSend.textContent = S.t('offlineSend');
        offlineFailed(S.t('offlineFailed'), ui.offlineText);
      });
  }

  function offlineFailed(text, field) {
    ui.offlineError.textContent = text;
    field.setAttribute('aria-invalid', 'true');
    field.focus();
  }

  function queued(position) {
    var ahead = Math.max(0, position - 1);
    queuedNow = true;
    setStatus(S.t('stateQueued', position), 'waiting');
    ui.queueAhead.textContent = ahead > 0 ? S.t('queueAhead', ahead) : S.t('queueNext');
    peer(S.t('customerTitle'), S.t('queueWaiting'));
    bottom('queue');
    setComposer(true);
  }

  /** Server frames: a switch on type, then on event, so a new event is one more case. */
  function onFrame(f) {
    switch (f.type) {
      case 'message':
        if (f.role === 'kefu') typing.hide();
        if (list.message(f) && badge.bump()) C.chime();
        return;
      case 'bot':
        list.bot(f);
        if (typeof f.agentsOnline === 'number') setNoAgent(f.agentsOnline === 0);
        return;
      case 'typing':
        if (seated) typing.show(String(f.shuiFaDe));
        return;
      case 'close':
        end(S.t('stateEnded'));
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
    if (typeof f.resume === 'string') {
      session.resume = f.resume;
      save();
    }
    switch (f.event) {
      case 'queue_position':
        if (typeof f.position === 'number') queued(f.position);
        break;
      case 'requeued':
        // Back in the queue, same conversation: the next agent picks it up with its history.
        seated = false;
        session.agent = null;
        save();
        list.system(text);
        typing.hide();
        if (typeof f.position === 'number') queued(f.position);
        break;
      case 'agent_assigned':
        var agentBefore = session.agent;
        seated = true;
        queuedNow = false;
        setNoAgent(false);
        session.agent = C.nameIn(f, 'agent', /^客服-(.*)-将为您服务$/);
        session.agentAvatar = typeof f.avatar === 'string' ? f.avatar : '';
        list.avatars[session.agent] = session.agentAvatar;
        save();
        peer(session.agent, S.t('servingShort'));
        setStatus(S.t('stateChatting', session.agent), 'ok');
        bottom('composer');
        setComposer(true);
        // A resumed socket is told again; the conversation shows it once (a new agent is news).
        if (!seenAssigned || f.transferredFrom || agentBefore !== session.agent) list.system(text);
        typing.hide();
        seenAssigned = true;
        if (badge.bump()) C.chime();
        ui.input.focus();
        break;
      case 'peer_away':
        list.system(text, 'away');
        setStatus(S.t('statePeerAway'), 'warn');
        ui.peerState.textContent = S.t('statePeerAway');
        break;
      case 'peer_back':
        list.system(text);
        setStatus(S.t('stateChatting', session.agent), 'ok');
        ui.peerState.textContent = S.t('servingShort');
        break;
      case 'resumed':
        if (!f.recovered) reloadHistory();
        break;
      default:
        // agent_left, queue_timeout and anything newer: shown as a notice in the conversation.
        list.system(text);
    }
  }

  function resend(cid, text, frame) {
    if (!conn.send(frame || { neiRong: text, cid: cid })) list.failed(cid, resend);
  }

  /** An image into this conversation (uploaded with the customer's resume token). */
  function sendImageFile(file) {
    if (!seated || ui.input.disabled || !session.resume) return;
    C.sendImage(file, '/api/images', session.resume, {
      sender: session.name, list: list, notice: notice, send: function (f) { return conn.send(f); }, resend: resend,
    });
  }

  function sendMessage() {
    var text = ui.input.value;
    if (!text.trim() || !(seated || queuedNow) || ui.input.disabled) return;
    var cid = C.newCid();
    list.pendingMessage(cid, session.name, text);
    if (!conn.send({ neiRong: text, cid: cid })) list.failed(cid, resend);
    ui.input.value = '';
    ui.input.focus();
  }

  function connect() {
    showChat(true);
    bottom('composer');
    setComposer(false);
    peer(session.agent || S.t('customerTitle'), S.t('stateConnecting'));
    setStatus(S.t('stateConnecting'), 'busy');
    conn = new C.Connection({
      params: function () {
        var p = { type: 'yonghu', name: session.name, v: '2' };
        if (session.avatar) p.avatar = session.avatar;
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
          conn.send(p.frame || { neiRong: p.text, cid: p.cid });
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
        ui.peerState.textContent = S.t('stateReconnecting', seconds);
      },
      onClose: function (e, again) {
        if (again || !ui.ended.hidden) return;
        // A resume refused means the conversation ended while we were away.
        if (e.code === 4401 && session.resume) end(S.t('stateEnded'));
        else end(e.code === 1006 && !seated ? S.t('stateUnreachable') : S.closeReason(e.code, 'yonghu'));
      },
    });
    conn.start();
  }

  function contact() {
    var name = C.normalName(ui.name.value);
    ui.startError.textContent = '';
    if (!C.validName(name)) {
      ui.startError.textContent = S.t('nameRequired');
      ui.name.focus();
      return;
    }
    ui.contact.disabled = true;
    setStatus(S.t('stateConnecting'), 'busy');
    fetch('/getroom?userName=' + encodeURIComponent(name), { cache: 'no-store' })
      .then(function (r) {
        return r.json().then(function (body) {
          return { status: r.status, body: body || {} };
        });
      })
      .then(function (res) {
        ui.contact.disabled = false;
        if (res.status !== 200) {
          setStatus(S.t('stateIdle'), 'idle');
          ui.startError.textContent = res.status === 400 ? S.t('nameRequired') : S.t('stateUnreachable');
          return;
        }
        ui.startOffline.hidden = typeof res.body.ticket === 'string' || res.body.agentsOnline !== 0;
        if (typeof res.body.ticket !== 'string') {
          setStatus(S.t('stateIdle'), 'idle');
          ui.startError.textContent = res.body.full ? S.t('queueFull') : S.t('noAgent');
          ui.contact.textContent = S.t('tryAgain');
          ui.contact.focus();
          return;
        }
        session = { name: name, resume: null, agent: null, avatar: chosenAvatar() };
        save();
        ticket = res.body.ticket;
        seated = false;
        seenAssigned = false;
        queuedNow = false;
        list.clear();
        connect();
        setNoAgent(res.body.agentsOnline === 0);
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
  ui.offlineOpen.addEventListener('click', function () {
    showOfflineForm(true);
  });
  ui.offlineCancel.addEventListener('click', function () {
    showOfflineForm(false);
    if (!offlineOnly) {
      ui.offlineOpen.focus();
      return;
    }
    offlineOnly = false;
    showChat(false);
    ui.startOffline.focus();
  });
  // The queue is full and nobody is online: the message form alone, without a place in the queue.
  ui.startOffline.addEventListener('click', function () {
    var name = C.normalName(ui.name.value);
    if (!C.validName(name)) {
      ui.startError.textContent = S.t('nameRequired');
      ui.name.focus();
      return;
    }
    session = { name: name, resume: null, agent: null };
    offlineOnly = true;
    queuedNow = false;
    seated = false;
    list.clear();
    showChat(true);
    peer(S.t('customerTitle'), S.t('noAgentOnline'));
    setStatus(S.t('noAgentOnline'), 'idle');
    setComposer(false);
    bottom('offline');
    noAgent = true;
    showOfflineForm(true);
  });
  ui.offlineForm.addEventListener('submit', function (e) {
    e.preventDefault();
    leaveOfflineMessage();
  });
  ui.leave.addEventListener('click', function () {
    end(S.t('stateEnded'));
  });
  ui.again.addEventListener('click', function () {
    ui.startOffline.hidden = true;
    bottom('composer');
    showChat(false);
    setStatus(S.t('stateIdle'), 'idle');
    ui.contact.textContent = S.t('contact');
    ui.name.value = session.name || ui.name.value;
    ui.name.focus();
  });
  C.bindComposer(ui.input, sendMessage);
  C.bindTyping(ui.input, function () {
    return seated && !!conn && !conn.stopped;
  }, function (frame) {
    conn.send(frame);
  });
  C.bindEmoji(ui.emojiButton, ui.emojiPanel, ui.input);
  C.bindImagePicker(ui.attach, ui.fileInput, ui.input, ui.conversation, sendImageFile);

  ui.name.value = session.name || '';
  // Reloaded mid-conversation: come back with the resume token and get the whole history.
  if (session.resume && session.name) {
    seated = true;
    connect();
  } else {
    ui.name.focus();
  }
})();

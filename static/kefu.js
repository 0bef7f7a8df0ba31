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
    emojiButton: $('emojiButton'), emojiPanel: $('emojiPanel'), jump: $('jump'), attach: $('attachButton'), fileInput: $('fileInput'),
    conversation: $('conversation'),
    meName: $('meName'), meAvatar: $('meAvatar'), customerCard: $('customerCard'), customerName: $('customerName'),
    customerAvatar: $('customerAvatar'), customerSince: $('customerSince'), noCustomer: $('noCustomer'), queueInfo: $('queueInfo'),
    typing: $('typing'), agents: $('agents'), onlineCount: $('onlineCount'), teamMessages: $('teamMessages'), teamEmpty: $('teamEmpty'),
    teamForm: $('teamForm'), teamTo: $('teamTo'), teamInput: $('teamInput'), avatarChoices: $('avatarChoices'),
    customerWaited: $('customerWaited'), requeue: $('requeue'),
    offlineSection: $('offlineSection'), offlineList: $('offlineList'), offlineCount: $('offlineCount'),
  };
  var chosenAvatar = C.bindAvatarPicker(ui.avatarChoices, 'kefu.avatar', ui.name);
  var typing = new C.TypingIndicator(ui.typing);
  /** The last presence frame: who is online, for the team list, the note addressees and transfer. */
  var presence = { agents: [], waiting: 0 };
  /** Team messages on screen, by id: history comes again on every reconnect. */
  var teamShown = {};
  /** Team messages sent and not yet acked, by cid: a refused one goes back into the field. */
  var teamPending = {};
  /** Offline messages on screen, by id: the open ones come again on every reconnect. */
  var offlineShown = {};
  var list = new C.MessageList(ui.messages, 'kefu', ui.jump);
  var badge = new C.TitleBadge(S.t('agentTitle'));
  var notice = new C.Notice(ui.notice);
  var me = { name: '', key: '', avatar: '' };
  var conversationId = null;
  var customer = null;
  /** What customer_entered said about the customer: their avatar and how long they waited. */
  var customerInfo = { avatar: '', waitedMs: null };
  var sinceTime = '';
  var conn = null;
  // Bound before the composer's Enter handler, so Enter in the `/` menu inserts rather than sends.
  var canned = window.KefuCanned.attach(function () {
    return me.key;
  });

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
    ui.attach.disabled = !enabled;
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
    C.paintAvatar(ui.peerAvatar, name || '', name ? customerInfo.avatar : '');
    ui.peerAvatar.classList.toggle('placeholder', !name);
    ui.customerCard.hidden = !name;
    ui.requeue.hidden = !name;
    ui.requeue.disabled = false;
    ui.noCustomer.hidden = !!name;
    if (name) {
      ui.customerName.textContent = name;
      C.paintAvatar(ui.customerAvatar, name, customerInfo.avatar);
      ui.customerSince.textContent = S.t('since', sinceTime);
      var w = customerInfo.waitedMs;
      ui.customerWaited.textContent = typeof w !== 'number' ? '' : w < 1000 ? S.t('waitedNone') : S.t('waited', C.duration(w));
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
          list.message({ neiRong: m.content, shuiFaDe: m.sender, role: m.role, ts: m.ts, seq: m.seq, cid: m.cid, image: m.image });
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
        if (f.role === 'yonghu') typing.hide();
        if (list.message(f)) attention();
        return;
      case 'typing':
        if (customer) typing.show(String(f.shuiFaDe));
        return;
      case 'presence':
        showPresence(f);
        return;
      case 'team':
        showTeamMessage(f);
        return;
      case 'offline_messages':
        showOfflineMessages(f);
        return;
      case 'bot_history':
        showBotHistory(f);
        return;
      case 'error':
        notice.show(String(f.neiRong));
        // Transfer and team-note refusals are about no chat message: the team list is redrawn.
        if (/^(agent_unavailable|no_customer|bad_target|agents_only|customer_away)$/.test(String(f.error))) {
          ui.requeue.disabled = false;
          renderAgents();
          return;
        }
        if (f.cid && teamPending[f.cid] !== undefined) {
          if (!ui.teamInput.value) ui.teamInput.value = teamPending[f.cid];
          delete teamPending[f.cid];
          return;
        }
        list.failed(f.cid || list.newestPending(), resend);
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
        // When the conversation started (the server says; older servers did not, so the first
        // notice's time is remembered), so a reloaded console still shows it.
        var sinceKey = 'kefu.since.' + conversationId;
        if (typeof f.startedAt === 'number') sessionStorage.setItem(sinceKey, String(f.startedAt));
        else if (!sessionStorage.getItem(sinceKey)) sessionStorage.setItem(sinceKey, String(f.ts || Date.now()));
        var who = C.nameIn(f, 'customer', /^用户-(.*)-已进入房间$/);
        customerInfo = { avatar: typeof f.avatar === 'string' ? f.avatar : '', waitedMs: typeof f.waitedMs === 'number' ? f.waitedMs : customerInfo.waitedMs };
        list.avatars[who] = customerInfo.avatar;
        serving(who, Number(sessionStorage.getItem(sinceKey)));
        list.system(f.transferredFrom ? text + ' · ' + S.t('transferredFrom', f.transferredFrom) : text);
        renderAgents();
        break;
      }
      case 'customer_left':
      case 'customer_transferred':
      case 'customer_requeued':
        list.system(text);
        conversationId = null;
        typing.hide();
        serving(null);
        renderAgents();
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
      case 'rated':
        list.system(typeof f.comment === 'string' ? S.t('ratedNotice', text, f.comment) : text);
        break;
      case 'resumed':
        if (!f.recovered) reloadHistory();
        if (f.unread > 0) {
          list.system(S.t('unreadWhileAway', f.unread));
          attention();
        }
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

  function showPresence(f) {
    presence = { agents: Array.isArray(f.agents) ? f.agents : [], waiting: Number(f.waiting) || 0 };
    showQueue(presence.waiting);
    ui.onlineCount.textContent = S.t('onlineCount', Number(f.online) || 0);
    renderAgents();
    // Private notes go to agents who are online now; keep the choice if they still are.
    var chosen = ui.teamTo.value;
    while (ui.teamTo.options.length > 1) ui.teamTo.remove(1);
    presence.agents.forEach(function (a) {
      if (a.name === me.name || a.state === 'away') return;
      var o = document.createElement('option');
      o.value = a.name;
      o.textContent = a.name;
      ui.teamTo.appendChild(o);
    });
    ui.teamTo.value = chosen;
    if (ui.teamTo.value !== chosen) ui.teamTo.value = '';
  }

  /** The team list: each agent's state, and a transfer button by every free colleague while serving. */
  function renderAgents() {
    ui.agents.textContent = '';
    presence.agents.forEach(function (a) {
      var li = C.el('li', a.state);
      var face = C.el('span', 'avatar tiny');
      face.setAttribute('aria-hidden', 'true');
      C.paintAvatar(face, a.name, a.avatar);
      li.appendChild(face);
      li.appendChild(C.el('span', 'dot'));
      li.appendChild(C.el('span', 'agent-name', a.name + (a.name === me.name ? ' ' + S.t('you') : '')));
      var stateKey = a.state === 'free' ? 'agentFree' : a.state === 'serving' ? 'agentServing' : 'agentAway';
      li.appendChild(C.el('span', 'agent-state', S.t(stateKey)));
      if (customer && a.state === 'free' && a.name !== me.name) {
        var b = C.el('button', 'ghost', S.t('transfer'));
        b.type = 'button';
        b.setAttribute('aria-label', S.t('transferTo', a.name));
        b.addEventListener('click', function () {
          if (!conn) return;
          b.disabled = true;
          notice.show(S.t('transferring', a.name));
          conn.send({ type: 'transfer', to: a.name });
        });
        li.appendChild(b);
      }
      ui.agents.appendChild(li);
    });
  }

  /**
   * Messages customers left while nobody was online, with their contact, newest first; each
   * has a button that marks it handled for everyone (through the API, with this console's key).
   */
  function showOfflineMessages(f) {
    var added = 0;
    (Array.isArray(f.offlineMessages) ? f.offlineMessages : []).forEach(function (m) {
      if (!m || typeof m.id !== 'number' || offlineShown[m.id]) return;
      offlineShown[m.id] = true;
      added++;
      var li = C.el('li', 'offline-item');
      li.appendChild(C.el('span', 'offline-meta', S.t('offlineFrom', String(m.name), C.time(m.createdAt))));
      li.appendChild(C.el('span', 'offline-contact', String(m.contact)));
      li.appendChild(C.el('span', 'offline-text', String(m.content)));
      var done = C.el('button', 'ghost', S.t('offlineHandled'));
      done.type = 'button';
      done.setAttribute('aria-label', S.t('offlineHandledLabel', String(m.name)));
      done.addEventListener('click', function () {
        markHandled(m.id, li, done);
      });
      li.appendChild(done);
      if (f.live) ui.offlineList.insertBefore(li, ui.offlineList.firstChild);
      else ui.offlineList.appendChild(li);
    });
    showOfflineCount();
    if (added > 0) {
      list.system(String(f.neiRong));
      attention();
    }
  }

  /** What the customer just placed here asked the bot while waiting: their questions, the bot's answers. */
  function showBotHistory(f) {
    var who = String(f.customer || customer || '');
    list.system(String(f.neiRong));
    (Array.isArray(f.botExchanges) ? f.botExchanges : []).forEach(function (e) {
      list.message({ neiRong: String(e.question), shuiFaDe: who, role: 'yonghu', ts: e.ts });
      list.bot({ neiRong: String(e.answer), shuiFaDe: S.t('botName'), ts: e.ts });
    });
  }

  function showOfflineCount() {
    var n = ui.offlineList.children.length;
    ui.offlineSection.hidden = n === 0;
    ui.offlineCount.textContent = String(n);
  }

  function markHandled(id, item, button) {
    button.disabled = true;
    fetch('/api/offline-messages/' + encodeURIComponent(String(id)) + '/handled', {
      method: 'POST',
      headers: { Authorization: 'Bearer ' + me.key, 'Content-Type': 'application/json' },
      body: JSON.stringify({ agent: me.name }),
    })
      .then(function (r) {
        if (!r.ok) throw new Error(String(r.status));
        item.remove();
        showOfflineCount();
      })
      .catch(function () {
        button.disabled = false;
        notice.show(S.t('offlineHandleFailed'));
      });
  }

  function showTeamMessage(f) {
    if (f.cid) delete teamPending[f.cid];
    if (teamShown[f.id]) return;
    teamShown[f.id] = true;
    ui.teamEmpty.hidden = true;
    var box = C.el('p', 'team-msg' + (f.to ? ' note' : ''));
    var meta = String(f.shuiFaDe) + (f.to ? ' · ' + S.t('privateNote', f.to) : '') + ' · ' + C.time(f.ts);
    box.appendChild(C.el('span', 'team-meta', meta));
    box.appendChild(document.createTextNode(String(f.neiRong)));
    var near = ui.teamMessages.scrollHeight - ui.teamMessages.scrollTop - ui.teamMessages.clientHeight < 40;
    ui.teamMessages.appendChild(box);
    if (near || f.shuiFaDe === me.name) ui.teamMessages.scrollTop = ui.teamMessages.scrollHeight;
    if (!f.replay && f.shuiFaDe !== me.name) attention();
  }

  function sendTeamMessage() {
    var text = ui.teamInput.value;
    if (!text.trim() || !conn) return;
    var frame = { type: 'team', neiRong: text, cid: C.newCid() };
    if (ui.teamTo.value) frame.to = ui.teamTo.value;
    if (!conn.send(frame)) return;
    teamPending[frame.cid] = text;
    ui.teamInput.value = '';
  }

  function resend(cid, text, frame) {
    if (!conn.send(frame || { neiRong: text, cid: cid })) list.failed(cid, resend);
  }

  /** An image into the current conversation (uploaded with the agent key, for that conversation). */
  function sendImageFile(file) {
    if (!customer || !conversationId || ui.input.disabled) return;
    C.sendImage(file, '/api/images?conversation=' + encodeURIComponent(conversationId), me.key, {
      sender: me.name, list: list, notice: notice, send: function (f) { return conn.send(f); }, resend: resend,
    });
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
    var name = C.normalName(ui.name.value);
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
    me = { name: name, key: key, avatar: chosenAvatar() };
    ui.meName.textContent = name;
    C.paintAvatar(ui.meAvatar, name, me.avatar);
    sessionStorage.setItem('kefu.name', name);
    ui.connect.disabled = true;
    setStatus(S.t('stateConnecting'), 'busy');
    conn = new C.Connection({
      params: function () {
        var p = { type: 'kefu', name: me.name, key: me.key, v: '2' };
        if (me.avatar) p.avatar = me.avatar;
        if (conversationId && list.lastSeq > 0) p.since = String(list.lastSeq);
        return p;
      },
      onOpen: function () {
        sessionStorage.setItem('kefu.active', '1');
        ui.connect.disabled = false;
        showChat(true);
        setComposer(!!customer);
        (customer ? ui.input : ui.messages).focus();
        canned.load();
        list.unacked().forEach(function (p) {
          conn.send(p.frame || { neiRong: p.text, cid: p.cid });
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
  ui.requeue.addEventListener('click', function () {
    if (!conn || !customer) return;
    ui.requeue.disabled = true;
    conn.send({ type: 'transfer' });
  });
  ui.disconnect.addEventListener('click', function () {
    sessionStorage.removeItem('kefu.active');
    if (conn) conn.stop();
  });
  ui.teamForm.addEventListener('submit', function (e) {
    e.preventDefault();
    sendTeamMessage();
  });
  C.bindComposer(ui.input, sendMessage);
  C.bindTyping(ui.input, function () {
    return !!customer && !!conn && !conn.stopped;
  }, function (frame) {
    conn.send(frame);
  });
  C.bindEmoji(ui.emojiButton, ui.emojiPanel, ui.input);
  C.bindImagePicker(ui.attach, ui.fileInput, ui.input, ui.conversation, sendImageFile);

  // A reload while connected reconnects at once; the server replays the whole conversation.
  if (sessionStorage.getItem('kefu.active') && ui.name.value && ui.key.value) start();
})();

// Agent console: the team's shared canned replies. A manager in the sidebar (list, create, edit,
// delete through /api/canned-replies) and a menu in the composer: type `/` and part of a shortcut
// or title, pick with the arrows, insert with Enter or Tab, close with Escape.
(function () {
  'use strict';
  var S = window.KefuStrings;
  var C = window.KefuChat;
  var $ = function (id) {
    return document.getElementById(id);
  };
  var MENU_MAX = 8;
  var ERRORS = {
    bad_shortcut: 'cannedBadShortcut',
    bad_title: 'cannedBadTitle',
    bad_body: 'cannedBadBody',
    shortcut_taken: 'cannedTaken',
  };

  /**
   * Wires the manager and the `/` menu. `key()` gives the agent key for the API. Call before
   * the composer's own Enter handler is bound, so Enter in an open menu inserts instead of sending.
   */
  function attach(key) {
    var ui = {
      input: $('input'), menu: $('cannedMenu'), list: $('cannedList'), empty: $('cannedEmpty'), form: $('cannedForm'),
      shortcut: $('cannedShortcut'), title: $('cannedTitleInput'), body: $('cannedBody'), error: $('cannedError'),
      add: $('cannedNew'), cancel: $('cannedCancel'),
    };
    var replies = [];
    var editing = null;
    var menu = { open: false, matches: [], active: 0, start: 0, suppressed: null };

    function api(method, path, body) {
      var init = { method: method, headers: { Authorization: 'Bearer ' + key() } };
      if (body !== undefined) {
        init.headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(body);
      }
      return fetch('/api/canned-replies' + path, init).then(function (r) {
        if (r.status === 204) return { status: r.status, body: null };
        return r.json().then(
          function (b) {
            return { status: r.status, body: b || {} };
          },
          function () {
            return { status: r.status, body: {} };
          },
        );
      });
    }

    /** Fetches the list again: on connect, when the tab comes back into focus, after each change. */
    function load() {
      if (!key()) return Promise.resolve();
      return api('GET', '')
        .then(function (res) {
          if (res.status !== 200 || !Array.isArray(res.body.cannedReplies)) return;
          replies = res.body.cannedReplies;
          render();
          if (menu.open) update();
        })
        .catch(function () {
          /* the list on screen stays; the next focus tries again */
        });
    }

    function render() {
      ui.list.textContent = '';
      ui.empty.hidden = replies.length > 0;
      replies.forEach(function (r) {
        var li = C.el('li', 'canned-item');
        li.title = r.body;
        var text = C.el('span', 'canned-text');
        text.appendChild(C.el('span', 'canned-shortcut', '/' + r.shortcut));
        text.appendChild(C.el('span', 'canned-title', r.title));
        li.appendChild(text);
        var edit = C.el('button', 'ghost', S.t('cannedEdit'));
        edit.type = 'button';
        edit.setAttribute('aria-label', S.t('cannedEditLabel', r.title));
        edit.addEventListener('click', function () {
          openForm(r);
        });
        var del = C.el('button', 'ghost', S.t('cannedDelete'));
        del.type = 'button';
        del.setAttribute('aria-label', S.t('cannedDeleteLabel', r.title));
        del.addEventListener('click', function () {
          del.disabled = true;
          api('DELETE', '/' + r.id).then(load, load);
        });
        li.appendChild(edit);
        li.appendChild(del);
        ui.list.appendChild(li);
      });
    }

    function openForm(reply) {
      editing = reply ? reply.id : null;
      ui.shortcut.value = reply ? reply.shortcut : '';
      ui.title.value = reply ? reply.title : '';
      ui.body.value = reply ? reply.body : '';
      ui.error.textContent = '';
      ui.form.hidden = false;
      ui.shortcut.focus();
    }

    function closeForm() {
      ui.form.hidden = true;
      editing = null;
      ui.add.focus();
    }

    function save() {
      var fields = { shortcut: ui.shortcut.value, title: ui.title.value, body: ui.body.value };
      ui.error.textContent = '';
      var request = editing === null ? api('POST', '', fields) : api('PUT', '/' + editing, fields);
      request
        .then(function (res) {
          if (res.status === 200 || res.status === 201) {
            closeForm();
            return load();
          }
          var which = ERRORS[res.body.error];
          ui.error.textContent = S.t(which || 'cannedFailed');
          if (which === 'cannedBadTitle') ui.title.focus();
          else if (which === 'cannedBadBody') ui.body.focus();
          else if (which) ui.shortcut.focus();
        })
        .catch(function () {
          ui.error.textContent = S.t('cannedFailed');
        });
    }

    // The `/` menu.

    function closeMenu() {
      menu.open = false;
      ui.menu.hidden = true;
      ui.menu.textContent = '';
      ui.input.setAttribute('aria-expanded', 'false');
      ui.input.removeAttribute('aria-activedescendant');
    }

    /** Opens, filters or closes the menu from the text just before the caret. */
    function update() {
      var caret = ui.input.selectionStart;
      if (ui.input.disabled || replies.length === 0 || caret !== ui.input.selectionEnd) return closeMenu();
      var before = ui.input.value.slice(0, caret);
      // A `/` begins a shortcut unless it sits in a Latin word, number or address (`and/or`,
      // `1/2`, `http://`); Chinese has no spaces, so a slash right after a Chinese character must
      // still open the menu.
      var m = /(?:^|[^A-Za-z0-9/:.])\/([^\s/]*)$/.exec(before);
      if (!m || before === menu.suppressed) return closeMenu();
      menu.suppressed = null;
      var q = m[1].toLowerCase();
      var matches = replies.filter(function (r) {
        return r.shortcut.indexOf(q) === 0 || r.title.toLowerCase().indexOf(q) !== -1;
      });
      if (matches.length === 0) return closeMenu();
      menu.matches = matches.slice(0, MENU_MAX);
      menu.start = caret - q.length - 1;
      if (!menu.open || menu.active >= menu.matches.length) menu.active = 0;
      menu.open = true;
      renderMenu();
    }

    function renderMenu() {
      ui.menu.textContent = '';
      menu.matches.forEach(function (r, i) {
        var li = C.el('li', 'canned-option');
        li.id = 'cannedOption' + i;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', String(i === menu.active));
        li.appendChild(C.el('span', 'canned-shortcut', '/' + r.shortcut));
        li.appendChild(C.el('span', 'canned-title', r.title));
        li.appendChild(C.el('span', 'canned-preview', r.body));
        // mousedown would take focus from the composer before the click lands.
        li.addEventListener('mousedown', function (e) {
          e.preventDefault();
        });
        li.addEventListener('click', function () {
          insert(i);
        });
        ui.menu.appendChild(li);
      });
      ui.menu.hidden = false;
      ui.input.setAttribute('aria-expanded', 'true');
      ui.input.setAttribute('aria-activedescendant', 'cannedOption' + menu.active);
      var active = ui.menu.children[menu.active];
      if (active && active.scrollIntoView) active.scrollIntoView({ block: 'nearest' });
    }

    /** Replaces `/query` before the caret with the reply's text, for the agent to edit or send. */
    function insert(i) {
      var r = menu.matches[i];
      if (!r) return;
      var caret = ui.input.selectionStart;
      var value = ui.input.value;
      ui.input.value = value.slice(0, menu.start) + r.body + value.slice(caret);
      var at = menu.start + r.body.length;
      ui.input.setSelectionRange(at, at);
      closeMenu();
      ui.input.focus();
    }

    ui.input.addEventListener('keydown', function (e) {
      if (!menu.open || e.isComposing || e.keyCode === 229) return;
      var n = menu.matches.length;
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        menu.active = (menu.active + (e.key === 'ArrowDown' ? 1 : n - 1)) % n;
        renderMenu();
      } else if ((e.key === 'Enter' || e.key === 'Tab') && !e.shiftKey) {
        insert(menu.active);
      } else if (e.key === 'Escape') {
        // Stays closed for this text; typing on opens it again.
        menu.suppressed = ui.input.value.slice(0, ui.input.selectionStart);
        closeMenu();
      } else {
        return;
      }
      e.preventDefault();
      // The composer's Enter-sends handler is bound after this one.
      e.stopImmediatePropagation();
    });
    ui.input.addEventListener('input', update);
    ui.input.addEventListener('click', update);
    ui.input.addEventListener('keyup', function (e) {
      if (/^(ArrowLeft|ArrowRight|Home|End)$/.test(e.key)) update();
    });
    ui.input.addEventListener('blur', closeMenu);

    ui.add.addEventListener('click', function () {
      openForm(null);
    });
    ui.cancel.addEventListener('click', closeForm);
    ui.form.addEventListener('submit', function (e) {
      e.preventDefault();
      save();
    });
    window.addEventListener('focus', load);

    return { load: load };
  }

  window.KefuCanned = { attach: attach };
})();

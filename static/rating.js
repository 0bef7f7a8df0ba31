// Customer widget: the 1-5 star rating offered when a conversation ends. It goes over HTTP with
// the conversation's resume token, so it works after the socket has closed.
(function () {
  'use strict';
  var S = window.KefuStrings;
  var $ = function (id) {
    return document.getElementById(id);
  };

  function attach() {
    var ui = {
      form: $('rating'), comment: $('ratingComment'), error: $('ratingError'), submit: $('ratingSubmit'), done: $('ratingDone'),
      stars: Array.prototype.slice.call(document.querySelectorAll('#rating input[name="score"]')),
    };
    var token = null;

    function score() {
      for (var i = 0; i < ui.stars.length; i++) if (ui.stars[i].checked) return Number(ui.stars[i].value);
      return 0;
    }

    /** Lights the stars up to the chosen one (labels follow their radios). */
    function paint() {
      var s = score();
      ui.stars.forEach(function (input) {
        var label = input.nextElementSibling;
        if (label) label.classList.toggle('on', Number(input.value) <= s);
      });
    }

    function finish(text) {
      token = null;
      ui.form.hidden = true;
      ui.done.textContent = text;
      ui.done.hidden = false;
    }

    function send() {
      var s = score();
      ui.error.textContent = '';
      if (!s) {
        ui.error.textContent = S.t('ratingPickScore');
        if (ui.stars[0]) ui.stars[0].focus();
        return;
      }
      if (!token) return;
      var body = { score: s };
      if (ui.comment.value.trim()) body.comment = ui.comment.value;
      ui.submit.disabled = true;
      fetch('/api/me/rating', {
        method: 'POST',
        headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      })
        .then(function (r) {
          ui.submit.disabled = false;
          if (r.status === 201) finish(S.t('ratingThanks'));
          else if (r.status === 409) finish(S.t('ratingAlready'));
          else if (r.status === 401) finish(S.t('ratingExpired'));
          else ui.error.textContent = S.t('ratingFailed');
        })
        .catch(function () {
          ui.submit.disabled = false;
          ui.error.textContent = S.t('ratingFailed');
        });
    }

    /** Hides the rating and forgets the token (a new chat, or nothing to rate). */
    function reset() {
      token = null;
      ui.form.hidden = true;
      ui.done.hidden = true;
      ui.error.textContent = '';
      ui.comment.value = '';
      ui.stars.forEach(function (input) {
        input.checked = false;
      });
      paint();
    }

    /** Shows the rating for the conversation this resume token belongs to. */
    function offer(resumeToken) {
      reset();
      if (!resumeToken) return;
      token = resumeToken;
      ui.form.hidden = false;
    }

    ui.stars.forEach(function (input) {
      input.addEventListener('change', paint);
    });
    ui.form.addEventListener('submit', function (e) {
      e.preventDefault();
      send();
    });

    return { offer: offer, reset: reset, open: function () {
      return token !== null;
    } };
  }

  window.KefuRating = { attach: attach };
})();

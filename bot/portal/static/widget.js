/*
 * Second-opinion chat widget: plain ES2017, no dependencies, no build step.
 *
 * Embed with one tag (the stylesheet is loaded from the same folder as this file):
 *   <script src="https://<portal>/static/widget.js"
 *           data-chat-url="https://<rasa public url>" defer></script>
 *
 * It talks to the web chat channel on the Rasa server with fetch():
 *   POST <chat-url>/webhooks/web/session {token?} -> {token, resumed, messages}
 *   POST <chat-url>/webhooks/web/message {token, text | payload} -> {you, messages}
 * The signed token lives in localStorage (one key per chat URL), so a reload resumes.
 *
 * Safety rules kept throughout: bot and user text only ever reaches the page through
 * textContent (never innerHTML); only http(s) links become <a>; nothing typed or
 * received is written to the console.
 */
(function () {
  'use strict';

  // Every word the parent sees, in one place (Spanish comes later).
  var STRINGS = {
    launcher: 'Chat with us',
    title: 'Second opinion assistant',
    close: 'Close chat',
    log: 'Conversation',
    welcome: 'Hi! I can answer questions about the second opinion document review ' +
      'and help you send a request. Please never type a card number here.',
    you: 'You said:',
    bot: 'Assistant said:',
    choices: 'Choices',
    newTab: '(opens in a new tab)',
    typing: 'The assistant is typing\u2026',
    inputLabel: 'Type your message',
    hint: 'Press Enter to send, Shift and Enter for a new line.',
    send: 'Send',
    person: 'Talk to a person',
    personText: "I'd like to talk to a person",
    restart: 'Start over',
    restartText: 'start over',
    retry: 'Try again',
    errNetwork: 'We could not reach the assistant. Check your connection, then try again. ' +
      'Your message is still in the box.',
    errBusy: 'You are sending messages quickly. Please wait a few seconds, then try again.',
    errServer: 'Something went wrong on our side. Please try again in a moment.',
    errTooLong: 'That message is too long. Please make it shorter and send it again.'
  };
  var TIMEOUT_MS = 45000; // a turn through Rasa and the action server can take seconds
  var PREFIX = 'so-chat-';

  var script = document.currentScript;
  if (!script || !script.dataset.chatUrl) return; // nothing to talk to
  var chatUrl = script.dataset.chatUrl.replace(/\/+$/, '');
  var storeKey = 'so-chat:' + chatUrl + ':token';
  var openKey = 'so-chat:' + chatUrl + ':open';

  // ------------------------------------------------------------------ small helpers

  /** An element with classes (without the prefix), attributes and text (textContent). */
  function el(tag, cls, attrs, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls.split(' ').map(function (c) { return PREFIX + c; }).join(' ');
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text != null) node.textContent = text;
    return node;
  }

  // Storage can throw, even on access (private mode, storage off, sandboxed frames):
  // the chat then lasts one page view. `store` is 'localStorage' or 'sessionStorage'.
  function load(store, key) { try { return window[store].getItem(key); } catch (e) { return null; } }
  function save(store, key, value) {
    try {
      if (value == null) window[store].removeItem(key); else window[store].setItem(key, value);
    } catch (e) { /* ignore */ }
  }

  var URL_RE = /https?:\/\/[^\s<>"']+/g;

  /** Text with its http(s) links made clickable, built from text nodes only. */
  function linkify(parent, text) {
    var last = 0;
    text.replace(URL_RE, function (match, offset) {
      var url = match.replace(/[.,;:!?)\]]+$/, ''); // "…/u/abc." keeps its full stop outside
      parent.appendChild(document.createTextNode(text.slice(last, offset)));
      var href = null;
      try { href = new URL(url); } catch (e) { href = null; }
      if (href && (href.protocol === 'https:' || href.protocol === 'http:')) {
        var a = el('a', 'link', { href: href.href, target: '_blank', rel: 'noopener noreferrer' }, url);
        a.appendChild(el('span', 'vh', null, ' ' + STRINGS.newTab));
        parent.appendChild(a);
      } else {
        parent.appendChild(document.createTextNode(url));
      }
      last = offset + url.length;
      return match;
    });
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  // ------------------------------------------------------------------ the DOM

  var root = el('div', 'root');
  var launcher = el('button', 'launcher', { type: 'button', 'aria-expanded': 'false',
    'aria-controls': PREFIX + 'panel' }, STRINGS.launcher);
  var panel = el('section', 'panel', { id: PREFIX + 'panel', role: 'dialog', 'aria-modal': 'false',
    'aria-labelledby': PREFIX + 'title' });
  panel.hidden = true;
  var head = el('div', 'head');
  head.appendChild(el('h2', 'title', { id: PREFIX + 'title' }, STRINGS.title));
  var closeBtn = el('button', 'close', { type: 'button', 'aria-label': STRINGS.close });
  closeBtn.appendChild(el('span', null, { 'aria-hidden': 'true' }, '\u00d7'));
  head.appendChild(closeBtn);
  // The log is focusable so keyboard users can scroll it; polite: never interrupts.
  var log = el('div', 'log', { role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions',
    'aria-label': STRINGS.log, tabindex: '0' });
  var typing = el('p', 'typing', { role: 'status' });
  var errorBox = el('div', 'error', { role: 'alert' });
  var errorText = el('p', 'error-text');
  var retryBtn = el('button', 'retry', { type: 'button' }, STRINGS.retry);
  errorBox.appendChild(errorText);
  errorBox.appendChild(retryBtn);
  errorBox.hidden = true;
  var form = el('form', 'form', { novalidate: '' });
  var label = el('label', 'vh', { for: PREFIX + 'input' }, STRINGS.inputLabel);
  var input = el('textarea', 'input', { id: PREFIX + 'input', rows: '2', maxlength: '2000',
    autocomplete: 'off', 'aria-describedby': PREFIX + 'hint' });
  var hint = el('p', 'vh', { id: PREFIX + 'hint' }, STRINGS.hint);
  var sendBtn = el('button', 'send', { type: 'submit' }, STRINGS.send);
  [label, hint, input, sendBtn].forEach(function (n) { form.appendChild(n); });
  var foot = el('div', 'foot');
  var personBtn = el('button', 'secondary', { type: 'button' }, STRINGS.person);
  var restartBtn = el('button', 'secondary', { type: 'button' }, STRINGS.restart);
  foot.appendChild(personBtn);
  foot.appendChild(restartBtn);
  [head, log, typing, errorBox, form, foot].forEach(function (n) { panel.appendChild(n); });
  root.appendChild(panel);
  root.appendChild(launcher);

  // ------------------------------------------------------------------ rendering

  function scrollDown() { log.scrollTop = log.scrollHeight; }

  /** Old choices go once the parent answers: only the latest question's buttons work. */
  function dropChoices() {
    Array.prototype.forEach.call(log.querySelectorAll('.' + PREFIX + 'choices'), function (g) {
      if (g.contains(document.activeElement)) input.focus(); // focus never falls to <body>
      g.parentNode.removeChild(g);
    });
  }

  var OPTION_LINE = /^\s*1\)\s.*\s2\)\s.*$/m; // "1) Mother 2) Father 3) …" on one line

  /**
   * A question's numbered options ("1) Yes 2) No") as [{title, text: "1"}], in order, or
   * null. Only one line holding them all counts, so numbered steps in an answer stay text.
   */
  function numberedChoices(text) {
    var line = (String(text || '').match(OPTION_LINE) || [])[0];
    if (!line) return null;
    var parts = line.trim().split(/\s*(\d{1,2})\)\s+/).slice(1), out = [];
    for (var i = 0; i + 1 < parts.length; i += 2) {
      if (Number(parts[i]) !== out.length + 1 || !parts[i + 1]) return null;
      out.push({ title: parts[i + 1], text: parts[i] });
    }
    return out.length >= 2 ? { line: line, choices: out } : null;
  }

  /** One bubble: who said it (for screen readers), the text, and any buttons. */
  function addMessage(who, text, buttons) {
    var item = el('div', 'msg ' + (who === 'user' ? 'user' : 'bot'));
    item.appendChild(el('span', 'vh', null, (who === 'user' ? STRINGS.you : STRINGS.bot) + ' '));
    var body = el('p', 'text');
    text = String(text || '');
    // Over SMS, buttons are spelled out as "Reply 1 for …"; here the buttons say it.
    if (buttons && buttons.length) text = text.replace(/\s*Reply 1 for [^\n]*$/, '');
    // A question's "1) … 2) …" options become buttons that answer with the number (only
    // on the newest question: older lines come with buttons null).
    var numbered = who === 'bot' && Array.isArray(buttons) && !buttons.length
      ? numberedChoices(text) : null;
    if (numbered) {
      text = text.replace(numbered.line, '').replace(/\n{3,}/g, '\n\n').trim();
      buttons = numbered.choices;
    }
    linkify(body, text);
    item.appendChild(body);
    if (buttons && buttons.length) {
      var group = el('div', 'choices', { role: 'group', 'aria-label': STRINGS.choices });
      buttons.forEach(function (b) {
        var btn = el('button', 'choice', { type: 'button' }, b.title);
        btn.addEventListener('click', function () {
          send(b.text ? { text: b.text } : { payload: b.payload || b.title }, b.title, false);
        });
        group.appendChild(btn);
      });
      item.appendChild(group);
    }
    log.appendChild(item);
    scrollDown();
    return item;
  }

  /** A bubble's words replaced (the server's copy, with any card number taken out). */
  function setText(item, text) {
    var body = item.querySelector('.' + PREFIX + 'text');
    while (body.firstChild) body.removeChild(body.firstChild);
    linkify(body, text);
  }

  /** The welcome, then the history from /session ({from: "user" | "bot", text, buttons}). */
  function renderHistory(messages) {
    log.textContent = '';
    addMessage('bot', STRINGS.welcome);
    (messages || []).forEach(function (m, i) {
      // Only the last line's buttons still mean something.
      addMessage(m.from, m.text, i === messages.length - 1 ? m.buttons : null);
    });
  }

  function setBusy(on) {
    busy = on;
    typing.textContent = on ? STRINGS.typing : ''; // changing the text makes it announced
    typing.hidden = !on;
    sendBtn.setAttribute('aria-disabled', on ? 'true' : 'false'); // stays focusable
  }

  function showError(message, retry) {
    errorText.textContent = message;
    errorBox.hidden = false;
    pendingRetry = retry;
  }
  function hideError() { errorBox.hidden = true; errorText.textContent = ''; pendingRetry = null; }

  // ------------------------------------------------------------------ the server

  function HttpError(status) { this.status = status; }

  async function post(path, body) {
    var ctrl = typeof AbortController === 'function' ? new AbortController() : null;
    var timer = ctrl && setTimeout(function () { ctrl.abort(); }, TIMEOUT_MS);
    try {
      var resp = await fetch(chatUrl + '/webhooks/web/' + path, {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body), credentials: 'omit', signal: ctrl ? ctrl.signal : undefined
      });
      if (!resp.ok) throw new HttpError(resp.status);
      return await resp.json();
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  var token = load('localStorage', storeKey);
  var started = null; // the /session promise, so it runs once per page view
  var busy = false;
  var pendingRetry = null;

  /**
   * Ask for (or resume) the conversation; the server decides from the token whether it
   * still knows it. `keepLog` (after a 401) leaves the bubbles on screen as they are.
   */
  function startSession(keepLog) {
    started = post('session', token ? { token: token } : {}).then(function (data) {
      token = data.token;
      save('localStorage', storeKey, token);
      if (!keepLog) renderHistory(data.messages);
      return data;
    });
    started.catch(function () { started = null; }); // try again on the next open or send
    return started;
  }

  function ensureSession() { return started || startSession(false); }

  function errorMessage(err) {
    var status = err instanceof HttpError ? err.status : 0;
    if (status === 429) return STRINGS.errBusy;
    if (status === 400 || status === 413) return STRINGS.errTooLong;
    if (status >= 500) return STRINGS.errServer;
    return STRINGS.errNetwork;
  }

  /**
   * Send one message. `shown` is what the parent's bubble says (a button's title);
   * `fromBox` means it was typed: the box is only cleared once the server answered,
   * so a failure never loses what the parent wrote.
   */
  async function send(body, shown, fromBox) {
    if (busy) return;
    hideError();
    setBusy(true);
    var bubble = null;
    try {
      await ensureSession();
      bubble = addMessage('user', shown);
      var data;
      try {
        data = await post('message', Object.assign({ token: token }, body));
      } catch (err) {
        if (!(err instanceof HttpError) || err.status !== 401) throw err;
        await startSession(true); // expired or foreign token: ask again, retry once
        data = await post('message', Object.assign({ token: token }, body));
      }
      if (fromBox) input.value = '';
      if (fromBox && typeof data.you === 'string') setText(bubble, data.you); // no card number
      dropChoices();
      (data.messages || []).forEach(function (m) { addMessage('bot', m.text, m.buttons); });
    } catch (err) {
      if (bubble) bubble.parentNode.removeChild(bubble);
      showError(errorMessage(err), function () {
        return fromBox ? submitBox() : send(body, shown, false);
      });
    } finally {
      setBusy(false);
    }
  }

  function submitBox() {
    var text = input.value.trim();
    if (text) send({ text: text }, text, true);
  }

  // ------------------------------------------------------------------ opening and closing

  function open(focus) {
    panel.hidden = false;
    root.classList.add(PREFIX + 'is-open');
    launcher.setAttribute('aria-expanded', 'true');
    save('sessionStorage', openKey, '1');
    if (!started) {
      renderHistory([]); // the welcome at once; the history replaces it when it comes
      ensureSession().catch(function (err) { showError(errorMessage(err), ensureSession); });
    }
    scrollDown();
    if (focus) input.focus();
  }

  function close() {
    panel.hidden = true;
    root.classList.remove(PREFIX + 'is-open');
    launcher.setAttribute('aria-expanded', 'false');
    save('sessionStorage', openKey, null);
    launcher.focus();
  }

  launcher.addEventListener('click', function () {
    if (panel.hidden) open(true); else close();
  });
  closeBtn.addEventListener('click', close);
  panel.addEventListener('keydown', function (e) {
    if (e.key === 'Escape') { e.preventDefault(); close(); }
  });
  form.addEventListener('submit', function (e) { e.preventDefault(); submitBox(); });
  input.addEventListener('keydown', function (e) {
    // Enter sends; Shift+Enter (and Enter while composing, e.g. an IME) is a new line.
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); submitBox(); }
  });
  retryBtn.addEventListener('click', function () {
    var retry = pendingRetry;
    hideError();
    input.focus();
    if (retry) retry();
  });
  personBtn.addEventListener('click', function () {
    send({ text: STRINGS.personText }, STRINGS.personText, false);
  });
  // The assistant itself asks "Start over?" with Yes / No buttons: that is the confirm.
  restartBtn.addEventListener('click', function () {
    send({ text: STRINGS.restartText }, STRINGS.restart, false);
  });

  // ------------------------------------------------------------------ start

  function mount() {
    var css = el('link', null, { rel: 'stylesheet', href: new URL('widget.css', script.src).href });
    document.head.appendChild(css);
    document.body.appendChild(root);
    // A reload resumes: the history comes back, and the panel reopens if it was open.
    if (token) {
      ensureSession().catch(function () { /* shown when the parent opens or sends */ });
      if (load('sessionStorage', openKey)) open(false);
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mount);
  else mount();
})();

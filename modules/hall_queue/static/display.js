/* This file is part of Service Hall.  The COPYRIGHT file at the top level of
   this repository contains the full copyright notices and license terms. */
/* The display board: polls the board JSON, shows the latest calls, the
   ticket at each window and the people waiting, highlights and (once the
   voice is switched on) speaks the new calls.  Numbers only: the board has
   no personal data. */
(function () {
  'use strict';
  const body = document.body;
  const url = body.dataset.boardUrl;
  const poll = parseInt(body.dataset.poll, 10) || 1000;
  const latest = document.getElementById('latest');
  const calls = document.getElementById('calls');
  const windows = document.getElementById('windows');
  const queues = document.getElementById('queues');
  const clock = document.getElementById('clock');
  const connection = document.getElementById('connection');
  const notice = document.getElementById('notice');
  const voice = document.getElementById('voice');
  const synth = window.speechSynthesis;
  let seen = null;    // ids of the calls already shown, null before the 1st
  let speak = false;
  let busy = false;
  let flashTimer = null;

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = text;
    }
    return node;
  }

  // "请 A012 号到 5 号窗口办理", with the number in its own span
  function callText(node, call) {
    node.append('请 ', el('span', 'number', call.number),
      ' 号到 ', el('span', 'window', call.window), ' 号窗口办理');
    return node;
  }

  // Say the letters and digits one by one: "A 0 1 2", not "A twelve"
  function spell(value) {
    return String(value).split('').join(' ');
  }

  function say(call) {
    if (!speak || !synth) {
      return;
    }
    const text = (call.recall ? '再次呼叫，' : '') + '请 ' +
      spell(call.number) + ' 号，到 ' + spell(call.window) + ' 号窗口办理';
    for (let i = 0; i < 2; i++) {
      const utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = 'zh-CN';
      utterance.rate = 0.9;
      synth.speak(utterance);
    }
  }

  function renderCalls(list) {
    const fresh = seen === null ? [] :
      list.filter(call => !seen.has(call.id));
    seen = new Set(list.map(call => call.id));
    latest.replaceChildren();
    if (list.length) {
      const call = list[0];
      latest.className = '';
      latest.dataset.callId = call.id;
      latest.append(callText(el('span', 'text'), call));
      if (fresh.length) {
        // restart the animation
        latest.classList.remove('flash');
        void latest.offsetWidth;
        latest.classList.add('flash');
        clearTimeout(flashTimer);
        flashTimer = setTimeout(() => latest.classList.remove('flash'), 6000);
      }
    } else {
      latest.className = 'idle';
      delete latest.dataset.callId;
      latest.textContent = '暂无叫号';
    }
    const freshIds = new Set(fresh.map(call => call.id));
    calls.replaceChildren(...list.slice(1).map(call => {
      const item = el('li', freshIds.has(call.id) ? 'new' : '');
      item.dataset.callId = call.id;
      item.append(callText(el('span', 'text'), call));
      if (call.recall) {
        item.append(el('span', 'recall', '重呼'));
      }
      item.append(el('span', 'at', call.at));
      return item;
    }));
    // oldest first, as they were called
    fresh.slice().reverse().forEach(say);
  }

  function renderWindows(list) {
    windows.replaceChildren(...list.map(w => {
      const item = el('li', w.state);
      item.dataset.window = w.window;
      item.append(el('span', 'window', w.window + ' 号窗口'));
      let text = w.ticket || '空闲';
      if (w.state === 'paused') {
        text = '暂停服务';
      }
      item.append(el('span', 'ticket', text));
      return item;
    }));
  }

  function renderQueues(list) {
    queues.replaceChildren(...list.map(q => {
      const item = el('li');
      item.dataset.prefix = q.prefix;
      item.append(el('span', 'prefix', q.prefix), q.name + ' 等候 ',
        el('span', 'waiting', q.waiting), ' 人');
      return item;
    }));
  }

  // The server's own words while it is up but cannot serve (e.g.
  // 服务暂时不可用，请稍后再试 while the database is down), kept until
  // the board is back
  let message = '';

  function online(ok, text) {
    if (ok) {
      message = '';
    } else if (text) {
      message = text;
    }
    connection.textContent = ok ? '● 实时' :
      '● ' + (message || '连接中断') + '，正在重试';
    connection.classList.toggle('offline', !ok);
    notice.textContent = message;
    notice.hidden = !message;
  }

  function render(board) {
    clock.textContent = board.time;
    renderCalls(board.calls || []);
    renderWindows(board.windows || []);
    renderQueues(board.queues || []);
    body.dataset.updated = String(Date.now());
  }

  function refresh() {
    if (busy) {
      return;
    }
    busy = true;
    // Offline after 5 s without an answer, but the request goes on: while
    // the database is down the server answers its message only once its
    // connection pool gives up (30 s)
    const controller = new AbortController();
    const slow = setTimeout(() => online(false), 5000);
    const timeout = setTimeout(() => controller.abort(), 45000);
    fetch(url, {
      cache: 'no-store',
      headers: {'Accept': 'application/json'},
      signal: controller.signal,
    }).then(response => {
      if (!response.ok) {
        // 503 {"status": "unavailable", "message": ...}: show the message
        return response.json().catch(() => ({})).then(error => {
          const failure = new Error(String(response.status));
          failure.serverMessage = error.message;
          throw failure;
        });
      }
      return response.json();
    }).then(board => {
      render(board);
      online(true);
    }).catch(error => online(false, error.serverMessage)).finally(() => {
      clearTimeout(slow);
      clearTimeout(timeout);
      busy = false;
    });
  }

  if (!synth) {
    voice.hidden = true;
  }
  voice.addEventListener('click', () => {
    speak = !speak;
    voice.setAttribute('aria-pressed', String(speak));
    voice.textContent = speak ? '关闭语音播报' : '开启语音播报';
    if (speak) {
      // the click unlocks the audio of the page
      const utterance = new SpeechSynthesisUtterance('语音播报已开启');
      utterance.lang = 'zh-CN';
      synth.speak(utterance);
    } else {
      synth.cancel();
    }
  });

  refresh();
  setInterval(refresh, poll);
})();

/* This file is part of Service Hall.  The COPYRIGHT file at the top level of
   this repository contains the full copyright notices and license terms. */
/* The display board: polls the board JSON, shows the calls still waiting
   for their citizen, the ticket at each window and the people waiting,
   highlights and speaks the new calls.  Numbers only: the board has no
   personal data.

   Whatever the size of the hall, nothing leaves the screen: the calls stay
   on the left; the windows take the largest tiles at which they all fit,
   and past the smallest readable tiles they are shown in pages turned every
   data-interval seconds (第 1/3 页), as are the queues of the footer. */
(function () {
  'use strict';
  const body = document.body;
  const url = body.dataset.boardUrl;
  const poll = parseInt(body.dataset.poll, 10) || 1000;
  const interval = (parseInt(body.dataset.interval, 10) || 10) * 1000;
  const latest = document.getElementById('latest');
  const calls = document.getElementById('calls');
  const windows = document.getElementById('windows');
  const windowsCount = document.getElementById('windows-count');
  const windowsPage = document.getElementById('windows-page');
  const queues = document.getElementById('queues');
  const queuesPage = document.getElementById('queues-page');
  const clock = document.getElementById('clock');
  const connection = document.getElementById('connection');
  const notice = document.getElementById('notice');
  const voice = document.getElementById('voice');
  const voiceHint = document.getElementById('voice-hint');
  const synth = window.speechSynthesis;
  // tile sizes of the windows, largest first (see queue.css)
  const TILE_SIZES = ['tiles-large', 'tiles-medium', 'tiles-small'];
  let seen = null;    // ids of the calls already shown, null before the 1st
  let speak = false;
  let busy = false;
  let flashTimer = null;
  let board = null;   // the last data received
  let turn = 0;       // the page shown, counted since the page loaded
  // how the windows were laid out last: redone when their number or their
  // box changes, not at each poll (the tiles have a fixed size)
  let windowsLayout = {key: null, size: null, pageSizes: []};

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

  // "请 A012 号到 5 号窗口办理", with the number in its own span; a long
  // line breaks before the window only
  function callText(node, call) {
    const ticket = el('span', 'nowrap');
    ticket.append('请 ', el('span', 'number', call.number), ' 号到');
    const window = el('span', 'nowrap');
    window.append(el('span', 'window', call.window), ' 号窗口办理');
    node.append(ticket, ' ', window);
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

  // Whether `node` lies within `box` (a rectangle), to the half pixel
  function inside(node, box) {
    const rect = node.getBoundingClientRect();
    return rect.bottom <= box.bottom + 0.5 && rect.right <= box.right + 0.5;
  }

  // The number of `nodes` on each page of `container`: fill it, keep
  // those that fit, go on with the rest
  function pageSizes(container, nodes) {
    const sizes = [];
    let rest = nodes;
    while (rest.length) {
      container.replaceChildren(...rest);
      const box = container.getBoundingClientRect();
      let fit = 0;
      while (fit < rest.length && inside(rest[fit], box)) {
        fit++;
      }
      fit = Math.max(fit, 1);
      sizes.push(fit);
      rest = rest.slice(fit);
    }
    return sizes;
  }

  // The nodes of the page `turn` falls on
  function pageOf(nodes, sizes) {
    const index = turn % sizes.length;
    const start = sizes.slice(0, index).reduce((a, b) => a + b, 0);
    return {index: index, nodes: nodes.slice(start, start + sizes[index])};
  }

  function showPage(indicator, index, count) {
    indicator.hidden = count < 2;
    indicator.textContent = '第 ' + (index + 1) + '/' + count + ' 页';
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
      item.append(el('span', 'number', call.number),
        el('span', 'window', call.window + ' 号窗口'));
      if (call.recall) {
        item.append(el('span', 'recall', '重呼'));
      }
      item.append(el('span', 'at', call.at));
      return item;
    }));
    // the oldest calls give way when there is no room (the windows show
    // every ticket called too)
    const box = calls.getBoundingClientRect();
    while (calls.lastChild && !inside(calls.lastChild, box)) {
      calls.lastChild.remove();
    }
    // oldest first, as they were called
    fresh.slice().reverse().forEach(say);
  }

  function windowNode(w) {
    // a ticket called (not yet served) stands out, a free window fades
    const item = el('li', w.state);
    item.classList.toggle('calling', w.ticket_state === 'called');
    item.classList.toggle('idle', !w.ticket);
    item.dataset.window = w.window;
    item.append(el('span', 'window', w.window + ' 号窗口'));
    let text = w.ticket || '空闲';
    if (w.state === 'paused') {
      text = '暂停服务';
    }
    item.append(el('span', 'ticket', text));
    return item;
  }

  function renderWindows(list) {
    const nodes = list.map(windowNode);
    windowsCount.textContent = list.length ?
      '（共 ' + list.length + ' 个）' : '';
    // the box changes with the screen, and when a banner shows (the
    // voice hint, the outage notice)
    const key = list.length + '|' + windows.clientWidth + 'x' +
      windows.clientHeight;
    if (windowsLayout.key !== key) {
      let size = null;
      let sizes = [];
      for (size of TILE_SIZES) {
        windows.className = size;
        sizes = pageSizes(windows, nodes);
        if (sizes.length === 1) {
          break;
        }
      }
      if (sizes.length > 1) {
        // pages alike rather than a last one nearly empty (the tiles are
        // all of a size: a page holds as many as the first)
        const each = Math.ceil(nodes.length / sizes.length);
        sizes = sizes.map((_, i) => Math.min(each, nodes.length - i * each))
          .filter(size => size > 0);
      }
      windowsLayout = {key: key, size: size, pageSizes: sizes};
    }
    windows.className = windowsLayout.size;
    if (!nodes.length) {
      windows.replaceChildren();
      showPage(windowsPage, 0, 1);
      return;
    }
    const page = pageOf(nodes, windowsLayout.pageSizes);
    windows.replaceChildren(...page.nodes);
    showPage(windowsPage, page.index, windowsLayout.pageSizes.length);
  }

  function renderQueues(list) {
    const nodes = list.map(q => {
      const item = el('li');
      item.dataset.prefix = q.prefix;
      item.append(el('span', 'prefix', q.prefix), q.name + ' 等候 ',
        el('span', 'waiting', q.waiting), ' 人');
      return item;
    });
    if (!nodes.length) {
      queues.replaceChildren();
      showPage(queuesPage, 0, 1);
      return;
    }
    // measured at each render (the widths follow the counts), beside the
    // page indicator: hidden, it would leave room it takes back
    queuesPage.hidden = false;
    const sizes = pageSizes(queues, nodes);
    const page = pageOf(nodes, sizes);
    queues.replaceChildren(...page.nodes);
    showPage(queuesPage, page.index, sizes.length);
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

  function render() {
    if (!board) {
      return;
    }
    clock.textContent = board.time;
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
    }).then(data => {
      board = data;
      online(true);
      renderCalls(board.calls || []);
      render();
    }).catch(error => online(false, error.serverMessage)).finally(() => {
      clearTimeout(slow);
      clearTimeout(timeout);
      busy = false;
    });
  }

  function setVoice(on) {
    speak = on;
    voice.setAttribute('aria-pressed', String(on));
    voice.textContent = on ? '关闭语音播报' : '开启语音播报';
  }

  // Switch the voice on with a first sentence; `refused` runs when the
  // browser does not let the page speak (no click yet, autoplay policy)
  function startVoice(refused) {
    setVoice(true);
    const utterance = new SpeechSynthesisUtterance('语音播报已开启');
    utterance.lang = 'zh-CN';
    utterance.addEventListener('error', event => {
      if (event.error === 'not-allowed') {
        setVoice(false);
        refused();
      }
    });
    synth.speak(utterance);
  }

  if (!synth) {
    voice.hidden = true;
  }
  voice.addEventListener('click', () => {
    if (speak) {
      setVoice(false);
      synth.cancel();
      return;
    }
    // the click unlocks the audio of the page
    voiceHint.hidden = true;
    startVoice(() => { voiceHint.hidden = false; });
  });
  if (synth && body.dataset.voice === '1') {
    startVoice(() => { voiceHint.hidden = false; });
  }

  // the layout follows the screen (a TV switched to another resolution)
  // and the fonts (text measured before they load is narrower)
  function relayout() {
    windowsLayout.key = null;
    if (board) {
      renderCalls(board.calls || []);
      render();
    }
  }
  window.addEventListener('resize', relayout);
  if (document.fonts) {
    document.fonts.addEventListener('loadingdone', relayout);
  }

  refresh();
  setInterval(refresh, poll);
  setInterval(() => {
    turn++;
    render();
  }, interval);
})();

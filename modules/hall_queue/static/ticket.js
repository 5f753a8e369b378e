/* This file is part of Service Hall.  The COPYRIGHT file at the top level of
   this repository contains the full copyright notices and license terms. */
/* The holder's page: polls the ticket's JSON until it is over. */
(function () {
  'use strict';
  const body = document.body;
  const url = body.dataset.statusUrl;
  const poll = parseInt(body.dataset.poll, 10) || 3000;
  const card = document.getElementById('card');
  const updated = document.getElementById('updated');
  const links = document.getElementById('links');
  const OVER = ['done', 'no_show', 'cancelled', 'expired', 'transferred'];
  let state = card.className.replace(/^.*state-/, '');

  function set(id, text) {
    document.getElementById(id).textContent = text;
  }

  // The further links of the ticket (e.g. its rating page), as buttons
  function renderLinks(items) {
    const current = Array.from(links.children)
      .map(a => a.href + ' ' + a.textContent).join('\n');
    if (current === items.map(item => item.url + ' ' + item.label)
      .join('\n')) {
      return;
    }
    links.replaceChildren(...items.map(item => {
      const link = document.createElement('a');
      link.href = item.url;
      link.dataset.key = item.key;
      link.textContent = item.label;
      return link;
    }));
    links.hidden = !items.length;
  }

  function render(ticket) {
    card.className = 'card state-' + ticket.state;
    set('number', ticket.number);
    set('queue', ticket.queue);
    set('headline', ticket.headline);
    set('state', ticket.state_string);
    set('ahead', ticket.state === 'waiting' ? ticket.ahead : '—');
    set('wait', ticket.wait_text);
    set('window', ticket.window || '—');
    updated.textContent = '更新于 ' + ticket.checked_at;
    updated.classList.remove('offline');
    if (ticket.state === 'called' && state !== 'called' && navigator.vibrate) {
      navigator.vibrate([400, 200, 400]);
    }
    if (ticket.next_url && !document.getElementById('next')) {
      const next = document.createElement('p');
      next.id = 'next';
      const link = document.createElement('a');
      link.href = ticket.next_url;
      link.textContent = '查看新号码 ' + ticket.next_number + ' 的进度';
      next.append(link);
      links.before(next);
    }
    renderLinks(ticket.links || []);
    state = ticket.state;
  }

  function refresh() {
    fetch(url, {cache: 'no-store', headers: {'Accept': 'application/json'}})
      .then(response => {
        if (!response.ok) {
          // 503 {"status": "unavailable", "message": ...}: show the message
          return response.json().catch(() => ({})).then(error => {
            const failure = new Error(String(response.status));
            failure.serverMessage = error.message;
            throw failure;
          });
        }
        return response.json();
      })
      .then(render)
      .catch(error => {
        updated.textContent =
          (error.serverMessage || '网络连接异常') + '，正在重试';
        updated.classList.add('offline');
      })
      .finally(() => {
        if (!OVER.includes(state)) {
          setTimeout(refresh, poll);
        }
      });
  }

  if (!OVER.includes(state)) {
    setTimeout(refresh, poll);
  }
})();

/* This file is part of Service Hall.  The COPYRIGHT file at the top level of
   this repository contains the full copyright notices and license terms. */
/* The kiosk: the forms also work without script (the server answers with
   the page); with it, they are sent as JSON and the ticket shows in place.
   After each ticket the ID number and mobile typed are cleared: the next
   person must not see them. */
(function () {
  'use strict';
  const body = document.body;
  const reset = (parseInt(body.dataset.reset, 10) || 30) * 1000;
  const message = document.getElementById('message');
  const slip = document.getElementById('slip');
  const done = document.getElementById('slip-done');
  const issueForm = document.getElementById('issue-form');
  const checkInForm = document.getElementById('check-in-form');
  let resetTimer = null;
  let messageTimer = null;
  let sending = false;

  function clearInputs() {
    document.querySelectorAll('input').forEach(input => { input.value = ''; });
  }

  function showMessage(text) {
    message.textContent = text;
    message.hidden = false;
    closeMenus(null);
    clearTimeout(messageTimer);
    messageTimer = setTimeout(() => { message.hidden = true; }, 15000);
  }

  // The page again, by GET: fresh waiting counts and opening hours
  function reload() {
    window.location.assign(issueForm.action);
  }

  function closeSlip() {
    clearTimeout(resetTimer);
    slip.hidden = true;
    clearInputs();
    reload();
  }

  // The further links of the ticket (e.g. its rating page): a QR code
  // each with its label, or the address when there is no QR code
  function showLinks(links) {
    const box = document.getElementById('slip-links');
    box.replaceChildren(...links.map(item => {
      const figure = document.createElement('figure');
      figure.className = 'slip-extra';
      figure.dataset.key = item.key;
      const caption = document.createElement('figcaption');
      caption.textContent = item.label;
      if (item.qr) {
        const image = document.createElement('img');
        image.src = item.qr;
        image.alt = item.label;
        figure.append(image);
      } else {
        const address = document.createElement('a');
        address.href = item.url;
        address.textContent = item.url;
        caption.append(document.createElement('br'), address);
      }
      figure.append(caption);
      return figure;
    }));
    box.hidden = !links.length;
  }

  function showSlip(ticket) {
    document.getElementById('slip-number').textContent = ticket.number;
    document.getElementById('slip-queue').textContent = ticket.queue;
    document.getElementById('slip-ahead').textContent = ticket.ahead;
    document.getElementById('slip-wait').textContent =
      ticket.estimated_wait_minutes === null ? '暂无窗口开放' :
        '约 ' + ticket.estimated_wait_minutes + ' 分钟';
    document.getElementById('slip-time').textContent = ticket.issued_at;
    const qr = document.getElementById('slip-qr');
    if (ticket.qr) {
      qr.src = ticket.qr;
      qr.hidden = false;
    } else {
      qr.removeAttribute('src');
      qr.hidden = true;
    }
    const link = document.getElementById('slip-link');
    link.href = ticket.status_url;
    link.textContent = ticket.status_url;
    showLinks(ticket.links || []);
    message.hidden = true;
    closeMenus(null);
    slip.hidden = false;
    done.focus();
    clearInputs();
    clearTimeout(resetTimer);
    resetTimer = setTimeout(closeSlip, reset);
  }

  function send(form, values) {
    if (sending) {
      return;
    }
    sending = true;
    fetch(form.action, {
      method: 'POST',
      cache: 'no-store',
      headers: {
        'Content-Type': 'application/json',
        'Accept': 'application/json',
      },
      body: JSON.stringify(values),
    }).then(response => response.json().catch(() => ({
      status: 'error',
      message: '系统繁忙，请稍后再试（' + response.status + '）',
    }))).then(result => {
      if (result.status === 'ok') {
        showSlip(result);
      } else {
        showMessage(result.message);
      }
    }).catch(() => {
      showMessage('网络连接异常，请稍后再试或到咨询台取号。');
    }).finally(() => {
      sending = false;
    });
  }

  issueForm.addEventListener('submit', event => {
    const button = event.submitter;
    if (!button || !button.name) {
      return;  // no choice: let the server tell
    }
    event.preventDefault();
    const values = {
      id_number: issueForm.elements.id_number.value,
      mobile: issueForm.elements.mobile.value,
    };
    values[button.name] = button.value;
    send(issueForm, values);
  });

  checkInForm.addEventListener('submit', event => {
    event.preventDefault();
    send(checkInForm, {code: checkInForm.elements.code.value});
  });

  // A queue's services open over the screen: one at a time, 返回 closes
  const menus = Array.from(document.querySelectorAll('.services-menu'));

  function closeMenus(except) {
    menus.forEach(menu => {
      if (menu !== except) {
        menu.open = false;
      }
    });
  }

  menus.forEach(menu => {
    menu.addEventListener('toggle', () => {
      if (menu.open) {
        closeMenus(menu);
      }
    });
    menu.querySelector('.back').addEventListener('click', () => {
      menu.open = false;
    });
  });

  done.addEventListener('click', event => {
    event.preventDefault();
    closeSlip();
  });

  if (!slip.hidden) {
    resetTimer = setTimeout(closeSlip, reset);
  }

  // Left alone, the kiosk reloads itself every minute or so
  let touched = Date.now();
  ['pointerdown', 'keydown', 'input'].forEach(type => {
    document.addEventListener(type, () => { touched = Date.now(); }, true);
  });
  setInterval(() => {
    const typed = Array.from(document.querySelectorAll('input'))
      .some(input => input.value);
    if (slip.hidden && !typed && !sending && Date.now() - touched > 60000) {
      reload();
    }
  }, 15000);
})();

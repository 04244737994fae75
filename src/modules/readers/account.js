/* 天府融媒 reader account page (/portal/<unit>/account): plain JS, no build. Sends the page's forms to the
 * reader API (/api/reader/...) and shows its Chinese error text; the tf_device cookie the tracker set goes
 * with every request, so signing in merges this device's reading into the account. */
(function () {
  'use strict';
  var data = (document.currentScript || {}).dataset || {};
  var status = document.getElementById('account-status');

  function show(text, ok) {
    status.textContent = text;
    status.className = ok ? 'notice ok' : 'notice';
    status.hidden = false;
  }

  function call(method, url, body) {
    var headers = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (data.csrf) headers['x-csrf-token'] = data.csrf;
    return fetch(url, { method: method, headers: headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) }).then(function (res) {
      if (res.status === 204) return null;
      return res.json().catch(function () { return {}; }).then(function (json) {
        if (!res.ok) {
          var err = new Error((json && json.detail) || '请求失败（' + res.status + '），请稍后再试');
          err.status = res.status;
          err.body = json || {};
          throw err;
        }
        return json;
      });
    });
  }

  function contact(value) {
    var v = String(value || '').trim();
    return { channel: v.indexOf('@') >= 0 ? 'email' : 'phone', destination: v };
  }

  function value(form, name) {
    var el = form.elements.namedItem(name);
    return el ? String(el.value || '').trim() : '';
  }

  function busy(form, on) {
    var buttons = form.querySelectorAll('button');
    for (var i = 0; i < buttons.length; i++) buttons[i].disabled = on;
  }

  function submit(id, build, url) {
    var form = document.getElementById(id);
    if (!form) return;
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var body;
      try {
        body = build(form);
      } catch (err) {
        show(err.message);
        return;
      }
      busy(form, true);
      call('POST', url, body)
        .then(function () {
          location.href = data.next;
        })
        .catch(function (err) {
          busy(form, false);
          show(err.message);
        });
    });
  }

  /* 安全验证: past a threshold the code route answers 428 with a challenge; find a nonce such that
   * SHA-256("<id>:<nonce>") starts with `difficulty` zero bits and ask again with it. Digests go in
   * batches through Web Crypto, and every ~50 ms the loop yields a task so the page stays responsive. */
  function zeroBits(bytes) {
    var bits = 0;
    for (var i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0) { bits += 8; continue; }
      var b = bytes[i];
      while (!(b & 0x80)) { bits++; b <<= 1; }
      return bits;
    }
    return bits;
  }

  function solve(challenge) {
    var subtle = window.crypto && window.crypto.subtle;
    if (!subtle || !window.TextEncoder) return Promise.reject(new Error('当前浏览器无法完成安全验证，请升级浏览器或通过 HTTPS 访问'));
    var encoder = new TextEncoder();
    var prefix = challenge.id + ':';
    var next = 0;
    var BATCH = 128;
    return new Promise(function (resolve, reject) {
      function slice() {
        var started = Date.now();
        (function batch() {
          var first = next;
          var digests = [];
          for (var i = 0; i < BATCH; i++) digests.push(subtle.digest('SHA-256', encoder.encode(prefix + (first + i))));
          next += BATCH;
          Promise.all(digests).then(function (hashes) {
            for (var k = 0; k < hashes.length; k++) {
              if (zeroBits(new Uint8Array(hashes[k])) >= challenge.difficulty) return resolve(String(first + k));
            }
            if (Date.now() - started < 50) batch();
            else setTimeout(slice, 0);
          }, reject);
        })();
      }
      slice();
    });
  }

  function requestCode(body, round) {
    return call('POST', '/api/reader/code', body).catch(function (err) {
      // A spent or expired challenge comes back with a fresh one; two rounds are enough for a person.
      if (err.status !== 428 || !err.body.challenge || round >= 2) throw err;
      show('正在进行安全验证…', true);
      return solve(err.body.challenge).then(function (nonce) {
        var again = {};
        for (var key in body) if (key !== 'pow') again[key] = body[key];
        again.pow = { challenge: err.body.challenge.id, nonce: nonce };
        return requestCode(again, round + 1);
      });
    });
  }

  var codeButtons = document.querySelectorAll('[data-send-code]');
  for (var i = 0; i < codeButtons.length; i++) {
    codeButtons[i].addEventListener('click', function (e) {
      var button = e.currentTarget;
      var c = contact(document.getElementById(button.getAttribute('data-send-code')).value);
      if (!c.destination) return show('请先填写手机号或邮箱');
      button.disabled = true;
      requestCode(c, 0)
        .then(function (r) {
          show('验证码已发送，' + Math.round(r.expiresInSeconds / 60) + ' 分钟内有效', true);
          var left = r.resendAfterSeconds;
          var label = button.textContent;
          var tick = setInterval(function () {
            button.textContent = --left > 0 ? left + ' 秒后可重发' : label;
            if (left <= 0) {
              clearInterval(tick);
              button.disabled = false;
            }
          }, 1000);
        })
        .catch(function (err) {
          button.disabled = false;
          show(err.message);
        });
    });
  }

  submit('signup', function (form) {
    var c = contact(value(form, 'destination'));
    var consents = [];
    var boxes = form.querySelectorAll('input[name="consent"]');
    for (var k = 0; k < boxes.length; k++) consents.push({ purpose: boxes[k].value, granted: boxes[k].checked });
    var body = { channel: c.channel, destination: c.destination, code: value(form, 'code'), unit: data.unit, consents: consents, consentVersion: data.consentVersion };
    if (!/^[0-9]{6}$/.test(body.code)) throw new Error('请输入 6 位验证码');
    var optional = { displayName: value(form, 'displayName'), password: value(form, 'password'), homeDivision: value(form, 'homeDivision') };
    for (var key in optional) if (optional[key]) body[key] = optional[key];
    if (body.password && body.password.length < 8) throw new Error('密码至少 8 位');
    return body;
  }, '/api/reader/signup');

  submit('login-password', function (form) {
    return { login: value(form, 'login'), password: form.elements.namedItem('password').value };
  }, '/api/reader/session/password');

  submit('login-code', function (form) {
    var c = contact(value(form, 'destination'));
    var code = value(form, 'code');
    if (!/^[0-9]{6}$/.test(code)) throw new Error('请输入 6 位验证码');
    return { channel: c.channel, destination: c.destination, code: code };
  }, '/api/reader/session/code');

  /* 授权: each switch saves its purpose at once (PUT /api/reader/me/consents); the state words and the line of
   * what changing it does follow the answer the server kept. A refusal puts the switch back and says why. */
  var switches = document.querySelectorAll('[data-consent]');
  for (var s = 0; s < switches.length; s++) {
    switches[s].addEventListener('change', function (e) {
      var box = e.currentTarget;
      var granted = box.checked;
      var row = box.parentNode;
      box.disabled = true;
      call('PUT', '/api/reader/me/consents', { consents: [{ purpose: box.getAttribute('data-consent'), granted: granted }], version: data.consentVersion })
        .then(function (r) {
          var kept = r.consents.filter(function (c) { return c.purpose === box.getAttribute('data-consent'); })[0];
          var on = !!(kept && kept.granted);
          box.checked = on;
          row.querySelector('[data-consent-state]').textContent = on ? '已同意' : '未同意';
          row.querySelector('[data-consent-effect]').textContent = box.getAttribute(on ? 'data-off' : 'data-on');
          show((on ? '已开启「' : '已关闭「') + box.getAttribute('data-label') + '」。' + box.getAttribute(on ? 'data-on' : 'data-off'), true);
        })
        .catch(function (err) {
          box.checked = !granted;
          show(err.message);
        })
        .then(function () {
          box.disabled = false;
          box.focus();
        });
    });
  }

  var out = document.querySelector('[data-sign-out]');
  if (out) out.addEventListener('click', function () {
    call('DELETE', '/api/reader/session').then(function () { location.reload(); }, function (err) { show(err.message); });
  });

  var erase = document.querySelector('[data-delete-account]');
  if (erase) erase.addEventListener('click', function () {
    if (!confirm('注销后账号无法恢复，阅读记录只以匿名形式保留。确定注销？')) return;
    call('DELETE', '/api/reader/me', { confirm: '注销' }).then(function () { location.reload(); }, function (err) { show(err.message); });
  });
})();

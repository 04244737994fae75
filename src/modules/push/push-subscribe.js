/* 订阅推送: call window.tianfuPush.subscribe() from a button (browsers require a user gesture). The reader
   must be signed in; the CSRF token comes from GET /api/reader/me. */
(function () {
  function b64(s) {
    var pad = '='.repeat((4 - (s.length % 4)) % 4);
    var raw = atob((s + pad).replace(/-/g, '+').replace(/_/g, '/'));
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }
  async function subscribe() {
    if (!('serviceWorker' in navigator) || !('PushManager' in window)) throw new Error('此浏览器不支持推送');
    var me = await (await fetch('/api/reader/me', { credentials: 'same-origin' })).json();
    var key = (await (await fetch('/api/reader/push/vapid')).json()).publicKey;
    var reg = await navigator.serviceWorker.register('/reader/push-sw.js');
    var sub = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: b64(key) });
    var json = sub.toJSON();
    var res = await fetch('/api/reader/push/registrations', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
      body: JSON.stringify({ kind: 'webpush', endpoint: json.endpoint, keys: json.keys }),
    });
    if (!res.ok) throw new Error('订阅失败 ' + res.status);
    return true;
  }
  window.tianfuPush = { subscribe: subscribe };
  document.addEventListener('click', function (e) {
    var el = e.target && e.target.closest && e.target.closest('[data-tf-push]');
    if (el) subscribe().then(function () { el.textContent = '已订阅推送'; }, function (err) { el.textContent = String(err.message || err); });
  });
})();

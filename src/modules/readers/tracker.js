/* 天府融媒 reader tracker: plain JS, no build. Include on a portal page as
 *   <script src="/reader/tracker.js" defer data-unit="510104" data-item="<item uuid>"></script>
 * Sends view, read (depth 0–1, visible dwell ms), click, share, like and follow events in batches with
 * navigator.sendBeacon to /api/reader/events. Honours Do Not Track / Global Privacy Control.
 * Page hooks: [data-tf-article] marks the story body (read depth is measured over it),
 * [data-tf-share="wechat"], [data-tf-like], [data-tf-follow="<unit slug>"]; window.tianfuTracker.track(type, fields). */
(function () {
  'use strict';
  var script = document.currentScript || {};
  var data = script.dataset || {};
  var endpoint = data.endpoint || '/api/reader/events';
  var unit = data.unit || undefined;
  var item = data.item || undefined;
  var nav = navigator;
  if (nav.doNotTrack === '1' || window.doNotTrack === '1' || nav.globalPrivacyControl === true) {
    window.tianfuTracker = { track: function () {}, flush: function () {}, disabled: true };
    return;
  }

  function rid(n) {
    var a = new Uint8Array(n), s = '', abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    crypto.getRandomValues(a);
    for (var i = 0; i < n; i++) s += abc[a[i] & 63];
    return s;
  }

  var device;
  try {
    device = localStorage.getItem('tf_device');
    if (!/^[A-Za-z0-9_-]{8,64}$/.test(device || '')) localStorage.setItem('tf_device', (device = rid(22)));
  } catch (e) {
    device = rid(22); // private mode: a device id for this page only
  }
  // Also as a cookie, so signing in (a plain form post) can merge this device's reading into the account.
  document.cookie = 'tf_device=' + device + '; path=/; max-age=31536000; samesite=lax';

  var queue = [];
  var timer = null;

  function send(batch) {
    var body = JSON.stringify({ device: device, sentAt: new Date().toISOString(), events: batch });
    var blob = new Blob([body], { type: 'application/json' });
    if (!(nav.sendBeacon && nav.sendBeacon(endpoint, blob))) {
      fetch(endpoint, { method: 'POST', body: body, headers: { 'content-type': 'application/json' }, keepalive: true, credentials: 'same-origin' }).catch(function () {});
    }
  }

  function flush() {
    if (timer) clearTimeout(timer);
    timer = null;
    while (queue.length) send(queue.splice(0, 50));
  }

  function track(type, fields) {
    var e = { id: rid(22), type: type, at: new Date().toISOString() };
    if (item) e.item = item;
    if (unit) e.unit = unit;
    for (var k in fields || {}) if (fields[k] !== undefined && fields[k] !== null) e[k] = fields[k];
    queue.push(e);
    if (queue.length >= 20) flush();
    else if (!timer) timer = setTimeout(flush, 10000);
  }

  // Read depth: how far down the story the reader has seen; dwell: time the page was visible.
  var maxDepth = 0, visibleSince = document.visibilityState === 'visible' ? Date.now() : 0, dwell = 0, readSent = false;
  function measure() {
    var el = document.querySelector('[data-tf-article]') || document.body;
    var r = el.getBoundingClientRect();
    var seen = (window.innerHeight - r.top) / Math.max(r.height, 1);
    maxDepth = Math.max(maxDepth, Math.min(1, Math.max(0, seen)));
  }
  function sendRead() {
    if (!item) return;
    if (visibleSince) dwell += Date.now() - visibleSince;
    visibleSince = document.visibilityState === 'visible' ? Date.now() : 0;
    measure();
    track('read', { depth: Math.round(maxDepth * 100) / 100, dwellMs: Math.min(dwell, 86400000) });
    readSent = true;
    dwell = 0;
  }

  window.addEventListener('scroll', measure, { passive: true });
  // Each time the page is hidden a read reports the dwell since the last one (so: sum dwell, max depth).
  function leave() {
    if (visibleSince || !readSent) sendRead();
    visibleSince = 0;
    flush();
  }
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'hidden') leave();
    else visibleSince = Date.now();
  });
  window.addEventListener('pagehide', leave);

  document.addEventListener('click', function (ev) {
    var t = ev.target && ev.target.closest ? ev.target : null;
    if (!t) return;
    var share = t.closest('[data-tf-share]');
    if (share && item) return track('share', { target: share.getAttribute('data-tf-share') });
    if (item && t.closest('[data-tf-like]')) return track('like', {});
    var follow = t.closest('[data-tf-follow]');
    if (follow) return track('follow', { unit: follow.getAttribute('data-tf-follow') || unit });
    var a = t.closest('a[href]');
    if (a) track('click', { target: a.getAttribute('href').slice(0, 300) });
  });

  measure();
  track('view', {});
  window.tianfuTracker = { track: track, flush: flush, device: device };
})();

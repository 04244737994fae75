/* 天府融媒 portal: 复制链接 in one tap where the browser allows it. Without this file the link is still
 * shown, selectable, under 复制链接 (see render/share.ts); nothing here is needed to share. */
(function () {
  'use strict';
  var buttons = document.querySelectorAll('[data-share-copy]');
  if (!navigator.clipboard || !window.isSecureContext) return;
  Array.prototype.forEach.call(buttons, function (b) {
    b.hidden = false;
    b.addEventListener('click', function () {
      var done = b.parentNode.querySelector('.share-done');
      navigator.clipboard.writeText(b.getAttribute('data-share-copy')).then(
        function () { if (done) done.textContent = '已复制'; },
        function () { if (done) done.textContent = '复制失败，请长按链接复制'; }
      );
    });
  });
})();

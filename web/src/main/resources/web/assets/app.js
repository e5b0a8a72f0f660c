// SecretTrail dashboard: the only script, served from the jar (the CSP forbids inline code).
// 1. Live: poll /api/v1/status and reload when analytics has committed new events or a new
//    report (alerts, cost) is ready; never while the user is typing in a form.
// 2. Copy buttons (the least-privilege policy).
(function () {
  'use strict';
  var body = document.body;
  var version = body.getAttribute('data-version');
  var report = body.getAttribute('data-report');
  if (version !== null) {
    window.setInterval(function () {
      fetch('/api/v1/status', {credentials: 'same-origin', headers: {'Accept': 'application/json'}})
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (s) {
          if (!s) { return; }
          var typing = document.activeElement && /^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement.tagName);
          if (!typing && (String(s.version) !== version || String(s.reportVersion) !== report)) {
            window.location.reload();
          }
        })
        .catch(function () { /* the server is restarting: try again next tick */ });
    }, 2000);
  }
  var buttons = document.querySelectorAll('button.copy');
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].addEventListener('click', function (e) {
      var b = e.currentTarget;
      var text = document.getElementById(b.getAttribute('data-copy')).textContent;
      navigator.clipboard.writeText(text).then(function () { b.textContent = 'Copied'; },
        function () { b.textContent = 'Select the text to copy'; });
    });
  }
})();

// Live updates of the Job Queue console (issue 12): on a page with an element #live, polls /queue_job/live.json
// every 3 s while the tab is visible; when the snapshot's version changes, fetches this page again and swaps its
// #live element in, keeping the scroll position and the rows checked for a bulk action. The page's first version is
// #live's data-version (else the first poll's). No inline script: the content security policy allows none.
(function () {
  'use strict';

  var interval = 3000;
  var live = document.getElementById('live');
  if (!live) {
    return;
  }

  var version = live.getAttribute('data-version') || null;
  var busy = false;

  function editing(element) {
    var active = document.activeElement;
    return active && element.contains(active) && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName) && active.name !== 'ids';
  }

  function swap() {
    return fetch(location.href, { credentials: 'same-origin', cache: 'no-store' }).then(function (response) {
      if (!response.ok || response.redirected) {
        return false;
      }

      return response.text().then(function (html) {
        var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('live');
        var current = document.getElementById('live');
        if (!fresh || !current || editing(current)) {
          return false;
        }

        var checked = {};
        current.querySelectorAll('input[name=ids]:checked').forEach(function (box) { checked[box.value] = true; });
        var x = window.scrollX;
        var y = window.scrollY;
        var replacement = document.importNode(fresh, true);
        current.replaceWith(replacement);
        replacement.querySelectorAll('input[name=ids]').forEach(function (box) { box.checked = checked[box.value] === true; });
        window.scrollTo(x, y);
        document.dispatchEvent(new CustomEvent('live:updated'));
        return true;
      });
    });
  }

  function poll() {
    if (document.hidden || busy) {
      return;
    }

    busy = true;
    fetch('/queue_job/live.json', { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'application/json' } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || data.version === version) {
          return null;
        }

        if (version === null) {
          version = data.version;
          return null;
        }

        return swap().then(function (swapped) {
          if (swapped) {
            version = data.version;
          }
        });
      })
      .catch(function () { /* a network hiccup: the next tick tries again */ })
      .then(function () { busy = false; });
  }

  setInterval(poll, interval);
  document.addEventListener('visibilitychange', poll);
})();

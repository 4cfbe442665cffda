// Loads embed.js from the *other* loopback name (localhost <-> 127.0.0.1), so the demo host page and the
// widget really are on different origins, as on a customer's website.
(function () {
  var swap = { 'localhost': '127.0.0.1', '127.0.0.1': 'localhost' };
  var host = swap[location.hostname] || location.hostname;
  var script = document.createElement('script');
  script.src = location.protocol + '//' + host + (location.port ? ':' + location.port : '') + '/embed.js';
  document.head.appendChild(script);
})();

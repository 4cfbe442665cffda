// Lists every booking:* event the page receives (and keeps them in window.bookingEvents for tests).
(function () {
  window.bookingEvents = [];
  var list = document.getElementById('events');
  ['ready', 'serviceSelected', 'slotSelected', 'bookingSucceeded', 'bookingFailed', 'rescheduled', 'cancelled', 'resize', 'closed']
    .forEach(function (type) {
      document.addEventListener('booking:' + type, function (e) {
        window.bookingEvents.push({ type: type, target: e.target.id || e.target.className, detail: e.detail });
        if (!list || type === 'resize') return;
        var item = document.createElement('li');
        var summary = type === 'bookingSucceeded' && e.detail.payload
          ? ' — ' + (e.detail.payload.reference || '') + ' ' + JSON.stringify(e.detail.payload.extendedProperties || {})
          : '';
        item.textContent = type + (e.target.id ? ' (#' + e.target.id + ')' : '') + summary;
        list.appendChild(item);
      });
    });
})();

/* The widget page's first moments, before the wasm arrives (inlined into index.html by trunk):
 * 1. take the answers the server inlined into the page (`#bw-early`, crates/server/src/routes/site/
 *    early.rs) and start the other API reads the first steps will make, so they run while the wasm
 *    downloads — the app adopts both by exact URL (src/api.rs, `Prefetched`) instead of asking again;
 * 2. paint the services step in the visitor's language and theme, so nothing flashes: its skeleton,
 *    then the real list from the early `services` answer (steps/service.rs `ServiceList`'s markup); a
 *    click on it is kept in `window.__bw_early_choice` for the app, which mounts hidden behind this
 *    page and removes it once its own list (or next step) is ready (lib.rs `release_boot_page`).
 *    When the server painted the list itself, it is only wired up (clicks, prices through `Intl`).
 * Its rules mirror src/config.rs (query parsing), i18n.rs (`Lang::resolve`), lib.rs (`WidgetContext`,
 * `App`) and steps/time.rs (the first slot window); tests/prefetch.rs checks that they agree. Whenever
 * in doubt it starts nothing: a read the app does not adopt is only a wasted request.
 * Plain ES5; also loaded by embed.js for direct mounts (`plan` with a mount's query, no painting). */
(function (window, document) {
  'use strict';
  var boot = window.__bookingWidgetBoot = window.__bookingWidgetBoot || {};
  if (boot.plan) return;

  // [title of the services step, loading label, page title, free, minutes], per `Lang` (src/i18n.rs).
  var TEXT = {
    en: ['Choose a service', 'Loading\u2026', 'Book an appointment', 'Free', 'min'],
    fr: ['Choisissez une prestation', 'Chargement\u2026', 'Prendre rendez-vous', 'Gratuit', 'min'],
    de: ['Leistung ausw\u00e4hlen', 'Wird geladen\u2026', 'Termin buchen', 'Kostenlos', 'Min.'],
    es: ['Elija un servicio', 'Cargando\u2026', 'Reservar una cita', 'Gratis', 'min'],
    pt: ['Escolha um servi\u00e7o', 'A carregar\u2026', 'Marcar uma consulta', 'Gr\u00e1tis', 'min'],
    nl: ['Kies een dienst', 'Laden\u2026', 'Afspraak maken', 'Gratis', 'min'],
    it: ['Scegli un servizio', 'Caricamento\u2026', 'Prenota un appuntamento', 'Gratis', 'min']
  };
  boot.text = TEXT;
  // Started reads by URL: { response: Promise<Response>, controller: AbortController }, taken once.
  var store = boot.reads = boot.reads || {};

  /** `parse_query` of src/config.rs: last value wins, `+` is a space; null when a value does not
   *  decode the way Rust's lossy decoder would (invalid UTF-8), so nothing is guessed. */
  function parse(search) {
    var params = {};
    var pairs = search.replace(/^\?+/, '').split('&');
    try {
      for (var i = 0; i < pairs.length; i++) {
        if (!pairs[i]) continue;
        var at = pairs[i].indexOf('=');
        var name = decode(at < 0 ? pairs[i] : pairs[i].slice(0, at));
        params['$' + name] = at < 0 ? '' : decode(pairs[i].slice(at + 1));
      }
    } catch (e) {
      return null;
    }
    return params;
  }

  // Valid escapes decode, malformed ones stay as written (like `percent_decode`).
  function decode(text) {
    return text.replace(/\+/g, ' ').replace(/(%[0-9a-fA-F]{2})+/g, decodeURIComponent);
  }

  /** `Lang::from_tag`: the primary subtag, when it is one of ours. */
  function language(tag) {
    var primary = String(tag || '').split(/[-_]/)[0].toLowerCase();
    return Object.prototype.hasOwnProperty.call(TEXT, primary) ? primary : null;
  }

  function zoneOf(options) {
    try {
      return new Intl.DateTimeFormat('en', options).resolvedOptions().timeZone || null;
    } catch (e) {
      return null;
    }
  }

  function pad(n) { return (n < 10 ? '0' : '') + n; }

  /** The time step's first window in `zone`: today to the end of this month (`TimeStep`'s query). */
  function firstWindow(zone) {
    var day = {};
    var parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: 'numeric', day: 'numeric' })
      .formatToParts(Date.now());
    for (var i = 0; i < parts.length; i++) day[parts[i].type] = parseInt(parts[i].value, 10);
    var last = new Date(Date.UTC(day.year, day.month, 0)).getUTCDate();
    var month = day.year + '-' + pad(day.month) + '-';
    return 'startDate=' + month + pad(day.day) + '&endDate=' + month + pad(last);
  }

  /** What the app will do first for a query string: `{ lang, theme, style, skeleton, reads }`. */
  boot.plan = function (search, pageOrigin, browserLanguage) {
    var params = parse(search || '');
    var get = function (name) { var v = params && params['$' + name]; return v ? v : null; };
    var lang = language(get('lang')) || language(browserLanguage) || 'en';
    var theme = get('theme');
    var plan = {
      lang: lang,
      theme: theme === 'light' || theme === 'dark' ? theme : 'auto',
      style: get('primaryColor') ? '--bw-color-primary: ' + get('primaryColor') : null,
      skeleton: false,
      list: null,
      reads: []
    };
    var company = get('company') || get('c');
    if (!params || !company) return plan;
    var origin = (get('api') || pageOrigin).replace(/\/+$/, '');
    var base = origin + '/api/2.1/scheduling/companies/' + encodeURIComponent(company) + '/widget/';
    var enc = encodeURIComponent;
    var reads = plan.reads;
    reads.push(base + 'company');
    if (get('appointment')) {
      reads.push(base + 'appointments/' + enc(get('appointment')));
      return plan;
    }
    // `WidgetContext::initial_zone`: the URL's zone if the browser knows it, else the browser's.
    // Only asked for a slot window: an `Intl.DateTimeFormat` is costly to make on a slow phone.
    var zoneNow = function () {
      return (get('timeZone') && zoneOf({ timeZone: get('timeZone') })) || zoneOf({}) || 'UTC';
    };
    var resource = get('resource'), service = get('service'), staff = get('staff'), zone;
    if (resource) {
      zone = zoneNow();
      reads.push(base + 'resources');
      reads.push(base + 'form?resourceId=' + enc(resource) + '&lang=' + lang);
      // One unit: `Booking::choose_resource`.
      reads.push(base + 'freeSlots?' + firstWindow(zone) + '&resourceId=' + enc(resource) + '&timeZone=' + enc(zone) + '&resourceCount=1');
      return plan;
    }
    plan.skeleton = true;
    reads.push(base + 'services?lang=' + lang);
    // With a preselected service the flow starts further on: only the skeleton shows.
    if (!service) plan.list = base + 'services?lang=' + lang;
    if (service) {
      reads.push(base + 'staff?serviceId=' + enc(service));
      reads.push(base + 'form?serviceId=' + enc(service) + '&lang=' + lang);
      if (staff) {
        zone = zoneNow();
        reads.push(base + 'freeSlots?' + firstWindow(zone) + '&serviceId=' + enc(service) + '&timeZone=' + enc(zone) +
          '&staffId=' + enc(staff));
      }
    }
    return plan;
  };

  /** Stores the answers the server inlined (`{ "<API path>": answer }`, the JSON text of `#bw-early`)
   *  as reads already answered at `pageOrigin` + path: adopted like the ones `prefetch` starts. */
  boot.inline = function (pageOrigin, text) {
    var answers = null;
    try {
      answers = text ? JSON.parse(text) : null;
    } catch (e) {
      return;
    }
    if (!answers || !window.Response || !window.AbortController) return;
    for (var path in answers) {
      if (!Object.prototype.hasOwnProperty.call(answers, path) || store[pageOrigin + path]) continue;
      var response = new Response(JSON.stringify(answers[path]), {
        status: 200,
        headers: { 'Content-Type': 'application/json' }
      });
      // `answer`: the parsed body, for painting now (a Response's body is only read asynchronously).
      store[pageOrigin + path] = { response: Promise.resolve(response), controller: new AbortController(), answer: answers[path] };
    }
  };

  /** Starts each read once (a second widget with the same reads leaves them to the first). */
  boot.prefetch = function (urls) {
    if (!window.fetch || !window.AbortController) return;
    for (var i = 0; i < urls.length; i++) {
      if (store[urls[i]]) continue;
      var controller = new AbortController();
      var response = fetch(urls[i], { headers: { Accept: 'application/json' }, signal: controller.signal });
      // The app handles a failure (it asks again); an unclaimed failure is not an error.
      response['catch'](function () {});
      store[urls[i]] = { response: response, controller: controller };
    }
  };

  /** Dresses the static skeleton (`#bw-boot` in index.html) as the app's first render will be. */
  boot.paint = function (plan) {
    var page = document.getElementById('bw-boot');
    if (!page) return;
    var text = TEXT[plan.lang];
    var root = page.querySelector('.bw-root');
    document.documentElement.setAttribute('lang', plan.lang);
    document.title = text[2];
    page.querySelector('h1').textContent = text[2];
    root.setAttribute('lang', plan.lang);
    root.setAttribute('data-theme', plan.theme);
    if (plan.style) root.setAttribute('style', plan.style);
    var step = root.querySelector('.bw-step');
    if (!plan.skeleton) {
      // Another first screen (a resource, an appointment link, a missing company): an empty root.
      root.removeChild(step);
      return;
    }
    step.querySelector('h2').textContent = text[0];
    var read = plan.list && store[plan.list];
    if (page.hasAttribute('data-bw-list')) {
      // The server painted the list from the answer it inlined: it only needs its clicks and prices.
      if (read && read.answer) return wireList(step, read.answer.items, plan.lang);
      // Not the one this page reads (another language than the browser's): back to the skeleton.
      page.removeAttribute('data-bw-list');
      step.replaceChild(skeletonNode(), step.querySelector('.bw-choices'));
    }
    step.querySelector('.bw-skeleton .bw-visually-hidden').textContent = text[1];
    if (!read) return;
    page.setAttribute('data-bw-list', '');
    // A copy of the body: the app still reads the original.
    read.response.then(function (r) { return r.ok ? r.clone().json() : null; })
      .then(function (answer) { paintList(step, answer && answer.items, plan.lang); })['catch'](function () {});
  };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  /** index.html's skeleton (`SkeletonList`). */
  function skeletonNode() {
    var node = el('div', 'bw-skeleton');
    node.setAttribute('role', 'status');
    node.setAttribute('aria-live', 'polite');
    node.appendChild(el('span', 'bw-visually-hidden'));
    for (var i = 0; i < 3; i++) node.appendChild(el('div', 'bw-skeleton__row')).setAttribute('aria-hidden', 'true');
    return node;
  }

  /** Keeps a click on the painted list for the app. */
  function choose() { window.__bw_early_choice = this.getAttribute('data-id'); }

  // One `Intl.NumberFormat` per locale and currency: each is costly to make on a slow phone.
  var formats = {};

  /** `format::price`: through `Intl` in the app's locale (`Lang::locale`), else its fallback. */
  function priceText(p, lang) {
    if (!p || !(p.amount > 0)) return TEXT[lang][3];
    var tag = navigator.language, locale = language(tag) === lang ? tag : lang;
    var key = locale + ' ' + p.currency;
    try {
      formats[key] = formats[key] || new Intl.NumberFormat(locale, { style: 'currency', currency: p.currency });
      return formats[key].format(p.amount);
    } catch (e) {
      return p.amount.toFixed(2) + ' ' + p.currency;
    }
  }

  /** `ServiceList`'s markup (steps/service.rs), data written with textContent only. */
  function paintList(step, items, lang) {
    var skeleton = step.querySelector('.bw-skeleton');
    if (!skeleton || !items || !items.length) return;
    var text = TEXT[lang], list = el('ul', 'bw-choices');
    list.setAttribute('role', 'list');
    for (var i = 0; i < items.length; i++) {
      var s = items[i], button = el('button', 'bw-choice__button'), meta = el('span', 'bw-choice__meta');
      var item = el('li', 'bw-choice'), m = s.duration;
      button.type = 'button';
      button.setAttribute('data-id', s.id);
      button.onclick = choose;
      button.appendChild(el('span', 'bw-choice__name', s.name));
      if (s.description) button.appendChild(el('span', 'bw-choice__description', s.description));
      // `format::duration` and `format::price`.
      if (m != null) {
        meta.appendChild(el('span', 'bw-choice__duration', m < 60 ? m + ' ' + text[4] :
          Math.floor(m / 60) + ' h' + (m % 60 ? ' ' + m % 60 + ' ' + text[4] : '')));
      }
      meta.appendChild(el('span', 'bw-choice__price', priceText(s.price, lang)));
      button.appendChild(meta);
      item.appendChild(button);
      list.appendChild(item);
    }
    step.replaceChild(list, skeleton);
  }

  /** The server's painting of the same list (one button per item, in order): clicks kept, prices
   *  written as the app writes them (the server writes the fallback form; the browser's `Intl` has
   *  the locale data). */
  function wireList(step, items, lang) {
    var buttons = step.querySelectorAll('.bw-choice__button');
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].onclick = choose;
      var price = buttons[i].querySelector('.bw-choice__price');
      if (price && items && items[i]) price.textContent = priceText(items[i].price, lang);
    }
  }

  // On the widget's own page (index.html holds the skeleton): start now, with the page's URL.
  if (document.getElementById('bw-boot')) {
    var plan = boot.plan(location.search, location.origin, navigator.language);
    var early = document.getElementById('bw-early');
    boot.inline(location.origin, early && early.textContent);
    boot.prefetch(plan.reads);
    boot.paint(plan);
  }
})(window, document);

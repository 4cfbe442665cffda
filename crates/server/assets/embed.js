/*! booking-widget embed.js v1 — puts the booking widget on any page: inline, popup or floating button.
 * Plain ES5, no dependencies, no cookies or storage. Served by booking-server at /embed.js. */
(function (window, document) {
  'use strict';
  if (window.BookingWidget && window.BookingWidget.version) return; // loaded twice: keep the first

  var VERSION = 1;
  var script = document.currentScript;
  // The widget lives on the server that served this script; messages from any other origin are ignored.
  var WIDGET_ORIGIN = script && script.src ? new URL(script.src, location.href).origin : location.origin;
  var OPTION_NAMES = ['company', 'api', 'service', 'staff', 'resource', 'lang', 'timeZone', 'theme', 'primaryColor'];
  var instances = [];
  var listeners = {};
  var defaultPrefill = {};
  var nextId = 1;

  // Connect to the widget's server now, before any widget asks for it.
  each(['dns-prefetch', 'preconnect'], function (rel) {
    if (WIDGET_ORIGIN === location.origin) return;
    var link = document.createElement('link');
    link.rel = rel;
    link.href = WIDGET_ORIGIN;
    (document.head || document.documentElement).appendChild(link);
  });

  function each(list, fn) { for (var i = 0; i < list.length; i++) fn(list[i], i); }
  function assign(target, source) { for (var k in source) if (Object.prototype.hasOwnProperty.call(source, k)) target[k] = source[k]; return target; }
  function camel(name) { return name.replace(/-+(.?)/g, function (_, c) { return c.toUpperCase(); }); }

  /** Options from data-* attributes: data-company, data-prefill-email, data-ep-campaign, ... */
  function optionsFrom(el) {
    var options = { prefill: {}, extendedProperties: {} };
    each(el.attributes, function (attr) {
      var name = attr.name;
      if (name.indexOf('data-prefill-') === 0) options.prefill[name.slice(13)] = attr.value;
      else if (name.indexOf('data-ep-') === 0) options.extendedProperties[name.slice(8)] = attr.value;
      else if (name.indexOf('data-') === 0) {
        var key = camel(name.slice(5));
        if (OPTION_NAMES.indexOf(key) >= 0) options[key] = attr.value;
      }
    });
    return options;
  }

  /** The widget URL: host page query (UTM, prefill), then explicit prefill, then options, then ep.* */
  function widgetUrl(options) {
    var params = new URLSearchParams(location.search);
    var prefill = assign(assign({}, defaultPrefill), options.prefill || {});
    for (var p in prefill) params.set(p, prefill[p]);
    each(OPTION_NAMES, function (key) { if (options[key] != null && options[key] !== '') params.set(key, options[key]); });
    var ep = options.extendedProperties || {};
    for (var e in ep) params.set('ep.' + e, ep[e]);
    params.set('parentOrigin', location.origin);
    params.set('embed', '1');
    return WIDGET_ORIGIN + '/widget/?' + params.toString();
  }

  function emit(instance, type, payload) {
    var detail = { type: type, version: VERSION, widget: instance.id, payload: payload };
    instance.container.dispatchEvent(new CustomEvent('booking:' + type, { detail: detail, bubbles: true }));
    each((instance.listeners[type] || []).concat(listeners[type] || []), function (fn) {
      try { fn(payload, detail); } catch (err) { setTimeout(function () { throw err; }); }
    });
  }

  function createInstance(container, options, kind, eager) {
    if (!options || !options.company) throw new Error('BookingWidget: the "company" option is required');
    var iframe = document.createElement('iframe');
    iframe.src = widgetUrl(options);
    iframe.title = options.title || 'Book an appointment';
    // A warmed popup loads while hidden.
    if (!eager) iframe.setAttribute('loading', 'lazy');
    iframe.style.cssText = 'display:block;width:100%;border:0;height:' + (options.height || 600) + 'px;transition:height .15s';
    container.appendChild(iframe);
    var instance = {
      id: 'bw-' + nextId++,
      kind: kind,
      container: container,
      iframe: iframe,
      options: options,
      listeners: {},
      on: function (type, fn) { (instance.listeners[type] = instance.listeners[type] || []).push(fn); return instance; },
      prefill: function (values) {
        instance.options.prefill = assign(instance.options.prefill || {}, values);
        iframe.src = widgetUrl(instance.options);
        return instance;
      },
      destroy: function () {
        if (iframe.parentNode) iframe.parentNode.removeChild(iframe);
        var at = instances.indexOf(instance);
        if (at >= 0) instances.splice(at, 1);
      }
    };
    container.setAttribute('data-booking-widget-id', instance.id);
    instances.push(instance);
    return instance;
  }

  window.addEventListener('message', function (event) {
    if (event.origin !== WIDGET_ORIGIN) return;
    var data = event.data;
    if (!data || data.source !== 'booking-widget' || data.version !== VERSION || typeof data.type !== 'string') return;
    each(instances.concat(warm), function (instance) {
      if (instance.iframe.contentWindow !== event.source) return;
      if (data.type === 'resize' && data.payload && data.payload.height > 0) {
        instance.iframe.style.height = Math.ceil(data.payload.height) + 'px';
      }
      // A warmed popup speaks once open.
      if (instance.queue) instance.queue.push([data.type, data.payload]);
      else emit(instance, data.type, data.payload);
    });
  });

  /** Inline: the widget inside `el`. */
  function inline(el, options) {
    if (typeof el === 'string') el = document.querySelector(el);
    return createInstance(el, assign(optionsFrom(el), options || {}), 'inline');
  }

  /** Popup: a modal dialog (focus trapped, Esc closes, focus returns to the opener, page scroll locked);
   *  the one warmed up for the same URL if any. */
  function popup(options, opener) {
    opener = opener || document.activeElement;
    var instance = warmFor(options);
    if (instance) warm.splice(warm.indexOf(instance), 1);
    else instance = buildPopup(options);
    instance.open(opener);
    return instance;
  }

  /** A popup built hidden: nothing shows, traps or locks until `open`. */
  function buildPopup(options) {
    var overlay = document.createElement('div');
    overlay.hidden = true;
    overlay.className = 'bw-embed-overlay';
    overlay.style.cssText = 'position:fixed;inset:0;z-index:2147483000;background:rgba(15,18,25,.55);display:none;align-items:center;justify-content:center;padding:1rem';
    var dialog = document.createElement('div');
    dialog.setAttribute('aria-label', options.title || 'Book an appointment');
    dialog.style.cssText = 'position:relative;background:#fff;border-radius:12px;width:min(40rem,100%);max-height:100%;overflow:auto;box-shadow:0 10px 40px rgba(0,0,0,.3)';
    var close = document.createElement('button');
    close.type = 'button';
    close.className = 'bw-embed-close';
    close.setAttribute('aria-label', options.closeLabel || 'Close');
    close.textContent = '\u00d7';
    close.style.cssText = 'position:absolute;top:.25rem;right:.25rem;z-index:1;width:2.5rem;height:2.5rem;border:0;border-radius:50%;background:#fff;font-size:1.5rem;cursor:pointer';
    // Sentinels before and after the content send Tab focus back inside: the trap.
    var first = sentinel(), last = sentinel();
    var body = document.createElement('div');
    dialog.appendChild(first); dialog.appendChild(close); dialog.appendChild(body); dialog.appendChild(last);
    overlay.appendChild(dialog);
    var html = document.documentElement, previousOverflow, opener;
    document.body.appendChild(overlay);
    var instance = createInstance(body, options, 'popup', true);
    instances.pop(); // listed once open
    instance.queue = [];
    first.addEventListener('focus', function () { instance.iframe.focus(); });
    last.addEventListener('focus', function () { close.focus(); });
    function onKey(e) { if (e.key === 'Escape') instance.close(); }
    instance.open = function (from) {
      opener = from;
      instances.push(instance);
      previousOverflow = html.style.overflow;
      html.style.overflow = 'hidden';
      // A dialog from the moment it shows (a warmed one is no dialog yet).
      dialog.setAttribute('role', 'dialog');
      dialog.setAttribute('aria-modal', 'true');
      overlay.hidden = false;
      overlay.style.display = 'flex';
      document.addEventListener('keydown', onKey, true);
      close.focus();
      var queued = instance.queue;
      instance.queue = null;
      each(queued, function (e) { emit(instance, e[0], e[1]); });
    };
    instance.close = function () {
      // Announce first: the event bubbles from the container, which is about to leave the page.
      emit(instance, 'closed', null);
      document.removeEventListener('keydown', onKey, true);
      instance.discard();
      html.style.overflow = previousOverflow;
      if (opener && opener.focus) opener.focus();
    };
    instance.discard = function () {
      instance.destroy();
      if (overlay.parentNode) overlay.parentNode.removeChild(overlay);
    };
    close.addEventListener('click', instance.close);
    overlay.addEventListener('click', function (e) { if (e.target === overlay) instance.close(); });
    return instance;
  }

  /** Warm-up: when the page is idle, a hidden frame of the bare widget puts its files in this page's
   *  cache (one download for all its widgets); hovering, focusing or touching a trigger builds its
   *  popup hidden, so a click opens straight onto the first step. */
  var warm = [], filesWarm = false;
  function warmFiles() {
    if (filesWarm || !document.body) return;
    filesWarm = true;
    var frame = document.createElement('iframe');
    frame.src = WIDGET_ORIGIN + '/widget/';
    frame.setAttribute('data-booking-warm', '');
    frame.style.display = 'none';
    document.body.appendChild(frame);
  }
  function warmFor(options) {
    var url = widgetUrl(options);
    for (var i = 0; i < warm.length; i++) if (warm[i].iframe.getAttribute('src') === url) return warm[i];
  }
  function whenIdle() {
    if (window.requestIdleCallback) window.requestIdleCallback(warmFiles, { timeout: 5000 });
    else setTimeout(warmFiles, 2000);
  }
  function warmOn(trigger, options) {
    function warmUp() { if (!warmFor(options())) warm.push(buildPopup(options())); }
    each(['mouseenter', 'focus', 'touchstart'], function (type) {
      trigger.addEventListener(type, warmUp, { passive: true });
    });
    if (document.readyState === 'complete') whenIdle();
    else window.addEventListener('load', whenIdle);
  }

  function sentinel() {
    var s = document.createElement('span');
    s.tabIndex = 0;
    // Pinned to the corner: a sentinel below the content would make the dialog scroll by 1 px.
    s.style.cssText = 'position:absolute;top:0;left:0;width:1px;height:1px;overflow:hidden';
    return s;
  }

  /** Floating button in the bottom corner that opens the popup. */
  function button(label, options) {
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'bw-embed-button';
    b.textContent = label || 'Book now';
    b.style.cssText = 'position:fixed;right:1.25rem;bottom:1.25rem;z-index:2147482000;padding:.85rem 1.4rem;border:0;border-radius:999px;font:600 1rem system-ui,sans-serif;color:#fff;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);background:' + (options.primaryColor || '#3b5bdb');
    b.addEventListener('click', function () { popup(options, b); });
    warmOn(b, function () { return options; });
    document.body.appendChild(b);
    return b;
  }

  /** Direct mount (no iframe): loads the widget's own stylesheet and wasm module into this page, once;
   *  the widget then mounts into every [data-booking-widget-mount] element, configured by its data-*. */
  var directLoaded = false;
  function mountDirect() {
    var elements = document.querySelectorAll('[data-booking-widget-mount]');
    if (!elements.length || directLoaded) return;
    directLoaded = true;
    each(elements, function (el) { if (!el.hasAttribute('data-api')) el.setAttribute('data-api', WIDGET_ORIGIN); });
    var base = WIDGET_ORIGIN + '/widget/';
    fetch(base).then(function (r) { return r.text(); }).then(function (html) {
      var page = new DOMParser().parseFromString(html, 'text/html');
      // index.html's boot script starts each mount's first API reads while the wasm downloads.
      each(page.querySelectorAll('script:not([type]):not([src])'), function (script) {
        var copy = document.createElement('script');
        copy.textContent = script.textContent;
        document.head.appendChild(copy);
      });
      var boot = window.__bookingWidgetBoot;
      if (boot && boot.plan) each(elements, function (el) {
        boot.prefetch(boot.plan(mountQuery(el), location.origin, navigator.language).reads);
      });
      each(page.querySelectorAll('link[rel=stylesheet]'), function (link) {
        var copy = document.createElement('link');
        copy.rel = 'stylesheet';
        copy.href = new URL(link.getAttribute('href'), base).href;
        document.head.appendChild(copy);
      });
      // trunk's loader imports '/widget/…' paths: make them point at the widget's server.
      each(page.querySelectorAll('script[type=module]'), function (script) {
        var copy = document.createElement('script');
        copy.type = 'module';
        copy.textContent = script.textContent.replace(/(['"])\/widget\//g, '$1' + base);
        document.head.appendChild(copy);
      });
    });
  }

  /** What `WidgetConfig::from_mount` reads for `el`: the page's query, then its data-*. */
  function mountQuery(el) {
    var query = location.search;
    each(el.attributes, function (attr) {
      var name = attr.name.slice(5);
      if (attr.name.indexOf('data-') !== 0) return;
      if (name.indexOf('prefill-') === 0) name = name.slice(8);
      else if (name.indexOf('ep-') === 0) name = 'ep.' + name.slice(3);
      else name = camel(name);
      query += '&' + encodeURIComponent(name) + '=' + encodeURIComponent(attr.value);
    });
    return query;
  }

  function scan(root) {
    mountDirect();
    each((root || document).querySelectorAll('[data-booking-widget]:not([data-booking-widget-id])'), function (el) { inline(el); });
    each((root || document).querySelectorAll('[data-booking-popup]:not([data-booking-bound])'), function (el) {
      el.setAttribute('data-booking-bound', '');
      el.addEventListener('click', function (e) { e.preventDefault(); popup(optionsFrom(el), el); });
      warmOn(el, function () { return optionsFrom(el); });
    });
    each((root || document).querySelectorAll('[data-booking-button]:not([data-booking-bound])'), function (el) {
      el.setAttribute('data-booking-bound', '');
      button(el.getAttribute('data-booking-button'), optionsFrom(el));
    });
  }

  window.BookingWidget = {
    version: VERSION,
    widgetOrigin: WIDGET_ORIGIN,
    inline: inline,
    popup: function (options) { return popup(options || {}); },
    button: function (label, options) { return button(label, options || {}); },
    on: function (type, fn) { (listeners[type] = listeners[type] || []).push(fn); return window.BookingWidget; },
    prefill: function (values) {
      assign(defaultPrefill, values || {});
      each(instances, function (instance) { instance.prefill({}); });
      // Warmed popups are stale now.
      each(warm.splice(0, warm.length), function (w) { w.discard(); });
      return window.BookingWidget;
    },
    scan: scan,
    instances: instances
  };

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', function () { scan(); });
  else scan();
})(window, document);

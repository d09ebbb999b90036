// The browser script readers' pages load from the relay (GET /reader.js). Plain ES2017, no
// dependencies, no build step: kept as a string so the relay can serve it from memory.
export const READER_SCRIPT_SOURCE = String.raw`/*!
 * Hero Desk reader script: live hero images for a news site's pages.
 *
 *   <script src="https://relay.example.com/reader.js"></script>
 *   <script>
 *     var live = HeroDeskReader.connect({
 *       url: 'wss://relay.example.com/ws',      // optional: defaults to the relay this script came from
 *       discoverUrl: '/relay.json',             // optional: a URL answering JSON { wsUrl }; asked before
 *                                               //   connecting and again after 2 failed attempts, so a
 *                                               //   relay that moved (new port or host) is found again
 *       onArticle: function (message) {},       // a new article, or a newer version of one you have
 *       onRetract: function (message) {},       // the newsroom pulled the article: remove it
 *       onStatus: function (status) {},         // optional: 'connecting' | 'live' | 'offline'
 *       onGap: function (info) {}               // optional: messages may have been missed (relay restart,
 *     });                                       //   long outage); reload the page's data if that matters
 *     // live.close() stops for good; live.lastSeq() is the last stream position seen.
 *   </script>
 *
 * message = { kind: 'publish' | 'retract', articleId, version, headline, summary, section,
 *             imageUrl, variants (optional: "<crop>.<format>" → url, crops hero 1600×900, og 1200×630,
 *             square 1080×1080, thumb 480×270; formats webp, avif, jpeg), altText, credit, publishedAt }
 *
 * What the script guarantees:
 * - Each article is handed to you only with a version newer than the last one you got for it,
 *   so repeats and out-of-order copies never reach your handlers.
 * - On disconnect it reconnects with exponential backoff plus jitter (1 s doubling to 30 s) and
 *   resumes from the last position it saw (since=), so nothing published meanwhile is lost
 *   while the relay still holds it in its history. With discoverUrl it follows the relay to a new
 *   address and still resumes from the same position.
 * - The connection is read-only; the script never sends anything.
 * Treat every field as text (textContent, setAttribute), never as HTML.
 */
(function (root) {
  'use strict';
  var doc = root.document;
  var scriptSrc = doc && doc.currentScript && doc.currentScript.src ? doc.currentScript.src : null;
  function noop() {}

  function defaultUrl() {
    var base = scriptSrc || (root.location && root.location.href);
    if (!base) throw new Error('HeroDeskReader.connect: pass { url }');
    var url = new URL('/ws', base);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    return url.toString();
  }

  function resolveUrl(value) {
    var base = (root.location && root.location.href) || scriptSrc;
    return base ? new URL(value, base).toString() : value;
  }

  function connect(options) {
    var opts = options || {};
    var discoverUrl = opts.discoverUrl ? resolveUrl(opts.discoverUrl) : null;
    var url = opts.url || null; // with discoverUrl alone, found before the first attempt
    var onArticle = opts.onArticle || noop;
    var onRetract = opts.onRetract || noop;
    var onStatus = opts.onStatus || noop;
    var onGap = opts.onGap || noop;
    var minDelay = opts.minDelayMs || 1000;
    var maxDelay = opts.maxDelayMs || 30000;
    var versions = Object.create(null); // articleId -> newest version handed out
    var lastSeq = 0;
    var epoch = null;
    var attempt = 0;
    var socket = null;
    var timer = null;
    var stopped = false;
    var failures = 0; // consecutive attempts that never opened
    var discovering = false;

    function call(handler, value) {
      try {
        handler(value);
      } catch (error) {
        if (root.console) root.console.error('HeroDeskReader: handler failed', error);
      }
    }

    // Asks discoverUrl where the relay is now; keeps the current url when it cannot say.
    function discover(then) {
      if (!discoverUrl || typeof root.fetch !== 'function') return then();
      discovering = true;
      var finished = false;
      var finish = function () {
        if (finished) return;
        finished = true;
        discovering = false;
        if (!stopped) then();
      };
      var deadline = setTimeout(finish, 5000);
      root.fetch(discoverUrl, { cache: 'no-store', credentials: 'omit' })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (body) {
          if (!finished && body && typeof body.wsUrl === 'string' && /^wss?:\/\//.test(body.wsUrl)) url = body.wsUrl;
        })
        .catch(noop)
        .then(function () {
          clearTimeout(deadline);
          finish();
        });
    }

    function open() {
      timer = null;
      if (stopped || discovering) return;
      if (!url) url = defaultUrl();
      call(onStatus, 'connecting');
      var target = url + (url.indexOf('?') === -1 ? '?' : '&') + 'since=' + lastSeq +
        (epoch ? '&epoch=' + encodeURIComponent(epoch) : '');
      var ws;
      try {
        ws = new root.WebSocket(target);
      } catch (error) {
        schedule();
        return;
      }
      socket = ws;
      var opened = false;
      ws.onopen = function () {
        opened = true;
        attempt = 0;
        failures = 0;
        call(onStatus, 'live');
      };
      ws.onmessage = function (event) {
        if (socket === ws) receive(event.data);
      };
      ws.onclose = function () {
        if (socket !== ws) return;
        socket = null;
        if (stopped) return;
        call(onStatus, 'offline');
        if (!opened) failures += 1;
        if (discoverUrl && failures >= 2) {
          // The relay may have moved: ask again, and go straight there if it has.
          failures = 0;
          var before = url;
          discover(function () {
            if (url !== before) {
              attempt = 0;
              open();
            } else schedule();
          });
          return;
        }
        schedule();
      };
      ws.onerror = noop; // a close event always follows
    }

    function schedule() {
      if (stopped || timer !== null) return;
      // "Equal jitter": half the backoff fixed, half random, so a relay restart is not a stampede.
      var ceiling = Math.min(maxDelay, minDelay * Math.pow(2, attempt));
      attempt += 1;
      timer = setTimeout(open, ceiling / 2 + Math.random() * (ceiling / 2));
    }

    function receive(data) {
      var frame;
      try {
        frame = JSON.parse(data);
      } catch (error) {
        return;
      }
      if (!frame || typeof frame !== 'object') return;
      if (frame.type === 'hello') {
        // A new epoch means the relay restarted and its positions start over.
        if (epoch !== null && frame.epoch !== epoch) lastSeq = 0;
        epoch = frame.epoch;
        if (frame.gap) call(onGap, { epoch: frame.epoch, oldestSeq: frame.oldestSeq });
        return;
      }
      if (frame.type !== 'article' || !frame.message) return;
      if (typeof frame.seq === 'number' && frame.seq > lastSeq) lastSeq = frame.seq;
      var message = frame.message;
      if (typeof message.articleId !== 'string' || typeof message.version !== 'number') return;
      var held = versions[message.articleId];
      if (held !== undefined && message.version <= held) return;
      versions[message.articleId] = message.version;
      call(message.kind === 'retract' ? onRetract : onArticle, message);
    }

    // Back online: try now instead of waiting out the backoff.
    function reconnectNow() {
      if (timer === null || stopped || discovering) return;
      clearTimeout(timer);
      attempt = 0;
      open();
    }
    if (root.addEventListener) root.addEventListener('online', reconnectNow);

    if (discoverUrl) discover(open);
    else open();
    return {
      close: function () {
        stopped = true;
        if (timer !== null) clearTimeout(timer);
        timer = null;
        if (root.removeEventListener) root.removeEventListener('online', reconnectNow);
        if (socket) socket.close(1000);
        socket = null;
      },
      lastSeq: function () {
        return lastSeq;
      }
    };
  }

  root.HeroDeskReader = { connect: connect };
})(typeof window !== 'undefined' ? window : globalThis);
`;

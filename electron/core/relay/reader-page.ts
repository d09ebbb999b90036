// The demo local-news front page the relay (and, headless, the board bridge) serves at GET /reader:
// what a reader sees when the newsroom publishes. Uses the same /reader.js any site would; the page logic is /reader-app.js
// (no inline script, so the page can run under a strict Content-Security-Policy: READER_PAGE_CSP in shared/csp.ts).

export const READER_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Hero Desk Local: front page</title>
<style>
  :root { --ink: #1a1a1a; --muted: #5f5f5f; --rule: #d9d4c7; --paper: #fbf9f4; --accent: #b3261e; }
  * { box-sizing: border-box; }
  body { margin: 0; background: var(--paper); color: var(--ink); font: 17px/1.5 Georgia, 'Times New Roman', serif; }
  .masthead { max-width: 1180px; margin: 0 auto; padding: 28px 24px 0; text-align: center; }
  .masthead .dateline { display: flex; justify-content: space-between; font: 600 12px/1 'Helvetica Neue', Arial, sans-serif;
    letter-spacing: .08em; text-transform: uppercase; color: var(--muted); border-bottom: 1px solid var(--rule); padding-bottom: 10px; }
  .masthead h1 { font: 700 clamp(36px, 6vw, 64px)/1.05 Georgia, serif; letter-spacing: -.02em; margin: 18px 0 6px; }
  .masthead .tagline { font-style: italic; color: var(--muted); margin: 0 0 14px; }
  .masthead .rules { border-top: 3px double var(--ink); border-bottom: 1px solid var(--ink); height: 6px; }
  .status::before { content: '\\25CF'; margin-right: 6px; color: #c9a227; }
  .status[data-status="live"]::before { color: #2e7d32; }
  .status[data-status="offline"]::before { color: var(--accent); }
  main { max-width: 1180px; margin: 0 auto; padding: 24px; }
  .empty { text-align: center; color: var(--muted); font-style: italic; padding: 80px 0; }
  .articles { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 28px 32px; }
  article { border-top: 1px solid var(--rule); padding-top: 14px; opacity: 0; transform: translateY(8px);
    transition: opacity .6s ease, transform .6s ease; }
  article.shown { opacity: 1; transform: none; }
  article.leaving { opacity: 0; transform: scale(.98); }
  article:first-child { grid-column: 1 / -1; display: grid; grid-template-columns: 3fr 2fr; gap: 28px; align-items: start;
    border-top: none; padding-top: 0; }
  article:first-child h2 { font-size: clamp(28px, 3.4vw, 42px); }
  article:first-child .summary { font-size: 19px; }
  figure { margin: 0; background: #ece8de; aspect-ratio: 7 / 4; overflow: hidden; }
  figure img { width: 100%; height: 100%; object-fit: cover; display: block; }
  figure img.arriving { animation: arrive .8s ease; }
  @keyframes arrive { from { opacity: .15; filter: blur(6px); } to { opacity: 1; filter: none; } }
  .section { font: 700 12px/1 'Helvetica Neue', Arial, sans-serif; letter-spacing: .1em; text-transform: uppercase; color: var(--accent); }
  h2 { font: 700 22px/1.2 Georgia, serif; margin: 8px 0; letter-spacing: -.01em; }
  .summary { margin: 0 0 10px; }
  .credit { font: 12px/1.4 'Helvetica Neue', Arial, sans-serif; color: var(--muted); margin: 6px 0 0; }
  .meta { font: 12px/1.4 'Helvetica Neue', Arial, sans-serif; color: var(--muted); margin: 2px 0 0; }
  footer { max-width: 1180px; margin: 0 auto; padding: 24px; border-top: 1px solid var(--rule); color: var(--muted); font-size: 13px; }
  @media (max-width: 860px) { .articles { grid-template-columns: 1fr; } article:first-child { grid-template-columns: 1fr; } }
  @media (prefers-reduced-motion: reduce) { article, figure img.arriving { transition: none; animation: none; } }
</style>
</head>
<body>
<header class="masthead">
  <div class="dateline"><span id="today"></span><span id="status" class="status" data-status="connecting">Connecting</span></div>
  <h1>Hero Desk Local</h1>
  <p class="tagline">Your town, as it happens. Stories appear here the moment editors publish them.</p>
  <div class="rules"></div>
</header>
<main>
  <p id="empty" class="empty">No stories yet. Published articles will appear here live.</p>
  <section id="articles" class="articles" aria-live="polite"></section>
</main>
<footer>A demo front page served by Hero Desk. Images: see each story's credit line.</footer>
<script src="/reader.js"></script>
<script src="/reader-app.js"></script>
</body>
</html>
`;

export const READER_APP_SOURCE = String.raw`(function () {
  'use strict';
  var list = document.getElementById('articles');
  var empty = document.getElementById('empty');
  var status = document.getElementById('status');
  var byId = Object.create(null);
  var STATUS_TEXT = { connecting: 'Connecting', live: 'Live', offline: 'Reconnecting' };

  document.getElementById('today').textContent = new Date().toLocaleDateString(undefined,
    { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' });

  function el(tag, className) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    return node;
  }

  // Variant names are "<crop>.<format>"; the 16:9 crops are the thumbnail (480 px) and the hero (1600 px).
  var WIDTHS = { thumb: 480, hero: 1600 };
  function srcset(variants, format) {
    if (!variants) return '';
    return Object.keys(WIDTHS).filter(function (crop) { return variants[crop + '.' + format]; })
      .map(function (crop) { return variants[crop + '.' + format] + ' ' + WIDTHS[crop] + 'w'; }).join(', ');
  }

  function setOrClear(node, name, value) {
    if (value) node.setAttribute(name, value); else node.removeAttribute(name);
  }

  // Load the new image off-screen first, so the swap never shows a half-loaded picture.
  function showImage(node, message) {
    var figure = node.querySelector('figure');
    var img = figure.querySelector('img');
    var avif = figure.querySelector('source');
    figure.hidden = !message.imageUrl;
    if (!message.imageUrl) return;
    var preload = new Image();
    var done = function () {
      if (node.getAttribute('data-version') !== String(message.version)) return; // superseded meanwhile
      // AVIF where the browser takes it, WebP otherwise; the thumbnail on narrow screens
      setOrClear(avif, 'srcset', srcset(message.variants, 'avif'));
      setOrClear(img, 'srcset', srcset(message.variants, 'webp'));
      img.src = message.imageUrl;
      img.alt = message.altText || '';
      img.classList.remove('arriving');
      void img.offsetWidth; // restart the animation
      img.classList.add('arriving');
    };
    preload.onload = done;
    preload.onerror = done;
    preload.src = message.imageUrl;
  }

  function place(node, publishedAt) {
    node.setAttribute('data-published-at', String(publishedAt));
    var children = list.children;
    for (var i = 0; i < children.length; i++) {
      if (children[i] !== node && Number(children[i].getAttribute('data-published-at')) < publishedAt) {
        list.insertBefore(node, children[i]);
        return;
      }
    }
    list.appendChild(node);
  }

  function build(message) {
    var node = el('article');
    node.setAttribute('data-article-id', message.articleId);
    var figure = el('figure');
    var picture = el('picture');
    var avif = el('source');
    avif.type = 'image/avif';
    avif.sizes = '(max-width: 860px) 100vw, 60vw';
    var img = el('img');
    img.decoding = 'async';
    img.sizes = '(max-width: 860px) 100vw, 60vw';
    picture.appendChild(avif);
    picture.appendChild(img);
    figure.appendChild(picture);
    var text = el('div', 'text');
    text.appendChild(el('span', 'section'));
    text.appendChild(el('h2'));
    text.appendChild(el('p', 'summary'));
    text.appendChild(el('p', 'credit'));
    text.appendChild(el('p', 'meta'));
    node.appendChild(figure);
    node.appendChild(text);
    return node;
  }

  function onArticle(message) {
    var node = byId[message.articleId];
    var isNew = !node;
    if (isNew) node = byId[message.articleId] = build(message);
    node.setAttribute('data-version', String(message.version));
    node.querySelector('.section').textContent = message.section;
    node.querySelector('h2').textContent = message.headline;
    node.querySelector('.summary').textContent = message.summary;
    node.querySelector('.credit').textContent = message.credit;
    node.querySelector('.meta').textContent = 'Published ' + new Date(message.publishedAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    if (isNew || Number(node.getAttribute('data-published-at')) !== message.publishedAt) place(node, message.publishedAt);
    showImage(node, message);
    empty.hidden = true;
    if (isNew) requestAnimationFrame(function () { requestAnimationFrame(function () { node.classList.add('shown'); }); });
  }

  function onRetract(message) {
    var node = byId[message.articleId];
    if (!node) return;
    delete byId[message.articleId];
    node.removeAttribute('data-article-id'); // gone for scripts at once; the fade is only for eyes
    node.classList.remove('shown');
    node.classList.add('leaving');
    setTimeout(function () {
      node.remove();
      empty.hidden = list.children.length > 0;
    }, 650);
  }

  HeroDeskReader.connect({
    // The page's own origin says where the relay is now, so the page follows a relay that
    // restarts on another port (the board bridge serves this page and answers for the relay).
    discoverUrl: '/relay.json',
    onArticle: onArticle,
    onRetract: onRetract,
    onStatus: function (value) {
      status.setAttribute('data-status', value);
      status.textContent = STATUS_TEXT[value] || value;
    }
  });
})();
`;

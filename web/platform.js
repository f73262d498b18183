// Phone-platform care that needs no app state: asks the browser to keep this site's storage
// (navigator.storage.persist), offers the install prompt on Android (beforeinstallprompt) and an
// add-to-home-screen hint on iOS Safari (where storage otherwise lapses after 7 idle days), and
// warns inside a messaging app's built-in browser, whose storage may not last, with the link to
// copy. Plain DOM (accessible as it is); leaves out everything the wasm module draws.
'use strict';
(function () {
  // The link as it was opened (the app takes the token out of the address bar once stored): the
  // in-app-browser warning copies it, nothing else keeps it.
  const openedWith = location.href;
  const ua = navigator.userAgent || '';
  const es = /^es\b/i.test(navigator.language || '');
  const t = (en, sp) => (es ? sp : en);

  // Storage the browser may evict under pressure unless persisted (records wait in the outbox).
  if (navigator.storage && navigator.storage.persist) {
    navigator.storage.persisted().then((p) => (p ? true : navigator.storage.persist())).then((granted) => {
      if (window.doorstepStats) window.doorstepStats.persisted = granted ? 1 : 0;
    }, () => {});
  }

  // Messaging and social apps' webviews: Facebook, Messenger, Instagram, LINE, WeChat, KakaoTalk,
  // Snapchat, TikTok, Telegram (Android WebView marks itself "; wv)").
  const inApp = /FBAN|FBAV|FB_IAB|Instagram|Line\/|MicroMessenger|KAKAOTALK|Snapchat|TikTok|musical_ly|Telegram|; wv\)/i.test(ua);
  const standalone = (window.matchMedia && matchMedia('(display-mode: standalone)').matches) || navigator.standalone === true;
  const iosSafari = /iPhone|iPad|iPod/.test(ua) && /Safari\//.test(ua) && !/CriOS|FxiOS|EdgiOS/.test(ua) && !inApp;
  const dismissedKey = 'doorstep-setting-hint-dismissed';
  let dismissed = false;
  try { dismissed = localStorage.getItem(dismissedKey) === '1'; } catch (e) { /* private mode */ }

  function banner(id, text, buttons) {
    const box = document.createElement('div');
    box.id = id;
    box.className = 'platform-hint';
    box.setAttribute('role', 'region');
    box.setAttribute('aria-label', text.split('.')[0]);
    const p = document.createElement('p');
    p.textContent = text;
    box.appendChild(p);
    const row = document.createElement('div');
    row.className = 'editor-buttons';
    for (const [label, fn] of buttons) {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = label;
      b.addEventListener('click', () => fn(b, box));
      row.appendChild(b);
    }
    box.appendChild(row);
    document.body.appendChild(box);
    return box;
  }
  const close = (b, box) => {
    box.remove();
    try { localStorage.setItem(dismissedKey, '1'); } catch (e) { /* private mode */ }
  };

  function show() {
    if (location.hash.startsWith('#preview')) return;  // the organizer's preview: no hints
    if (inApp) {
      banner('inapp-warning', t('This app\'s built-in browser may lose your records. Open this link in your browser (Chrome or Safari).',
        'El navegador de esta app puede perder tus registros. Abre este enlace en tu navegador (Chrome o Safari).'), [
        [t('Copy link', 'Copiar enlace'), (b) => {
          const done = () => { b.textContent = t('Copied', 'Copiado'); };
          if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(openedWith).then(done, () => {});
          else { const ta = document.createElement('textarea'); ta.value = openedWith; document.body.appendChild(ta); ta.select(); document.execCommand('copy'); ta.remove(); done(); }
        }],
        [t('Close', 'Cerrar'), (b, box) => box.remove()],
      ]);
      return;
    }
    if (standalone || dismissed) return;
    if (iosSafari) {
      banner('install-hint', t('Add Doorstep to your Home Screen: tap Share, then "Add to Home Screen". Your records are kept safer.',
        'Agrega Doorstep a tu pantalla de inicio: toca Compartir y luego "Agregar a inicio". Tus registros quedan más seguros.'),
        [[t('Close', 'Cerrar'), close]]);
    }
  }
  // Android (Chrome): the browser's own install prompt, offered from a button.
  window.addEventListener('beforeinstallprompt', (e) => {
    e.preventDefault();
    if (dismissed || inApp || document.getElementById('install-hint')) return;
    banner('install-hint', t('Install Doorstep on this phone: it opens without the browser and keeps your records safer.',
      'Instala Doorstep en este teléfono: se abre sin el navegador y guarda mejor tus registros.'), [
      [t('Install', 'Instalar'), (b, box) => { e.prompt(); box.remove(); }],
      [t('Not now', 'Ahora no'), close],
    ]);
  });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', show); else show();
  window.DoorstepPlatform = { inApp, iosSafari, standalone };
})();

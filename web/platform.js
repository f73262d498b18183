// Phone-platform care that needs no app state: asks the browser to keep this site's storage
// (navigator.storage.persist), offers the install prompt on Android (beforeinstallprompt) and an
// add-to-home-screen hint on iOS Safari (where storage otherwise lapses after 7 idle days), both
// once the first record is saved, and warns inside a messaging app's built-in browser, whose storage may not last, with the link to
// copy. Plain DOM (accessible as it is); leaves out everything the wasm module draws. Also holds
// the page's own words around the canvas (the banners, index.html's first screen and fallback, the
// location sheet's buttons) in the app's languages; page.js re-labels them when the app's changes.
'use strict';
(function () {
  // The link as it was opened (the app takes the token out of the address bar once stored): the
  // in-app-browser warning copies it, nothing else keeps it.
  const openedWith = location.href;
  const ua = navigator.userAgent || '';

  // The app's languages (wasm/i18n.cpp kLanguages); every string has each of them.
  const LANGS = ['en', 'es', 'ko', 'zh-Hant', 'zh-Hans', 'hy', 'tl'];
  const STRINGS = {
    inapp: {
      en: 'This app\'s built-in browser may lose your records. Open this link in your browser (Chrome or Safari).',
      es: 'El navegador de esta app puede perder tus registros. Abre este enlace en tu navegador (Chrome o Safari).',
      ko: '이 앱의 내장 브라우저에서는 기록이 사라질 수 있습니다. 이 링크를 브라우저(Chrome 또는 Safari)에서 여세요.',
      'zh-Hant': '此應用程式的內建瀏覽器可能會遺失你的記錄。請在瀏覽器（Chrome 或 Safari）中開啟此連結。',
      'zh-Hans': '此应用的内置浏览器可能会丢失你的记录。请在浏览器（Chrome 或 Safari）中打开此链接。',
      hy: 'Այս հավելվածի ներկառուցված դիտարկիչը կարող է կորցնել ձեր գրառումները։ Բացեք այս հղումը ձեր դիտարկիչում (Chrome կամ Safari)։',
      tl: 'Maaaring mawala ang iyong mga tala sa built-in na browser ng app na ito. Buksan ang link na ito sa iyong browser (Chrome o Safari).',
    },
    copy_link: { en: 'Copy link', es: 'Copiar enlace', ko: '링크 복사', 'zh-Hant': '複製連結', 'zh-Hans': '复制链接', hy: 'Պատճենել հղումը', tl: 'Kopyahin ang link' },
    copied: { en: 'Copied', es: 'Copiado', ko: '복사됨', 'zh-Hant': '已複製', 'zh-Hans': '已复制', hy: 'Պատճենված է', tl: 'Nakopya na' },
    close: { en: 'Close', es: 'Cerrar', ko: '닫기', 'zh-Hant': '關閉', 'zh-Hans': '关闭', hy: 'Փակել', tl: 'Isara' },
    // iOS has no Armenian or Tagalog interface: its buttons keep their English names there.
    install_ios: {
      en: 'Add Doorstep to your Home Screen: tap Share, then "Add to Home Screen". Your records are kept safer.',
      es: 'Agrega Doorstep a tu pantalla de inicio: toca Compartir y luego "Agregar a inicio". Tus registros quedan más seguros.',
      ko: 'Doorstep을 홈 화면에 추가하세요: 공유를 누른 다음 "홈 화면에 추가"를 누르세요. 기록이 더 안전하게 보관됩니다.',
      'zh-Hant': '將 Doorstep 加入主畫面：點「分享」，再點「加入主畫面」。這樣你的記錄更安全。',
      'zh-Hans': '把 Doorstep 添加到主屏幕：点“共享”，再点“添加到主屏幕”。这样你的记录更安全。',
      hy: 'Ավելացրեք Doorstep-ը գլխավոր էկրանին. սեղմեք Share, ապա «Add to Home Screen»։ Այդպես ձեր գրառումներն ավելի ապահով կպահվեն։',
      tl: 'Idagdag ang Doorstep sa iyong Home Screen: pindutin ang Share, tapos ang "Add to Home Screen". Mas ligtas dito ang iyong mga tala.',
    },
    install_android: {
      en: 'Install Doorstep on this phone: it opens without the browser and keeps your records safer.',
      es: 'Instala Doorstep en este teléfono: se abre sin el navegador y guarda mejor tus registros.',
      ko: '이 휴대폰에 Doorstep을 설치하세요: 브라우저 없이 열리고 기록이 더 안전하게 보관됩니다.',
      'zh-Hant': '在本手機上安裝 Doorstep：不用瀏覽器就能開啟，你的記錄也更安全。',
      'zh-Hans': '在本手机上安装 Doorstep：无需浏览器即可打开，你的记录也更安全。',
      hy: 'Տեղադրեք Doorstep-ը այս հեռախոսում. այն կբացվի առանց դիտարկիչի, և ձեր գրառումներն ավելի ապահով կպահվեն։',
      tl: 'I-install ang Doorstep sa teleponong ito: bubukas ito nang walang browser at mas ligtas ang iyong mga tala.',
    },
    install: { en: 'Install', es: 'Instalar', ko: '설치', 'zh-Hant': '安裝', 'zh-Hans': '安装', hy: 'Տեղադրել', tl: 'I-install' },
    not_now: { en: 'Not now', es: 'Ahora no', ko: '나중에', 'zh-Hant': '以後再說', 'zh-Hans': '以后再说', hy: 'Ոչ հիմա', tl: 'Hindi muna' },
    // index.html: the location sheet's other button, the first screen, the map's name, the fallback.
    continue: { en: 'Continue', es: 'Continuar', ko: '계속', 'zh-Hant': '繼續', 'zh-Hans': '继续', hy: 'Շարունակել', tl: 'Magpatuloy' },
    loading: {
      en: 'Loading your doors…', es: 'Cargando tus puertas…', ko: '집 목록을 불러오는 중…', 'zh-Hant': '正在載入門戶…',
      'zh-Hans': '正在加载门户…', hy: 'Բեռնվում են դռները…', tl: 'Nilo-load ang mga pinto…',
    },
    map: {
      en: 'Map of your doors', es: 'Mapa de tus puertas', ko: '내 방문 집 지도', 'zh-Hant': '你的門戶地圖', 'zh-Hans': '你的门户地图',
      hy: 'Ձեր դռների քարտեզը', tl: 'Mapa ng iyong mga pinto',
    },
    fallback: {
      en: 'Doorstep needs a browser with WebGL 2 and WebAssembly (any recent phone browser).',
      es: 'Doorstep necesita un navegador con WebGL 2 y WebAssembly (cualquier navegador reciente de teléfono).',
      ko: 'Doorstep을 쓰려면 WebGL 2와 WebAssembly를 지원하는 브라우저가 필요합니다(최신 휴대폰 브라우저면 됩니다).',
      'zh-Hant': 'Doorstep 需要支援 WebGL 2 和 WebAssembly 的瀏覽器（近期的手機瀏覽器都可以）。',
      'zh-Hans': 'Doorstep 需要支持 WebGL 2 和 WebAssembly 的浏览器（近期的手机浏览器都可以）。',
      hy: 'Doorstep-ին անհրաժեշտ է WebGL 2 և WebAssembly աջակցող դիտարկիչ (ցանկացած նոր հեռախոսային դիտարկիչ)։',
      tl: 'Kailangan ng Doorstep ng browser na may WebGL 2 at WebAssembly (anumang bagong browser sa telepono).',
    },
  };

  // One of LANGS for a BCP 47 tag, as the app matches them (shared/canvass/walk_list.cpp
  // match_language): the exact code, else Chinese by script or region, else the bare language
  // (a bare "zh" gets the menu's first Chinese, Traditional; Filipino "fil" is Tagalog, Cantonese
  // "yue" Traditional Chinese); '' when the app has none of it.
  function match(tag) {
    const t = String(tag || '').toLowerCase().replace(/_/g, '-');
    const exact = LANGS.find((l) => l.toLowerCase() === t);
    if (exact) return exact;
    let [lang, ...subs] = t.split('-');
    if (lang === 'fil') lang = 'tl';  // Filipino is written as Tagalog
    if (lang === 'yue') return subs.includes('hans') ? 'zh-Hans' : 'zh-Hant';  // Cantonese readers
    if (lang === 'zh') return subs.some((s) => s === 'hans' || s === 'cn' || s === 'sg') ? 'zh-Hans' : 'zh-Hant';
    return LANGS.includes(lang) ? lang : '';
  }
  // The language the app will open in (wasm/app.cpp start_language): the one chosen in Settings,
  // else the phone's first the app has, else English.
  function pageLanguage() {
    let chosen = '';
    try { chosen = localStorage.getItem('doorstep-setting-language') || ''; } catch (e) { /* private mode */ }
    if (chosen === 'zh') return 'zh-Hans';  // older settings' Simplified (wasm/i18n.cpp canonical)
    if (match(chosen)) return match(chosen);
    for (const l of (navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language])) {
      if (match(l)) return match(l);
    }
    return 'en';
  }
  let lang = pageLanguage();
  const text = (key, l) => { const s = STRINGS[key]; return (s && (s[l || lang] || s.en)) || key; };
  const t = (key) => text(key);

  // index.html's own words in `l` (at start, and from page.js setLang when the app's language is set).
  function localize(l) {
    lang = match(l) || 'en';
    const set = (sel, key) => { const el = document.querySelector(sel); if (el) el.textContent = t(key); };
    set('#skeleton p', 'loading');
    set('#fallback p', 'fallback');
    set('#geo-no', 'not_now');
    set('#geo-ok', 'continue');
    const map = document.getElementById('map');
    if (map) map.setAttribute('aria-label', t('map'));
  }
  if (lang !== 'en') localize(lang);

  // Storage the browser may evict under pressure unless persisted (records wait in the outbox).
  if (navigator.storage && navigator.storage.persist) {
    navigator.storage.persisted().then((p) => (p ? true : navigator.storage.persist())).then((granted) => {
      // The answer may come before boot.js has made doorstepStats (it keeps what is there).
      window.doorstepStats = window.doorstepStats || {};
      window.doorstepStats.persisted = granted ? 1 : 0;
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
    box.setAttribute('aria-label', text.split(/[.。։]/)[0]);
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
      banner('inapp-warning', t('inapp'), [
        [t('copy_link'), (b) => {
          const done = () => { b.textContent = t('copied'); };
          if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(openedWith).then(done, () => {});
          else { const ta = document.createElement('textarea'); ta.value = openedWith; document.body.appendChild(ta); ta.select(); document.execCommand('copy'); ta.remove(); done(); }
        }],
        [t('close'), (b, box) => box.remove()],
      ]);
      return;
    }
    if (standalone || dismissed) return;
    if (iosSafari) afterFirstRecord(() => banner('install-hint', t('install_ios'), [[t('close'), close]]));
  }
  // The install offers wait for the shift's first saved record (storage.js's 'doorstep-saved'):
  // by then the canvasser has a turf worth keeping, and the first screen is the walk list's alone
  // (a banner over the loading page was also the page's largest paint, which Lighthouse then timed
  // after the module's download). The in-app-browser warning does not wait: records are at risk.
  let recorded = false;
  window.addEventListener('doorstep-saved', () => { recorded = true; }, { once: true });
  function afterFirstRecord(fn) {
    if (recorded) fn(); else window.addEventListener('doorstep-saved', () => fn(), { once: true });
  }
  // Android (Chrome): the browser's own install prompt, offered from a button.
  window.addEventListener('beforeinstallprompt', (e) => {
    e.preventDefault();
    if (dismissed || inApp) return;
    afterFirstRecord(() => {
      if (document.getElementById('install-hint')) return;
      banner('install-hint', t('install_android'), [
        [t('install'), (b, box) => { e.prompt(); box.remove(); }],
        [t('not_now'), close],
      ]);
    });
  });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', show); else show();
  // strings, languages: for tests (tests/e2e/languages.test.mjs checks every language is there).
  window.DoorstepPlatform = { inApp, iosSafari, standalone, localize, text, strings: STRINGS, languages: LANGS };
})();

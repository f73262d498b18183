// The accessible mirror of the ImGui panel (wasm/mirror.h sends the tree after each frame that
// changed it): one transparent DOM element per control, with its role and visible label as
// accessible name, exactly over the control. Pointer input on these elements reaches the panel
// through the platform layer (its listeners are on #mirror), so a tap or a drag works as on the
// canvas; a keyboard or screen-reader activation (a click with no pointer) presses the control
// through Module.doorstepMirrorActivate. A text field's element is a real <input> (one line) or
// <textarea> where the canvasser types in place: focused inside the tap's touchend (the only way a
// phone raises its soft keyboard), each value goes back through Module.doorstepMirrorText (never
// mid-composition), Enter submits a one-line field, and a shrinking visual viewport (the soft
// keyboard) asks the panel to scroll the field above it. Nothing here keeps app state.
'use strict';
(function () {
  const root = document.getElementById('mirror');
  const els = new Map();  // key -> element
  const TAG = { button: 'button', tab: 'button' };

  const field = (el) => el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA');
  const wantTag = (n) => (n.role === 'textbox' ? (n.multiline ? 'TEXTAREA' : 'INPUT') : (TAG[n.role] || 'div').toUpperCase());

  function make(n) {
    if (n.role === 'textbox') {
      const el = document.createElement(n.multiline ? 'textarea' : 'input');
      el.dataset.role = n.role;
      if (!n.multiline) el.type = 'text';
      el.setAttribute('enterkeyhint', n.multiline ? 'enter' : 'done');
      el.autocomplete = 'off';
      el.spellcheck = false;
      return el;
    }
    const el = document.createElement(TAG[n.role] || 'div');
    el.dataset.role = n.role;
    if (el.tagName === 'BUTTON') el.type = 'button';
    if (n.role !== 'button') el.setAttribute('role', n.role === 'text' ? 'note' : n.role);
    if (n.role === 'heading') el.setAttribute('aria-level', '2');
    if (['checkbox', 'radio', 'listitem'].includes(n.role)) el.tabIndex = 0;
    return el;
  }

  function activate(el) {
    const id = Number(el.dataset.id);
    if (id && window.Module && Module.doorstepMirrorActivate) Module.doorstepMirrorActivate(id);
  }

  const api = {
    update(jsonText) {
      const t = JSON.parse(jsonText);
      const seen = new Set();
      const order = [];
      t.nodes.forEach((n, i) => {
        const key = n.id ? 'c' + n.id : 't' + i;  // text has no ImGui id: keyed by position
        let el = els.get(key);
        if (!el || el.dataset.role !== n.role || el.tagName !== wantTag(n)) {
          if (el) el.remove();
          el = make(n);
          els.set(key, el);
        }
        seen.add(key);
        order.push(el);
        el.dataset.id = String(n.id);
        if (field(el)) {
          // The field's label is its accessible name; its value is the app's. While the canvasser
          // types in it, only a value the app changed on its own (a new resident added on Enter,
          // a length cut) replaces the text, and never in the middle of a composition.
          if (el.getAttribute('aria-label') !== n.label) el.setAttribute('aria-label', n.label);
          const typing = document.activeElement === el;
          if (typing ? !composing && n.value !== el.doorstepSent && el.value !== n.value : el.value !== n.value) el.value = n.value;
          el.doorstepSent = n.value;
          el.style.fontSize = t.text_px + 'px';
          el.style.padding = n.multiline ? `${t.pad[1]}px ${t.pad[0]}px` : `0 ${t.pad[0]}px`;
        } else if (el.textContent !== n.label) el.textContent = n.label;
        if (n.role === 'tab') el.setAttribute('aria-selected', n.checked ? 'true' : 'false');
        if (n.role === 'checkbox' || n.role === 'radio') el.setAttribute('aria-checked', n.checked ? 'true' : 'false');
        if (n.role === 'listitem') el.setAttribute('aria-current', n.checked ? 'true' : 'false');
        const [x, y, w, h] = n.rect;
        el.style.left = x + 'px';
        el.style.top = y + 'px';
        el.style.width = w + 'px';
        el.style.height = h + 'px';
        el.classList.toggle('off', !n.shown);
        el.classList.toggle('cut', !!n.cut);
      });
      for (const [k, el] of els) if (!seen.has(k)) { el.remove(); els.delete(k); }
      // DOM order = drawing order (what a screen reader walks through); moves only what moved.
      order.forEach((el, i) => { if (root.children[i] !== el) root.insertBefore(el, root.children[i] || null); });
      root.dataset.dialog = t.dialog || '';
      // A dialog in the panel (the name prompt, the second-link choice): the mirror is a modal
      // dialog named by its title and holds only its controls.
      if (t.dialog) {
        root.setAttribute('role', 'dialog');
        root.setAttribute('aria-modal', 'true');
        root.setAttribute('aria-label', t.dialog);
      } else if (root.hasAttribute('role')) {
        root.removeAttribute('role');
        root.removeAttribute('aria-modal');
        root.removeAttribute('aria-label');
      }
      if (revealAfterUpdate) reveal();
    },
  };

  // ---- Typing in place.
  const send = (name, ...args) => { if (window.Module && Module[name]) Module[name](...args); };
  let revealAfterUpdate = false;
  let composing = false;
  // The bottom of what the canvasser sees (above a soft keyboard), in the canvas's CSS px.
  function reveal() {
    const el = document.activeElement;
    if (!field(el) || !root.contains(el)) return;
    const vv = window.visualViewport;
    const bottom = (vv ? vv.offsetTop + vv.height : window.innerHeight) - document.getElementById('ui').getBoundingClientRect().top;
    send('doorstepMirrorReveal', bottom);
  }
  function sendValue(el) {
    // A one-line field keeps no line break (a pasted address, an Enter an IME let through).
    if (el.tagName === 'INPUT' && /[\r\n]/.test(el.value)) el.value = el.value.replace(/[\r\n]+/g, ' ');
    el.doorstepSent = el.value;
    send('doorstepMirrorText', Number(el.dataset.id), el.value);
  }
  // Composing (Korean, Chinese, Japanese): the app hears the text once the syllable is committed
  // (compositionend), never each jamo, so nothing is doubled or half-written.
  root.addEventListener('input', (e) => { if (field(e.target) && !e.isComposing) sendValue(e.target); });
  root.addEventListener('compositionstart', () => { composing = true; });
  root.addEventListener('compositionend', (e) => { composing = false; if (field(e.target)) sendValue(e.target); });
  root.addEventListener('focusin', (e) => {
    if (!field(e.target)) return;
    send('doorstepMirrorFocus', Number(e.target.dataset.id));
    reveal();
  });
  root.addEventListener('focusout', (e) => { if (field(e.target)) send('doorstepMirrorFocus', 0); });
  // A tap (not a drag) on a field gives it the keyboard, inside the touchend itself: mobile
  // browsers raise the soft keyboard only from a user gesture. The platform layer still sees the
  // touch (a drag that starts on a field scrolls the panel).
  let touchStart = null;
  root.addEventListener('touchstart', (e) => {
    const p = e.changedTouches[0];
    touchStart = field(e.target) ? { x: p.clientX, y: p.clientY, el: e.target } : null;
  }, { capture: true, passive: true });
  root.addEventListener('touchend', (e) => {
    const s = touchStart;
    touchStart = null;
    const p = e.changedTouches[0];
    if (!s || s.el !== e.target || Math.hypot(p.clientX - s.x, p.clientY - s.y) > 10) return;
    if (document.activeElement !== s.el) {
      s.el.focus({ preventScroll: true });
      const end = s.el.value.length;
      s.el.setSelectionRange(end, end);
    }
  }, { capture: true });
  // A mouse click (the platform layer cancels mousedown's default focus).
  root.addEventListener('click', (e) => {
    if (field(e.target) && e.detail > 0 && document.activeElement !== e.target) e.target.focus({ preventScroll: true });
  });
  // The soft keyboard opens or closes: keep the focused field above it, now and once the panel
  // has redrawn at its new size.
  const onViewport = () => { revealAfterUpdate = true; reveal(); setTimeout(() => { revealAfterUpdate = false; }, 500); };
  if (window.visualViewport) window.visualViewport.addEventListener('resize', onViewport);
  window.addEventListener('resize', onViewport);

  // A click with no pointer behind it (detail 0): Enter or Space on a focused element, or a
  // screen reader's activation. Pointer clicks already reached the panel as a tap.
  root.addEventListener('click', (e) => {
    const el = e.target.closest('[data-id]');
    if (el && e.detail === 0 && !field(el)) activate(el);
  });
  // Enter and Space on the roles that are not native buttons.
  root.addEventListener('keydown', (e) => {
    const el = e.target.closest('[data-id]');
    if (!el || el.tagName === 'BUTTON') return;
    if (field(el)) {
      // Enter confirms a one-line field, except while an IME composes (its Enter picks a candidate).
      if (el.tagName === 'INPUT' && e.key === 'Enter' && !e.isComposing && e.keyCode !== 229) {
        e.preventDefault();
        sendValue(el);
        send('doorstepMirrorSubmit', Number(el.dataset.id));
      }
      return;
    }
    if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); activate(el); }
  });
  window.DoorstepMirror = api;
})();

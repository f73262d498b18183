// The accessible mirror of the ImGui panel (wasm/mirror.h sends the tree after each frame that
// changed it): one transparent DOM element per control, with its role and visible label as
// accessible name, exactly over the control. Pointer input on these elements reaches the panel
// through the platform layer (its listeners are on #mirror), so a tap or a drag works as on the
// canvas; a keyboard or screen-reader activation (a click with no pointer) presses the control
// through Module.doorstepMirrorActivate. Nothing here keeps app state.
'use strict';
(function () {
  const root = document.getElementById('mirror');
  const els = new Map();  // key -> element
  const TAG = { button: 'button', tab: 'button' };

  function make(n) {
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
        if (!el || el.dataset.role !== n.role) {
          if (el) el.remove();
          el = make(n);
          els.set(key, el);
        }
        seen.add(key);
        order.push(el);
        el.dataset.id = String(n.id);
        if (el.textContent !== n.label) el.textContent = n.label;
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
      // An ImGui dialog (the second-link choice): the mirror is a modal dialog named by its title.
      if (t.dialog) {
        root.setAttribute('role', 'dialog');
        root.setAttribute('aria-modal', 'true');
        root.setAttribute('aria-label', t.dialog);
      } else if (root.hasAttribute('role')) {
        root.removeAttribute('role');
        root.removeAttribute('aria-modal');
        root.removeAttribute('aria-label');
      }
    },
  };

  // A click with no pointer behind it (detail 0): Enter or Space on a focused element, or a
  // screen reader's activation. Pointer clicks already reached the panel as a tap.
  root.addEventListener('click', (e) => {
    const el = e.target.closest('[data-id]');
    if (el && e.detail === 0) activate(el);
  });
  // Enter and Space on the roles that are not native buttons.
  root.addEventListener('keydown', (e) => {
    const el = e.target.closest('[data-id]');
    if (!el || el.tagName === 'BUTTON') return;
    if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); activate(el); }
  });
  window.DoorstepMirror = api;
})();

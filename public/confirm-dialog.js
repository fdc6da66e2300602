// A modal confirmation (a native <dialog>: focus moves into it, Escape cancels, focus returns to the opener).
import { $ } from './dom.js';

/** Asks `text` with a confirm button labelled `action`; resolves true when confirmed. */
export function confirmAction(title, text, action) {
  const dialog = $('confirm-dialog');
  $('confirm-title').textContent = title;
  $('confirm-text').textContent = text;
  $('confirm-ok').textContent = action;
  dialog.returnValue = 'cancel';
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'confirm'), { once: true });
  });
}

// « Copier » buttons: <button data-copy="#id-of-the-field">. The field stays selectable for
// browsers without the clipboard API (or pages not served over HTTPS).
document.addEventListener('click', (event) => {
  const button = event.target instanceof Element ? event.target.closest('[data-copy]') : null;
  if (!button) return;
  const field = document.querySelector(button.getAttribute('data-copy'));
  if (!field) return;
  const done = () => {
    const status = button.parentElement && button.parentElement.querySelector('[data-copy-status]');
    if (status) status.textContent = 'Copié dans le presse-papiers.';
  };
  if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(field.value ?? field.textContent).then(done, () => field.select && field.select());
  else if (field.select) { field.select(); document.execCommand('copy'); done(); }
});

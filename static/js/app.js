// Behaviour without inline scripts (the CSP forbids them).
document.addEventListener("change", (event) => {
  const form = event.target.closest("form[data-auto-submit]");
  if (form) form.submit();
});

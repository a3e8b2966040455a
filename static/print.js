// The print view's "In văn bản" button. A file of its own, as the Content-Security-Policy
// allows no inline script; without script the button stays hidden and Ctrl+P prints.
document.querySelectorAll("button.print").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});

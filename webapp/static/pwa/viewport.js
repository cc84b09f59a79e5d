// Keeps the sticky header (sync bar, alerts) in view while a form is filled in: the shell asks
// for `interactive-widget=resizes-content` (the keyboard shrinks the page, so the header stays
// on top); where a browser pans the page instead, --vv-top moves the header down with the view.
// While the keyboard is open the bottom tabs hide (body.kb) so they never cover the field.

const EDITABLE = "input:not([type=checkbox]):not([type=radio]):not([type=button]):not([type=submit]), textarea, select, [contenteditable]";

export function keepHeaderInView(root = document.documentElement) {
  const vv = window.visualViewport;
  let tallest = window.innerHeight;
  const update = () => {
    const height = vv ? vv.height : window.innerHeight;
    const editing = document.activeElement && document.activeElement.matches && document.activeElement.matches(EDITABLE);
    if (!editing) tallest = Math.max(window.innerHeight, height);
    root.style.setProperty("--vv-top", `${vv ? Math.max(0, Math.round(vv.offsetTop)) : 0}px`);
    document.body.classList.toggle("kb", Boolean(editing && height < tallest * 0.75));
  };
  if (vv) {
    vv.addEventListener("resize", update);
    vv.addEventListener("scroll", update);
  }
  window.addEventListener("resize", update);
  window.addEventListener("focusin", update);
  window.addEventListener("focusout", () => setTimeout(update, 0));
  update();
  // Whatever scrolls into view (a result, a focused field) lands below the header, not under it.
  const head = document.querySelector(".pwa-head");
  if (head && "ResizeObserver" in window) {
    new ResizeObserver(() => root.style.setProperty("--head-h", `${Math.ceil(head.getBoundingClientRect().height)}px`)).observe(head);
  }
}

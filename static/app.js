// The screen pages' one script, loaded in <head> (a file of its own: the Content-Security-Policy
// allows no inline script). Pages work without it; with it, a search box above each member
// pick-list (class "pick-filter", controlling the list named by aria-controls) narrows the list
// as one types, ignoring case and diacritics as the server's search does (domain/text.rs
// `search_key`): "nguyen thi ly", "ly" or "dinh" find "Nguyễn Thị Ly" and "Đinh …".

// Run before the page is drawn: the stylesheet shows the boxes under this class, so they are
// there from the first paint (no jump) and never shown where they would do nothing.
document.documentElement.classList.add("js");

/** Lower case, without marks, đ as d, runs of spaces made one (as `search_key`). */
const searchKey = (text) =>
  text.normalize("NFD").replace(/\p{M}/gu, "").replace(/[đĐ]/g, "d").toLowerCase()
    .split(/\s+/).filter(Boolean).join(" ");

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input.pick-filter").forEach((box) => {
    const list = document.getElementById(box.getAttribute("aria-controls"));
    if (!list) return;
    const options = Array.from(list.options);
    const keys = options.map((option) => searchKey(option.text));
    box.addEventListener("input", () => {
      const wanted = searchKey(box.value);
      // Choices that are not a member ("— Chưa chọn —") stay; chosen members stay chosen
      // (and posted) while hidden.
      const matches = options.filter((option, i) => {
        const match = keys[i].includes(wanted);
        option.hidden = !match && option.value !== "";
        return match && option.value !== "";
      });
      // A single choice follows the search: the first member found is chosen, unless the
      // chosen one is found too.
      if (!list.multiple && wanted && matches.length && !matches.includes(list.selectedOptions[0])) {
        list.value = matches[0].value;
      }
    });
  });
});

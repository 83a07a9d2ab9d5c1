// Progressive enhancement only: every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector(".nav-toggle");
  const links = document.getElementById("nav-links");
  if (toggle && links) {
    toggle.addEventListener("click", () => {
      const open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", String(!open));
      links.classList.toggle("open", !open);
    });
  }
  // Tables become cards on phones (see app.css): each cell gets its column's header as a label,
  // and the roles keep a screen reader reading rows and cells once CSS has made them blocks.
  document.querySelectorAll("table").forEach((table) => {
    if (table.classList.contains("no-cards") || table.classList.contains("stacked-table")) return;
    const headers = Array.from(table.querySelectorAll(":scope > thead > tr:last-child > th")).map(
      (cell) => cell.textContent.trim()
    );
    table.setAttribute("role", "table");
    table.querySelectorAll(":scope > thead, :scope > tbody, :scope > tfoot").forEach((group) => group.setAttribute("role", "rowgroup"));
    table.querySelectorAll(":scope > thead > tr > th").forEach((cell) => cell.setAttribute("role", "columnheader"));
    table.querySelectorAll(":scope > tbody > tr, :scope > tfoot > tr, :scope > thead > tr").forEach((row) => {
      row.setAttribute("role", "row");
      if (row.parentElement.tagName === "THEAD") return;
      let column = 0;
      Array.from(row.children).forEach((cell) => {
        cell.setAttribute("role", cell.tagName === "TH" ? "rowheader" : "cell");
        const label = headers[column];
        if (cell.tagName === "TD" && label && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", label);
        column += cell.colSpan || 1;
      });
    });
    table.classList.add("cards");
  });
  // Submit the language switcher as soon as a language is picked.
  const select = document.getElementById("language-select");
  if (select && select.form) {
    select.addEventListener("change", () => select.form.submit());
  }
});

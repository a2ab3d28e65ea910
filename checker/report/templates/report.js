// numcheck report: views, finding filters, the facts table. Plain DOM, no framework, no network.
// Article text only ever reaches the page as text (textContent), never as markup.
(function () {
  "use strict";
  const $ = (selector) => document.querySelector(selector);
  const $$ = (selector) => Array.from(document.querySelectorAll(selector));
  document.documentElement.classList.add("js");

  // --- views: one at a time, chosen by the URL fragment ---
  const views = $$(".view");
  const tabs = $$(".tabs a");
  let factsTable = null;

  function showView(name) {
    for (const view of views) view.hidden = view.dataset.view !== name;
    for (const tab of tabs) {
      if (tab.dataset.tab === name) tab.setAttribute("aria-current", "page");
      else tab.removeAttribute("aria-current");
    }
    if (name === "facts" && !factsTable) factsTable = new FactsTable();
  }

  function route() {
    let id = "";
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (error) { id = ""; }
    const target = id ? document.getElementById(id) : null;
    const view = target ? target.closest(".view") : null;
    showView(view ? view.dataset.view : "findings");
    if (!target || target === view) {
      window.scrollTo(0, 0);  // a view starts at its top, not under the sticky header
      return;
    }
    if (target.classList.contains("finding") && target.hidden) revealFinding();
    target.scrollIntoView({ block: "start" });
    // Findings and documents take focus, so keyboard and screen-reader users land there too.
    if (target.hasAttribute("tabindex")) target.focus({ preventScroll: true });
  }

  // --- findings: filter, search, sort ---
  const list = $("#finding-list");
  const findings = $$(".finding");
  const text = new Map(findings.map((el) => [el, el.textContent.toLowerCase()]));
  const control = {
    severity: $("#f-severity"), code: $("#f-code"), entity: $("#f-entity"),
    search: $("#f-search"), sort: $("#f-sort"), hideInfo: $("#f-hide-info"),
  };

  function matches(el) {
    const d = el.dataset;
    const query = control.search.value.trim().toLowerCase();
    return (!control.severity.value || d.severity === control.severity.value)
      && (!control.code.value || d.code === control.code.value)
      && (!control.entity.value || d.entities.split("\n").includes(control.entity.value))
      && !(control.hideInfo.checked && d.severity === "info")
      && (!query || text.get(el).includes(query));
  }

  function applyFilters() {
    let shown = 0;
    for (const el of findings) {
      el.hidden = !matches(el);
      if (!el.hidden) shown += 1;
    }
    $("#shown-count").textContent = String(shown);
    $("#no-match").hidden = shown > 0;
  }

  function applySort() {
    const byGap = control.sort.value === "gap";
    const order = (el) => Number(el.dataset.order);
    const sorted = findings.slice().sort((a, b) => (byGap
      ? Number(b.dataset.gap) - Number(a.dataset.gap)
      : Number(a.dataset.rank) - Number(b.dataset.rank)) || order(a) - order(b));
    for (const el of sorted) list.appendChild(el);
  }

  // A deep link must land on its finding even when the filters hide it.
  function revealFinding() {
    for (const select of [control.severity, control.code, control.entity]) select.value = "";
    control.search.value = "";
    control.hideInfo.checked = false;
    applyFilters();
  }

  if (list) {
    $("#filters").hidden = false;
    $("#filters").addEventListener("submit", (event) => event.preventDefault());
    for (const el of [control.severity, control.code, control.entity, control.hideInfo]) {
      el.addEventListener("change", applyFilters);
    }
    control.search.addEventListener("input", applyFilters);
    control.sort.addEventListener("change", applySort);
    // "reset" fires before the fields change back, so read them on the next turn.
    $("#filters").addEventListener("reset", () => setTimeout(() => { applyFilters(); applySort(); }));
    for (const button of $$("[data-filter-code]")) {
      button.addEventListener("click", () => {
        control.code.value = button.dataset.filterCode;
        applyFilters();
        control.code.focus();
      });
    }
  }

  // --- facts: a sortable, filterable table built from the JSON block ---
  function FactsTable() {
    const data = JSON.parse($("#facts-data").textContent);
    const columns = data.columns;
    const dimension = columns.findIndex((column) => column.key === "dimension");
    const unit = columns.findIndex((column) => column.key === "unit");
    const figure = columns.findIndex((column) => column.key === "surface");
    const clipped = new Set(["title", "sentence", "key"]);
    const unbroken = new Set(["surface", "published", "file"]);
    const body = $("#facts-table tbody");
    const search = $("#facts-search");
    const dimensionSelect = $("#facts-dimension");
    const headers = $$("#facts-table th");
    const rowText = data.rows.map((row) => row.slice(0, columns.length).join("\t").toLowerCase());
    let sortColumn = -1;
    let direction = 1;
    let shown = [];

    const numeric = (value) => (value === "inf" ? Infinity : value === "-inf" ? -Infinity : Number(value));
    const isBound = new Set(["value", "low", "high"]);
    const display = (value, column, row) => {
      if (column.type !== "number" || value === "") return String(value);
      const number = numeric(value);
      if (!Number.isFinite(number)) return number > 0 ? "∞" : number < 0 ? "−∞" : "?";
      if (isBound.has(column.key) && row[unit] === "date") {
        // Dates travel as days since 1970-01-01; show the day they stand for.
        return new Date(Math.round(number) * 86400000).toISOString().slice(0, 10);
      }
      return number.toLocaleString("en-US", { maximumSignificantDigits: 6 });
    };
    const compare = (a, b) => {
      if (columns[sortColumn].type === "number") {
        return (numeric(a[sortColumn]) - numeric(b[sortColumn])) || 0;
      }
      return String(a[sortColumn]).localeCompare(String(b[sortColumn]));
    };

    function render() {
      const query = search.value.trim().toLowerCase();
      const wanted = dimensionSelect.value;
      shown = [];
      data.rows.forEach((row, index) => {
        if (wanted && row[dimension] !== wanted) return;
        if (query && !rowText[index].includes(query)) return;
        shown.push(row);
      });
      if (sortColumn >= 0) shown.sort((a, b) => direction * compare(a, b));
      const fragment = document.createDocumentFragment();
      for (const row of shown) {
        const tr = document.createElement("tr");
        columns.forEach((column, index) => {
          const td = document.createElement("td");
          const value = display(row[index], column, row);
          td.className = column.type + (clipped.has(column.key) ? " clip" : "")
            + (unbroken.has(column.key) ? " nowrap" : "");
          const anchor = row[columns.length];
          if (index === figure && document.getElementById(anchor)) {
            const link = document.createElement("a");
            link.href = "#" + anchor;
            link.textContent = value;
            td.appendChild(link);
          } else {
            td.textContent = value;
          }
          if (clipped.has(column.key)) td.title = value;
          tr.appendChild(td);
        });
        fragment.appendChild(tr);
      }
      body.replaceChildren(fragment);
      $("#facts-count").textContent = String(shown.length);
    }

    function csv() {
      const cell = (value) => {
        const textValue = String(value);
        return /[",\r\n]/.test(textValue) ? '"' + textValue.replace(/"/g, '""') + '"' : textValue;
      };
      const lines = [columns.map((column) => cell(column.key)).join(",")];
      for (const row of shown) lines.push(row.slice(0, columns.length).map(cell).join(","));
      return lines.join("\n") + "\n";
    }

    function download() {
      // A byte-order mark, so that spreadsheets read the Chinese text as UTF-8.
      const blob = new Blob(["\ufeff" + csv()], { type: "text/csv;charset=utf-8" });
      const link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = "facts-shown.csv";
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    }

    headers.forEach((th, index) => {
      th.querySelector("button").addEventListener("click", () => {
        direction = sortColumn === index ? -direction : 1;
        sortColumn = index;
        for (const other of headers) other.setAttribute("aria-sort", "none");
        th.setAttribute("aria-sort", direction > 0 ? "ascending" : "descending");
        render();
      });
    });
    search.addEventListener("input", render);
    dimensionSelect.addEventListener("change", render);
    $("#facts-download").addEventListener("click", download);
    $("#facts-controls").addEventListener("submit", (event) => event.preventDefault());
    $("#facts-controls").hidden = false;
    render();
  }

  window.addEventListener("hashchange", route);
  route();
})();

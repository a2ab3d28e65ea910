// numcheck report: views, finding filters, figures drawn on demand, the facts table.
// Plain DOM, no framework, no network. Article text only ever reaches the page as text
// (textContent), never as markup.
(function () {
  "use strict";
  const $ = (selector) => document.querySelector(selector);
  const $$ = (selector) => Array.from(document.querySelectorAll(selector));
  document.documentElement.classList.add("js");

  // --- the data: parsed once, when a view first needs it ---
  let facts = null;
  function data() {
    if (!facts) {
      facts = JSON.parse($("#facts-data").textContent);
      const index = (names) => Object.fromEntries(names.map((name, i) => [name, i]));
      facts.at = index(facts.fields);
      facts.docAt = index(facts.docFields);
      facts.chinese = new Set(facts.zh);
      facts.interned = new Set(facts.interned);
    }
    return facts;
  }
  const numeric = (value) => (value === "inf" ? Infinity : value === "-inf" ? -Infinity : Number(value));
  const element = (tag, text, className) => {
    const el = document.createElement(tag);
    if (text !== undefined) el.textContent = text;
    if (className) el.className = className;
    return el;
  };

  // A column's value for a row, and how it reads.
  function cell(row, key) {
    const d = data();
    if (d.interned.has(key)) return d.strings[row[d.at[key]]];
    if (key in d.at) return row[d.at[key]];
    return d.docs[row[d.at.doc]][d.docAt[key]];
  }
  function display(row, column) {
    const value = cell(row, column.key);
    const labels = data().labels[column.key];
    if (labels) return labels[value] || value;
    if (column.type !== "number" || value === "") return String(value);
    const number = numeric(value);
    if (!Number.isFinite(number)) return number > 0 ? "∞" : number < 0 ? "−∞" : "?";
    if (column.key !== "line" && cell(row, "unit") === "date") {
      // Dates travel as days since 1970-01-01; show the day they stand for.
      return new Date(Math.round(number) * 86400000).toISOString().slice(0, 10);
    }
    return number.toLocaleString("en-US", { maximumSignificantDigits: 6 });
  }

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
    for (let open = target; open; open = open.parentElement.closest("details")) {
      if (open.tagName === "DETAILS") open.open = true;  // a rule's text, inside its list
    }
    target.scrollIntoView({ block: "start" });
    // Findings and documents take focus, so keyboard and screen-reader users land there too.
    if (target.hasAttribute("tabindex")) target.focus({ preventScroll: true });
  }

  // --- the figures of a side or an agreement beyond the first few, drawn when opened ---
  function figure(row) {
    const d = data();
    const doc = d.docs[row[d.at.doc]];
    const docField = (key) => doc[d.docAt[key]];
    const sentence = cell(row, "sentence");
    const surface = cell(row, "surface");
    const at = row[d.at.at];
    const box = element("div", undefined, "claim");
    const head = element("p", undefined, "fig");
    head.append(element("strong", surface), " ");
    const unit = cell(row, "unit");
    const suffix = unit === "percent" ? "%" : ["count", "date", ""].includes(unit) ? "" : " " + unit;
    head.append(element("span", "= " + display(row, { key: "value", type: "number" }) + suffix, "norm"));
    const quote = element("blockquote", undefined, "sentence");
    quote.lang = d.chinese.has(row[d.at.sentence]) ? "zh" : "en";
    quote.append(sentence.slice(0, at), element("mark", surface), sentence.slice(at + surface.length));
    const source = element("p", undefined, "source");
    const title = element(docField("anchor") ? "a" : "span", docField("title") || "untitled");
    if (docField("anchor")) title.href = "#" + docField("anchor");
    title.lang = docField("lang");
    source.append(title);
    if (docField("published")) source.append(" · " + docField("published"));
    if (docField("outlet")) source.append(" · " + docField("outlet"));
    const where = element("code", docField("file") + ":" + cell(row, "line"));
    const anchor = row[d.at.anchor];
    if (anchor) {
      const link = element("a");
      link.href = "#" + anchor;
      link.append(where);
      source.append(" · ", link);
    } else {
      source.append(" · ", where);
    }
    box.append(head, quote, source);
    return box;
  }

  for (const details of $$("details.more")) {
    details.addEventListener("toggle", () => {
      const list = details.querySelector(".more-list");
      if (!details.open || list.childElementCount) return;
      const rows = data().rows;
      const fragment = document.createDocumentFragment();
      for (const index of details.dataset.rows.split(" ").filter(Boolean)) {
        fragment.appendChild(figure(rows[Number(index)]));
      }
      list.appendChild(fragment);
    });
  }

  // A rule's explanation is on the page once; a finding's copy is made when it is opened.
  for (const details of $$("details[data-rule]")) {
    details.addEventListener("toggle", () => {
      const source = document.getElementById(details.dataset.rule);
      const box = details.querySelector(".explanation");
      if (details.open && source && box.querySelector("a")) {
        box.textContent = source.querySelector(".explanation").textContent;
      }
    });
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
      const hide = !matches(el);
      if (el.hidden !== hide) el.hidden = hide;
      if (!hide) shown += 1;
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

  // --- facts: a sortable, filterable table, drawn a page of rows at a time ---
  const PAGE = 100;

  function FactsTable() {
    const d = data();
    const columns = d.columns;
    const body = $("#facts-table tbody");
    const search = $("#facts-search");
    const dimensionSelect = $("#facts-dimension");
    const headers = $$("#facts-table th");
    const choosers = $$("#facts-columns input");
    const keys = columns.map((column) => column.key);
    const rowText = d.rows.map((row) => columns.map((column) => {
      const raw = String(cell(row, column.key));
      const shown = display(row, column);
      return raw === shown ? raw : raw + "\t" + shown;
    }).join("\t").toLowerCase());
    const wraps = new Set(["title", "sentence", "key", "metric", "scope"]);
    const unbroken = new Set(["published"]);
    let sortColumn = -1;
    let direction = 1;
    let shown = [];
    let drawn = 0;

    const compare = (a, b) => {
      const column = columns[sortColumn];
      if (column.type === "number") {
        return (numeric(cell(a, column.key)) - numeric(cell(b, column.key))) || 0;
      }
      return display(a, column).localeCompare(display(b, column));
    };

    function row(values) {
      const tr = document.createElement("tr");
      columns.forEach((column, index) => {
        if (!choosers[index].checked) return;
        const value = display(values, column);
        const td = document.createElement("td");
        td.className = column.type + (wraps.has(column.key) ? " wrap" : "")
          + (unbroken.has(column.key) ? " nowrap" : "");
        if (column.key === "surface" && values[d.at.anchor]) {
          const link = element("a", value);
          link.href = "#" + values[d.at.anchor];
          td.appendChild(link);
        } else {
          td.textContent = value;
        }
        if (column.key === "sentence" && d.chinese.has(values[d.at.sentence])) td.lang = "zh";
        if (column.key === "title" && cell(values, "lang") === "zh") td.lang = "zh";
        const raw = String(cell(values, column.key));
        if (raw !== value) td.title = raw;  // the id behind a label
        tr.appendChild(td);
      });
      return tr;
    }

    function more() {
      const fragment = document.createDocumentFragment();
      const end = Math.min(shown.length, drawn + PAGE);
      for (; drawn < end; drawn += 1) fragment.appendChild(row(shown[drawn]));
      body.appendChild(fragment);
      $("#facts-more-wrap").hidden = drawn >= shown.length;
      $("#facts-more").textContent = "Show " + Math.min(PAGE, shown.length - drawn).toLocaleString("en-US")
        + " more of " + (shown.length - drawn).toLocaleString("en-US") + " rows";
    }

    function render() {
      const query = search.value.trim().toLowerCase();
      const wanted = dimensionSelect.value;
      shown = [];
      d.rows.forEach((values, index) => {
        if (wanted && cell(values, "dimension") !== wanted) return;
        if (query && !rowText[index].includes(query)) return;
        shown.push(values);
      });
      if (sortColumn >= 0) shown.sort((a, b) => direction * compare(a, b));
      headers.forEach((th, index) => { th.hidden = !choosers[index].checked; });
      body.replaceChildren();
      drawn = 0;
      more();
      $("#facts-count").textContent = String(shown.length);
    }

    function csv() {
      const quote = (value) => {
        const textValue = String(value);
        return /[",\r\n]/.test(textValue) ? '"' + textValue.replace(/"/g, '""') + '"' : textValue;
      };
      const lines = [keys.map(quote).join(",")];
      for (const values of shown) lines.push(keys.map((key) => quote(cell(values, key))).join(","));
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
    for (const box of choosers) box.addEventListener("change", render);
    $("#facts-more").addEventListener("click", more);
    $("#facts-download").addEventListener("click", download);
    $("#facts-controls").addEventListener("submit", (event) => event.preventDefault());
    $("#facts-controls").hidden = false;
    render();
  }

  // --- the run: when the page was written is when its file was last changed ---
  const written = new Date(document.lastModified);
  if (!Number.isNaN(written.getTime())) {
    const two = (n) => String(n).padStart(2, "0");
    $("#run-written").textContent = written.getFullYear() + "-" + two(written.getMonth() + 1) + "-"
      + two(written.getDate()) + " " + two(written.getHours()) + ":" + two(written.getMinutes())
      + " (local time, from the file's modification time)";
  }

  window.addEventListener("hashchange", route);
  route();
})();

// vndoc review: evidence highlighting, task add/delete/split/merge, keyboard, save.
// Plain JavaScript, no build step. Values are read from and written to form fields only
// (textContent / .value), never as HTML, so document text cannot run as markup.
"use strict";

(function () {
  const review = document.getElementById("review");
  if (!review) return;
  const stem = review.dataset.stem;
  let revision = parseInt(review.dataset.revision || "0", 10);
  const token = document.querySelector('meta[name="review-token"]').content;
  const evidence = JSON.parse(document.getElementById("evidence").textContent);
  const tbody = document.getElementById("tasks");
  const status = document.getElementById("status");
  const SVG = "http://www.w3.org/2000/svg";
  let dirty = false;
  let current = null;

  // Hide a page image that cannot be rendered: the word boxes stay on a blank sheet.
  document.querySelectorAll("img.scan").forEach((img) => {
    img.addEventListener("error", () => img.classList.add("missing"));
  });

  function clearHighlight() {
    document.querySelectorAll("g.hl").forEach((g) => g.replaceChildren());
    document.querySelectorAll("li.line.hit").forEach((li) => li.classList.remove("hit"));
  }

  function highlight(items) {
    clearHighlight();
    let first = null;
    (items || []).forEach((e) => {
      const fig = document.getElementById("page-" + e.page);
      if (!fig) return;
      const g = fig.querySelector("g.hl");
      if (g && e.box) {
        const r = document.createElementNS(SVG, "rect");
        r.setAttribute("x", e.box[0] - 4);
        r.setAttribute("y", e.box[1] - 4);
        r.setAttribute("width", e.box[2] - e.box[0] + 8);
        r.setAttribute("height", e.box[3] - e.box[1] + 8);
        r.setAttribute("class", "evidence");
        g.appendChild(r);
        first = first || r;
      } else if (e.line !== null && e.line !== undefined) {
        const li = document.getElementById("p" + e.page + "-l" + e.line);
        if (li) {
          li.classList.add("hit");
          first = first || li;
        }
      }
    });
    if (first) first.scrollIntoView({ block: "center", behavior: "smooth" });
  }

  function origins(row) {
    try {
      return JSON.parse(row.dataset.origin || "[]");
    } catch (err) {
      return [];
    }
  }

  function rowEvidence(row) {
    const out = [];
    origins(row).forEach((i) => (evidence.tasks[i] || []).forEach((e) => out.push(e)));
    return out;
  }

  function select(row) {
    if (current === row) return;
    if (current) current.classList.remove("selected");
    current = row;
    if (row) {
      row.classList.add("selected");
      highlight(rowEvidence(row));
    }
  }

  document.getElementById("header").addEventListener("focusin", (ev) => {
    const label = ev.target.closest("[data-evidence]");
    select(null);
    if (current) current.classList.remove("selected");
    highlight(label ? evidence.header[label.dataset.evidence] : []);
  });

  tbody.addEventListener("focusin", (ev) => select(ev.target.closest("tr.task")));
  tbody.addEventListener("click", (ev) => {
    const row = ev.target.closest("tr.task");
    if (row) select(row);
  });

  function markDirty() {
    dirty = true;
    status.textContent = "Unsaved changes";
    status.className = "status dirty";
  }
  document.getElementById("form").addEventListener("input", markDirty);
  window.addEventListener("beforeunload", (ev) => {
    if (dirty) ev.preventDefault();
  });

  function field(row, name) {
    return row.querySelector('[name="' + name + '"]');
  }

  function lines(text) {
    return text.split("\n").map((s) => s.trim()).filter((s) => s.length > 0);
  }

  function newRow() {
    const tpl = document.getElementById("task-template");
    return tpl.content.querySelector("tr").cloneNode(true);
  }

  // Section rows (the document's outline) stand between task rows: moves skip them.
  function sibling(row, forward) {
    let r = row && (forward ? row.nextElementSibling : row.previousElementSibling);
    while (r && !r.classList.contains("task")) r = forward ? r.nextElementSibling : r.previousElementSibling;
    return r;
  }

  function focusRow(row) {
    if (row) {
      field(row, "ref").focus();
      select(row);
    }
  }

  function addTask(after) {
    const row = newRow();
    if (after) after.after(row);
    else tbody.appendChild(row);
    markDirty();
    focusRow(row);
  }

  function deleteTask(row) {
    if (!row) return;
    const next = sibling(row, true) || sibling(row, false);
    row.remove();
    current = null;
    clearHighlight();
    markDirty();
    focusRow(next);
  }

  function splitTask(row) {
    if (!row) return;
    const content = field(row, "content");
    const at = document.activeElement === content ? content.selectionStart : content.value.length;
    const copy = row.cloneNode(true);
    copy.classList.remove("selected");
    field(copy, "content").value = content.value.slice(at).trim();
    content.value = content.value.slice(0, at).trim();
    ["ref", "title", "chu_tri", "phoi_hop", "thuc_hien", "time_text", "deadline", "start", "end",
      "kind", "modality", "responsible", "objective", "notes"].forEach(
      (n) => (field(copy, n).value = field(row, n).value)
    );
    field(copy, "ref").value = field(row, "ref").value + "-2";
    row.after(copy);
    markDirty();
    focusRow(copy);
  }

  function union(a, b) {
    const seen = new Set(lines(a));
    lines(b).forEach((x) => seen.add(x));
    return Array.from(seen).join("\n");
  }

  function mergeTask(row) {
    const next = sibling(row, true);
    if (!next) return;
    const c = field(row, "content");
    c.value = [c.value.trim(), field(next, "content").value.trim()].filter((s) => s).join("\n");
    ["chu_tri", "phoi_hop", "thuc_hien"].forEach(
      (n) => (field(row, n).value = union(field(row, n).value, field(next, n).value))
    );
    ["title", "time_text", "deadline", "start", "end"].forEach((n) => {
      if (!field(row, n).value) field(row, n).value = field(next, n).value;
    });
    row.dataset.origin = JSON.stringify(origins(row).concat(origins(next)));
    next.remove();
    markDirty();
    current = null;
    select(row);
  }

  review.addEventListener("click", (ev) => {
    const btn = ev.target.closest("button[data-act]");
    if (!btn) return;
    const row = btn.closest("tr.task") || current;
    const act = btn.dataset.act;
    if (act === "add") addTask(current);
    else if (act === "delete") deleteTask(row);
    else if (act === "split") splitTask(row);
    else if (act === "merge") mergeTask(row);
  });

  function collect() {
    const form = document.getElementById("form");
    const h = (n) => form.querySelector('#header [name="' + n + '"]').value;
    const header = {};
    ["agency", "parent_agency", "number_symbol", "doc_type", "place", "date", "date_text", "title",
      "signer_name", "signer_title"].forEach((n) => (header[n] = h(n)));
    header.recipients = lines(h("recipients"));
    header.marks = lines(h("marks"));
    header.signer_authority = lines(h("signer_authority"));
    const tasks = Array.from(tbody.querySelectorAll("tr.task")).map((row) => ({
      origin: origins(row),
      ref: field(row, "ref").value,
      title: field(row, "title").value,
      content: field(row, "content").value,
      chu_tri: lines(field(row, "chu_tri").value),
      phoi_hop: lines(field(row, "phoi_hop").value),
      thuc_hien: lines(field(row, "thuc_hien").value),
      thoi_gian: {
        text: field(row, "time_text").value,
        deadline: field(row, "deadline").value || null,
        start: field(row, "start").value || null,
        end: field(row, "end").value || null,
      },
      kind: field(row, "kind").value,
      modality: field(row, "modality").value,
      responsible: field(row, "responsible").value,
      objective: field(row, "objective").value,
      notes: lines(field(row, "notes").value),
    }));
    return { header: header, tasks: tasks, base_revision: revision };
  }

  async function save() {
    status.textContent = "Saving…";
    status.className = "status";
    try {
      const resp = await fetch("/doc/" + encodeURIComponent(stem) + "/review", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Review-Token": token },
        body: JSON.stringify(collect()),
        credentials: "same-origin",
      });
      const data = await resp.json();
      if (!resp.ok) throw new Error(data.error || resp.statusText);
      dirty = false;
      revision = data.revision;
      // The rows now stand for the saved document's tasks, in the order shown.
      const rows = Array.from(tbody.querySelectorAll("tr.task"));
      evidence.tasks = rows.map(rowEvidence);
      rows.forEach((row, i) => (row.dataset.origin = JSON.stringify([i])));
      status.textContent = "Saved " + data.saved_at + " (" + data.changes + " changes from the machine's reading)";
      status.className = "status saved";
      if (data.warnings && data.warnings.length) {
        status.textContent += "; " + data.warnings.join("; ");
        status.title = data.warnings.join("\n");
      }
    } catch (err) {
      status.textContent = "Not saved: " + err.message;
      status.className = "status error";
    }
  }
  document.getElementById("save").addEventListener("click", save);
  document.getElementById("form").addEventListener("submit", (ev) => {
    ev.preventDefault(); // Enter in a field never navigates away from unsaved edits
    save();
  });

  document.addEventListener("keydown", (ev) => {
    if ((ev.ctrlKey || ev.metaKey) && ev.key.toLowerCase() === "s") {
      ev.preventDefault();
      save();
      return;
    }
    if (!ev.altKey) return;
    const key = ev.key;
    const code = ev.code;
    let done = true;
    if (key === "ArrowDown" || code === "KeyJ") focusRow(current ? sibling(current, true) : tbody.querySelector("tr.task"));
    else if (key === "ArrowUp" || code === "KeyK") focusRow(current ? sibling(current, false) : Array.from(tbody.querySelectorAll("tr.task")).pop());
    else if (code === "KeyN") addTask(current);
    else if (code === "KeyS") splitTask(current);
    else if (code === "KeyM") mergeTask(current);
    else if (key === "Delete" || key === "Backspace") deleteTask(current);
    else done = false;
    if (done) ev.preventDefault();
  });
})();

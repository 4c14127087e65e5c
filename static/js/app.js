// Behaviour without inline scripts (the CSP forbids them). No form submits itself on a
// change: a select moved with the arrow keys must not leave the page (WCAG 3.2.2).

// --- Rich text editor for document bodies --------------------------------------------
// A contenteditable area replaces the textarea when scripts run; the textarea stays the
// form field (and the fallback without scripts). The server sanitises whatever arrives.

const KEEP = new Set(["P", "BR", "STRONG", "B", "EM", "I", "U", "OL", "UL", "LI", "TABLE", "THEAD", "TBODY", "TR", "TH", "TD"]);

function styleWraps(el) {
  // Word and browsers express emphasis in inline styles; turn it into tags we keep.
  const style = (el.getAttribute && el.getAttribute("style")) || "";
  const tags = [];
  if (/font-weight:\s*(bold|[6-9]00)/i.test(style)) tags.push("strong");
  if (/font-style:\s*italic/i.test(style)) tags.push("em");
  if (/text-decoration[^;]*underline/i.test(style)) tags.push("u");
  return tags;
}

function cleanNode(node, doc) {
  if (node.nodeType === Node.TEXT_NODE) return doc.createTextNode(node.textContent);
  if (node.nodeType !== Node.ELEMENT_NODE) return null;
  const style = node.getAttribute("style") || "";
  if (/mso-list:\s*Ignore/i.test(style)) return null; // Word's typed list number "1." / "·"
  const tag = node.tagName;
  if (["SCRIPT", "STYLE", "TITLE", "META", "LINK", "XML"].includes(tag)) return null;
  const fragment = doc.createDocumentFragment();
  node.childNodes.forEach((child) => {
    const cleaned = cleanNode(child, doc);
    if (cleaned) fragment.appendChild(cleaned);
  });
  let result = fragment;
  for (const wrap of styleWraps(node)) {
    const el = doc.createElement(wrap);
    el.appendChild(result);
    result = el;
  }
  if (KEEP.has(tag)) {
    const el = doc.createElement(tag.toLowerCase());
    if (tag === "OL" && node.getAttribute("start")) el.setAttribute("start", node.getAttribute("start"));
    el.appendChild(result);
    return el;
  }
  if (["DIV", "H1", "H2", "H3", "H4", "H5", "H6"].includes(tag)) {
    const p = doc.createElement("p");
    p.appendChild(result);
    return p;
  }
  return result;
}

function wordListKind(p) {
  // Word pastes list items as paragraphs with an mso-list style; the hidden marker tells the kind.
  const style = p.getAttribute("style") || "";
  if (!/mso-list/i.test(style) && !/MsoListParagraph/i.test(p.className || "")) return null;
  const marker = p.querySelector("[style*='mso-list']");
  const text = marker ? marker.textContent.trim() : "";
  return /^[\d]+[.)]|^[a-z][.)]/i.test(text) ? "ol" : "ul";
}

function cleanPastedHtml(html) {
  const source = new DOMParser().parseFromString(html, "text/html");
  const out = document.implementation.createHTMLDocument("");
  const container = out.createElement("div");
  let list = null;
  let paragraph = null; // the paragraph collecting top-level text and inline runs
  source.body.childNodes.forEach((node) => {
    const kind = node.nodeType === Node.ELEMENT_NODE && node.tagName === "P" ? wordListKind(node) : null;
    if (kind) {
      paragraph = null;
      if (!list || list.tagName.toLowerCase() !== kind) {
        list = out.createElement(kind);
        container.appendChild(list);
      }
      const li = out.createElement("li");
      node.childNodes.forEach((child) => {
        const cleaned = cleanNode(child, out);
        if (cleaned) li.appendChild(cleaned);
      });
      list.appendChild(li);
      return;
    }
    // Word separates its paragraphs with line breaks: they must not split a list in two.
    if (node.nodeType === Node.TEXT_NODE && !node.textContent.trim() && !paragraph) return;
    if (node.nodeType === Node.COMMENT_NODE) return;
    list = null;
    const cleaned = cleanNode(node, out);
    if (!cleaned) return;
    if (isBlock(cleaned)) {
      paragraph = null;
      container.appendChild(cleaned);
      return;
    }
    // Text typed straight into the area (or inline runs) is a paragraph of its own: sent bare,
    // "KH&amp;CN" would reach the server as text without tags and be escaped a second time.
    if (cleaned.nodeName === "BR" && paragraph) {
      paragraph = null;
      return;
    }
    if (!paragraph) {
      paragraph = out.createElement("p");
      container.appendChild(paragraph);
    }
    paragraph.appendChild(cleaned);
  });
  // Blank lines of pasted text arrive as empty paragraphs: a run of them is one break, not a gap.
  container.querySelectorAll("p").forEach((p) => {
    if (!p.textContent.replace(/\u00a0/g, " ").trim() && !p.querySelector("table, ol, ul")) p.remove();
  });
  return container.innerHTML;
}

const BLOCKS = new Set(["P", "OL", "UL", "TABLE"]);

function isBlock(node) {
  if (node.nodeType === Node.DOCUMENT_FRAGMENT_NODE) {
    return node.childNodes.length > 0 && Array.from(node.childNodes).every((child) => BLOCKS.has(child.nodeName));
  }
  return BLOCKS.has(node.nodeName);
}

function setUpEditor(form) {
  const editor = form.querySelector("[data-rich-editor]");
  const source = form.querySelector("textarea[data-rich-source]");
  if (!editor || !source) return;
  const area = editor.querySelector("[contenteditable]");
  editor.hidden = false;
  source.hidden = true;
  editor.querySelectorAll("[data-command]").forEach((button) => {
    // Keep the caret in the text: a toolbar click must not take the focus away first.
    button.addEventListener("mousedown", (event) => event.preventDefault());
    button.addEventListener("click", () => {
      area.focus();
      document.execCommand(button.dataset.command, false, null);
    });
  });
  area.addEventListener("paste", (event) => {
    const html = event.clipboardData && event.clipboardData.getData("text/html");
    if (!html) return; // plain text: the browser inserts it as is
    event.preventDefault();
    document.execCommand("insertHTML", false, cleanPastedHtml(html));
  });
  form.addEventListener("submit", () => {
    // Styled spans (some browsers bold with CSS) become tags the server keeps.
    source.value = cleanPastedHtml(area.innerHTML);
  });
}

// --- "Thêm" rows of a Django formset ---------------------------------------------------
function setUpFormset(button) {
  const prefix = button.dataset.prefix;
  const card = button.parentElement;
  const rows = card.querySelector("[data-formset-rows]");
  const template = card.querySelector("template[data-formset-template]");
  const total = card.querySelector(`input[name="${prefix}-TOTAL_FORMS"]`);
  button.addEventListener("click", () => {
    const index = parseInt(total.value, 10);
    const html = template.innerHTML.replace(/__prefix__/g, String(index));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
  });
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form[data-rich-form]").forEach(setUpEditor);
  document.querySelectorAll("[data-formset-add]").forEach(setUpFormset);
});

// --- One modal form for many rows -------------------------------------------------------
// A list has one "report" (or "assign", "return") modal; the button that opens it says
// which task the form posts to, and what to show and pre-fill.
document.addEventListener("show.bs.modal", (event) => {
  const modal = event.target;
  const button = event.relatedTarget;
  if (!modal.hasAttribute("data-action-modal") || !button || !button.dataset.action) return;
  const form = modal.querySelector("form");
  form.action = button.dataset.action;
  const slot = modal.querySelector("[data-task-title-slot]");
  if (slot) slot.textContent = button.dataset.taskTitle || "";
  const percent = form.querySelector("input[name='percent']");
  if (percent && button.dataset.percent !== undefined) percent.value = button.dataset.percent;
});

// --- Notification settings -----------------------------------------------------------
// "Chọn tất cả" / "Bỏ chọn tất cả" tick or clear every checkbox of the form.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-check-all]");
  if (!button) return;
  const on = button.dataset.checkAll === "on";
  button.closest("form").querySelectorAll(".settings-table input[type=checkbox]").forEach((box) => { box.checked = on; });
});

// Copy the calendar URL; without the clipboard API (plain http) the text is selected instead.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const input = document.querySelector(button.dataset.copy);
  input.select();
  const done = () => { button.textContent = button.dataset.copied || button.textContent; };
  if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(input.value).then(done);
  else if (document.execCommand("copy")) done();
});

document.addEventListener("focusin", (event) => {
  if (event.target.matches("[data-select-on-focus]")) event.target.select();
});

// A form that undoes something asks first (data-confirm holds the question).
document.addEventListener("submit", (event) => {
  const question = event.target.dataset && event.target.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});

// --- Widgets people expect (lib/forms.py) ------------------------------------------------
// Each control posts the same data without scripts; these only make it easier to use.

// The server's Vietnamese messages, not the browser's English ones ("Please fill out this field.").
function quietBrowserValidation(root) {
  root.querySelectorAll("form").forEach((form) => { form.noValidate = true; });
}

function parseDay(text) {
  // dd/mm/yyyy (or dd-mm-yyyy) as typed, or ISO from links; anything else is left to the server.
  let m = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/.exec(text);
  if (m) return new Date(Number(m[3]), Number(m[2]) - 1, Number(m[1]));
  m = /^\s*(\d{4})-(\d{2})-(\d{2})\s*$/.exec(text);
  if (m) return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return undefined;
}

function setUpDatePicker(input) {
  if (input._flatpickr || typeof window.flatpickr !== "function") return;
  const locale = window.flatpickr.l10ns && window.flatpickr.l10ns.vn;
  window.flatpickr(input, {
    locale: locale || "default",
    dateFormat: "d/m/Y",
    allowInput: true,
    parseDate: parseDay,
    disableMobile: true,
  });
}

function setUpMultiSelect(select) {
  if (select.tomselect || typeof window.TomSelect !== "function") return;
  const control = new window.TomSelect(select, {
    plugins: { remove_button: { title: select.dataset.removeLabel || "Bỏ" } },
    hidePlaceholder: true,
    maxOptions: null,
    closeAfterSelect: false,
    placeholder: select.dataset.placeholder || "Gõ để tìm…",
    // A pick clears the search, so the next unit is typed afresh and Backspace removes a chip.
    onItemAdd() {
      this.setTextboxValue("");
      this.refreshOptions(false);
    },
    render: {
      no_results: () => '<div class="no-results">Không tìm thấy</div>',
    },
  });
  // Tom Select points the label at its own search box; the hidden original keeps the name too.
  const fieldLabel = document.getElementById(`${select.id}-ts-label`);
  if (fieldLabel) select.setAttribute("aria-labelledby", fieldLabel.id);
  const label = select.dataset.selectAll;
  if (label) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-sm btn-outline-secondary d-block mb-1";
    button.textContent = label;
    button.dataset.testid = "select-all";
    button.addEventListener("click", () => {
      control.setValue(Object.keys(control.options));
      control.close();
    });
    control.wrapper.insertAdjacentElement("beforebegin", button); // above: the open list never covers it
  }
}

// A file input shows «Chọn tệp» and the chosen names, not the browser's "Choose Files".
function setUpFileInput(input) {
  if (input.dataset.enhanced) return;
  input.dataset.enhanced = "1";
  const wrap = document.createElement("div");
  wrap.className = "file-picker d-flex align-items-center gap-2 flex-wrap";
  const button = document.createElement("label");
  button.className = "btn btn-sm btn-outline-secondary mb-0";
  button.htmlFor = input.id;
  button.textContent = "Chọn tệp…";
  const names = document.createElement("span");
  names.className = "small text-muted text-break";
  names.setAttribute("aria-live", "polite");
  names.dataset.testid = "chosen-files";
  const nothing = "Chưa chọn tệp nào";
  names.textContent = nothing;
  input.parentNode.insertBefore(wrap, input);
  wrap.appendChild(input);
  wrap.appendChild(button);
  wrap.appendChild(names);
  input.addEventListener("change", () => {
    const chosen = Array.from(input.files || []).map((file) => file.name);
    names.textContent = chosen.length ? chosen.join(", ") : nothing;
  });
}

function enhance(root) {
  quietBrowserValidation(root);
  root.querySelectorAll("input[data-datepicker]").forEach(setUpDatePicker);
  root.querySelectorAll("select[multiple][data-multiselect]").forEach(setUpMultiSelect);
  root.querySelectorAll("input[type=file]").forEach(setUpFileInput);
}

document.addEventListener("DOMContentLoaded", () => enhance(document));
document.addEventListener("htmx:afterSwap", (event) => enhance(event.target));

// --- A dialog whose form was refused opens again, with what was typed and the message ----
// The server keeps the refused input (lib/kept_forms.py) and the page carries it as JSON;
// a page may also mark a dialog it re-rendered itself with data-reopen.

function keptFeedback(text) {
  const div = document.createElement("div");
  div.className = "invalid-feedback d-block";
  div.textContent = text;
  return div;
}

function refillDialog(modal, kept) {
  const form = modal.querySelector("form");
  if (!form) return;
  if (modal.hasAttribute("data-action-modal")) form.action = kept.action;
  const slot = modal.querySelector("[data-task-title-slot]");
  if (slot && kept.title) slot.textContent = kept.title;
  const body = modal.querySelector(".modal-body") || form;
  Object.entries(kept.values || {}).forEach(([name, values]) => {
    form.querySelectorAll(`[name="${CSS.escape(name)}"]`).forEach((field) => {
      if (field.type === "hidden" || field.type === "file") return;
      if (field.type === "checkbox" || field.type === "radio") field.checked = values.includes(field.value);
      else if (field.tagName === "SELECT" && field.multiple) {
        Array.from(field.options).forEach((option) => { option.selected = values.includes(option.value); });
        if (field.tomselect) field.tomselect.setValue(values, true);
      } else {
        field.value = values[0] || "";
        if (field._flatpickr) field._flatpickr.setDate(field.value, false, "d/m/Y");
        if (field.tomselect) field.tomselect.setValue(field.value, true);
      }
    });
  });
  Object.entries(kept.errors || {}).forEach(([name, errors]) => {
    const field = form.querySelector(`[name="${CSS.escape(name)}"]`);
    const anchor = field && (field.closest(".mb-3") || field.parentElement);
    const feedback = errors.map(keptFeedback);
    if (field) {
      // The message is read with the field (WCAG 3.3.1): marked invalid and described by it.
      field.classList.add("is-invalid");
      field.setAttribute("aria-invalid", "true");
      const ids = feedback.map((div, n) => {
        div.id = `${field.id || name}_kept_error_${n}`;
        return div.id;
      });
      const described = (field.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
      field.setAttribute("aria-describedby", described.concat(ids).join(" "));
    }
    feedback.forEach((div) => (anchor || body).appendChild(div));
  });
  (kept.files || []).forEach((file) => {
    // Files accepted before the refusal are kept on the server; the form posts their tokens again.
    const input = form.querySelector(`input[type=file][name="${CSS.escape(file.field)}"]`);
    const row = document.createElement("div");
    row.className = "small mb-1";
    row.dataset.testid = "staged-upload";
    const token = document.createElement("input");
    token.type = "hidden";
    token.name = `${file.field}__staged`;
    token.value = file.token;
    const strong = document.createElement("strong");
    strong.textContent = file.name;
    row.append(token, "Đã giữ tệp: ", strong);
    const place = input ? (input.closest(".file-picker") || input) : null;
    if (place) place.insertAdjacentElement("beforebegin", row);
    else form.appendChild(row);
  });
  if (kept.message) {
    const alert = document.createElement("div");
    alert.className = "alert alert-danger";
    alert.setAttribute("role", "alert");
    alert.dataset.testid = "dialog-error";
    alert.textContent = kept.message;
    body.prepend(alert);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  let modal = document.querySelector(".modal[data-reopen]");
  const data = document.getElementById("kept-form");
  if (data) {
    const kept = JSON.parse(data.textContent);
    const target = document.getElementById(kept.dialog);
    if (target && target.classList.contains("modal")) {
      refillDialog(target, kept);
      modal = target;
    }
  }
  if (!modal || !window.bootstrap) return;
  const form = modal.querySelector("form");
  if (form) modal.dataset.reopenedFor = form.getAttribute("action");
  window.bootstrap.Modal.getOrCreateInstance(modal).show();
});

// In a list, one dialog serves every row: opened for another row than the one refused,
// it starts empty; the accept dialog says whether this acceptance is the last step.
document.addEventListener("show.bs.modal", (event) => {
  const modal = event.target;
  const button = event.relatedTarget;
  if (!modal.hasAttribute("data-action-modal") || !button || !button.dataset.action) return;
  if (modal.dataset.reopenedFor && modal.dataset.reopenedFor !== button.dataset.action) {
    modal.querySelectorAll("[data-testid='dialog-error'], .invalid-feedback.d-block").forEach((error) => error.remove());
    modal.querySelectorAll("textarea").forEach((area) => { area.value = ""; area.classList.remove("is-invalid"); });
    delete modal.dataset.reopenedFor;
  }
  const note = modal.querySelector("[data-step-note-slot]");
  if (note && button.dataset.final) {
    note.textContent = button.dataset.final === "no" ? note.dataset.forwardNote : note.dataset.finalNote;
  }
});

// Focus the dialog's first field when it opens, so it is used from the keyboard at once.
document.addEventListener("shown.bs.modal", (event) => {
  const field = event.target.querySelector("[data-autofocus]");
  if (field) field.focus();
});

// A register on a phone shows its chosen columns; this button shows the others too (and back).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-all-columns]");
  if (!button) return;
  const table = document.getElementById(button.dataset.allColumns);
  const shown = table.classList.toggle("all-columns");
  button.setAttribute("aria-pressed", String(shown));
});

// A service's form (catalogue/forms/dynamic_form.html): shows and hides conditional fields,
// adds and removes rows of repeatable groups ("Add companion"), and shows the Hijri date beside
// a Gregorian one. The server decides everything again on submit; this only saves a round trip.
"use strict";

(function () {
  // The current values of the control named `name` inside `scope`, as strings.
  const valuesOf = (scope, name) => {
    const controls = scope.querySelectorAll(`[name="${CSS.escape(name)}"]`);
    const values = [];
    controls.forEach((control) => {
      if (control.type === "checkbox" || control.type === "radio") {
        if (control.checked) values.push(control.type === "checkbox" && control.value === "on" ? "true" : control.value);
      } else if (control.tagName === "SELECT" && control.multiple) {
        Array.from(control.selectedOptions).forEach((option) => values.push(option.value));
      } else if (control.value !== "") {
        values.push(control.value);
      }
    });
    return values;
  };

  const update = (form) => {
    // In document order: a controller comes before what it controls, so one pass settles chains.
    form.querySelectorAll("[data-show-if]").forEach((box) => {
      const controller = form.querySelector(`[name="${CSS.escape(box.dataset.showIf)}"]`);
      const holder = controller && controller.closest("[data-field]");
      const wanted = JSON.parse(box.dataset.showValues || "[]").map(String);
      const shown = Boolean(holder) && !holder.hidden &&
        valuesOf(form, box.dataset.showIf).some((value) => wanted.includes(value));
      box.hidden = !shown;
    });
  };

  const renumber = (formset) => {
    const prefix = formset.dataset.formset;
    const rows = formset.querySelectorAll("[data-formset-rows] > [data-formset-row]");
    const pattern = new RegExp(`^${prefix}-\\d+-`);
    rows.forEach((row, index) => {
      row.querySelectorAll("[name], [id], [for], [data-show-if], [aria-describedby]").forEach((el) => {
        ["name", "id", "for", "data-show-if", "aria-describedby"].forEach((attr) => {
          const value = el.getAttribute(attr);
          if (value) el.setAttribute(attr, value.replace(pattern, `${prefix}-${index}-`).replace(new RegExp(`(^|\\s)id_${prefix}-\\d+-`, "g"), `$1id_${prefix}-${index}-`));
        });
      });
      const number = row.querySelector("legend bdi");
      if (number) number.textContent = String(index + 1);
    });
    formset.querySelector(`[name="${CSS.escape(prefix)}-TOTAL_FORMS"]`).value = String(rows.length);
    const add = formset.querySelector("[data-formset-add]");
    add.disabled = rows.length >= Number(formset.dataset.max || 20);
  };

  const setUpFormset = (form, formset) => {
    const template = formset.querySelector("template[data-formset-template]");
    const rows = formset.querySelector("[data-formset-rows]");
    const add = formset.querySelector("[data-formset-add]");
    const total = formset.querySelector(`[name="${CSS.escape(formset.dataset.formset)}-TOTAL_FORMS"]`);
    if (!template || !rows || !add || !total) return;
    add.hidden = false;
    const showRemove = (row) => {
      const remove = row.querySelector("[data-formset-remove]");
      if (remove) remove.hidden = false;
    };
    rows.querySelectorAll("[data-formset-row]").forEach(showRemove);
    add.addEventListener("click", () => {
      const index = Number(total.value);
      const html = template.innerHTML.replaceAll("__prefix__", String(index)).replaceAll("__number__", String(index + 1));
      rows.insertAdjacentHTML("beforeend", html);
      const row = rows.lastElementChild;
      showRemove(row);
      renumber(formset);
      update(form);
      const first = row.querySelector("input, select, textarea");
      if (first) first.focus();
    });
    rows.addEventListener("click", (event) => {
      const remove = event.target.closest("[data-formset-remove]");
      if (!remove) return;
      remove.closest("[data-formset-row]").remove();
      renumber(formset);
      add.focus();
    });
    renumber(formset);
  };

  const showHijri = (output) => {
    const input = document.getElementById(output.dataset.hijriFor);
    if (!input) return;
    const refresh = () => {
      const parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(input.value);
      if (!parts) {
        output.textContent = "";
        return;
      }
      const day = new Date(Date.UTC(Number(parts[1]), Number(parts[2]) - 1, Number(parts[3])));
      try {
        output.textContent = new Intl.DateTimeFormat(output.dataset.hijriLocale, {
          day: "numeric", month: "long", year: "numeric", timeZone: "UTC",
        }).format(day);
      } catch (error) {
        // A browser without the Umm al-Qura calendar keeps the server's text.
      }
    };
    input.addEventListener("change", refresh);
  };

  // A request's page (cases/portal/apply.html) keeps a draft as the citizen types: the text
  // only, a few seconds after the last change and when the page is hidden. Files are kept by
  // the server when the form is sent, even with errors.
  const setUpAutosave = (form) => {
    const url = form.dataset.autosave;
    const status = form.querySelector("[data-autosave-status]");
    let timer = null;
    let dirty = false;
    const save = () => {
      if (!dirty) return;
      dirty = false;
      const data = new FormData(form);
      for (const [key, value] of Array.from(data.entries())) {
        if (value instanceof File) data.delete(key);
      }
      fetch(url, { method: "POST", body: data, credentials: "same-origin", keepalive: true })
        .then((response) => {
          if (response.ok && status) status.textContent = status.dataset.saved || "";
        })
        .catch(() => { dirty = true; });
    };
    const later = () => {
      dirty = true;
      clearTimeout(timer);
      timer = setTimeout(save, 3000);
    };
    form.addEventListener("input", later);
    form.addEventListener("change", later);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") save();
    });
    form.addEventListener("submit", () => {
      clearTimeout(timer);
      dirty = false;
      // One click, one request: the button waits for the answer (the server also ignores a
      // repeat of the same submission).
      const button = form.querySelector("[data-submit-once]");
      if (button) window.setTimeout(() => { button.disabled = true; }, 0);
    });
  };

  document.querySelectorAll("form[data-autosave]").forEach(setUpAutosave);
  const alert = document.querySelector("[data-focus-on-load]");
  if (alert) alert.focus();

  document.querySelectorAll("[data-dynamic-form]").forEach((form) => {
    form.querySelectorAll("[data-formset]").forEach((formset) => setUpFormset(form, formset));
    form.addEventListener("change", () => update(form));
    form.querySelectorAll("output[data-hijri-for]").forEach(showHijri);
    update(form);
  });
})();

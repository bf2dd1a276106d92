/*
 * The dossier page (templates/certification/dossier_detail.html): keeps what the unit types in
 * localStorage until the server has saved it, so a reload or an expired session loses nothing.
 *
 * The draft is stored with the dossier's version (its updated_at) as the page showed it. When the
 * page comes back with the same version, nothing was saved since: the draft is put back into the
 * form and a notice says so. A different version means a save went through: the draft is dropped.
 * Files are never kept (browsers cannot restore them).
 */
(function () {
  "use strict";

  var form = document.getElementById("dossier-form");
  if (!form || !form.dataset.draftKey) {
    return;
  }
  var key = form.dataset.draftKey;
  var version = form.dataset.draftVersion;
  var notice = document.getElementById("draft-restored");
  var discard = document.getElementById("draft-discard");
  var KEPT_TYPES = ["text", "number", "date", "email", "tel", "radio"];

  function storage() {
    try {
      return window.localStorage;
    } catch (error) {
      return null; // storage disabled (private mode, policy)
    }
  }

  function keptFields() {
    return Array.prototype.filter.call(form.elements, function (field) {
      if (!field.name || field.disabled) {
        return false;
      }
      return field.tagName === "TEXTAREA" ||
        (field.tagName === "INPUT" && KEPT_TYPES.indexOf(field.type) !== -1);
    });
  }

  function read() {
    var store = storage();
    try {
      var draft = store && JSON.parse(store.getItem(key));
      return draft && typeof draft.values === "object" ? draft : null;
    } catch (error) {
      return null;
    }
  }

  function write() {
    var values = {};
    keptFields().forEach(function (field) {
      if (field.type !== "radio") {
        values[field.name] = field.value;
      } else if (field.checked) {
        values[field.name] = field.value;
      }
    });
    var store = storage();
    try {
      if (store) {
        store.setItem(key, JSON.stringify({version: version, values: values}));
      }
    } catch (error) {
      // Full or refused: the form still saves normally.
    }
  }

  function clear() {
    var store = storage();
    if (store) {
      store.removeItem(key);
    }
  }

  function restore(draft) {
    var changed = 0;
    keptFields().forEach(function (field) {
      if (!Object.prototype.hasOwnProperty.call(draft.values, field.name)) {
        return;
      }
      var value = String(draft.values[field.name]);
      if (field.type === "radio") {
        if (field.value === value && !field.checked) {
          field.checked = true;
          changed += 1;
        }
      } else if (field.value !== value) {
        field.value = value;
        changed += 1;
      }
    });
    return changed;
  }

  // A draft equal to the page is kept: after a refused save (a wrong file) the page shows the
  // typed values, but the server still has none of them.
  var draft = read();
  if (draft && draft.version !== version) {
    clear(); // saved since the draft was typed
  } else if (draft && restore(draft) > 0 && notice) {
    notice.classList.remove("d-none");
  }

  var timer = null;
  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(write, 300);
  }
  form.addEventListener("input", later);
  form.addEventListener("change", later);
  // Typing then leaving at once (or submitting) must not lose the last keystrokes.
  form.addEventListener("submit", write);
  window.addEventListener("pagehide", function () {
    if (timer !== null) {
      window.clearTimeout(timer);
      write();
    }
  });

  if (discard) {
    discard.addEventListener("click", function () {
      clear();
      window.location.reload();
    });
  }
})();

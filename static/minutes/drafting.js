/* Protokollet drafting: a small rich-text editor, autosave that never loses a word, and
 * reordering items by dragging. The forms work without this script (a normal Save button). */
(function () {
  "use strict";

  // --- The editor: a contenteditable area over each textarea[data-richtext] ----------------
  // [command, name, the element it makes]: the button says its name, which is also what a
  // screen reader announces (a visible "F" named "Fet" would not match, WCAG 2.5.3).
  var TOOLS = [
    ["bold", "Fet", "strong"],
    ["italic", "Kursiv", "em"],
    ["insertUnorderedList", "Punktlista", null],
    ["insertOrderedList", "Numrerad lista", null],
    ["heading", "Underrubrik", null],
    ["createLink", "Länk", null],
    ["unlink", "Ta bort länk", null],
  ];

  // The server's allow-list (core/sanitize.py allow_list()), given by the page as JSON: pasted
  // HTML and link addresses are judged by the same rules here as on the server.
  var RULES = (function () {
    var el = document.getElementById("richtext-rules");
    try { return el ? JSON.parse(el.textContent) : null; } catch (e) { return null; }
  })();

  function matches(pattern, text) { return !!pattern && new RegExp(pattern, "i").test(text); }

  // The address a link gets, or null: "www.polisen.se" is "https://www.polisen.se" (as
  // normalize_link on the server reads it).
  function linkFor(address) {
    var a = (address || "").trim();
    var p = RULES ? RULES.links : {};
    if (!RULES) return /^(https?:\/\/|mailto:)\S+$/i.test(a) ? a : null;
    if (matches(p.web, a) || matches(p.mail, a)) return a;
    if (matches(p.email, a)) return "mailto:" + a;
    if (matches(p.host, a)) return "https://" + a;
    return null;
  }

  function linkRefusal(address) {
    var a = (address || "").trim();
    if (!a) return "Ingen länk lades in: ange en adress, till exempel www.polisen.se.";
    var scheme = /^([a-z][a-z0-9+.-]*):/i.exec(a);
    if (scheme && !/^(https?|mailto)$/i.test(scheme[1])) {
      return "Ingen länk lades in: adresser som börjar med ”" + scheme[1] + ":” kan inte bli länkar. " +
        "Ange en webbadress (https://…) eller en e-postadress.";
    }
    return "Ingen länk lades in: ”" + a + "” är varken en webbadress eller en e-postadress. " +
      "Skriv till exempel www.polisen.se eller https://polisen.se/arboga.";
  }

  // --- Pasted HTML: parsed in an inert document (DOMParser loads no image and runs no script),
  // then rebuilt from the allowed tags and attributes only; empty anchors and paragraphs go.
  var RENAMES = { h1: "h3", h2: "h3", h5: "h4", h6: "h4" };
  var BLOCKISH = /^(div|section|article|header|footer|main|aside|nav|figure|figcaption|address|pre|td|th|dd|dt|caption)$/;
  var BLOCKS = /^(p|ul|ol|li|h[1-6]|blockquote|div|section|article|header|footer|main|aside|nav|figure|address|pre|table|tbody|thead|tr|td|th|dl|dd|dt)$/;

  function cleanPastedHtml(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var tags = {}, attributes = RULES.attributes || {}, drop = {}, synonyms = RULES.synonyms || {};
    RULES.tags.forEach(function (t) { tags[t] = true; });
    (RULES.contentTags || []).forEach(function (t) { drop[t] = true; });
    var out = doc.createElement("div");

    function hasBlockChild(el) {
      return Array.prototype.some.call(el.children, function (c) { return BLOCKS.test(c.nodeName.toLowerCase()); });
    }
    function copy(from, into) {
      Array.prototype.forEach.call(from.childNodes, function (child) {
        if (child.nodeType === 3) { into.appendChild(doc.createTextNode(child.nodeValue)); return; }
        if (child.nodeType !== 1) return;  // comments, processing instructions
        var name = child.nodeName.toLowerCase();
        if (drop[name]) return;
        name = synonyms[name] || RENAMES[name] || name;
        if (BLOCKISH.test(name) && !hasBlockChild(child)) name = "p";
        if (!tags[name]) { copy(child, into); return; }  // not allowed: its text stays
        var el = doc.createElement(name);
        (attributes[name] || []).forEach(function (attr) {
          var value = child.getAttribute(attr);
          if (value === null) return;
          if (attr === "href") value = linkFor(value);
          if (value !== null) el.setAttribute(attr, value);
        });
        copy(child, el);
        into.appendChild(el);
      });
    }
    function prune(el) {
      Array.prototype.slice.call(el.children).forEach(function (child) {
        prune(child);
        var name = child.nodeName.toLowerCase();
        if (name === "br") return;
        if (name === "a" && !child.hasAttribute("href")) {  // a bookmark or a refused address
          while (child.firstChild) el.insertBefore(child.firstChild, child);
          el.removeChild(child);
        } else if (!child.textContent.replace(/[\s\u00a0]/g, "")) {
          el.removeChild(child);  // an empty paragraph, list item, anchor or emphasis
        }
      });
    }
    copy(doc.body, out);
    prune(out);
    return out.innerHTML.trim();
  }

  function looksLikeHtml(text) { return /<[a-z][\s\S]*>/i.test(text); }

  function textToHtml(text) {
    return text.split(/\n{2,}/).filter(function (p) { return p.trim(); }).map(function (p) {
      var div = document.createElement("div");
      div.textContent = p;
      return "<p>" + div.innerHTML.replace(/\n/g, "<br>") + "</p>";
    }).join("");
  }

  function makeEditor(textarea) {
    var wrapper = document.createElement("div");
    wrapper.className = "richtext border rounded";
    var toolbar = document.createElement("div");
    toolbar.className = "richtext-toolbar btn-toolbar gap-1 p-1 border-bottom bg-body-tertiary";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", "Formatering");
    var area = document.createElement("div");
    area.className = "richtext-area p-2";
    area.contentEditable = "true";
    area.setAttribute("role", "textbox");
    area.setAttribute("aria-multiline", "true");
    var label = document.querySelector('label[for="' + textarea.id + '"]');
    if (label) {
      label.id = label.id || textarea.id + "-label";
      area.setAttribute("aria-labelledby", label.id);
      label.addEventListener("click", function () { area.focus(); });
    }
    var message = document.createElement("div");
    message.className = "richtext-message small text-danger px-2";
    message.setAttribute("role", "alert");
    function say(text) {
      message.textContent = text;
      message.classList.toggle("py-1", !!text);
    }
    area.innerHTML = looksLikeHtml(textarea.value) ? textarea.value : textToHtml(textarea.value);
    TOOLS.forEach(function (tool) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-sm btn-outline-secondary";
      button.textContent = tool[1];
      if (tool[0] === "bold") button.style.fontWeight = "bold";
      if (tool[0] === "italic") button.style.fontStyle = "italic";
      button.addEventListener("mousedown", function (e) { e.preventDefault(); });
      button.addEventListener("click", function () {
        area.focus();
        if (tool[0] === "heading") {
          var inHeading = document.queryCommandValue("formatBlock").toLowerCase() === "h3";
          document.execCommand("formatBlock", false, inHeading ? "p" : "h3");
        } else if (tool[0] === "createLink") {
          var typed = window.prompt("Länkens adress, till exempel www.polisen.se eller https://…", "");
          if (typed === null) return;  // cancelled
          var url = linkFor(typed);
          if (url) {
            say("");
            document.execCommand("createLink", false, url);
          } else {
            say(linkRefusal(typed));
          }
        } else {
          document.execCommand(tool[0], false, null);
        }
        sync();
      });
      toolbar.appendChild(button);
    });
    function sync() {
      var html = area.innerHTML;
      // Text typed into an empty editor has no paragraph yet; the server takes a value without
      // any tag for plain text and would escape its entities ("&amp;" → "&amp;amp;") a second time.
      if (html.trim() && !/<[a-z]/i.test(html)) html = "<p>" + html + "</p>";
      textarea.value = html;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }
    area.addEventListener("input", sync);
    // What is pasted or dropped goes in cleaned by the server's allow-list: HTML is parsed in
    // an inert document first, so a pasted or dragged image never loads; dropped files are not
    // taken (documents are attached as handlingar).
    function insertTransfer(data) {
      var html = data.getData("text/html");
      if (html && RULES) {
        var clean = cleanPastedHtml(html);
        if (clean) document.execCommand("insertHTML", false, clean);
      } else {
        var text = data.getData("text/plain");
        if (text) document.execCommand("insertText", false, text);
      }
      sync();
    }
    area.addEventListener("paste", function (e) {
      var data = e.clipboardData;
      if (!data || !data.getData("text/html")) return;  // plain text: inserted as text
      e.preventDefault();
      insertTransfer(data);
    });
    area.addEventListener("drop", function (e) {
      var data = e.dataTransfer;
      if (!data) return;
      e.preventDefault();
      var range = null;
      if (document.caretRangeFromPoint) {
        range = document.caretRangeFromPoint(e.clientX, e.clientY);
      } else if (document.caretPositionFromPoint) {
        var position = document.caretPositionFromPoint(e.clientX, e.clientY);
        if (position) {
          range = document.createRange();
          range.setStart(position.offsetNode, position.offset);
        }
      }
      area.focus();
      if (range && area.contains(range.startContainer)) {
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
      }
      insertTransfer(data);
    });
    area.addEventListener("keydown", function (e) {
      if ((e.ctrlKey || e.metaKey) && !e.altKey) {
        var key = e.key.toLowerCase();
        if (key === "b" || key === "i") {
          e.preventDefault();
          document.execCommand(key === "b" ? "bold" : "italic", false, null);
          sync();
        }
      }
    });
    document.execCommand("defaultParagraphSeparator", false, "p");
    wrapper.appendChild(toolbar);
    wrapper.appendChild(message);
    wrapper.appendChild(area);
    // crispy-forms names the help text "<field id>_helptext"
    var hint = document.getElementById(textarea.id + "_helptext");
    if (hint) hint.classList.add("d-none");  // "separate paragraphs with a blank line" is for the plain form
    textarea.classList.add("d-none");
    textarea.setAttribute("aria-hidden", "true");
    textarea.tabIndex = -1;
    textarea.parentNode.insertBefore(wrapper, textarea.nextSibling);
    textarea._richtext = { set: function (html) { area.innerHTML = html; textarea.value = html; } };
  }

  document.querySelectorAll("textarea[data-richtext]").forEach(makeEditor);

  // --- Autosave -----------------------------------------------------------------------------
  var form = document.getElementById("item-form");
  if (form && form.dataset.autosaveUrl && window.fetch) {
    var key = "protokollet:item:" + form.dataset.itemId;
    var stateEl = document.getElementById("save-state");
    var timer = null, saving = false, pending = false, csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;
    var versionInput = form.querySelector("[name=version]");
    // a nämnd's § also has its deliberation (deliberation.js), saved with the item
    var deliberation = window.ProtokolletDeliberation || null;

    function say(text, kind) {
      stateEl.textContent = text;
      stateEl.className = "ms-auto " + (kind === "error" ? "text-danger fw-semibold" : "text-body-secondary");
    }
    function collect() {
      var sections = [];
      form.querySelectorAll(".section-form").forEach(function (box) {
        sections.push({
          heading: box.querySelector("input[name$=heading]").value,
          body: box.querySelector("textarea[name$=body]").value,
        });
      });
      var data = {
        version: parseInt(versionInput.value, 10),
        title: form.querySelector("[name=title]").value,
        body: form.querySelector("[name=body]").value,
        is_public: form.querySelector("[name=is_public]").checked,
        confidentiality_ground: form.querySelector("[name=confidentiality_ground]").value,
        sections: sections,
      };
      var decision = form.querySelector("[name=decision]");  // a råd's; a nämnd's § has parts
      if (decision) data.decision = decision.value;
      form.querySelectorAll("[data-part]").forEach(function (field) {
        data[field.name] = field.type === "checkbox" ? field.checked : field.value;
      });
      if (deliberation) Object.assign(data, deliberation.collect());
      return data;
    }
    function apply(data) {
      form.querySelector("[name=title]").value = data.title;
      setRich(form.querySelector("[name=body]"), data.body);
      var decision = form.querySelector("[name=decision]");
      if (decision) decision.value = data.decision || "";
      form.querySelectorAll("[data-part]").forEach(function (field) {
        if (!(field.name in data)) return;
        if (field.type === "checkbox") field.checked = !!data[field.name]; else field.value = data[field.name];
      });
      form.querySelector("[name=is_public]").checked = data.is_public;
      form.querySelector("[name=confidentiality_ground]").value = data.confidentiality_ground;
      var boxes = form.querySelectorAll(".section-form");
      (data.sections || []).forEach(function (s, i) {
        if (!boxes[i]) return;
        boxes[i].querySelector("input[name$=heading]").value = s.heading;
        setRich(boxes[i].querySelector("textarea[name$=body]"), s.body);
      });
      if (deliberation) deliberation.apply(data);
    }
    function setRich(textarea, html) {
      if (textarea._richtext) textarea._richtext.set(html); else textarea.value = html;
    }
    function keep() {
      try {
        localStorage.setItem(key, JSON.stringify({ data: collect(), at: new Date().toISOString() }));
      } catch (e) { /* storage full or unavailable: the server copy is all there is */ }
    }
    function refreshCsrf() {
      return fetch(form.dataset.csrfUrl, { credentials: "same-origin", cache: "no-store" })
        .then(function (r) { return r.json(); })
        .then(function (j) { csrf = j.csrfToken; return j; });
    }
    function save(retried) {
      if (saving) { pending = true; return; }
      saving = true;
      say("Sparar …");
      var payload = collect();
      fetch(form.dataset.autosaveUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
        body: JSON.stringify(payload),
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          return { status: response.status, body: body };
        });
      }).then(function (r) {
        saving = false;
        if (r.status === 200) {
          versionInput.value = r.body.version;
          var now = collect();
          now.version = payload.version;
          if (JSON.stringify(now) === JSON.stringify(payload)) localStorage.removeItem(key);
          else keep();
          say("Sparat " + r.body.saved_at);
          if (deliberation) deliberation.saved(r.body);
        } else if (r.status === 401) {
          say("Du är utloggad – texten finns kvar i webbläsaren. Logga in i en ny flik, så sparas den sedan.", "error");
          window.addEventListener("focus", function retry() { window.removeEventListener("focus", retry); refreshCsrf().then(function () { save(true); }); });
        } else if (r.status === 403 && !retried) {
          refreshCsrf().then(function () { save(true); });
        } else if (r.status === 409 && r.body.current) {
          showConflict(payload, r.body.current);
          say("Inte sparat – se jämförelsen ovan.", "error");
        } else if (r.status === 400 && deliberation) {
          // the § is saved as a whole (one version check): a refused row holds back the
          // text and the decision too, until it is corrected
          say("Inte sparat: " + ((r.body && r.body.error) || "det som skickades gick inte att läsa.") +
            " Rätta det ovan – inget i paragrafen sparas förrän dess, texten finns kvar i webbläsaren.", "error");
        } else {
          say((r.body && r.body.error) || "Inte sparat.", "error");
        }
        if (r.status !== 200 && deliberation) deliberation.failed();
        if (pending) { pending = false; schedule(); }
      }).catch(function () {
        saving = false;
        if (deliberation) deliberation.failed();
        say("Inte sparat – ingen anslutning. Texten finns kvar i webbläsaren och sparas när anslutningen är tillbaka.", "error");
      });
    }
    function schedule() {
      keep();
      var waiting = deliberation && deliberation.incomplete();
      say(waiting
        ? "Ändrat – sparas när raden du fyller i är klar; texten finns kvar i webbläsaren."
        : "Ändrat – sparas strax");
      clearTimeout(timer);
      timer = setTimeout(save, waiting ? 10000 : 2000);
    }
    // A nämnd's § parts in the comparison: each filled part under its label, as plain text.
    function partsSummary(data) {
      var out = document.createDocumentFragment();
      form.querySelectorAll("[data-part]").forEach(function (field) {
        var value = data[field.name];
        if (value === undefined || value === "" || value === false) return;
        var label = form.querySelector("label[for='" + field.id + "']");
        var p = document.createElement("p");
        var strong = document.createElement("strong");
        strong.textContent = label ? label.textContent.trim() : field.name;
        p.appendChild(strong);
        if (value !== true) {
          String(value).split("\n").forEach(function (line) {
            p.appendChild(document.createElement("br"));
            p.appendChild(document.createTextNode(line));
          });
        }
        out.appendChild(p);
      });
      return out;
    }
    function showConflict(mine, theirs) {
      var box = document.getElementById("conflict");
      box.classList.remove("d-none");
      box.querySelector("[data-conflict-mine]").innerHTML = "<p><strong></strong></p>" + mine.body;
      box.querySelector("[data-conflict-mine] strong").textContent = mine.title;
      box.querySelector("[data-conflict-theirs]").innerHTML = "<p><strong></strong></p>" + theirs.body;
      box.querySelector("[data-conflict-theirs] strong").textContent = theirs.title;
      box.querySelector("[data-conflict-mine]").appendChild(partsSummary(mine));
      box.querySelector("[data-conflict-theirs]").appendChild(partsSummary(theirs));
      if (deliberation) {
        box.querySelector("[data-conflict-mine]").appendChild(deliberation.summary(mine));
        box.querySelector("[data-conflict-theirs]").appendChild(deliberation.summary(theirs));
      }
      var keepMine = box.querySelector("[data-conflict-keep-mine]");
      var takeTheirs = box.querySelector("[data-conflict-take-theirs]");
      keepMine.classList.remove("d-none");
      takeTheirs.classList.remove("d-none");
      keepMine.onclick = function () { versionInput.value = theirs.version; box.classList.add("d-none"); save(); };
      takeTheirs.onclick = function () {
        apply(theirs); versionInput.value = theirs.version; localStorage.removeItem(key);
        box.classList.add("d-none"); say("Den sparade texten används.");
      };
      box.scrollIntoView({ behavior: "smooth", block: "start" });
    }

    if (deliberation) deliberation.requestSave = function () { clearTimeout(timer); keep(); save(); };
    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
    form.addEventListener("submit", function () { keep(); });
    window.addEventListener("online", function () { if (localStorage.getItem(key)) save(); });
    window.addEventListener("beforeunload", function () { if (localStorage.getItem(key)) keep(); });

    // A copy kept from an earlier visit that the server never confirmed: offer it back.
    var kept = null;
    try { kept = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { kept = null; }
    if (kept && kept.data) {
      var current = collect();
      var differs = Object.keys(current).some(function (f) {
        // the deliberation's parts are lists: compared as JSON
        return f !== "version" && f !== "sections" && f in kept.data &&
          JSON.stringify(kept.data[f]) !== JSON.stringify(current[f]);
      }) ||
        JSON.stringify(kept.data.sections) !== JSON.stringify(current.sections) || kept.data.is_public !== current.is_public;
      if (differs) {
        var banner = document.getElementById("restore");
        banner.classList.remove("d-none");
        banner.querySelector("[data-restore-time]").textContent = new Date(kept.at).toLocaleString("sv-SE");
        banner.querySelector("[data-restore-accept]").addEventListener("click", function () {
          apply(kept.data);
          versionInput.value = kept.data.version;
          banner.classList.add("d-none");
          refreshCsrf().then(function () { save(); });
        });
        banner.querySelector("[data-restore-discard]").addEventListener("click", function () {
          localStorage.removeItem(key);
          banner.classList.add("d-none");
        });
      } else {
        localStorage.removeItem(key);
      }
    }
    refreshCsrf().catch(function () {});
  }

  // --- Reordering items by dragging (the Up/Down buttons do the same without a mouse) -------
  var list = document.getElementById("item-list");
  if (list && list.dataset.orderUrl && window.fetch) {
    var dragged = null;
    list.querySelectorAll("li[data-item-id]").forEach(function (li) {
      li.draggable = true;
      li.classList.add("draggable-item");
      li.addEventListener("dragstart", function (e) { dragged = li; e.dataTransfer.effectAllowed = "move"; });
      li.addEventListener("dragover", function (e) {
        e.preventDefault();
        if (!dragged || dragged === li) return;
        var rect = li.getBoundingClientRect();
        list.insertBefore(dragged, e.clientY < rect.top + rect.height / 2 ? li : li.nextSibling);
      });
      li.addEventListener("drop", function (e) { e.preventDefault(); });
      li.addEventListener("dragend", function () {
        dragged = null;
        var order = Array.prototype.map.call(list.querySelectorAll("li[data-item-id]"), function (x) { return parseInt(x.dataset.itemId, 10); });
        var token = (document.cookie.match(/(?:^|; )csrftoken=([^;]+)/) || [])[1] || "";
        fetch(list.dataset.orderUrl, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": decodeURIComponent(token) },
          body: JSON.stringify({ order: order }),
        }).then(function () { window.location.reload(); });
      });
    });
  }
})();

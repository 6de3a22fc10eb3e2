/* Protokollet: a nämnd's deliberation at a § (jäv, yrkanden, proposition, votering,
 * reservationer) on the § page. The page's formsets work without this script; with it, rows
 * are added with buttons, only those serving at the § (after the jäv) are offered, a vote is
 * counted as it is recorded, "bifall till" an earlier motion is one click, and drafting.js
 * sends the rows with the item's autosave as JSON (minutes.services.deliberation.as_json's
 * shape) through collect() and puts them back (a restored copy, the stored version after a
 * conflict) through apply(). */
(function () {
  "use strict";

  var rollEl = document.getElementById("deliberation-roll");
  var form = document.getElementById("item-form");
  if (!rollEl || !form) return;
  var roll;
  try { roll = JSON.parse(rollEl.textContent); } catch (e) { return; }

  var KINDS = {
    bifall: "bifall", avslag: "avslag", andring: "ändring", tillagg: "tillägg",
    aterremiss: "återremiss", bordlaggning: "bordläggning",
  };
  var CHOICES = [["ja", "Ja"], ["nej", "Nej"], ["avstar", "Avstår"], ["", "Ingen röst"]];

  function section(prefix) { return form.querySelector('[data-formset="' + prefix + '"]'); }
  function rows(prefix) {
    return Array.prototype.slice.call(section(prefix).querySelectorAll("[data-rows] > .delib-row"));
  }
  function field(row, name) { return row.querySelector('[name$="-' + name + '"]'); }
  function value(row, name) { var f = field(row, name); return f ? f.value : ""; }
  function live(row) { var d = row.querySelector("[data-delete]"); return !(d && d.checked); }
  function intOrNull(v) { return v === "" || v === null || v === undefined ? null : parseInt(v, 10); }
  function nameOf(id) { var p = roll.people[String(id)]; return p ? p.name : "?"; }
  function changed() { form.dispatchEvent(new Event("change", { bubbles: true })); }

  // --- Who serves at the § now: the attendance, less the jäv, with those who step in -------
  function javPairs() {
    return rows("jav").filter(live).map(function (row) {
      return { person: intOrNull(value(row, "person")), substitute: intOrNull(value(row, "substitute")) };
    }).filter(function (j) { return j.person !== null; });
  }
  function serving() {
    var jav = javPairs();
    var out = [];
    roll.attending.forEach(function (id) {
      var j = jav.filter(function (x) { return x.person === id; })[0];
      if (!j) out.push(id);
      else if (j.substitute !== null && out.indexOf(j.substitute) < 0) out.push(j.substitute);
    });
    return out;
  }

  // --- Rows: added from the formset's empty form, the management form kept in step ----------
  function addRow(prefix) {
    var box = section(prefix);
    var total = box.querySelector('[name="' + prefix + '-TOTAL_FORMS"]');
    var index = parseInt(total.value, 10) || 0;
    var holder = document.createElement(prefix === "yrkanden" ? "ol" : "div");
    holder.innerHTML = box.querySelector("template[data-template]").innerHTML.replace(/__prefix__/g, index);
    var row = holder.querySelector(".delib-row");
    box.querySelector("[data-rows]").appendChild(row);
    total.value = index + 1;
    enhanceRow(prefix, row);
    return row;
  }
  function clearRows(prefix) {
    rows(prefix).forEach(function (row) { row.parentNode.removeChild(row); });
    var box = section(prefix);
    box.querySelector('[name="' + prefix + '-TOTAL_FORMS"]').value = 0;
    box.querySelector('[name="' + prefix + '-INITIAL_FORMS"]').value = 0;
  }
  function isBlank(prefix, row) {
    if (prefix === "voteringar") {
      return !value(row, "yes_means").trim() && !value(row, "no_means").trim() &&
        !row.querySelector("input[type=radio]:checked:not([value=''])");
    }
    return !value(row, "person") && !(field(row, "text") && field(row, "text").value.trim()) &&
      !(field(row, "against") && field(row, "against").value.trim());
  }
  // The plain form's empty row at the end of each list gives way to the "Lägg till" buttons.
  function dropTrailingBlank(prefix) {
    var all = rows(prefix);
    var total = section(prefix).querySelector('[name="' + prefix + '-TOTAL_FORMS"]');
    for (var i = all.length - 1; i >= 0 && isBlank(prefix, all[i]); i--) {
      all[i].parentNode.removeChild(all[i]);
      total.value = i;
    }
  }

  // --- Choosing people: only those serving; someone already named stays, marked ----------------
  function fillPeople(select, ids, empty) {
    var current = select.value;
    while (select.options.length) select.remove(0);
    select.add(new Option(empty, ""));
    ids.forEach(function (id) { select.add(new Option(nameOf(id), String(id))); });
    if (current && ids.indexOf(parseInt(current, 10)) < 0) {
      select.add(new Option(nameOf(current) + " – tjänstgör inte vid paragrafen", current));
    }
    select.value = current;
  }

  function motionLabel(row, number) {
    var who = value(row, "person"), kind = value(row, "kind");
    var text = "Yrkande " + number;
    if (who) text += ": " + nameOf(who);
    if (kind) text += ", " + KINDS[kind];
    return text;
  }
  function refreshSupports() {
    var all = rows("yrkanden");
    all.forEach(function (row, i) {
      var select = field(row, "supports");
      var current = select.value;
      while (select.options.length) select.remove(0);
      select.add(new Option("–", ""));
      all.forEach(function (other, j) {
        if (other === row || !live(other) || value(other, "supports")) return;
        select.add(new Option(motionLabel(other, j + 1), String(j + 1)));
      });
      select.value = current;
      if (select.value !== current) {  // the supported motion was deleted: keep it, marked
        select.add(new Option("Yrkande " + current + " (borttaget)", current));
        select.value = current;
      }
      var button = row.querySelector("[data-support]");
      if (button) {
        var own = !value(row, "supports");
        button.hidden = !own || !live(row);
        button.setAttribute("aria-label", "Yrka bifall till " + motionLabel(row, i + 1).charAt(0).toLowerCase() + motionLabel(row, i + 1).slice(1));
      }
    });
  }

  function ballotRow(prefix, id) {
    var row = document.createElement("div");
    row.className = "ballot-row d-flex flex-wrap align-items-center gap-2 py-1 border-top";
    row.setAttribute("role", "radiogroup");
    row.dataset.person = String(id);
    var base = "id_" + prefix + "-ballot_" + id;
    row.setAttribute("aria-labelledby", base + "-namn");
    var name = document.createElement("span");
    name.className = "ballot-name";
    name.id = base + "-namn";
    name.textContent = nameOf(id);
    row.appendChild(name);
    var group = document.createElement("span");
    group.className = "ms-auto d-flex gap-3";
    CHOICES.forEach(function (choice, n) {
      var wrap = document.createElement("span");
      wrap.className = "form-check form-check-inline mb-0 me-0";
      var input = document.createElement("input");
      input.className = "form-check-input";
      input.type = "radio";
      input.name = prefix + "-ballot_" + id;
      input.id = base + "_" + n;
      input.value = choice[0];
      input.checked = choice[0] === "";  // as the plain form shows a member who has not voted
      var label = document.createElement("label");
      label.className = "form-check-label";
      label.htmlFor = input.id;
      label.textContent = choice[1];
      wrap.appendChild(input);
      wrap.appendChild(label);
      group.appendChild(wrap);
    });
    row.appendChild(group);
    return row;
  }
  function choiceOf(row) {
    var checked = row.querySelector("input[type=radio]:checked");
    return checked ? checked.value : "";
  }

  function refreshBallots(vote, ids) {
    var box = vote.querySelector("[data-ballots]");
    var shown = Array.prototype.map.call(box.querySelectorAll(".ballot-row"), function (row) { return row.dataset.person; });
    if (shown.join() === ids.join()) return;  // as it is: nothing moves, the focus stays
    var prefix = box.dataset.prefix;
    var existing = {};
    Array.prototype.forEach.call(box.querySelectorAll(".ballot-row"), function (row) {
      existing[row.dataset.person] = row;
      row.parentNode.removeChild(row);
    });
    ids.forEach(function (id) {
      var row = existing[String(id)] || ballotRow(prefix, id);
      delete existing[String(id)];
      row.classList.remove("text-danger");
      row.querySelector(".ballot-name").textContent = nameOf(id);
      box.appendChild(row);
    });
    Object.keys(existing).forEach(function (id) {  // voted, but no longer serving: shown to be cleared
      var row = existing[id];
      if (!choiceOf(row)) return;
      row.classList.add("text-danger");
      row.querySelector(".ballot-name").textContent = nameOf(id) + " – tjänstgör inte vid paragrafen";
      box.appendChild(row);
    });
  }

  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }
  // The live count only; the result ("Med 5 ja-röster mot 4 nej-röster …") is the service's
  // (deliberation.result_line, with the casting vote of whoever presides at the §), shown
  // from the page and replaced after each save (saved() below).
  function countText(vote, servingCount) {
    var c = { ja: 0, nej: 0, avstar: 0 };
    Array.prototype.forEach.call(vote.querySelectorAll(".ballot-row"), function (row) {
      var choice = choiceOf(row);
      if (choice in c) c[choice] += 1;
    });
    var total = c.ja + c.nej + c.avstar;
    var text = c.ja + " ja, " + c.nej + " nej, " + c.avstar + " avstår – " + total + " av " +
      servingCount + " har röstat.";
    if (total && total < servingCount) text += " Det saknas " + plural(servingCount - total, "röst", "röster") + ".";
    return text;
  }
  function refreshCounts(ids) {
    rows("voteringar").forEach(function (vote) {
      var out = vote.querySelector("[data-vote-count]");
      var text = countText(vote, ids.length);
      if (out.textContent === text) return;
      out.textContent = text;
      // the result stands as last saved, greyed, until the save after this change words it
      var result = vote.querySelector("[data-vote-result]");
      if (result) result.classList.add("text-body-secondary");
    });
  }

  function refresh() {
    var ids = serving();
    var names = form.querySelector("[data-serving-names]");
    names.textContent = ids.map(nameOf).join(", ");
    form.querySelector("[data-serving-count]").textContent = ids.length;
    rows("jav").forEach(function (row) {
      fillPeople(field(row, "person"), roll.attending, "–");
      fillPeople(field(row, "substitute"), roll.stepIn, "Ingen");
    });
    form.querySelectorAll("select[data-person]").forEach(function (select) {
      if (select.closest("template")) return;
      fillPeople(select, ids, "–");
    });
    refreshSupports();
    rows("voteringar").forEach(function (vote) { refreshBallots(vote, ids); });
    refreshCounts(ids);
    form.querySelectorAll(".delib-row").forEach(function (row) {
      row.classList.toggle("opacity-50", !live(row));
    });
    rows("yrkanden").forEach(function (row, i) { row.querySelector("[data-number]").textContent = "Yrkande " + (i + 1); });
    rows("voteringar").forEach(function (row, i) { row.querySelector("[data-number]").textContent = "Votering " + (i + 1); });
  }

  // --- "X yrkar bifall till Y:s yrkande" in one click ------------------------------------------
  function enhanceRow(prefix, row) {
    if (prefix !== "yrkanden") return;
    var actions = row.querySelector("[data-motion-actions]");
    if (!actions || actions.querySelector("[data-support]")) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-sm btn-outline-success";
    button.dataset.support = "1";
    button.textContent = "Bifall";
    button.addEventListener("click", function () {
      var number = rows("yrkanden").indexOf(row) + 1;
      var added = addRow("yrkanden");
      field(added, "kind").value = "bifall";
      refresh();
      field(added, "supports").value = String(number);
      refresh();
      field(added, "person").focus();
      changed();
    });
    actions.insertBefore(button, actions.firstChild);
  }

  // A vote is prefilled from the motions, as the server words it (the proposal against the
  // last counter-motion, "Per Holms (M) avslagsyrkande"): at once from the last save, and
  // again after the next save if the motions changed since, unless the secretary has typed
  // over it.
  var voteSides = roll.vote || { yes_means: "förslaget", no_means: "" };
  var prefilled = [];
  function fillSides(vote) {
    field(vote, "yes_means").value = voteSides.yes_means;
    field(vote, "no_means").value = voteSides.no_means;
    prefilled.push({ row: vote, yes: voteSides.yes_means, no: voteSides.no_means });
  }
  function refillSides() {
    prefilled.forEach(function (p) {
      if (!p.row.isConnected || value(p.row, "yes_means") !== p.yes || value(p.row, "no_means") !== p.no) return;
      if (p.yes === voteSides.yes_means && p.no === voteSides.no_means) return;
      field(p.row, "yes_means").value = voteSides.yes_means;
      field(p.row, "no_means").value = voteSides.no_means;
      changed();
    });
    prefilled = [];
  }
  function prefillVote(vote) { fillSides(vote); }

  form.querySelectorAll("[data-formset]").forEach(function (box) {
    var prefix = box.dataset.formset;
    dropTrailingBlank(prefix);
    rows(prefix).forEach(function (row) { enhanceRow(prefix, row); });
    var add = box.querySelector("[data-add]");
    add.hidden = false;
    add.addEventListener("click", function () {
      var row = addRow(prefix);
      if (prefix === "voteringar") prefillVote(row);
      refresh();
      var first = row.querySelector("select, input:not([type=hidden]), textarea");
      if (first) first.focus();
      changed();
    });
  });
  form.addEventListener("change", function (e) {
    if (!e.target.closest || !e.target.closest(".deliberation")) return;
    // a vote only changes the count; rebuilding the rows would take the focus off the radio
    if (e.target.closest("[data-row=vote]")) refreshCounts(serving()); else refresh();
  });
  // At the roll call: J, N or A records the member's vote and moves on to the next member.
  var KEYS = { j: "ja", n: "nej", a: "avstar" };
  form.addEventListener("keydown", function (e) {
    var radio = e.target;
    if (radio.type !== "radio" || !radio.closest(".ballot-row") || e.ctrlKey || e.metaKey || e.altKey) return;
    var choice = KEYS[e.key.toLowerCase()];
    if (!choice) return;
    e.preventDefault();
    var row = radio.closest(".ballot-row");
    var target = row.querySelector('input[value="' + choice + '"]');
    target.checked = true;
    target.dispatchEvent(new Event("change", { bubbles: true }));
    var next = row.nextElementSibling;
    var focus = next ? (next.querySelector("input:checked") || next.querySelector("input")) : target;
    focus.focus();
  });
  form.addEventListener("input", function (e) {
    if (e.target.closest && e.target.closest("[data-row=vote]")) refreshCounts(serving());
  });

  // --- The proposition proposed from the motions: the server words it, after a save ---------
  var proposition = form.querySelector("[name=proposition]");
  var wanted = false;
  var suggestion = roll.suggestion || "";
  form.querySelector("[data-suggest]").addEventListener("click", function (e) {
    e.preventDefault();
    wanted = true;
    if (api.requestSave) api.requestSave(); else fill();
  });
  function fill() {
    wanted = false;
    if (!suggestion) return;
    var current = proposition.value.trim();
    if (current && current !== suggestion.trim() &&
        !window.confirm("Ersätta den nuvarande propositionen med förslaget från yrkandena?")) return;
    proposition.value = suggestion;
    proposition.focus();
    proposition.dispatchEvent(new Event("input", { bubbles: true }));
  }

  // Each saved vote's result as the server words it; the votes sent are the live rows that
  // are not blank, in order (collect() below).
  function showResults(results) {
    var sent = rows("voteringar").filter(function (row) { return live(row) && !isBlank("voteringar", row); });
    rows("voteringar").forEach(function (row) {
      var i = sent.indexOf(row);
      var out = row.querySelector("[data-vote-result]");
      var text = i >= 0 && results[i] ? results[i].result : "";
      if (out && out.textContent !== text) out.textContent = text;
      if (!out) return;
      out.classList.remove("text-body-secondary");
      out.classList.toggle("text-danger", i >= 0 && !!results[i] && !!results[i].result && !results[i].decided);
    });
  }

  // --- For drafting.js ---------------------------------------------------------------------
  function collect() {
    var motionRows = rows("yrkanden");
    var kept = motionRows.filter(function (row) { return live(row) && value(row, "person"); });
    return {
      disqualifications: javPairs(),
      motions: kept.map(function (row) {
        var supports = intOrNull(value(row, "supports"));
        if (supports !== null) {
          var target = kept.indexOf(motionRows[supports - 1]);
          supports = target < 0 ? 0 : target + 1;  // 0: gone, refused by the service
        }
        return {
          person: parseInt(value(row, "person"), 10), kind: value(row, "kind"),
          text: value(row, "text"), supports: supports,
        };
      }),
      proposition: proposition.value,
      votes: rows("voteringar").filter(function (row) {
        return live(row) && !isBlank("voteringar", row);
      }).map(function (row) {
        var ballots = {};
        Array.prototype.forEach.call(row.querySelectorAll(".ballot-row"), function (b) {
          var choice = choiceOf(b);
          if (choice) ballots[b.dataset.person] = choice;
        });
        return { yes_means: value(row, "yes_means"), no_means: value(row, "no_means"), ballots: ballots };
      }),
      reservations: rows("reservationer").filter(function (row) {
        return live(row) && value(row, "person");
      }).map(function (row) {
        return {
          person: parseInt(value(row, "person"), 10), against: value(row, "against"),
          for_own_motion: field(row, "for_own_motion").checked, document: intOrNull(value(row, "document")),
        };
      }),
    };
  }

  function apply(data) {
    if (!data || !("motions" in data)) return;
    clearRows("jav");
    (data.disqualifications || []).forEach(function (j) {
      var row = addRow("jav");
      refresh();
      field(row, "person").value = j.person === null ? "" : String(j.person);
      field(row, "substitute").value = j.substitute === null || j.substitute === undefined ? "" : String(j.substitute);
    });
    refresh();
    clearRows("yrkanden");
    (data.motions || []).forEach(function (m) {
      var row = addRow("yrkanden");
      refresh();
      field(row, "person").value = String(m.person);
      field(row, "kind").value = m.kind;
      field(row, "text").value = m.text || "";
    });
    refresh();
    rows("yrkanden").forEach(function (row, i) {
      var s = data.motions[i].supports;
      field(row, "supports").value = s ? String(s) : "";
    });
    proposition.value = data.proposition || "";
    clearRows("voteringar");
    (data.votes || []).forEach(function (v) {
      var row = addRow("voteringar");
      field(row, "yes_means").value = v.yes_means;
      field(row, "no_means").value = v.no_means;
      refresh();
      Object.keys(v.ballots || {}).forEach(function (id) {
        var box = row.querySelector("[data-ballots]");
        var ballot = box.querySelector('.ballot-row[data-person="' + id + '"]');
        if (!ballot) { ballot = ballotRow(box.dataset.prefix, id); box.appendChild(ballot); }
        var radio = ballot.querySelector('input[value="' + v.ballots[id] + '"]');
        if (radio) radio.checked = true;
      });
    });
    clearRows("reservationer");
    (data.reservations || []).forEach(function (r) {
      var row = addRow("reservationer");
      refresh();
      field(row, "person").value = String(r.person);
      field(row, "against").value = r.against || "";
      field(row, "for_own_motion").checked = !!r.for_own_motion;
      field(row, "document").value = r.document === null || r.document === undefined ? "" : String(r.document);
    });
    refresh();
  }

  // The deliberation in the comparison after a conflict, as plain lines.
  function summary(data) {
    var out = document.createDocumentFragment();
    if (!data || !("motions" in data)) return out;
    function part(title, lines) {
      if (!lines.length) return;
      var p = document.createElement("p");
      var strong = document.createElement("strong");
      strong.textContent = title;
      p.appendChild(strong);
      lines.forEach(function (line) {
        p.appendChild(document.createElement("br"));
        p.appendChild(document.createTextNode(line));
      });
      out.appendChild(p);
    }
    part("Jäv", (data.disqualifications || []).map(function (j) {
      return nameOf(j.person) + (j.substitute ? ", i stället: " + nameOf(j.substitute) : "");
    }));
    part("Yrkanden", (data.motions || []).map(function (m, i) {
      return (i + 1) + ". " + nameOf(m.person) + ": " + (KINDS[m.kind] || m.kind) +
        (m.supports ? " till yrkande " + m.supports : "") + (m.text ? " – " + m.text : "");
    }));
    part("Proposition", data.proposition ? [data.proposition] : []);
    part("Votering", (data.votes || []).map(function (v) {
      var c = { ja: 0, nej: 0, avstar: 0 };
      Object.keys(v.ballots || {}).forEach(function (id) { c[v.ballots[id]] += 1; });
      return "Ja: " + v.yes_means + ", nej: " + v.no_means + " – " + c.ja + " ja, " + c.nej + " nej, " + c.avstar + " avstår";
    }));
    part("Reservationer", (data.reservations || []).map(function (r) {
      return nameOf(r.person) + " mot " + (r.against || "beslutet") + (r.for_own_motion ? ", till förmån för eget yrkande" : "");
    }));
    return out;
  }

  // A row being filled in (a person without what they move, a vote without what ja or nej
  // stands for): the autosave waits longer, so the service's refusal does not come mid-entry.
  function incomplete() {
    return rows("yrkanden").some(function (row) {
      var kind = value(row, "kind");
      return live(row) && value(row, "person") &&
        (!kind || ((kind === "andring" || kind === "tillagg") && !value(row, "text").trim()));
    }) || rows("voteringar").some(function (row) {
      return live(row) && !isBlank("voteringar", row) &&
        (!value(row, "yes_means").trim() || !value(row, "no_means").trim());
    });
  }

  var api = {
    incomplete: incomplete,
    collect: collect,
    apply: apply,
    summary: summary,
    requestSave: null,
    saved: function (body) {
      if (body && typeof body.suggested_proposition === "string") suggestion = body.suggested_proposition;
      if (body && body.suggested_vote) { voteSides = body.suggested_vote; refillSides(); }
      if (body && body.votes) showResults(body.votes);
      if (wanted) fill();
    },
    failed: function () { wanted = false; },
  };
  form.querySelectorAll("[data-keys-hint]").forEach(function (hint) { hint.hidden = false; });
  window.ProtokolletDeliberation = api;
  refresh();
})();

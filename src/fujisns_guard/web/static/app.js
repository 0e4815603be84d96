// guard serve — the page. No library, no external request: only this server's /api/.
// The textarea's text is the source of truth; the report's offsets are code points into the text
// that was checked, converted here to JavaScript's UTF-16 indices.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const draft = $("draft");
  const backdrop = $("backdrop");
  const statusEl = $("status");
  const DEBOUNCE_MS = 300;
  const ROUTES = {
    revise: "修正が必要",
    section_chief: "所属長の承認が必要",
    autonomous: "自律投稿可 — 複数職員で確認・所属長へ報告",
  };
  const SEVERITY = { error: "エラー（修正が必要）", warning: "警告（所属長の確認）", info: "参考" };
  const BASIS = { published: "公表済みの内容", established_fact: "確定した事実", legal_procedure: "法令・手続き", faq: "よくある質問" };
  const UNITS = { weighted: "（X の数え方）", graphemes: "文字", characters: "文字", utf8_bytes: "バイト" };

  let token = null;
  let info = null;
  const ruleKinds = {};
  let timer = null;
  let seq = 0;
  let controller = null;
  let checked = null; // {text, report, map}

  // ---- token from the address (#token=…), kept for this tab only, removed from the address bar
  (function readToken() {
    const m = /(?:^|[#&])token=([^&]+)/.exec(location.hash);
    if (m) {
      token = decodeURIComponent(m[1]);
      try { sessionStorage.setItem("guard-token", token); } catch (e) { /* private mode */ }
      history.replaceState(null, "", location.pathname);
    } else {
      try { token = sessionStorage.getItem("guard-token"); } catch (e) { token = null; }
    }
  })();

  function headers(json) {
    const h = {};
    if (json) h["Content-Type"] = "application/json";
    if (token) h["Authorization"] = "Bearer " + token;
    return h;
  }

  async function getJSON(path) {
    const r = await fetch(path, { headers: headers(false), credentials: "same-origin" });
    if (!r.ok) throw new Error((await r.json()).error || r.statusText);
    return r.json();
  }

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") e.className = v;
      else if (k === "text") e.textContent = v;
      else e.setAttribute(k, v);
    }
    for (const c of children) if (c != null) e.append(c);
    return e;
  }

  // code-point offset → UTF-16 index, for every offset 0..n
  function cpMap(text) {
    const map = [0];
    let u = 0;
    for (const ch of text) { u += ch.length; map.push(u); }
    return map;
  }

  function today() {
    const d = new Date();
    const p = (n) => String(n).padStart(2, "0");
    return d.getFullYear() + "-" + p(d.getMonth() + 1) + "-" + p(d.getDate());
  }

  function selectedPlatforms() {
    return Array.from(document.querySelectorAll("#platforms input:checked")).map((i) => i.value);
  }

  function setPlatformsFromPolicy() {
    if (!info) return;
    const name = $("policy").value;
    const pol = info.policies.find((p) => p.name === name) || info.policies[0];
    for (const box of document.querySelectorAll("#platforms input")) box.checked = pol.services.includes(box.value);
  }

  async function init() {
    $("date").value = today();
    try {
      info = await getJSON("/api/info");
      const rules = await getJSON("/api/rules");
      for (const r of rules.rules) ruleKinds[r.id] = r.kind;
    } catch (e) {
      showProblem("サーバーに接続できません: " + e.message);
      return;
    }
    const box = $("platforms");
    for (const p of info.platforms) {
      const id = "pf-" + p.id;
      box.append(el("label", { for: id }, el("input", { type: "checkbox", id: id, value: p.id }), " " + p.name));
    }
    if (info.policies.length > 1) {
      $("policy-field").hidden = false;
      for (const p of info.policies) $("policy").append(el("option", { value: p.name, text: p.name }));
    }
    setPlatformsFromPolicy();
    $("version").textContent = "fujisns_guard " + info.version + "・規則セット " + info.ruleset_version;
    for (const id of ["kind", "date", "platforms"]) $(id).addEventListener("change", () => schedule(0));
    $("policy").addEventListener("change", () => { setPlatformsFromPolicy(); schedule(0); });
    draft.addEventListener("input", () => { grow(); schedule(DEBOUNCE_MS); });
    window.addEventListener("resize", grow);
    $("copy").addEventListener("click", copyFinal);
    grow();
    if (draft.value) schedule(0);
  }

  function grow() {
    draft.style.height = "auto";
    draft.style.height = Math.max(draft.scrollHeight + 4, 0) + "px";
    paint(draft.value, liveSpans(draft.value));
  }

  function schedule(ms) {
    clearTimeout(timer);
    timer = setTimeout(runCheck, ms);
  }

  function showProblem(msg) {
    statusEl.textContent = msg;
    statusEl.classList.add("problem");
  }

  async function runCheck() {
    const text = draft.value;
    const mine = ++seq;
    if (controller) controller.abort();
    if (!text.trim()) {
      checked = null;
      render(null, text);
      statusEl.textContent = "";
      return;
    }
    controller = new AbortController();
    const body = { text: text, kind: $("kind").value, platforms: selectedPlatforms() };
    if ($("date").value) body.date = $("date").value;
    if (!$("policy-field").hidden) body.policy = $("policy").value;
    let r;
    try {
      r = await fetch("/api/check", {
        method: "POST", headers: headers(true), body: JSON.stringify(body),
        signal: controller.signal, credentials: "same-origin",
      });
    } catch (e) {
      if (e.name !== "AbortError" && mine === seq) showProblem("サーバーに接続できません。guard serve が動いているか確かめてください。");
      return;
    }
    if (mine !== seq) return; // a newer check is on its way
    let data;
    try { data = await r.json(); } catch (e) { data = { error: r.statusText }; }
    if (mine !== seq) return;
    if (!r.ok) { showProblem("確認できません: " + (data.error || r.status)); return; }
    statusEl.classList.remove("problem");
    checked = { text: text, report: data, map: cpMap(text) };
    render(checked, text);
    const active = data.findings.filter((f) => !f.suppressed);
    statusEl.textContent = "確認しました。指摘 " + active.length + " 件。判定: " + ROUTES[data.decision.route] + "。";
  }

  // ---- the highlight overlay
  function spans(c) {
    const out = [];
    c.report.findings.forEach((f, i) => {
      if (f.suppressed || f.end <= f.start) return;
      out.push({ s: c.map[Math.min(f.start, c.map.length - 1)], e: c.map[Math.min(f.end, c.map.length - 1)], f: f, i: i });
    });
    return out;
  }

  // While the user types, the last report's highlights stay on the text that did not change
  // (before the edit: as they were; after it: shifted); those touching the edit wait for the check.
  function liveSpans(text) {
    if (!checked) return [];
    const old = checked.text;
    const list = spans(checked);
    if (old === text) return list;
    const n = Math.min(old.length, text.length);
    let p = 0;
    while (p < n && old.charCodeAt(p) === text.charCodeAt(p)) p++;
    let q = 0;
    while (q < n - p && old.charCodeAt(old.length - 1 - q) === text.charCodeAt(text.length - 1 - q)) q++;
    const oldEnd = old.length - q;
    const delta = text.length - old.length;
    return list
      .filter((x) => x.e <= p || x.s >= oldEnd)
      .map((x) => (x.s >= oldEnd ? { s: x.s + delta, e: x.e + delta, f: x.f, i: x.i } : x));
  }

  function paint(text, list, current) {
    const cuts = new Set([0, text.length]);
    for (const x of list) { cuts.add(x.s); cuts.add(x.e); }
    const points = Array.from(cuts).sort((a, b) => a - b);
    const rank = { info: 0, warning: 1, error: 2 };
    const parts = [];
    for (let k = 0; k + 1 < points.length; k++) {
      const a = points[k], b = points[k + 1];
      const piece = text.slice(a, b);
      const over = list.filter((x) => x.s <= a && x.e >= b);
      if (!over.length) { parts.push(document.createTextNode(piece)); continue; }
      const worst = over.reduce((m, x) => (rank[x.f.severity] > rank[m.f.severity] ? x : m));
      const mark = el("mark", { class: "sev-" + worst.f.severity, "data-findings": over.map((x) => x.i).join(" "), "data-rules": over.map((x) => x.f.rule_id).join(" ") }, piece);
      if (current != null && over.some((x) => x.i === current)) mark.classList.add("current");
      parts.push(mark);
    }
    parts.push(document.createTextNode("\u200b"));
    backdrop.replaceChildren(...parts);
  }

  // ---- results
  function render(c, text) {
    const route = $("route");
    const findings = $("findings");
    const detail = $("route-detail");
    detail.replaceChildren();
    findings.replaceChildren();
    $("count").textContent = "";
    if (!c) {
      route.className = "route route-none";
      $("route-label").textContent = "下書きを入力してください";
      $("lengths").replaceChildren(el("li", { class: "muted", text: "投稿先を選ぶと、投稿先ごとの文字数と上限を表示します。" }));
      paint(text, []);
      return;
    }
    const rep = c.report;
    const d = rep.decision;
    route.className = "route route-" + d.route;
    $("route-label").textContent = ROUTES[d.route] || d.route;
    if (d.basis && d.basis.length) detail.append(el("p", { text: "根拠: " + d.basis.map((b) => BASIS[b] || b).join("、") }));
    addList(detail, "理由", d.reasons);
    addList(detail, "投稿後にすること", d.obligations);
    if (d.support && d.support.length) {
      detail.append(el("h3", { text: "裏付け（公表済みの情報・FAQ）" }));
      const ul = el("ul");
      for (const s of d.support) {
        const title = s.title || s.id || s.url || "出典";
        const li = el("li");
        if (typeof s.url === "string" && /^https?:\/\//i.test(s.url)) {
          li.append(el("a", { href: s.url, target: "_blank", rel: "noopener noreferrer", text: title }));
        } else {
          li.append(title);
        }
        if (s.line) li.append("（" + s.line + "行）");
        ul.append(li);
      }
      detail.append(ul);
    }
    if (d.clauses && d.clauses.length) detail.append(el("p", { text: "指針: " + d.clauses.join("、") }));
    for (const n of rep.notes || []) detail.append(el("p", { text: n }));

    const lengths = $("lengths");
    lengths.replaceChildren();
    if (!rep.lengths.length) lengths.append(el("li", { class: "muted", text: "投稿先が選ばれていません。" }));
    const names = {};
    for (const [k, v] of Object.entries(info ? info.limits : {})) names[k] = v.name;
    for (const L of rep.lengths) {
      const unit = UNITS[L.unit] || L.unit;
      const li = el("li", { class: L.over ? "over" : "", text: (names[L.platform] || L.platform) + ": " + L.count + " / " + L.limit + " " + unit + (L.over ? "（上限を超えています）" : "") });
      lengths.append(li);
    }

    const active = rep.findings.filter((f) => !f.suppressed).length;
    $("count").textContent = "（" + active + " 件）";
    rep.findings.forEach((f, i) => findings.append(findingItem(c, f, i)));
    if (!rep.findings.length) findings.append(el("li", { class: "muted", text: "指摘はありません。" }));
    paint(c.text, spans(c));
  }

  function addList(parent, title, items) {
    if (!items || !items.length) return;
    parent.append(el("h3", { text: title }));
    const ul = el("ul");
    for (const x of items) ul.append(el("li", { text: x }));
    parent.append(ul);
  }

  function isReplacement(f, s) {
    // Word-list alternatives and corrected dates are text for the span; the rest is advice.
    if (ruleKinds[f.rule_id] === "wordlist" || (f.explanation || "").startsWith("語リスト")) return true;
    if (s.length > 30 || /[。〇△〜…]|（例/.test(s)) return false;
    // "…を削除する", "…に差し替える": an instruction (a verb at the end, a particle before it)
    return !(/[るくすうつむぶぐ]$|ない$/.test(s) && /[をにはでと]/.test(s));
  }

  function findingItem(c, f, i) {
    const li = el("li", { class: "finding sev-" + f.severity + (f.suppressed ? " suppressed" : ""), id: "finding-" + i, "data-rule": f.rule_id });
    const head = el("div", { class: "f-head" },
      el("span", { class: "sev", text: SEVERITY[f.severity] || f.severity }),
      el("span", { class: "pos", text: f.line + "行" + f.column + "列" }),
      el("span", { class: "clause", text: "指針 " + f.clause }),
      el("span", { class: "rule muted", text: f.rule_id }));
    li.append(head);
    li.append(el("p", { class: "msg", text: f.message }));
    if (f.reason) li.append(el("p", { class: "reason" }, el("span", { class: "label", text: "理由: " }), f.reason));
    if (f.suppressed) li.append(el("p", { class: "muted", text: "抑止済み: " + (f.suppression_reason || "") }));
    const sugg = f.suggestions || [];
    if (sugg.length) {
      const box = el("div", { class: "sugg" }, el("span", { class: "label", text: "提案: " }));
      for (const s of sugg) {
        if (isReplacement(f, s)) {
          const b = el("button", { type: "button", class: "apply", text: "「" + s + "」に置き換える" });
          b.addEventListener("click", () => apply(c, f, s));
          box.append(b);
        } else {
          box.append(el("p", { class: "advice", text: "・" + s }));
        }
      }
      li.append(box);
    }
    if (f.end > f.start) {
      const loc = el("button", { type: "button", class: "locate", text: "本文で選択", "aria-label": f.line + "行" + f.column + "列の「" + f.excerpt + "」を本文で選択" });
      loc.addEventListener("click", () => locate(c, f, i));
      li.append(loc);
    }
    return li;
  }

  function locate(c, f, i) {
    if (draft.value !== c.text) return;
    draft.focus();
    draft.setSelectionRange(c.map[f.start], c.map[f.end]);
    paint(c.text, spans(c), i);
  }

  function apply(c, f, s) {
    if (draft.value !== c.text) { schedule(0); return; } // stale: check the current text first
    const a = c.map[f.start], b = c.map[f.end];
    draft.value = c.text.slice(0, a) + s + c.text.slice(b);
    draft.focus();
    draft.setSelectionRange(a + s.length, a + s.length);
    statusEl.textContent = "「" + s + "」に置き換えました。確認し直しています。";
    grow();
    schedule(0);
  }

  // ---- copy the text to post (without the front matter, which is never posted)
  function finalText(text) {
    const lines = text.split("\n");
    if (lines.length && lines[0].replace(/^\ufeff/, "").trim() === "---") {
      for (let k = 1; k < lines.length; k++) {
        if (lines[k].trim() === "---") return lines.slice(k + 1).join("\n");
      }
    }
    return text;
  }

  async function copyFinal() {
    const text = finalText(draft.value);
    const done = (ok) => { $("copy-status").textContent = ok ? "コピーしました（" + Array.from(text).length + " 文字）" : "コピーできませんでした。本文を選択してコピーしてください。"; };
    try {
      await navigator.clipboard.writeText(text);
      done(true);
    } catch (e) {
      const tmp = el("textarea", { "aria-hidden": "true" });
      tmp.value = text;
      document.body.append(tmp);
      tmp.select();
      let ok = false;
      try { ok = document.execCommand("copy"); } catch (e2) { ok = false; }
      tmp.remove();
      done(ok);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();

// spelltune editor: the model suggests, the person decides. No network beyond this server.
(() => {
  "use strict";

  const $ = (id) => document.getElementById(id);
  const textarea = $("text");
  const backdrop = $("backdrop");
  const list = $("suggestions");
  const card = $("card");
  const statusLine = $("status");
  const countBadge = $("count");
  const autoCheck = $("auto-check");
  const dictionaryList = $("dictionary");
  const learnedList = $("learned");
  const learnedTitle = $("learned-title");

  const CHECK_PAUSE_MS = 900;
  const KIND_LABELS = {
    "spelling": "spelling",
    "real-word": "wrong word",
    "apostrophe": "apostrophe",
    "split-merge": "spacing",
    "case": "capital letter",
    "hint": "weak hint",
  };

  let suggestions = []; // {id, offset, length, original, replacement, kind, confidence, reason?}
  let selectedId = null;
  let lastText = ""; // the textarea value the offsets refer to
  let checkTimer = null;
  let checkSequence = 0;
  let dictionaryWords = [];
  let learnedItems = []; // what the server learned from this writer's decisions (GET /v1/learned)
  const undoStack = [];
  const dismissed = new Set(); // rejected in this session: not shown again

  // ---- helpers ------------------------------------------------------------------------------
  const keyOf = (s) => `${s.original}\u0000${s.replacement}`;
  const wordOf = (text) => text.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, "");
  const isOneWord = (text) => /^\p{L}+(?:['’-]\p{L}+)*$/u.test(wordOf(text));
  const escapeHtml = (text) => text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
  const byId = (id) => suggestions.find((s) => s.id === id);
  const overlaps = (a, b) => a.offset < b.offset + b.length && b.offset < a.offset + a.length;

  function inDictionary(original) {
    const words = original.match(/\p{L}+(?:['’-]\p{L}+)*/gu) || [];
    const known = new Set(dictionaryWords.map((w) => w.toLocaleLowerCase()));
    return words.some((w) => known.has(w.toLocaleLowerCase()));
  }

  function setStatus(message, isError = false) {
    statusLine.textContent = message;
    statusLine.classList.toggle("error", isError);
  }

  // ---- signing in (only where the server has accounts) ----------------------------------------
  const TOKEN_KEY = "spelltune.token";
  let token = localStorage.getItem(TOKEN_KEY) || sessionStorage.getItem(TOKEN_KEY);

  // Signed out, the editor would look usable but every check would fail: only the sign-in shows.
  function setSignedOut(signedOut) {
    document.body.classList.toggle("signed-out", signedOut);
  }

  function showSignIn(message = "") {
    $("sign-in").hidden = false;
    $("account").hidden = true;
    setSignedOut(true);
    $("sign-in-error").textContent = message;
    $("token-input").focus();
  }

  function forgetToken() {
    token = null;
    localStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(TOKEN_KEY);
  }

  async function session(candidate) {
    const headers = candidate ? { Authorization: `Bearer ${candidate}` } : {};
    const response = await fetch("/v1/session", { headers });
    if (response.status === 401) return null;
    if (!response.ok) throw new Error(`the server answered ${response.status}`);
    return response.json();
  }

  async function start() {
    let state;
    try {
      state = await session(token);
    } catch (error) {
      setStatus(`Could not reach the server: ${error.message}`, true);
      return;
    }
    if (state === null || (state.accounts && !state.writer)) {
      forgetToken();
      showSignIn(state === null ? "Your token no longer works; sign in again." : "");
      return;
    }
    $("sign-in").hidden = true;
    setSignedOut(false);
    $("account").hidden = !state.accounts;
    $("account-name").textContent = state.writer || "";
    loadDictionary();
    loadLearned();
  }

  $("sign-in").addEventListener("submit", async (event) => {
    event.preventDefault();
    const candidate = $("token-input").value.trim();
    let state = null;
    try {
      state = await session(candidate);
    } catch (error) {
      $("sign-in-error").textContent = `Could not reach the server: ${error.message}`;
      return;
    }
    if (!state || !state.writer) {
      $("sign-in-error").textContent = "That token is not known here (or was revoked).";
      $("token-input").select();  // ready for the right one to be pasted over it
      $("token-input").focus();
      return;
    }
    token = candidate;
    ($("remember").checked ? localStorage : sessionStorage).setItem(TOKEN_KEY, candidate);
    $("token-input").value = "";
    start();
  });

  $("sign-out").addEventListener("click", () => {
    forgetToken();
    dictionaryWords = [];
    learnedItems = [];
    renderDictionary();
    renderLearned();
    showSignIn();
  });

  async function api(path, options = {}) {
    const headers = { ...(options.headers || {}) };
    if (token) headers.Authorization = `Bearer ${token}`;
    const response = await fetch(path, { ...options, headers });
    let body = null;
    try {
      body = await response.json();
    } catch (error) {
      body = null;
    }
    if (response.status === 401) {
      forgetToken();
      showSignIn("Please sign in.");
    }
    if (!response.ok) throw new Error((body && body.error) || `the server answered ${response.status}`);
    return body;
  }

  const postJson = (path, data) =>
    api(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(data) });

  // ---- checking -----------------------------------------------------------------------------
  async function check() {
    clearTimeout(checkTimer);
    const text = textarea.value;
    const sequence = ++checkSequence;
    if (!text.trim()) {
      suggestions = [];
      lastText = text;
      render();
      setStatus("Nothing to check yet.");
      return;
    }
    setStatus("Checking…");
    document.body.classList.add("checking");
    try {
      const body = await postJson("/v1/correct", { text });
      if (sequence !== checkSequence || textarea.value !== text) return; // the text moved on meanwhile
      const found = body.suggestions.filter((s) => !dismissed.has(keyOf(s)) && !inDictionary(s.original));
      const hints = body.refused
        .filter((r) => r.hint) // the server offers only misspellings, never a meaning or name change
        .map((r) => ({ ...r, id: `h${r.id}`, replacement: r.proposed, kind: "hint", confidence: null }))
        .filter((h) => !dismissed.has(keyOf(h)) && !inDictionary(h.original) && !found.some((s) => overlaps(s, h)));
      suggestions = [...found, ...hints].sort((a, b) => a.offset - b.offset);
      lastText = text;
      if (selectedId && !byId(selectedId)) selectedId = null;
      render();
      setStatus(summary());
    } catch (error) {
      if (sequence === checkSequence) setStatus(`Could not check: ${error.message}`, true);
    } finally {
      if (sequence === checkSequence) document.body.classList.remove("checking");
    }
  }

  function summary() {
    const real = suggestions.filter((s) => s.kind !== "hint").length;
    if (!suggestions.length) return "No suggestions: nothing to change.";
    const hints = suggestions.length - real;
    return `${real} suggestion${real === 1 ? "" : "s"}` + (hints ? ` and ${hints} weak hint${hints === 1 ? "" : "s"}` : "") + ".";
  }

  function scheduleCheck() {
    clearTimeout(checkTimer);
    if (autoCheck.checked) checkTimer = setTimeout(check, CHECK_PAUSE_MS);
  }

  // Keep suggestions in place while the person types: shift those after the change, drop those in it.
  function remap(oldText, newText) {
    let start = 0;
    while (start < oldText.length && start < newText.length && oldText[start] === newText[start]) start++;
    let oldEnd = oldText.length;
    let newEnd = newText.length;
    while (oldEnd > start && newEnd > start && oldText[oldEnd - 1] === newText[newEnd - 1]) {
      oldEnd--;
      newEnd--;
    }
    const delta = newText.length - oldText.length;
    suggestions = suggestions
      .filter((s) => s.offset + s.length < start || s.offset > oldEnd || (s.offset === oldEnd && oldEnd > start))
      .map((s) => (s.offset >= oldEnd ? { ...s, offset: s.offset + delta } : s));
  }

  // ---- drawing ------------------------------------------------------------------------------
  function render() {
    const text = textarea.value;
    let html = "";
    let cursor = 0;
    for (const s of suggestions) {
      if (s.offset < cursor) continue;
      html += escapeHtml(text.slice(cursor, s.offset));
      const selected = s.id === selectedId ? " selected" : "";
      html += `<mark class="kind-${s.kind}${selected}" data-id="${s.id}">${escapeHtml(text.slice(s.offset, s.offset + s.length))}</mark>`;
      cursor = s.offset + s.length;
    }
    html += escapeHtml(text.slice(cursor));
    backdrop.innerHTML = html + "\n\u200b"; // a trailing newline needs a character after it to take its line
    backdrop.scrollTop = textarea.scrollTop;
    renderList();
    countBadge.textContent = String(suggestions.length);
    renderCard();
  }

  function describe(s) {
    if (s.kind === "hint") return `weak hint — held back: ${s.reason}`;
    const sure = s.confidence == null ? "" : ` · ${Math.round(s.confidence * 100)}% sure`;
    return `${KIND_LABELS[s.kind] || s.kind}${sure}`;
  }

  function actionButtons(s, where) {
    const word = wordOf(s.original);
    const label = s.replacement ? "Accept" : "Remove it";
    let html = `<button type="button" data-action="accept" data-id="${s.id}" title="Accept (Alt+A)">${label}</button>`;
    html += `<button type="button" data-action="reject" data-id="${s.id}" title="Reject (Alt+R)">Reject</button>`;
    if (isOneWord(s.original) && word) {
      html += `<button type="button" data-action="dictionary" data-id="${s.id}" title="Add to my dictionary (Alt+W)">Never flag “${escapeHtml(word)}”</button>`;
    }
    return `<div class="actions" data-where="${where}">${html}</div>`;
  }

  function changeHtml(s) {
    const replacement = s.replacement ? escapeHtml(s.replacement) : "<em>(remove)</em>";
    return `<span class="change"><span class="original">${escapeHtml(s.original)}</span> → <span class="replacement">${replacement}</span></span>`;
  }

  function renderList() {
    list.innerHTML = suggestions
      .map((s) => `<li data-id="${s.id}" class="kind-item-${s.kind}${s.id === selectedId ? " selected" : ""}">
        <button type="button" class="select" data-action="select" data-id="${s.id}" aria-label="Show ${escapeHtml(s.original)} in the text">${changeHtml(s)}</button>
        <span class="meta">${escapeHtml(describe(s))}</span>${actionButtons(s, "list")}</li>`)
      .join("");
  }

  function renderCard() {
    const s = selectedId && byId(selectedId);
    if (!s) {
      card.hidden = true;
      return;
    }
    const mark = backdrop.querySelector(`mark[data-id="${s.id}"]`);
    card.innerHTML = `<div class="change">${changeHtml(s)}</div><div class="meta">${escapeHtml(describe(s))}</div>${actionButtons(s, "card")}`;
    card.hidden = false;
    if (mark) {
      const column = card.parentElement.getBoundingClientRect();
      const rect = mark.getBoundingClientRect();
      card.style.left = `${Math.max(0, rect.left - column.left)}px`;
      card.style.top = `${rect.bottom - column.top + 6}px`;
    }
  }

  function select(id, moveCaret) {
    selectedId = id;
    const s = byId(id);
    if (s && moveCaret) {
      textarea.focus();
      textarea.setSelectionRange(s.offset, s.offset + s.length);
    }
    render();
  }

  // ---- decisions ----------------------------------------------------------------------------
  function snapshot(extra = {}) {
    undoStack.push({ text: textarea.value, suggestions: suggestions.map((s) => ({ ...s })), dismissed: new Set(dismissed), ...extra });
    if (undoStack.length > 200) undoStack.shift();
  }

  function feedbackRecord(s, decision, text) {
    const lineStart = text.lastIndexOf("\n", s.offset - 1) + 1;
    let lineEnd = text.indexOf("\n", s.offset);
    if (lineEnd < 0) lineEnd = text.length;
    const sentence = text.slice(lineStart, lineEnd).replace(/\r$/, "");
    return {
      sentence,
      decision,
      suggestion: {
        offset: s.offset - lineStart, length: s.length, original: s.original, replacement: s.replacement,
        kind: s.kind, confidence: s.confidence ?? null,
      },
    };
  }

  function sendFeedback(records) {
    const sent = records.map((record) =>
      postJson("/v1/feedback", record).catch((error) => setStatus(`Could not save your decision: ${error.message}`, true)));
    Promise.all(sent).then(loadLearned); // the server learns at once: show what it learned
  }

  function applyOne(s) {
    const text = textarea.value;
    const updated = text.slice(0, s.offset) + s.replacement + text.slice(s.offset + s.length);
    const delta = s.replacement.length - s.length;
    suggestions = suggestions
      .filter((x) => x !== s && !overlaps(x, s))
      .map((x) => (x.offset > s.offset ? { ...x, offset: x.offset + delta } : x));
    textarea.value = updated;
    lastText = updated;
  }

  function stillThere(s) {
    return textarea.value.slice(s.offset, s.offset + s.length) === s.original;
  }

  function nextAfter(offset) {
    return suggestions.find((x) => x.offset >= offset) || suggestions[0] || null;
  }

  function accept(id) {
    const s = byId(id);
    if (!s) return;
    if (!stillThere(s)) {
      suggestions = suggestions.filter((x) => x !== s);
      render();
      return;
    }
    snapshot();
    sendFeedback([feedbackRecord(s, "accepted", textarea.value)]);
    applyOne(s);
    const next = nextAfter(s.offset + s.replacement.length);
    selectedId = next ? next.id : null;
    const caret = s.offset + s.replacement.length;
    textarea.setSelectionRange(caret, caret);
    render();
    setStatus(`Changed “${s.original}” to “${s.replacement}”. ${summary()}`);
  }

  function reject(id) {
    const s = byId(id);
    if (!s) return;
    snapshot();
    sendFeedback([feedbackRecord(s, "rejected", textarea.value)]);
    dismissed.add(keyOf(s));
    suggestions = suggestions.filter((x) => x !== s);
    const next = nextAfter(s.offset);
    selectedId = next ? next.id : null;
    render();
    setStatus(`Kept “${s.original}”. ${summary()}`);
  }

  function acceptAll() {
    const real = suggestions.filter((s) => s.kind !== "hint" && stillThere(s));
    if (!real.length) return;
    snapshot();
    const text = textarea.value;
    sendFeedback(real.map((s) => feedbackRecord(s, "accepted", text)));
    for (const s of [...real].sort((a, b) => b.offset - a.offset)) applyOne(s);
    selectedId = null;
    render();
    setStatus(`Accepted ${real.length} suggestion${real.length === 1 ? "" : "s"}. ${summary()}`);
  }

  async function addToDictionary(id) {
    const s = byId(id);
    if (!s) return;
    const word = wordOf(s.original);
    try {
      const body = await postJson("/v1/dictionary", { word });
      snapshot({ dictionaryWord: body.added });
      dictionaryWords = body.words;
      suggestions = suggestions.filter((x) => !inDictionary(x.original));
      selectedId = null;
      render();
      renderDictionary();
      setStatus(`“${body.added}” is in your dictionary: it will not be flagged again.`);
    } catch (error) {
      setStatus(`Could not add “${word}”: ${error.message}`, true);
    }
  }

  async function removeFromDictionary(word) {
    try {
      const body = await api(`/v1/dictionary/${encodeURIComponent(word)}`, { method: "DELETE" });
      dictionaryWords = body.words;
      renderDictionary();
      setStatus(`“${word}” removed from your dictionary.`);
      scheduleCheck();
    } catch (error) {
      setStatus(`Could not remove “${word}”: ${error.message}`, true);
    }
  }

  async function undo() {
    const state = undoStack.pop();
    if (!state) {
      setStatus("Nothing to undo.");
      return;
    }
    if (state.dictionaryWord) await removeFromDictionary(state.dictionaryWord);
    textarea.value = state.text;
    lastText = state.text;
    suggestions = state.suggestions;
    dismissed.clear();
    for (const key of state.dismissed) dismissed.add(key);
    selectedId = null;
    render();
    setStatus(`Undone. ${summary()}`);
  }

  async function loadDictionary() {
    try {
      dictionaryWords = (await api("/v1/dictionary")).words;
      renderDictionary();
    } catch (error) {
      setStatus(`Could not read your dictionary: ${error.message}`, true);
    }
  }

  function renderDictionary() {
    dictionaryList.innerHTML = dictionaryWords.length
      ? dictionaryWords.map((w) => `<li><span>${escapeHtml(w)}</span><button type="button" data-action="undictionary" data-word="${escapeHtml(w)}" aria-label="Remove ${escapeHtml(w)} from my dictionary">Remove</button></li>`).join("")
      : '<li class="small">No words yet.</li>';
  }

  // ---- what the server learned (undo any of it) ---------------------------------------------
  async function loadLearned() {
    try {
      learnedItems = (await api("/v1/learned")).items;
      renderLearned();
    } catch (error) {
      setStatus(`Could not read what was learned: ${error.message}`, true);
    }
  }

  function learnedChange(item) {
    return `“${item.original}” → “${item.replacement}”`;
  }

  function learnedDetail(item) {
    const times = item.times === 1 ? "once" : `${item.times} times`;
    if (item.kind === "preferred") return `Your fix: offered first next time (you chose it ${times}).`;
    const where = item.everywhere ? "anywhere" : item.contexts.map((c) => `“${c}”`).join(", ");
    return `Not offered again ${item.everywhere ? "" : "in "}${where} (you said no ${times}).`;
  }

  function learnedText(item) {
    return `${learnedChange(item)}: ${learnedDetail(item)}`;
  }

  function renderLearned() {
    learnedList.innerHTML = learnedItems.length
      ? learnedItems.map((item) => `<li data-kind="${escapeHtml(item.kind)}"><span class="what"><strong class="change">${escapeHtml(learnedChange(item))}</strong> ${escapeHtml(learnedDetail(item))}</span><button type="button" data-action="unlearn" data-learned-id="${escapeHtml(item.id)}" aria-label="Undo: ${escapeHtml(learnedText(item))}">Undo</button></li>`).join("")
      : '<li class="small">Nothing yet.</li>';
  }

  async function unlearn(id) {
    try {
      await api(`/v1/learned/${encodeURIComponent(id)}`, { method: "DELETE" });
      setStatus("Undone: spelltune forgot that.");
      await loadLearned();
      // The pressed button is gone: keep keyboard focus in the panel, on the next Undo or its heading.
      (learnedList.querySelector("button") || learnedTitle).focus();
      scheduleCheck();
    } catch (error) {
      setStatus(`Could not undo it: ${error.message}`, true);
    }
  }

  // ---- events -------------------------------------------------------------------------------
  textarea.addEventListener("input", () => {
    remap(lastText, textarea.value);
    lastText = textarea.value;
    if (selectedId && !byId(selectedId)) selectedId = null;
    render();
    scheduleCheck();
  });
  textarea.addEventListener("scroll", () => {
    backdrop.scrollTop = textarea.scrollTop;
    renderCard();
  });

  function selectAtCaret() {
    const position = textarea.selectionStart;
    const s = suggestions.find((x) => x.offset <= position && position <= x.offset + x.length);
    if ((s ? s.id : null) !== selectedId) {
      selectedId = s ? s.id : null;
      render();
    }
  }
  textarea.addEventListener("click", selectAtCaret);
  textarea.addEventListener("keyup", (event) => {
    if (event.key.startsWith("Arrow") || event.key === "Home" || event.key === "End") selectAtCaret();
  });

  document.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-action]");
    if (!button) return;
    const { action, id } = button.dataset;
    if (action === "accept") accept(id);
    else if (action === "reject") reject(id);
    else if (action === "dictionary") addToDictionary(id);
    else if (action === "select") select(id, true);
    else if (action === "undictionary") removeFromDictionary(button.dataset.word);
    else if (action === "unlearn") unlearn(button.dataset.learnedId);
  });

  $("check").addEventListener("click", check);
  $("accept-all").addEventListener("click", acceptAll);
  $("undo").addEventListener("click", undo);
  autoCheck.addEventListener("change", () => {
    localStorage.setItem("spelltune.autoCheck", autoCheck.checked ? "1" : "0");
    if (autoCheck.checked) scheduleCheck();
  });

  function step(direction) {
    if (!suggestions.length) return;
    const index = suggestions.findIndex((s) => s.id === selectedId);
    let next;
    if (index < 0) {
      const caret = textarea.selectionStart;
      next = direction > 0 ? nextAfter(caret) : [...suggestions].reverse().find((s) => s.offset < caret) || suggestions[suggestions.length - 1];
    } else {
      next = suggestions[(index + direction + suggestions.length) % suggestions.length];
    }
    select(next.id, true);
  }

  document.addEventListener("keydown", (event) => {
    const key = event.key.toLowerCase();
    if ((event.ctrlKey || event.metaKey) && key === "enter") {
      event.preventDefault();
      check();
    } else if (event.altKey && event.shiftKey && key === "a") {
      event.preventDefault();
      acceptAll();
    } else if (event.altKey && !event.ctrlKey && !event.metaKey) {
      const actions = {
        n: () => step(1), p: () => step(-1), z: undo,
        a: () => selectedId && accept(selectedId),
        r: () => selectedId && reject(selectedId),
        w: () => selectedId && addToDictionary(selectedId),
      };
      if (actions[key]) {
        event.preventDefault();
        actions[key]();
      }
    } else if (key === "escape" && !card.hidden) {
      selectedId = null;
      render();
      textarea.focus();
    }
  });

  // ---- reading settings (kept in this browser) ----------------------------------------------
  const settings = {
    "font-size": (v) => document.documentElement.style.setProperty("--font-size", v),
    "line-height": (v) => document.documentElement.style.setProperty("--line-height", v),
    "letter-spacing": (v) => document.documentElement.style.setProperty("--letter-spacing", v),
    "font-family": (v) => {
      document.body.classList.remove("font-verdana", "font-serif", "font-mono");
      if (v !== "sans") document.body.classList.add(`font-${v}`);
    },
    "theme": (v) => {
      document.body.classList.remove("theme-cream", "theme-dark");
      if (v !== "light") document.body.classList.add(`theme-${v}`);
    },
  };
  for (const [id, apply] of Object.entries(settings)) {
    const control = $(id);
    const saved = localStorage.getItem(`spelltune.${id}`);
    if (saved && [...control.options].some((o) => o.value === saved)) control.value = saved;
    apply(control.value);
    control.addEventListener("change", () => {
      localStorage.setItem(`spelltune.${id}`, control.value);
      apply(control.value);
      render();
    });
  }
  if (localStorage.getItem("spelltune.autoCheck") === "0") autoCheck.checked = false;
  new ResizeObserver(() => renderCard()).observe(textarea);

  start();
  render();
  window.spelltuneEditor = { check, state: () => ({ suggestions, selectedId, text: textarea.value }) };
})();

// Mirage web UI: live list, forms that answer in the page, log follow, relative times. No dependencies.
(() => {
  "use strict";

  const $ = (selector, root = document) => root.querySelector(selector);
  const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));

  // ---- Errors in plain English --------------------------------------------------------------------------------
  async function describeFailure(response) {
    let text = "";
    try { text = await response.text(); } catch { /* the body is optional */ }
    let body = null;
    try { body = JSON.parse(text); } catch { /* not JSON */ }
    // Mirage's own refusals carry both the API wording (result) and an explanation (message).
    if (body && typeof body.message === "string" && typeof body.result === "string") {
      return { message: body.message, detail: body.result !== body.message ? body.result : "" };
    }
    const said = body && typeof body.message === "string" ? body.message : (body && typeof body.result === "string" ? body.result : text.trim());
    const suffix = said ? ` (the server said: ${said})` : "";
    switch (response.status) {
      case 401: return `You are not signed in, or your sign-in has expired. Reload the page to sign in again${suffix}.`;
      case 403: return `You are not allowed to do this${suffix}.`;
      case 400: return `The server refused the request as it did not come from this page's own address, or was malformed. Reload the page and try again${suffix}.`;
      case 404: return `Not found${suffix}.`;
      case 413: return `The request is too large${suffix}.`;
      default:
        return response.status >= 500
          ? `Mirage could not do this (HTTP ${response.status})${suffix}.`
          : `The request failed with HTTP ${response.status}${suffix}.`;
    }
  }

  function asText(failure) { return typeof failure === "string" ? failure : failure.message; }

  function networkFailure(error) {
    return `Mirage did not answer (${error && error.message ? error.message : "network error"}). Check that it is running; the page keeps trying.`;
  }

  // message: a sentence, or { message, detail } where detail is the server's own wording.
  function showError(box, message) {
    const { message: text, detail } = typeof message === "string" ? { message, detail: "" } : message;
    if (!box) { window.alert(text); return; }
    box.textContent = "";
    const strong = document.createElement("strong");
    strong.textContent = text;
    box.appendChild(strong);
    if (detail) {
      const span = document.createElement("span");
      span.className = "detail";
      const code = document.createElement("code");
      code.textContent = detail;
      span.append("The server said: ", code);
      box.appendChild(span);
    }
    box.hidden = false;
    box.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  function hideError(box) { if (box) { box.hidden = true; box.textContent = ""; } }

  async function post(form) {
    return fetch(form.action, {
      method: "POST",
      headers: { "Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(new FormData(form)),
      credentials: "same-origin",
    });
  }

  // ---- Relative times ---------------------------------------------------------------------------------------
  function ago(iso) {
    const then = Date.parse(iso);
    if (Number.isNaN(then)) return null;
    const seconds = Math.round((Date.now() - then) / 1000);
    if (seconds < 5) return "just now";
    if (seconds < 60) return `${seconds} s ago`;
    const minutes = Math.floor(seconds / 60);
    if (minutes < 60) return `${minutes} min ago`;
    const hours = Math.floor(minutes / 60);
    if (hours < 48) return `${hours} h ${minutes % 60} min ago`;
    return `${Math.floor(hours / 24)} days ago`;
  }

  function relativeTimes(root = document) {
    for (const time of $$("time[datetime]", root)) {
      if (time.closest(".timeline, .milestones") || !time.getAttribute("datetime")) continue;
      if (!time.dataset.absolute) time.dataset.absolute = time.textContent;
      const text = ago(time.getAttribute("datetime"));
      if (text) { time.textContent = text; time.title = time.dataset.absolute; }
    }
  }

  // ---- Live regions -----------------------------------------------------------------------------------------
  function openDetails(root) { return $$("details", root).map((d) => d.open); }
  function restoreDetails(root, open) { $$("details", root).forEach((d, i) => { if (open[i]) d.open = true; }); }

  // The list: #list[data-live-src] is replaced by the fragment; faster while something is on its way.
  function liveList() {
    const list = $("#list[data-live-src]");
    if (!list) return null;
    const status = $("#list-status");
    let timer = 0;
    let last = list.innerHTML;
    const busy = () => $(".list", list)?.dataset.busy === "true";
    async function refresh() {
      clearTimeout(timer);
      try {
        const response = await fetch(list.dataset.liveSrc, { headers: { "Accept": "text/html" }, credentials: "same-origin" });
        if (!response.ok) {
          if (status) status.textContent = asText(await describeFailure(response));
        } else {
          const html = await response.text();
          if (html !== last) {
            const open = openDetails(list);
            list.innerHTML = html;
            last = list.innerHTML;
            restoreDetails(list, open);
            relativeTimes(list);
            flashLaunched();
          }
          if (status) status.textContent = "";
        }
      } catch (error) {
        if (status) status.textContent = networkFailure(error);
      }
      schedule();
    }
    function schedule() {
      clearTimeout(timer);
      timer = setTimeout(() => (document.hidden ? schedule() : refresh()), busy() ? 1000 : 4000);
    }
    document.addEventListener("visibilitychange", () => { if (!document.hidden) refresh(); });
    schedule();
    return { refresh };
  }

  // Other pages: elements with [data-live][id] are replaced from a fresh copy of the same page.
  function livePage() {
    const regions = $$("[data-live][id]");
    if (regions.length === 0) return null;
    const errorBox = $("#page-error");
    let timer = 0;
    const busy = () => regions.some((r) => r.dataset.busy === "true") || $("[data-live] [data-busy=true]") !== null;
    async function refresh() {
      clearTimeout(timer);
      try {
        const response = await fetch(location.pathname, { headers: { "Accept": "text/html" }, credentials: "same-origin" });
        if (response.status === 404) {
          showError(errorBox, "This environment is gone: it was terminated and cleaned up.");
          return;
        }
        if (!response.ok) {
          showError(errorBox, await describeFailure(response));
        } else {
          const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
          for (const region of regions) {
            const replacement = fresh.getElementById(region.id);
            if (replacement && replacement.innerHTML !== region.innerHTML) {
              const open = openDetails(region);
              region.innerHTML = replacement.innerHTML;
              for (const name of ["busy"]) region.dataset[name] = replacement.dataset[name] ?? "";
              restoreDetails(region, open);
              relativeTimes(region);
            }
          }
          hideError(errorBox);
        }
      } catch (error) {
        showError(errorBox, networkFailure(error));
      }
      timer = setTimeout(refresh, busy() ? 1500 : 5000);
    }
    timer = setTimeout(refresh, busy() ? 1500 : 5000);
    return { refresh };
  }

  function flashLaunched() {
    const launched = new URLSearchParams(location.search).get("launched");
    if (!launched) return;
    const row = $(`tr[data-subdomain="${CSS.escape(launched.toLowerCase())}"]`);
    if (row && !row.dataset.flashed) {
      row.dataset.flashed = "1";
      row.classList.add("flash");
      setTimeout(() => row.classList.remove("flash"), 2500);
    }
  }

  // ---- Forms ------------------------------------------------------------------------------------------------
  function confirmForms(list) {
    document.addEventListener("submit", async (event) => {
      const form = event.target;
      if (!(form instanceof HTMLFormElement) || !form.dataset.confirm) return;
      event.preventDefault();
      if (!window.confirm(form.dataset.confirm)) return;
      const button = $("button[type=submit], button:not([type])", form);
      if (button) { button.disabled = true; button.setAttribute("aria-busy", "true"); }
      const errorBox = $("#page-error");
      try {
        const response = await post(form);
        if (!response.ok) {
          showError(errorBox, await describeFailure(response));
          if (button) { button.disabled = false; button.removeAttribute("aria-busy"); }
          return;
        }
        hideError(errorBox);
        if (form.dataset.after) { location.href = form.dataset.after; return; }
        const row = form.closest("tr");
        const state = row && $("[data-role=state]", row);
        if (row && state) {
          row.dataset.state = "terminating";
          state.className = "state state-terminating";
          state.textContent = "Terminating";
          form.remove();
        }
        if (list) list.refresh();
      } catch (error) {
        showError(errorBox, networkFailure(error));
        if (button) { button.disabled = false; button.removeAttribute("aria-busy"); }
      }
    });
  }

  function launcher() {
    const form = $("form[data-submit=launch]");
    if (!form) return;
    const errorBox = $("#form-error");
    const taskdefs = $("#taskdefs");

    form.addEventListener("click", (event) => {
      const target = event.target instanceof Element ? event.target.closest("[data-action]") : null;
      if (!target) return;
      if (target.dataset.action === "add-taskdef") {
        const first = $(".taskdef", taskdefs);
        const row = first.cloneNode(true);
        $("input", row).value = "";
        taskdefs.appendChild(row);
        $("input", row).focus();
      } else if (target.dataset.action === "remove-taskdef") {
        const rows = $$(".taskdef", taskdefs);
        const row = target.closest(".taskdef");
        if (rows.length > 1) row.remove(); else $("input", row).value = "";
      }
    });

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const submit = $("[data-role=submit]", form);
      submit.disabled = true;
      const label = submit.textContent;
      submit.textContent = "Launching…";
      try {
        const response = await post(form);
        if (response.ok) {
          const subdomain = new FormData(form).get("subdomain") || "";
          location.href = "/?launched=" + encodeURIComponent(String(subdomain).toLowerCase());
          return;
        }
        showError(errorBox, await describeFailure(response));
      } catch (error) {
        showError(errorBox, networkFailure(error));
      }
      submit.disabled = false;
      submit.textContent = label;
    });
  }

  // ---- Logs -------------------------------------------------------------------------------------------------
  function logs() {
    const section = $("#logs[data-logs-url]");
    if (!section) return;
    const pre = $("#log-lines", section);
    const status = $("#log-status", section);
    const follow = $("#follow", section);
    const maxLines = 5000;
    let next = "";
    let count = 0;
    let timer = 0;

    function append(lines) {
      const nearBottom = pre.scrollHeight - pre.scrollTop - pre.clientHeight < 40;
      const fragment = document.createDocumentFragment();
      for (const line of lines) {
        const ts = document.createElement("span");
        ts.className = "ts";
        ts.textContent = line.at.slice(11, 19) + " ";
        const ctr = document.createElement("span");
        ctr.className = "ctr";
        ctr.textContent = line.container ? `[${line.container}] ` : "";
        fragment.append(ts, ctr, document.createTextNode(line.message + "\n"));
      }
      pre.appendChild(fragment);
      count += lines.length;
      while (pre.childNodes.length > maxLines * 3) pre.removeChild(pre.firstChild);
      if (nearBottom || follow.checked) pre.scrollTop = pre.scrollHeight;
    }

    async function poll() {
      clearTimeout(timer);
      const url = new URL(section.dataset.logsUrl, location.href);
      if (next) url.searchParams.set("since", next); else url.searchParams.set("tail", "200");
      try {
        const response = await fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" });
        if (!response.ok) {
          status.textContent = asText(await describeFailure(response));
        } else {
          const body = await response.json();
          append(body.lines || []);
          next = body.next || next;
          const when = new Date().toLocaleTimeString();
          status.textContent = count === 0
            ? `No log lines yet${follow.checked ? "; following" : ""}. (${when})`
            : `${count} lines${follow.checked ? " · following" : ""} · updated ${when}`;
        }
      } catch (error) {
        status.textContent = networkFailure(error);
      }
      if (follow.checked) timer = setTimeout(poll, 2000);
    }

    follow.addEventListener("change", () => { if (follow.checked) poll(); else { clearTimeout(timer); status.textContent = `${count} lines · paused`; } });
    section.addEventListener("click", (event) => {
      if (event.target instanceof Element && event.target.closest("[data-action=clear-logs]")) { pre.textContent = ""; count = 0; }
    });
    poll();
  }

  // ---- Small actions ----------------------------------------------------------------------------------------
  function actions(list) {
    document.addEventListener("click", async (event) => {
      const target = event.target instanceof Element ? event.target.closest("[data-action]") : null;
      if (!target) return;
      switch (target.dataset.action) {
        case "refresh":
          if (list) list.refresh();
          break;
        case "copy": {
          const source = document.getElementById(target.dataset.copyTarget || "");
          if (source && navigator.clipboard) {
            await navigator.clipboard.writeText(source.textContent);
            const label = target.textContent;
            target.textContent = "Copied";
            setTimeout(() => { target.textContent = label; }, 1500);
          }
          break;
        }
        case "toggle-log-entries":
          $(".timeline")?.classList.toggle("hide-logs", !target.checked);
          break;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const list = liveList();
    livePage();
    confirmForms(list);
    launcher();
    logs();
    actions(list);
    relativeTimes();
    flashLaunched();
    setInterval(() => relativeTimes(), 30000);
  });
})();

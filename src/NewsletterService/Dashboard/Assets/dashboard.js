// NewsletterService dashboard: progressive enhancement only; every page works without it.
(function () {
  "use strict";
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  // The server shows times in the editor's zone from this cookie.
  if (document.cookie.indexOf("tz=" + encodeURIComponent(zone)) < 0)
    document.cookie = "tz=" + encodeURIComponent(zone) + "; path=/admin; max-age=31536000; samesite=strict";

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-timezone]").forEach(function (input) { input.value = zone; });
    document.querySelectorAll("[data-timezone-label]").forEach(function (el) { el.textContent = zone; });
    document.querySelectorAll("[data-show-when-checked]").forEach(function (el) {
      var radio = document.getElementById(el.getAttribute("data-show-when-checked"));
      var sync = function () { el.hidden = !radio.checked; };
      radio.form.addEventListener("change", sync);
      sync();
    });
    var progress = document.querySelector("[data-progress-url]");
    if (progress && progress.getAttribute("data-final") !== "true") watchProgress(progress);
    var campaign = document.querySelector("form[data-audience-url]");
    if (campaign) watchAudience(campaign);
  });

  // Destructive actions ask first.
  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });

  // A form being sent is not sent again: its buttons wait until the answer comes (the server holds a form with a
  // submission id to one action anyway). Disabled after the submit event, so the pressed button's value still goes.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || form.method !== "post") return;
    if (form.hasAttribute("data-submitting")) { event.preventDefault(); return; }
    form.setAttribute("data-submitting", "");
    setTimeout(function () {
      form.querySelectorAll("button, input[type=submit]").forEach(function (b) { b.disabled = true; b.setAttribute("aria-busy", "true"); });
    }, 0);
  });
  // Back to a page from the browser's cache: its forms can be used again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("form[data-submitting]").forEach(function (form) {
      form.removeAttribute("data-submitting");
      form.querySelectorAll("button, input[type=submit]").forEach(function (b) { b.disabled = false; b.removeAttribute("aria-busy"); });
    });
  });

  // The campaign form: whom the chosen article and lists reach, asked for again (as HTML) whenever the choice changes.
  function watchAudience(form) {
    var box = form.querySelector("[data-audience]");
    var asked = 0;
    if (!box) return;
    form.addEventListener("change", function (event) {
      if (event.target.name !== "lists" && event.target.name !== "articleId") return;
      var query = new URLSearchParams();
      query.append("articleId", form.elements.articleId.value);
      form.querySelectorAll("input[name=lists]:checked").forEach(function (list) { query.append("lists", list.value); });
      var mine = ++asked;
      box.setAttribute("aria-busy", "true");
      fetch(form.getAttribute("data-audience-url") + "&" + query, { credentials: "same-origin" })
        .then(function (r) { if (!r.ok || r.redirected) throw new Error("status " + r.status); return r.text(); })
        .then(function (html) { if (mine === asked) box.innerHTML = html; })
        .catch(function () { if (mine === asked) box.textContent = "Could not count the readers; the next step shows them."; })
        .finally(function () { if (mine === asked) box.removeAttribute("aria-busy"); });
    });
  }

  // A campaign's page: polls the API's view of it and shows it, until the campaign is final (sent, failed or
  // cancelled, with no delivery left open); the last poll is rendered before polling stops.
  function watchProgress(root) {
    var url = root.getAttribute("data-progress-url");
    var samples = [];
    var set = function (name, text) { root.querySelectorAll("[data-field=" + name + "]").forEach(function (el) { el.textContent = text; }); };
    var number = function (n) { return n.toLocaleString("en"); };
    var zone = (root.querySelector("[data-editor-zone]") || {}).textContent || "UTC";

    function show(c) {
      var done = c.sent + c.failed + c.skipped + c.cancelled;
      var total = Math.max(c.total, done + c.pending);
      var percent = total ? Math.floor(done * 100 / total) : (c.status === "sent" ? 100 : 0);
      var final = (c.status === "sent" || c.status === "failed" || c.status === "cancelled") && c.pending === 0;
      var bar = root.querySelector("[role=progressbar]");
      bar.setAttribute("aria-valuenow", String(percent));
      bar.setAttribute("aria-valuetext", percent + "% (" + number(c.sent) + " sent, " + number(c.failed) + " failed, " +
        number(c.cancelled) + " cancelled, " + number(c.pending) + " pending)");
      var width = function (n) { return (total ? n * 100 / total : 0) + "%"; };
      root.querySelector(".progress .sent").setAttribute("width", width(c.sent + c.skipped));
      root.querySelector(".progress .failed").setAttribute("x", width(c.sent + c.skipped));
      root.querySelector(".progress .failed").setAttribute("width", width(c.failed));
      root.querySelector(".progress .cancelled").setAttribute("x", width(c.sent + c.skipped + c.failed));
      root.querySelector(".progress .cancelled").setAttribute("width", width(c.cancelled));
      set("percent", percent + "%"); set("sent", number(c.sent)); set("failed", number(c.failed)); set("skipped", number(c.skipped));
      set("cancelled", number(c.cancelled)); set("pending", number(c.pending)); set("total", number(total));
      set("pausedReason", c.pausedReason || "");

      var now = Date.now();
      samples.push({ t: now, done: done });
      while (samples.length > 2 && now - samples[0].t > 10000) samples.shift();
      var first = samples[0], rate = samples.length > 1 && now > first.t ? (done - first.done) * 1000 / (now - first.t) : 0;
      var average = c.averageRate === null || c.averageRate === undefined ? "—" : c.averageRate.toFixed(1);
      set("rate", c.status === "sending" ? rate.toFixed(1) : average);
      set("eta", c.status !== "sending" || c.pending === 0 ? "—" : rate > 0 ? duration(c.pending / rate) : "estimating…");
      set("averageRate", average);
      set("duration", c.durationSeconds === null || c.durationSeconds === undefined ? "—" : duration(c.durationSeconds));
      set("completedAt", c.completedAt ? when(c.completedAt, zone) : "—");

      var status = root.querySelector("[data-field=status]");
      status.textContent = c.status === "awaitingApproval" ? "awaiting approval" : c.status; status.className = "badge " + c.status;
      root.querySelector("[data-banner]").className = "alert " + (["paused", "cancelled", "failed", "returned"].indexOf(c.status) < 0 ? "ok" : "error");
      root.querySelectorAll("[data-when]").forEach(function (el) { el.hidden = el.getAttribute("data-when").split(" ").indexOf(c.status) < 0; });
      if (final) root.setAttribute("data-final", "true");
      return !final;
    }

    function poll() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { if (!r.ok || r.redirected) throw new Error("status " + r.status); return r.json(); })
        .then(function (c) { if (show(c)) setTimeout(poll, 1000); })
        .catch(function () { set("eta", "connection lost, retrying…"); setTimeout(poll, 3000); });
    }
    poll();
  }

  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  // "28 Nov 2026, 14:05" in the zone the page shows times in, as the server writes them.
  function when(iso, zone) {
    var parts = {};
    var format = new Intl.DateTimeFormat("en-GB", { timeZone: zone, year: "numeric", month: "numeric", day: "numeric", hour: "2-digit",
      minute: "2-digit", hourCycle: "h23" });
    var instant = new Date(/[zZ]|[+-]\d\d:\d\d$/.test(iso) ? iso : iso + "Z");
    format.formatToParts(instant).forEach(function (p) { parts[p.type] = p.value; });
    return Number(parts.day) + " " + MONTHS[Number(parts.month) - 1] + " " + parts.year + ", " + parts.hour + ":" + parts.minute;
  }

  function duration(seconds) {
    seconds = Math.ceil(seconds);
    if (seconds < 60) return seconds + " s";
    var m = Math.floor(seconds / 60), s = seconds % 60;
    if (m < 60) return m + " min " + s + " s";
    return Math.floor(m / 60) + " h " + (m % 60) + " min";
  }
})();

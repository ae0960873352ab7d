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
    if (progress) watchProgress(progress);
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

  function watchProgress(root) {
    var url = root.getAttribute("data-progress-url");
    var samples = [];
    var set = function (name, text) { root.querySelectorAll("[data-field=" + name + "]").forEach(function (el) { el.textContent = text; }); };
    var number = function (n) { return n.toLocaleString("en"); };

    function show(c) {
      var total = Math.max(c.total, c.sent + c.failed + c.skipped + c.pending);
      var done = c.sent + c.failed + c.skipped;
      var percent = total ? Math.floor(done * 100 / total) : (c.status === "sent" ? 100 : 0);
      var bar = root.querySelector("[role=progressbar]");
      bar.setAttribute("aria-valuenow", String(percent));
      bar.setAttribute("aria-valuetext", percent + "% (" + number(c.sent) + " sent, " + number(c.failed) + " failed, " + number(c.pending) + " pending)");
      var sent = (total ? (c.sent + c.skipped) * 100 / total : 0) + "%";
      root.querySelector(".progress .sent").setAttribute("width", sent);
      root.querySelector(".progress .failed").setAttribute("x", sent);
      root.querySelector(".progress .failed").setAttribute("width", (total ? c.failed * 100 / total : 0) + "%");
      set("percent", percent + "%"); set("sent", number(c.sent)); set("failed", number(c.failed));
      set("pending", number(c.pending)); set("total", number(total)); set("skipped", number(c.skipped));

      var now = Date.now();
      samples.push({ t: now, done: done });
      while (samples.length > 2 && now - samples[0].t > 10000) samples.shift();
      var first = samples[0], rate = samples.length > 1 && now > first.t ? (done - first.done) * 1000 / (now - first.t) : 0;
      set("rate", c.status === "sending" ? rate.toFixed(1) : "—");
      set("eta", c.status !== "sending" || c.pending === 0 ? "—" : rate > 0 ? duration(c.pending / rate) : "estimating…");

      var status = root.querySelector("[data-field=status]");
      status.textContent = c.status; status.className = "badge " + c.status;
      root.querySelectorAll("[data-when]").forEach(function (el) { el.hidden = el.getAttribute("data-when").split(" ").indexOf(c.status) < 0; });
      return c.status === "sending" || c.status === "scheduled" || c.status === "paused";
    }

    function poll() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { if (!r.ok || r.redirected) throw new Error("status " + r.status); return r.json(); })
        .then(function (c) { if (show(c)) setTimeout(poll, 1000); })
        .catch(function () { set("eta", "connection lost, retrying…"); setTimeout(poll, 3000); });
    }
    poll();
  }

  function duration(seconds) {
    seconds = Math.ceil(seconds);
    if (seconds < 60) return seconds + " s";
    var m = Math.floor(seconds / 60), s = seconds % 60;
    if (m < 60) return m + " min " + s + " s";
    return Math.floor(m / 60) + " h " + (m % 60) + " min";
  }
})();

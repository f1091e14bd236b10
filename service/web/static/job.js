// Follows a background job until it ends, then reloads the page to show the result.
// Without script the page's <meta http-equiv="refresh"> reloads it every few seconds.
(function () {
  var box = document.getElementById("job");
  if (!box) return;
  var state = box.dataset.state;
  if (state === "done" || state === "failed") return;
  function poll() {
    fetch(box.dataset.url, { headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (job) {
        var progress = document.getElementById("job-progress");
        var bar = document.getElementById("job-bar");
        if (job.progress.total) {
          progress.textContent = job.progress.done + " из " + job.progress.total;
          progress.hidden = false;
          bar.max = job.progress.total;
          bar.value = job.progress.done;
          bar.hidden = false;
        }
        var current = document.getElementById("job-current");
        if (current) {
          current.textContent = job.result && job.result.current ? " · сейчас: " + job.result.current : "";
        }
        document.getElementById("job-state").textContent =
          { queued: "в очереди", running: "выполняется", done: "готово", failed: "не выполнено" }[job.state] || job.state;
        if (job.state === "done" || job.state === "failed") { window.location.reload(); }
        else { setTimeout(poll, 1000); }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 700);
})();

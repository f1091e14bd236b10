// Follows a background job until it ends, then reloads the page to show the result.
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
        if (progress && job.progress.total) progress.textContent = job.progress.done + " из " + job.progress.total;
        if (job.state === "done" || job.state === "failed") { window.location.reload(); }
        else { setTimeout(poll, 1000); }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 700);
})();

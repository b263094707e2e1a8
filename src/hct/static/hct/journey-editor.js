// Quick recording of a journey with htmx: after the journey body is swapped in, say what
// happened (a polite live region) and put focus where the next keystroke belongs — the "When"
// field after adding, the same move button after moving, the error summary after a problem.
(function () {
  'use strict'
  document.body.addEventListener('hct-journey', function (event) {
    var detail = event.detail || {}
    var status = document.getElementById('journey-status')
    if (status && detail.announce) {
      status.textContent = ''
      window.setTimeout(function () { status.textContent = detail.announce }, 50)
    }
    if (detail.focus) {
      var target = document.getElementById(detail.focus)
      if (target) {
        target.focus()
      }
    }
  })
})()

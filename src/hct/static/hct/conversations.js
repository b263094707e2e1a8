// Big Conversations. Every action here also works without JavaScript and by keyboard (each
// move is a button); this only adds dragging an iceberg item onto another level, and showing
// the story at the centre full screen.
(function () {
  'use strict'

  function csrfToken () {
    var input = document.querySelector('input[name=csrfmiddlewaretoken]')
    return input ? input.value : ''
  }

  function post (url, fields) {
    var form = document.createElement('form')
    form.method = 'post'
    form.action = url
    fields.csrfmiddlewaretoken = csrfToken()
    Object.keys(fields).forEach(function (name) {
      var input = document.createElement('input')
      input.type = 'hidden'
      input.name = name
      input.value = fields[name]
      form.appendChild(input)
    })
    document.body.appendChild(form)
    form.submit()
  }

  var dragged = null
  document.querySelectorAll('[data-move-url]').forEach(function (item) {
    item.setAttribute('draggable', 'true')
    item.addEventListener('dragstart', function (event) {
      dragged = item
      event.dataTransfer.effectAllowed = 'move'
      event.dataTransfer.setData('text/plain', item.id)
    })
    item.addEventListener('dragend', function () { dragged = null })
  })
  document.querySelectorAll('[data-level]').forEach(function (level) {
    level.addEventListener('dragover', function (event) {
      if (dragged) {
        event.preventDefault()
        level.classList.add('hct-iceberg__level--drop')
      }
    })
    level.addEventListener('dragleave', function () {
      level.classList.remove('hct-iceberg__level--drop')
    })
    level.addEventListener('drop', function (event) {
      event.preventDefault()
      level.classList.remove('hct-iceberg__level--drop')
      if (dragged && dragged.dataset.level !== level.dataset.level) {
        post(dragged.dataset.moveUrl, { level: level.dataset.level })
      }
    })
  })

  var full = document.getElementById('show-full-screen')
  var centre = document.getElementById('centre')
  if (full && centre && centre.requestFullscreen) {
    full.hidden = false
    full.addEventListener('click', function () { centre.requestFullscreen() })
  }
})()

// Progressive enhancement of "what my story means to me": beside each slider question's number
// box (0–100), a slider to drag. The number box stays the one control that is sent and read out;
// the slider is a picture of it for pointer users, kept in step both ways.
(function () {
  'use strict'
  document.querySelectorAll('.hct-signifier[data-kind="dyad"]').forEach(function (group) {
    var box = group.querySelector('input[type="number"]')
    if (!box) { return }
    var labels = (group.getAttribute('data-labels') || '').split('|')
    var wrap = document.createElement('div')
    wrap.className = 'hct-slider'
    wrap.setAttribute('aria-hidden', 'true')
    var left = document.createElement('span')
    left.textContent = labels[0] || ''
    var right = document.createElement('span')
    right.textContent = labels[1] || ''
    var slider = document.createElement('input')
    slider.type = 'range'
    slider.min = '0'
    slider.max = '100'
    slider.step = '1'
    slider.tabIndex = -1
    slider.value = box.value === '' ? '50' : box.value
    slider.addEventListener('input', function () { box.value = slider.value })
    box.addEventListener('input', function () { if (box.value !== '') { slider.value = box.value } })
    wrap.appendChild(left)
    wrap.appendChild(slider)
    wrap.appendChild(right)
    box.parentNode.appendChild(wrap)
  })
})()

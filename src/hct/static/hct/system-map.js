// Draws a system map with Cytoscape.js from the page's JSON: rings by sector (the person and
// family innermost) or a force layout; the filter form fades what it filters out rather than
// hiding it, a chosen actor is focused, and actors can be sized by a measure. The tables on the
// page carry the same information and follow the same form when it is submitted.
(function () {
  'use strict'
  var element = document.getElementById('system-map')
  var form = document.getElementById('map-filters')
  if (!element || !window.cytoscape || !form) return
  var STATUS = {
    working: { color: '#00703c', style: 'solid' },
    strained: { color: '#b58840', style: 'dashed' },
    broken: { color: '#d4351c', style: 'dashed' },
    missing: { color: '#505a5f', style: 'dotted' }
  }
  var SECTOR = {
    person_family: '#912b88',
    community: '#00703c',
    local_services: '#1d70b8',
    acute_services: '#003078'
  }

  function checked (name) {
    return Array.prototype.map.call(form.querySelectorAll('input[name="' + name + '"]:checked'), function (i) { return i.value })
  }

  // Rings as in the brief's picture of the system: the person alone at the centre, then one
  // ring per sector (person and family, community, local services, acute services), each ring
  // wide enough for its actors and turned a little so that rings don't line up in a spoke.
  function ringPositions (cy, centre) {
    var rings = {}
    cy.nodes().forEach(function (node) {
      if (node.id() === centre) return
      var index = 5 - node.data('ring')
      ;(rings[index] = rings[index] || []).push(node)
    })
    var positions = {}
    if (centre) positions[centre] = { x: 0, y: 0 }
    var radius = 0
    Object.keys(rings).sort().forEach(function (index) {
      var nodes = rings[index].sort(function (a, b) { return a.data('kind') < b.data('kind') ? -1 : 1 })
      radius = Math.max(radius + 110, nodes.length * 46 / (2 * Math.PI))
      nodes.forEach(function (node, i) {
        var angle = (2 * Math.PI * i) / nodes.length + Number(index) * 0.7 - Math.PI / 2
        positions[node.id()] = { x: radius * Math.cos(angle), y: radius * Math.sin(angle) }
      })
    })
    return positions
  }

  function layoutOptions (cy, name, centre, view) {
    if (name === 'force' || view === 'groups') {
      return { name: 'cose', animate: false, randomize: false, nodeRepulsion: function () { return 8000 }, padding: 20 }
    }
    var positions = ringPositions(cy, centre)
    return { name: 'preset', padding: 20, fit: true, positions: function (node) { return positions[node.id()] } }
  }

  // A large map's JSON starts with its groups (view "groups"); an actor selected there, or
  // "Show every actor", fetches the detail from the same endpoint.
  var showAll = document.getElementById('map-show-all')
  var current = null

  function load (url) {
    element.dataset.ready = 'false'
    return fetch(url, { credentials: 'same-origin' })
      .then(function (response) { return response.json() })
      .then(draw)
  }

  // Labels stay readable when a large drawing is fitted to the box: their size is set in
  // screen pixels, not in the drawing's own units.
  function readableLabels (cy) {
    var size = Math.min(48, 14 / Math.max(cy.zoom(), 0.25))
    cy.style().selector('node').style('font-size', size).selector('node[?group]').style('font-size', size * 1.15).update()
  }

  function draw (data) {
      if (current) current.destroy()
      element.dataset.view = data.view || 'all'
      if (showAll) showAll.hidden = data.view !== 'groups' && data.view !== 'focus'
      var cy = window.cytoscape({
        container: element,
        elements: { nodes: data.nodes, edges: data.edges },
        wheelSensitivity: 0.3,
        style: [
          {
            selector: 'node',
            style: {
              label: 'data(label)',
              'font-size': 11,
              'text-wrap': 'wrap',
              'text-max-width': 110,
              'text-valign': 'bottom',
              'text-margin-y': 3,
              'text-background-color': '#ffffff',
              'text-background-opacity': 0.8,
              'text-background-padding': 1,
              width: 24,
              height: 24,
              'background-color': function (n) { return SECTOR[n.data('sector')] || '#505a5f' },
              'border-width': 1,
              'border-color': '#0b0c0c'
            }
          },
          { selector: 'node[?personal]', style: { shape: 'round-rectangle' } },
          {
            selector: 'node[?group]',
            style: {
              shape: 'round-rectangle',
              'background-color': '#f3f2f1',
              'background-opacity': 0.9,
              'border-color': '#505a5f',
              'text-valign': 'top',
              width: function (n) { return 30 + 8 * Math.sqrt(n.data('size') || 1) },
              height: function (n) { return 30 + 8 * Math.sqrt(n.data('size') || 1) }
            }
          },
          { selector: 'node[?broker]', style: { 'border-width': 4, 'border-color': '#0b0c0c' } },
          {
            selector: 'edge',
            style: {
              width: function (e) { return 1.5 + (e.data('strength') || 1) * 0.6 },
              'curve-style': 'bezier',
              'line-color': function (e) { return STATUS[e.data('status')].color },
              'line-style': function (e) { return STATUS[e.data('status')].style },
              'target-arrow-shape': 'triangle',
              'target-arrow-color': function (e) { return STATUS[e.data('status')].color },
              'arrow-scale': 0.9
            }
          },
          { selector: 'edge[direction = "both"]', style: { 'source-arrow-shape': 'triangle', 'source-arrow-color': function (e) { return STATUS[e.data('status')].color } } },
          { selector: 'edge[polarity = "+"]', style: { label: '+', 'font-size': 14 } },
          { selector: 'edge[polarity = "-"]', style: { label: '−', 'font-size': 14 } },
          {
            selector: 'edge[?summary]',
            style: {
              label: 'data(label)',
              width: function (e) { return 1 + Math.min(12, Math.sqrt(e.data('links'))) },
              'target-arrow-shape': 'none',
              'source-arrow-shape': 'none'
            }
          },
          { selector: 'edge[status = "missing"][!summary]', style: { width: 4 } },
          { selector: '.faded', style: { opacity: 0.12 } },
          { selector: '.focused', style: { 'border-width': 4, 'border-color': '#ffdd00' } }
        ]
      })
      current = cy
      element.cy = cy // for the browser tests and the curious

      function apply () {
        var statuses = checked('status')
        var kinds = checked('kind')
        var sectors = checked('sector')
        var focus = form.querySelector('#focus').value
        var size = form.querySelector('#size-by').value
        cy.batch(function () {
          cy.elements().removeClass('faded focused')
          if (data.centre) cy.getElementById(data.centre).addClass('focused')
          var keptEdges = cy.edges().filter(function (e) {
            if (statuses.length && statuses.indexOf(e.data('status')) < 0) return false
            if (kinds.length && kinds.indexOf(e.data('kind')) < 0) return false
            if (sectors.length && sectors.indexOf(e.source().data('sector')) < 0 && sectors.indexOf(e.target().data('sector')) < 0) return false
            return true
          })
          var keptNodes = cy.nodes().filter(function (n) {
            return !sectors.length || sectors.indexOf(n.data('sector')) >= 0
          })
          if (statuses.length || kinds.length) keptNodes = keptNodes.intersection(keptEdges.connectedNodes())
          if (focus) {
            var centre = cy.getElementById('a' + focus)
            if (centre.nonempty()) {
              centre.addClass('focused')
              keptEdges = keptEdges.intersection(centre.connectedEdges())
              keptNodes = keptNodes.intersection(centre.closedNeighborhood().nodes()).union(centre)
            }
          }
          cy.edges().difference(keptEdges).addClass('faded')
          cy.nodes().difference(keptNodes).addClass('faded')
          if (size) {
            var values = cy.nodes().map(function (n) { return n.data(size) || 0 })
            var most = Math.max.apply(null, values.concat([0.0001]))
            cy.nodes().forEach(function (n) {
              var d = 18 + 42 * ((n.data(size) || 0) / most)
              n.style({ width: d, height: d })
            })
          } else {
            cy.nodes().removeStyle('width height')
          }
        })
        element.dataset.faded = String(cy.elements('.faded').length)
      }

      function relayout () {
        cy.layout(layoutOptions(cy, form.querySelector('#layout').value, data.centre, data.view)).run()
        if (data.centre) cy.getElementById(data.centre).addClass('focused')
        readableLabels(cy)
      }

      relayout()
      apply()
      cy.on('tap', 'node', function (event) {
        var pk = event.target.data('pk')
        if (!pk) return // a group
        if (element.dataset.focusUrl && data.view !== 'all') {
          setFocus(pk)
          load(element.dataset.focusUrl + '?focus=' + pk)
          return
        }
        setFocus(pk)
        apply()
      })
      cy.on('tap', function (event) {
        if (event.target === cy) { form.querySelector('#focus').value = ''; apply() }
      })
      reapply = apply
      redo = relayout
      element.dataset.ready = 'true'
  }

  var reapply = function () {}
  var redo = function () {}

  // The focus list holds one page of actors: an actor chosen in the drawing may not be in it.
  function setFocus (pk) {
    var select = form.querySelector('#focus')
    if (!select.querySelector('option[value="' + pk + '"]')) {
      var node = current && current.getElementById('a' + pk)
      var option = document.createElement('option')
      option.value = pk
      option.textContent = node && node.nonempty() ? node.data('label') : String(pk)
      select.appendChild(option)
    }
    select.value = pk
  }

  form.addEventListener('change', function (event) {
    if (event.target.id === 'layout') redo()
    reapply()
  })
  if (showAll) showAll.addEventListener('click', function () { load(element.dataset.all) })
  load(element.dataset.elements)
})()

// Draws a neighbourhood's LSOAs with Leaflet from the page's GeoJSON, shaded by national IMD
// decile. No tile server: the boundaries are the map. The table on the page says the same.
(function () {
  'use strict'
  var element = document.getElementById('lsoa-map')
  if (!element || !window.L) return
  var colours = ['#08306b', '#08519c', '#2171b5', '#4292c6', '#6baed6', '#9ecae1', '#c6dbef', '#deebf7', '#eff3ff', '#f7fbff']
  fetch(element.dataset.geojson, { credentials: 'same-origin' })
    .then(function (response) { return response.json() })
    .then(function (data) {
      var map = L.map(element, { attributionControl: true, zoomSnap: 0.25 })
      map.attributionControl.setPrefix(false)
      map.attributionControl.addAttribution('Contains OS data © Crown copyright and database right 2016; ONS, OGL v3.0')
      var layer = L.geoJSON(data, {
        style: function (feature) {
          return { color: '#0b0c0c', weight: 1, fillOpacity: 0.85, fillColor: colours[feature.properties.imd_decile - 1] }
        },
        onEachFeature: function (feature, featureLayer) {
          var p = feature.properties
          featureLayer.bindTooltip(p.name + ' (' + p.code + '): decile ' + p.imd_decile + ', rank ' + p.imd_rank)
        }
      }).addTo(map)
      map.fitBounds(layer.getBounds(), { padding: [10, 10] })
    })
})()

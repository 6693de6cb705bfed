/* Lienhiep: draws every <canvas data-chart="ID"> from the JSON of <script type="application/json" id="ID">
   (lienhiep.core.charts.Chart, put on the page by Django's json_script), with the vendored Chart.js.
   No inline script and no injected style sheet: the strict CSP (script-src 'self'; style-src 'self') holds.
   Readable in grey print: the series differ by lightness and by pattern (solid, stripes, dots, cross-hatch) or,
   for lines, by dash and point shape. Numbers in the Vietnamese format (1.234,5). */
(function () {
  'use strict'
  if (typeof window.Chart === 'undefined') return

  // Dark, middle and light tones: distinct in colour and in grey.
  const COLOURS = ['#1f4e79', '#d9822b', '#8fb8de', '#5b8c3a', '#7d3c98', '#b0b0b0']
  const DASHES = [[], [8, 4], [2, 3], [12, 3, 2, 3]]
  const POINTS = ['circle', 'rect', 'triangle', 'rectRot']

  function pattern (colour, index) {
    // index 0: plain colour; then stripes, dots and cross-hatch in white over the colour.
    if (index % 4 === 0) return colour
    const size = 8
    const tile = document.createElement('canvas')
    tile.width = size
    tile.height = size
    const c = tile.getContext('2d')
    c.fillStyle = colour
    c.fillRect(0, 0, size, size)
    c.strokeStyle = 'rgba(255,255,255,0.85)'
    c.fillStyle = 'rgba(255,255,255,0.85)'
    c.lineWidth = 2
    if (index % 4 === 1) {
      c.beginPath(); c.moveTo(0, size); c.lineTo(size, 0); c.stroke()
      c.beginPath(); c.moveTo(-2, 2); c.lineTo(2, -2); c.stroke()
      c.beginPath(); c.moveTo(size - 2, size + 2); c.lineTo(size + 2, size - 2); c.stroke()
    } else if (index % 4 === 2) {
      c.beginPath(); c.arc(size / 2, size / 2, 1.6, 0, 2 * Math.PI); c.fill()
    } else {
      c.beginPath(); c.moveTo(0, size / 2); c.lineTo(size, size / 2); c.stroke()
      c.beginPath(); c.moveTo(size / 2, 0); c.lineTo(size / 2, size); c.stroke()
    }
    return c.createPattern(tile, 'repeat')
  }

  function formatter (spec) {
    const number = new Intl.NumberFormat('vi-VN', {
      minimumFractionDigits: 0,
      maximumFractionDigits: spec.decimals || 0
    })
    return function (value) {
      if (value === null || value === undefined) return '—'
      return number.format(value) + (spec.unit === '%' ? '%' : '')
    }
  }

  function wrap (label, width) {
    // A label longer than width characters, split between words into lines (Chart.js draws an array as lines).
    if (typeof label !== 'string' || label.length <= width) return label
    const lines = []
    let line = ''
    label.split(' ').forEach(function (word) {
      if (line && (line + ' ' + word).length > width) {
        lines.push(line)
        line = word
      } else {
        line = line ? line + ' ' + word : word
      }
    })
    if (line) lines.push(line)
    return lines
  }

  function config (spec) {
    const format = formatter(spec)
    const horizontal = spec.kind === 'hbar' || spec.kind === 'hstacked'
    const stacked = spec.kind === 'stacked' || spec.kind === 'hstacked'
    const line = spec.kind === 'line'
    const datasets = spec.series.map(function (series, i) {
      const colour = COLOURS[i % COLOURS.length]
      const dataset = { label: series.name, data: series.values }
      if (line) {
        Object.assign(dataset, {
          borderColor: colour,
          backgroundColor: colour,
          borderDash: DASHES[i % DASHES.length],
          pointStyle: POINTS[i % POINTS.length],
          pointRadius: 4,
          spanGaps: false,
          tension: 0
        })
      } else {
        Object.assign(dataset, { backgroundColor: pattern(colour, i), borderColor: colour, borderWidth: 1 })
      }
      return dataset
    })
    const valueAxis = {
      beginAtZero: true,
      stacked: stacked,
      ticks: { callback: function (value) { return format(value) }, precision: spec.unit === '%' ? undefined : 0 }
    }
    if (spec.unit === '%') valueAxis.max = 100
    const categoryAxis = { stacked: stacked, ticks: { autoSkip: !horizontal } }
    if (horizontal) {
      // Long names (agencies, localities, schools) on two lines or more, never cut off at the canvas' edge.
      categoryAxis.ticks.callback = function (value) {
        return wrap(this.getLabelForValue(value), this.chart.width < 576 ? 24 : 36)
      }
    }
    return {
      type: line ? 'line' : 'bar',
      data: { labels: spec.labels, datasets: datasets },
      options: {
        locale: 'vi-VN',
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: horizontal ? 'y' : 'x',
        scales: horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
        plugins: {
          legend: { display: spec.series.length > 1, position: 'bottom' },
          tooltip: {
            callbacks: {
              label: function (item) { return item.dataset.label + ': ' + format(item.raw) }
            }
          }
        }
      }
    }
  }

  function draw (canvas) {
    const source = document.getElementById(canvas.dataset.chart)
    if (!source || canvas.dataset.chartReady) return
    const spec = JSON.parse(source.textContent)
    if (spec.kind === 'hbar' || spec.kind === 'hstacked') {
      // Room for each label's bars (one when stacked, one per series otherwise), so long names stay readable.
      const bars = spec.kind === 'hstacked' ? 1 : spec.series.length
      canvas.parentElement.style.height = Math.max(12, (1.2 + bars) * spec.labels.length + 4) + 'rem'
    }
    new window.Chart(canvas, config(spec)) // eslint-disable-line no-new
    canvas.dataset.chartReady = '1'
  }

  function drawAll (root) {
    root.querySelectorAll('canvas[data-chart]').forEach(draw)
  }

  drawAll(document)
  document.addEventListener('htmx:afterSettle', function (event) { drawAll(event.target) })
  window.addEventListener('beforeprint', function () {
    Object.values(window.Chart.instances).forEach(function (chart) { chart.resize() })
  })
})()

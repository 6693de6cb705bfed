/* Lienhiep: the type-ahead picker (lienhiep.core.widgets.Picker / PickerMultiple). Every <select data-picker="URL">
   becomes a search box with the vendored Tom Select: the options written into the page are searched at once
   (Tom Select folds diacritics, đ included), and from the second letter typed the endpoint at URL is asked for
   the records the viewer may choose: {"results": [{"value", "text", "hint", "search"}], "more": bool}.
   A <select data-picker-complete> holds the whole list already and is only searched here.
   Without this script the <select> stays a plain list that keeps the chosen records.
   No inline script and no injected style sheet (Tom Select sets sizes through the CSSOM only): the strict CSP holds. */
(function () {
  'use strict'
  if (typeof window.TomSelect === 'undefined') return

  const MIN_LETTERS = 2

  function hintLine (data, escape) {
    return data.hint ? '<small class="d-block text-body-secondary">' + escape(data.hint) + '</small>' : ''
  }

  // A choice of administrative units (LocalityPicker): the units that did not exist on the form's day (marked by
  // the script below: "unavailable", "reason") come after the others, greyed out, each saying why.
  function localize (settings) {
    settings.sortField = [{ field: 'unavailable' }].concat(settings.sortField)
    function why (data, escape) {
      return data.reason ? '<small class="d-block lh-unit-reason">' + escape(data.reason) + '</small>' : ''
    }
    settings.render.option = function (data, escape) {
      return '<div>' + escape(data.text) + (why(data, escape) || hintLine(data, escape)) + '</div>'
    }
    settings.render.item = function (data, escape) {
      return '<div>' + escape(data.text) + why(data, escape) + '</div>'
    }
  }

  function enhance (select) {
    if (select.tomselect) return
    const url = select.dataset.picker
    const multiple = select.multiple
    const remote = !select.hasAttribute('data-picker-complete')
    const settings = {
      valueField: 'value',
      labelField: 'text',
      // the name, and the folded text the server searched (an agency's short name, a document's subject)
      searchField: ['text', 'search'],
      // the best matches first; among equals, the order the server gives (Vietnamese order, given name first)
      sortField: [{ field: '$score' }, { field: '$order' }],
      placeholder: select.dataset.pickerPlaceholder || '',
      plugins: multiple ? { remove_button: { title: select.dataset.pickerRemove || '' } } : [],
      maxOptions: 50,
      loadThrottle: 250,
      hidePlaceholder: false,
      closeAfterSelect: !multiple,
      shouldLoad: function (query) { return query.trim().length >= MIN_LETTERS },
      load: function (query, callback) {
        const address = url + (url.indexOf('?') === -1 ? '?' : '&') + 'q=' + encodeURIComponent(query)
        fetch(address, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
          .then(function (response) { return response.ok ? response.json() : { results: [] } })
          .then(function (answer) { callback(answer.results || []) })
          .catch(function () { callback() })
      },
      render: {
        option: function (data, escape) {
          return '<div>' + escape(data.text) + hintLine(data, escape) + '</div>'
        },
        item: function (data, escape) {
          return '<div>' + escape(data.text) + '</div>'
        },
        no_results: function (data) {
          const text = remote && data.input.trim().length < MIN_LETTERS
            ? select.dataset.pickerShort
            : select.dataset.pickerEmpty
          const div = document.createElement('div')
          div.className = 'no-results'
          div.textContent = text || ''
          return div
        }
      }
    }
    if (!remote) {
      // the whole list is in the page: searched here, the endpoint is not asked
      delete settings.load
      delete settings.shouldLoad
      // searched at once: a search still waiting (Tom Select waits 300 ms by default) would open the list again
      // after a quick pick had closed it, over the fields below
      settings.refreshThrottle = 0
    }
    if (select.hasAttribute('data-locality-day')) localize(settings)
    const picker = new window.TomSelect(select, settings)
    // Tom Select gives the field's label to its search box; the help text goes with it. The original <select>
    // stays in the page only to be sent with the form, out of the keyboard's way (tabindex -1), and now out of
    // the screen reader's too.
    const help = select.getAttribute('aria-describedby')
    if (help) picker.control_input.setAttribute('aria-describedby', help)
    select.setAttribute('aria-hidden', 'true')
  }

  function enhanceAll (root) {
    (root || document).querySelectorAll('select[data-picker]').forEach(enhance)
  }

  enhanceAll(document)
  // forms brought in by htmx
  document.addEventListener('htmx:load', function (event) { enhanceAll(event.target) })
})()

/* Lienhiep: the choice of an administrative unit (lienhiep.core.widgets.LocalityPicker), with or without Tom Select.
   Each option knows the days its unit existed (data-valid-from, data-valid-to, ISO) and why it may not be chosen
   on another day (data-gone: «Đã sáp nhập vào … từ 01/07/2025», data-not-yet). The units that did not exist on the
   form's day are disabled, say why, and come last. The day: the first filled of the date fields named in
   data-locality-day, else the form's only date field, else today; read again as it is typed (a day half typed
   changes nothing). The unit chosen is never disabled (a disabled option is not sent): the form's check names
   its successor. */
;(function () {
  'use strict'

  function pad (number, width) {
    return String(number).padStart(width || 2, '0')
  }

  function iso (year, month, day) {
    const date = new Date(year, month - 1, day)
    if (date.getFullYear() !== year || date.getMonth() !== month - 1 || date.getDate() !== day) return null
    return pad(year, 4) + '-' + pad(month) + '-' + pad(day)
  }

  // dd/mm/yyyy (or with - or .) as the date fields read it, or yyyy-mm-dd; null if it is not a day (yet)
  function dayOf (text) {
    let parts = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text)
    if (parts) return iso(+parts[3], +parts[2], +parts[1])
    parts = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text)
    return parts ? iso(+parts[1], +parts[2], +parts[3]) : null
  }

  function today () {
    const now = new Date()
    return iso(now.getFullYear(), now.getMonth() + 1, now.getDate())
  }

  function dayFields (select) {
    const form = select.form
    if (!form) return []
    const names = (select.dataset.localityDay || '').split(/\s+/).filter(Boolean)
    if (!names.length) {
      const dates = form.querySelectorAll('input[data-date]')
      return dates.length === 1 ? [dates[0]] : []
    }
    return names.map(function (name) { return form.elements.namedItem(name) }).filter(function (field) {
      return field && field.tagName === 'INPUT'
    })
  }

  // the day the unit must exist on; null while the first filled field does not hold a whole day
  function dayFor (fields) {
    for (const field of fields) {
      const text = field.value.trim()
      if (text) return dayOf(text)
    }
    return today()
  }

  function mark (select, day) {
    const picker = select.tomselect
    const redraw = []
    Array.prototype.forEach.call(select.options, function (option) {
      if (!option.value) return
      const from = option.dataset.validFrom
      const to = option.dataset.validTo
      const reason = to && day > to ? option.dataset.gone : from && day < from ? option.dataset.notYet : ''
      const chosen = picker ? picker.items.indexOf(option.value) !== -1 : option.selected
      const off = Boolean(reason) && !chosen
      option.disabled = off
      const data = picker && picker.options[option.value]
      if (data) {
        const before = data.reason || ''
        data.disabled = off
        data.reason = reason || ''
        data.unavailable = reason ? 1 : 0
        if (chosen && before !== data.reason) redraw.push(data) // the chosen unit says why the form will refuse it
      }
    })
    if (picker) {
      picker.clearCache()
      redraw.forEach(function (data) { picker.updateOption(data.value, Object.assign({}, data)) })
      if (picker.isOpen) picker.refreshOptions(false)
    }
    select.dataset.localityOn = day // what the greying was made for (tests read it)
  }

  function watch (select) {
    if (select.dataset.localityWatched) return
    select.dataset.localityWatched = '1'
    const fields = dayFields(select)
    function update () {
      const day = dayFor(fields)
      if (day && day !== select.dataset.localityOn) mark(select, day)
    }
    fields.forEach(function (field) {
      field.addEventListener('input', update)
      field.addEventListener('change', update)
    })
    // another unit chosen: the one left may now be greyed out
    if (select.tomselect) {
      select.tomselect.on('change', function () {
        mark(select, dayFor(fields) || select.dataset.localityOn || today())
      })
    }
    update()
  }

  function watchAll (root) {
    (root || document).querySelectorAll('select[data-locality-day]').forEach(watch)
  }

  watchAll(document)
  document.addEventListener('htmx:load', function (event) { watchAll(event.target) })
})()

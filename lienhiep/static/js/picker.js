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
    }
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

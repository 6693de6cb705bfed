/* Lienhiep: small CSP-safe behaviour (script-src 'self'), loaded with `defer`.
   Replaces the inline onclick/onchange handlers the CSP forbids, and names the file a file picker holds. */
(function () {
  'use strict'

  // (a) <button data-confirm="Remove this file?"> (or <a>, <input>, or a <form data-confirm>):
  // ask before acting. Capture phase, so a refusal also stops htmx and other listeners.
  document.addEventListener('click', function (event) {
    const el = event.target instanceof Element ? event.target.closest('[data-confirm]') : null
    if (!el || el.tagName === 'FORM') return
    if (!window.confirm(el.dataset.confirm)) {
      event.preventDefault()
      event.stopImmediatePropagation()
    }
  }, true)

  document.addEventListener('submit', function (event) {
    const form = event.target
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-confirm')) return
    // A submit button carrying its own data-confirm was already asked on click.
    if (event.submitter && event.submitter.hasAttribute('data-confirm')) return
    if (!window.confirm(form.dataset.confirm)) {
      event.preventDefault()
      event.stopImmediatePropagation()
    }
  }, true)

  // (b) <select data-autosubmit> (or any field with it, or a form with it): submit the form on change.
  // requestSubmit() fires the submit event, so htmx-enhanced forms and validation still apply.
  document.addEventListener('change', function (event) {
    const el = event.target instanceof Element ? event.target.closest('[data-autosubmit]') : null
    if (!el) return
    const form = el instanceof HTMLFormElement ? el : el.form
    if (!form) return
    if (typeof form.requestSubmit === 'function') {
      form.requestSubmit()
    } else {
      form.submit()
    }
  })

  // (c) htmx: send Django's CSRF token, read from <meta name="csrf-token" content="...">.
  document.addEventListener('htmx:configRequest', function (event) {
    const meta = document.querySelector('meta[name="csrf-token"]')
    if (meta && meta.content) {
      event.detail.headers['X-CSRFToken'] = meta.content
    }
  })

  // (d) <form data-unsaved-warning>: typed but not saved, leaving the page asks first (the browser's own question).
  // Saving the form (submitting it) is not leaving.
  const dirty = new Set()
  document.addEventListener('input', function (event) {
    const form = event.target instanceof Element ? event.target.closest('form[data-unsaved-warning]') : null
    if (form) dirty.add(form)
  })
  document.addEventListener('submit', function (event) {
    if (!event.defaultPrevented) dirty.delete(event.target)
  })
  window.addEventListener('beforeunload', function (event) {
    if (dirty.size === 0) return
    event.preventDefault()
    event.returnValue = ''
  })

  // (e) The file picker (core/widgets.py FilePicker, <label class="lh-file">): the chosen files' names beside the
  // button, in place of the browser's own words; a reset form says «no file chosen» again.
  function showChosenFiles (input) {
    const box = input.closest('.lh-file')
    const name = box ? box.querySelector('.lh-file-name') : null
    if (!name) return
    const files = Array.from(input.files || []).map(function (file) { return file.name })
    name.textContent = files.length ? files.join(', ') : name.dataset.empty
    box.classList.toggle('lh-file-chosen', files.length > 0)
  }
  document.addEventListener('change', function (event) {
    const input = event.target
    if (input instanceof HTMLInputElement && input.type === 'file') showChosenFiles(input)
  })
  document.addEventListener('reset', function (event) {
    const form = event.target
    if (!(form instanceof HTMLFormElement)) return
    window.setTimeout(function () {
      form.querySelectorAll('.lh-file input[type=file]').forEach(showChosenFiles)
    })
  })
})()

// Progressive enhancement: polls the import's JSON status, moves the bar and says how many rows are done;
// without it, the page offers a link to reload. Reloads once the headings are read or the import has
// finished, to show the next step. Polling stops after 30 minutes: it never keeps an idle session alive
// (the status request does not extend the session either).
const box = document.querySelector('[data-module="cr-import-progress"]')
if (box) {
  const bar = box.querySelector('progress')
  const text = box.querySelector('.cr-progress__text')
  const url = box.dataset.statusUrl
  const stopAt = Date.now() + 30 * 60 * 1000
  const poll = async () => {
    if (Date.now() > stopAt) return
    try {
      const response = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      if (!response.ok) return
      const state = await response.json()
      if (state.finished) { window.location.reload(); return }
      bar.value = state.percent
      bar.textContent = `${state.percent}%`
      text.textContent = state.total ? `${state.done} of about ${state.total} rows done` : `${state.done} rows done`
    } catch (error) {
      // The reload link still works; try again on the next tick.
    }
    window.setTimeout(poll, 1000)
  }
  window.setTimeout(poll, 1000)
}

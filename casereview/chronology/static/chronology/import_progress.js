// Progressive enhancement: polls the import's JSON status and moves the bar; without it, the page
// offers a link to reload. Reloads once the import has finished, to show the result.
const box = document.querySelector('[data-module="cr-import-progress"]')
if (box) {
  const bar = box.querySelector('progress')
  const text = box.querySelector('.cr-progress__text')
  const url = box.dataset.statusUrl
  const poll = async () => {
    try {
      const response = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      if (!response.ok) return
      const state = await response.json()
      if (state.finished) { window.location.reload(); return }
      bar.value = state.percent
      bar.textContent = `${state.percent}%`
      text.textContent = state.total ? `${state.done} of about ${state.total} rows` : `${state.done} rows`
    } catch (error) {
      // The reload link still works; try again on the next tick.
    }
    window.setTimeout(poll, 1000)
  }
  window.setTimeout(poll, 1000)
}

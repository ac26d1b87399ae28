// A GitHub-like frame for the job summary HTML that the action writes to
// GITHUB_STEP_SUMMARY: the summary card of an Actions run page (header bar,
// markdown-body typography, bordered zebra tables). Everything is inline: the
// page must render offline in a headless browser, with no fonts or CSS fetched.
//
// Used by scripts/render-summary.mjs (docs/summary-full.png, docs/summary.png) and by
// __tests__/summary-render.test.ts.

/** Flags for a headless Chromium on a machine with no network besides package registries. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
]

/** Debian's Chromium (apt-get install -y chromium), or $CHROMIUM_PATH. */
export function chromiumPath() {
  return process.env.CHROMIUM_PATH || '/usr/bin/chromium'
}

const CSS = `
*, *::before, *::after { box-sizing: border-box; }
html, body { margin: 0; padding: 0; }
body {
  background: #f6f8fa;
  color: #1f2328;
  font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif,
    "Apple Color Emoji", "Segoe UI Emoji";
  font-size: 14px;
  line-height: 1.5;
  -webkit-font-smoothing: antialiased;
}
.frame { padding: 24px; }
.card {
  background: #ffffff;
  border: 1px solid #d1d9e0;
  border-radius: 6px;
  overflow: hidden;
}
.card-header {
  display: flex;
  align-items: center;
  gap: 8px;
  padding: 12px 16px;
  background: #f6f8fa;
  border-bottom: 1px solid #d1d9e0;
  font-size: 14px;
  font-weight: 600;
}
.card-header svg { flex: none; fill: #59636e; }
.markdown-body {
  padding: 24px 32px 16px;
  font-size: 14px;
  line-height: 1.5;
  word-wrap: break-word;
}
.markdown-body > *:first-child { margin-top: 0 !important; }
.markdown-body h1, .markdown-body h2, .markdown-body h3 {
  margin-top: 24px;
  margin-bottom: 16px;
  font-weight: 600;
  line-height: 1.25;
  padding-bottom: 0.3em;
  border-bottom: 1px solid #d1d9e0b3;
}
.markdown-body h1 { font-size: 2em; }
.markdown-body h2 { font-size: 1.5em; }
.markdown-body h3 { font-size: 1.25em; }
.markdown-body p, .markdown-body ul, .markdown-body ol, .markdown-body table {
  margin-top: 0;
  margin-bottom: 16px;
}
.markdown-body ul, .markdown-body ol { padding-left: 2em; }
.markdown-body li + li { margin-top: 0.25em; }
.markdown-body code {
  padding: 0.2em 0.4em;
  font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace;
  font-size: 85%;
  background: #818b981f;
  border-radius: 6px;
}
.markdown-body table {
  display: block;
  width: max-content;
  max-width: 100%;
  overflow: auto;
  border-spacing: 0;
  border-collapse: collapse;
  font-variant: tabular-nums;
}
.markdown-body tr { background: #ffffff; border-top: 1px solid #d1d9e0b3; }
.markdown-body tr:nth-child(2n) { background: #f6f8fa; }
.markdown-body th, .markdown-body td { padding: 6px 13px; border: 1px solid #d1d9e0; }
.markdown-body th { font-weight: 600; }
.markdown-body > *:last-child { margin-bottom: 0 !important; }
`

// Octicon "checklist" (16px), inline so nothing is fetched.
const ICON =
  '<svg aria-hidden="true" width="16" height="16" viewBox="0 0 16 16"><path d="M2.5 1.75v11.5c0 .138.112.25.25.25h3.17a.75.75 0 0 1 0 1.5H2.75A1.75 1.75 0 0 1 1 13.25V1.75C1 .784 1.784 0 2.75 0h8.5C12.216 0 13 .784 13 1.75v7.736a.75.75 0 0 1-1.5 0V1.75a.25.25 0 0 0-.25-.25h-8.5a.25.25 0 0 0-.25.25Zm13.274 9.537v-.001l-4.557 4.45a.75.75 0 0 1-1.055-.008l-1.943-1.95a.75.75 0 0 1 1.062-1.058l1.419 1.425 4.026-3.932a.75.75 0 1 1 1.048 1.074ZM4.75 4h4.5a.75.75 0 0 1 0 1.5h-4.5a.75.75 0 0 1 0-1.5ZM4 7.75A.75.75 0 0 1 4.75 7h2a.75.75 0 0 1 0 1.5h-2A.75.75 0 0 1 4 7.75Z"></path></svg>'

function escapeHtml(text) {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/**
 * A complete HTML document showing `summaryHtml` (the GITHUB_STEP_SUMMARY
 * content, inserted as is) in a GitHub-like job-summary card.
 *
 * @param {string} summaryHtml
 * @param {{ title?: string }} [options] title: the card's header text.
 * @returns {string}
 */
export function summaryPage(summaryHtml, { title = 'clear-app-caches summary' } = {}) {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<div class="frame">
<section class="card" id="summary-card">
<header class="card-header">${ICON}<span>${escapeHtml(title)}</span></header>
<article class="markdown-body" id="summary">
${summaryHtml}
</article>
</section>
</div>
</body>
</html>
`
}

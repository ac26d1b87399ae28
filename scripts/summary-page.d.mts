// Types for summary-page.mjs, so TypeScript tests can import it.

/** Flags for a headless Chromium on a machine with no network besides package registries. */
export declare const CHROMIUM_ARGS: string[]

/** Debian's Chromium (apt-get install -y chromium), or $CHROMIUM_PATH. */
export declare function chromiumPath(): string

/**
 * A complete HTML document showing `summaryHtml` (the GITHUB_STEP_SUMMARY
 * content, inserted as is) in a GitHub-like job-summary card.
 */
export declare function summaryPage(summaryHtml: string, options?: { title?: string }): string

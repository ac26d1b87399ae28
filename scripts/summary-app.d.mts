// Types for summary-app.mjs, so TypeScript tests can import it.

/** Builds the pictures' Next.js + Django app under `base`/app (about 12 MB of caches); returns that directory. */
export declare function makeApp(base: string): string

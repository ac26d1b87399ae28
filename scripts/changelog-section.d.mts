// Types for changelog-section.mjs, so TypeScript tests can import it.

/** The body of `version`'s section (1.2.3 or v1.2.3), trimmed; undefined when there is none or it is empty. */
export declare function changelogSection(markdown: string, version: string): string | undefined

/** The CLI: prints the section; returns the exit code (0, 1 without notes, 2 on usage errors). */
export declare function main(argv: string[]): number

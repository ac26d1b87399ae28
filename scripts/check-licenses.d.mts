// Types for check-licenses.mjs, so TypeScript tests can import it.

export interface BundledEntry {
  name: string
  license: string | undefined
}

export interface RuntimePackage {
  name: string
  version: string
  license: string | undefined
  optional: boolean
  installed: boolean
}

export interface LicenseCheck {
  ok: boolean
  bundled: BundledEntry[]
  runtime: RuntimePackage[]
  errors: string[]
  warnings: string[]
}

export declare const ALLOWED: string[]
export declare const NOT_BUNDLED: Record<string, string>

/** Entries of ncc's licenses.txt ("NAME\nLICENSE-ID\nTEXT\n\n" per package, sorted by name). */
export declare function parseLicensesTxt(text: string): BundledEntry[]

/** True when an SPDX expression is satisfied by the allowlist. */
export declare function isAllowed(expression: string | undefined, allowed?: string[]): boolean

/** The license a package.json declares ("license", or the old "licenses" array). */
export declare function declaredLicense(manifest: Record<string, unknown>): string | undefined

/** Runtime (non-dev) packages of a package-lock.json, with their license. */
export declare function runtimePackages(lock: unknown, root?: string): RuntimePackage[]

export declare function checkLicenses(options: {
  licensesTxt: string
  lock?: unknown
  root?: string
  allowed?: string[]
  notBundled?: Record<string, string>
}): LicenseCheck

/** The CLI; returns the exit code. */
export declare function main(argv: string[]): number

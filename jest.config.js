// ESM jest, as in actions/typescript-action: ts-jest's ESM preset, run with
// NODE_OPTIONS=--experimental-vm-modules (see package.json "test:unit").
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  testMatch: ['**/__tests__/**/*.test.ts'],
  testPathIgnorePatterns: ['/dist/', '/node_modules/'],
  moduleFileExtensions: ['ts', 'js'],
  // Sources import './x.js' (NodeNext); map that back to the .ts file.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true }]
  },
  // Docker and bundle tests touch real engines and disks; keep them honest
  // but give them time.
  testTimeout: 120000,
  // Two test files at once, even on CI's 2 cores (jest's default there is
  // one): the engine-heavy files mostly wait (dockerd and containerd starts,
  // builds, settle polls, sshd), so two overlap well. Each file's engines,
  // scratch filesystems, sockets, ports and namespaces are its own.
  // CAC_JEST_WORKERS overrides (1 = one file at a time).
  maxWorkers: Number(process.env.CAC_JEST_WORKERS ?? 2),
  verbose: false
}

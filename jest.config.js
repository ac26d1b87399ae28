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
  verbose: false
}

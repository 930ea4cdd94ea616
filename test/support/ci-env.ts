// One rule for "running under CI" across the tests: any non-empty CI other than "false" or "0"
// (CI=true, CI=1, CI=yes…), so a test that may not skip under CI fails alike everywhere.
export function isCI(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.CI?.trim().toLowerCase() ?? '';
  return value !== '' && value !== 'false' && value !== '0';
}

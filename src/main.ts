// The action's front door, as actions/typescript-action's run(): inputs
// through @actions/core (read once, by src/inputs.ts), the report through the
// action's sink (src/action-sink.ts), and one setFailed at the end.
import * as core from '@actions/core'
import { actionSink, maskSecret } from './action-sink.js'
import { abortOnSignals } from './cancel.js'
import { SshError } from './host/ssh-error.js'
import { InputError, readSettings, type Settings } from './inputs.js'
import { clearAppCaches } from './pipeline.js'
import { PlanError } from './plan.js'
import { emptyReport, failureMessage, progressLine, writeReport, type Report } from './report.js'

/**
 * The action: read inputs, clear, report; fail the step once, at the end, if
 * anything went wrong. A cancelled job (SIGINT, then SIGTERM) stops deleting,
 * reports what it freed and fails the step.
 */
export async function run(signal: AbortSignal = abortOnSignals()): Promise<void> {
  const sink = actionSink()
  let report: Report = emptyReport()
  let summary = true
  let failure: string | undefined
  try {
    const settings = await readSettings(
      (name) => core.getInput(name),
      process.cwd(),
      process.env.GITHUB_WORKSPACE,
      process.env
    )
    maskSshSecrets(settings)
    summary = settings.summary
    report = await clearAppCaches(settings, {
      onProgress: (progress) => sink.log(progressLine(progress)),
      onActionsCacheLog: (line) => sink.log(line),
      signal
    })
    failure = failureMessage(report)
  } catch (error) {
    // Bad input, or a host we could not reach or trust, stops the run before
    // anything is touched: no summary then.
    const expected = error instanceof InputError || error instanceof PlanError || error instanceof SshError
    summary = summary && !expected
    failure = error instanceof Error ? error.message : String(error)
    if (error instanceof Error && !expected) core.debug(error.stack ?? '')
  }
  // Every output is set, on failure too.
  await writeReport(report, sink, { summary })
  if (failure) core.setFailed(failure)
}

/** The SSH key, its passphrase and the known hosts never reach the log. */
function maskSshSecrets(settings: Settings): void {
  const ssh = settings.ssh
  if (!ssh) return
  for (const secret of [...ssh.privateKeys, ssh.passphrase ?? '', ssh.knownHosts]) maskSecret(secret)
}

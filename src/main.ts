import * as core from '@actions/core'
import { InputError, readSettings } from './inputs.js'
import { clearAppCaches } from './pipeline.js'
import { PlanError } from './plan.js'
import {
  emptyReport,
  failureMessage,
  logActionsCacheLine,
  logProgress,
  writeActionReport,
  type Report
} from './report.js'

/** The action: read inputs, clear, report; fail the step once, at the end, if anything went wrong. */
export async function run(): Promise<void> {
  let report: Report = emptyReport()
  let summary = true
  let failure: string | undefined
  try {
    const settings = readSettings(
      (name) => core.getInput(name),
      process.cwd(),
      process.env.GITHUB_WORKSPACE,
      process.env
    )
    summary = settings.summary
    report = await clearAppCaches(settings, { onProgress: logProgress, onActionsCacheLog: logActionsCacheLine })
    failure = failureMessage(report)
  } catch (error) {
    // Bad input stops the run before anything is touched: no summary then.
    summary = summary && !(error instanceof InputError || error instanceof PlanError)
    failure = error instanceof Error ? error.message : String(error)
    if (error instanceof Error && !(error instanceof InputError || error instanceof PlanError))
      core.debug(error.stack ?? '')
  }
  // Every output is set, on failure too.
  await writeActionReport(report, { summary })
  if (failure) core.setFailed(failure)
}

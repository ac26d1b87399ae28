export declare const REPO_ROOT: string
export declare function actionMain(): string
export declare function actionDefaults(): Record<string, string>
export declare function runnerEnv(options: {
  workspace: string
  inputs?: Record<string, string>
  outputFile: string
  summaryFile: string
  tempDir: string
}): Record<string, string>
export declare function parseOutputFile(text: string): Record<string, string>

"use strict";
exports.id = 943;
exports.ids = [943];
exports.modules = {

/***/ 2943:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 12 modules
var core = __webpack_require__(143);
;// CONCATENATED MODULE: ./src/action-sink.ts
// The action's side of the report (src/report.ts's ReportSink), on
// @actions/core: outputs through $GITHUB_OUTPUT, log lines and groups,
// annotations, the job summary through core.summary, and masks. Only the
// action's front door (src/main.ts) imports this, so only the action loads
// @actions/core; the CLI has its own sink (src/cli-sink.ts).

/** core.summary adds HTML as given: every text that came from the run is escaped first. */
function escapeHtml(text) {
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
/** Adds `blocks` to core.summary's buffer (write() appends it to $GITHUB_STEP_SUMMARY). */
function addSummaryBlocks(summary, blocks) {
    for (const block of blocks) {
        if ('heading' in block)
            summary.addHeading(escapeHtml(block.heading), block.level);
        else if ('paragraph' in block) {
            const strong = block.strong ? `<strong>${escapeHtml(block.strong)}</strong>` : '';
            summary.addRaw(`<p>${strong}${escapeHtml(block.paragraph)}</p>`, true);
        }
        else if ('header' in block) {
            summary.addTable([
                block.header.map((data) => ({ data: escapeHtml(data), header: true })),
                ...block.rows.map((row) => row.map(escapeHtml))
            ]);
        }
        else if ('fields' in block) {
            summary.addTable(block.fields.map(([label, value]) => [{ data: escapeHtml(label), header: true }, escapeHtml(value)]));
        }
        else {
            summary.addList(block.problems.map(({ level, text }) => `${level === 'error' ? '❌' : '⚠️'} ${escapeHtml(text)}`));
        }
    }
}
function actionSink() {
    return {
        output: (name, value) => core/* setOutput */.uH(name, value),
        log: (line) => core/* info */.pq(line),
        group: (title, lines) => {
            core/* startGroup */.Oh(title);
            for (const line of lines)
                core/* info */.pq(line);
            core/* endGroup */.N4();
        },
        annotation: (level, message) => (level === 'error' ? core/* error */.z3(message) : core/* warning */.$e(message)),
        summary: async (blocks) => {
            addSummaryBlocks(core/* summary */.z, blocks);
            try {
                await core/* summary */.z.write();
            }
            finally {
                // A write that failed keeps its buffer: nothing of it may reach a later write.
                core/* summary */.z.emptyBuffer();
            }
        }
    };
}
/** A secret (an SSH key, its passphrase, known hosts) never reaches the log, whole or line by line. */
function maskSecret(secret) {
    for (const line of new Set([secret, ...secret.split('\n')].map((text) => text.trim())))
        if (line !== '')
            core/* setSecret */.Pq(line);
}

// EXTERNAL MODULE: ./src/cancel.ts
var cancel = __webpack_require__(833);
// EXTERNAL MODULE: ./src/host/ssh-error.ts
var ssh_error = __webpack_require__(3279);
// EXTERNAL MODULE: ./src/inputs.ts
var inputs = __webpack_require__(8422);
// EXTERNAL MODULE: ./src/pipeline.ts + 5 modules
var pipeline = __webpack_require__(3033);
// EXTERNAL MODULE: ./src/plan.ts
var plan = __webpack_require__(2464);
// EXTERNAL MODULE: ./src/report.ts
var src_report = __webpack_require__(665);
;// CONCATENATED MODULE: ./src/main.ts
// The action's front door, as actions/typescript-action's run(): inputs
// through @actions/core (read once, by src/inputs.ts), the report through the
// action's sink (src/action-sink.ts), and one setFailed at the end.








/**
 * The action: read inputs, clear, report; fail the step once, at the end, if
 * anything went wrong. A cancelled job (SIGINT, then SIGTERM) stops deleting,
 * reports what it freed and fails the step.
 */
async function run(signal = (0,cancel/* abortOnSignals */.P)()) {
    const sink = actionSink();
    let report = (0,src_report/* emptyReport */._O)();
    let summary = true;
    let failure;
    try {
        const settings = await (0,inputs/* readSettings */.sb)((name) => core/* getInput */.V4(name), process.cwd(), process.env.GITHUB_WORKSPACE, process.env);
        maskSshSecrets(settings);
        summary = settings.summary;
        report = await (0,pipeline/* clearAppCaches */.i)(settings, {
            onProgress: (progress) => sink.log((0,src_report/* progressLine */.oz)(progress)),
            onActionsCacheLog: (line) => sink.log(line),
            signal
        });
        failure = (0,src_report/* failureMessage */.oh)(report);
    }
    catch (error) {
        // Bad input, or a host we could not reach or trust, stops the run before
        // anything is touched: no summary then.
        const expected = error instanceof inputs/* InputError */.dz || error instanceof plan/* PlanError */.W6 || error instanceof ssh_error/* SshError */.D;
        summary = summary && !expected;
        failure = error instanceof Error ? error.message : String(error);
        if (error instanceof Error && !expected)
            core/* debug */.Yz(error.stack ?? '');
    }
    // Every output is set, on failure too.
    await (0,src_report/* writeReport */.u5)(report, sink, { summary });
    if (failure)
        core/* setFailed */.C1(failure);
}
/** The SSH key, its passphrase and the known hosts never reach the log. */
function maskSshSecrets(settings) {
    const ssh = settings.ssh;
    if (!ssh)
        return;
    for (const secret of [...ssh.privateKeys, ssh.passphrase ?? '', ssh.knownHosts])
        maskSecret(secret);
}


/***/ })

};
;
"use strict";
exports.id = 730;
exports.ids = [730];
exports.modules = {

/***/ 1730:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   run: () => (/* binding */ run)
/* harmony export */ });
/* harmony import */ var _workflow_commands_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6137);
/* harmony import */ var _cancel_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(833);
/* harmony import */ var _host_ssh_error_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(3279);
/* harmony import */ var _inputs_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8422);
/* harmony import */ var _pipeline_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5795);
/* harmony import */ var _plan_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(2464);
/* harmony import */ var _report_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(665);







/**
 * The action: read inputs, clear, report; fail the step once, at the end, if
 * anything went wrong. A cancelled job (SIGINT, then SIGTERM) stops deleting,
 * reports what it freed and fails the step.
 */
async function run(signal = (0,_cancel_js__WEBPACK_IMPORTED_MODULE_5__/* .abortOnSignals */ .P)()) {
    let report = (0,_report_js__WEBPACK_IMPORTED_MODULE_4__/* .emptyReport */ ._O)();
    let summary = true;
    let failure;
    try {
        const settings = await (0,_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .readSettings */ .sb)((name) => _workflow_commands_js__WEBPACK_IMPORTED_MODULE_0__/* .getInput */ .V4(name), process.cwd(), process.env.GITHUB_WORKSPACE, process.env);
        maskSshSecrets(settings);
        summary = settings.summary;
        report = await (0,_pipeline_js__WEBPACK_IMPORTED_MODULE_2__/* .clearAppCaches */ .i)(settings, {
            onProgress: _report_js__WEBPACK_IMPORTED_MODULE_4__/* .logProgress */ .sc,
            onActionsCacheLog: _report_js__WEBPACK_IMPORTED_MODULE_4__/* .logActionsCacheLine */ .iW,
            signal
        });
        failure = (0,_report_js__WEBPACK_IMPORTED_MODULE_4__/* .failureMessage */ .oh)(report);
    }
    catch (error) {
        // Bad input, or a host we could not reach or trust, stops the run before
        // anything is touched: no summary then.
        const expected = error instanceof _inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz || error instanceof _plan_js__WEBPACK_IMPORTED_MODULE_3__/* .PlanError */ .W6 || error instanceof _host_ssh_error_js__WEBPACK_IMPORTED_MODULE_6__/* .SshError */ .D;
        summary = summary && !expected;
        failure = error instanceof Error ? error.message : String(error);
        if (error instanceof Error && !expected)
            _workflow_commands_js__WEBPACK_IMPORTED_MODULE_0__/* .debug */ .Yz(error.stack ?? '');
    }
    // Every output is set, on failure too.
    await (0,_report_js__WEBPACK_IMPORTED_MODULE_4__/* .writeActionReport */ .QN)(report, { summary });
    if (failure)
        _workflow_commands_js__WEBPACK_IMPORTED_MODULE_0__/* .setFailed */ .C1(failure);
}
/** The SSH key, its passphrase and the known hosts never reach the log, whole or line by line. */
function maskSshSecrets(settings) {
    const ssh = settings.ssh;
    if (!ssh)
        return;
    for (const secret of [...ssh.privateKeys, ssh.passphrase ?? '', ssh.knownHosts]) {
        for (const line of [secret, ...secret.split('\n')].map((text) => text.trim()))
            if (line !== '')
                _workflow_commands_js__WEBPACK_IMPORTED_MODULE_0__/* .setSecret */ .Pq(line);
    }
}


/***/ })

};
;
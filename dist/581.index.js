"use strict";
exports.id = 581;
exports.ids = [581];
exports.modules = {

/***/ 5581:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   EXIT_CANCELLED: () => (/* binding */ EXIT_CANCELLED),
/* harmony export */   EXIT_FAILED: () => (/* binding */ EXIT_FAILED),
/* harmony export */   EXIT_OK: () => (/* binding */ EXIT_OK),
/* harmony export */   EXIT_USAGE: () => (/* binding */ EXIT_USAGE),
/* harmony export */   renderText: () => (/* binding */ renderText),
/* harmony export */   runCli: () => (/* binding */ runCli),
/* harmony export */   userSshDefaults: () => (/* binding */ userSshDefaults)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7975);
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_util__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var _cancel_js__WEBPACK_IMPORTED_MODULE_12__ = __webpack_require__(833);
/* harmony import */ var _bytes_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(6136);
/* harmony import */ var _host_ssh_error_js__WEBPACK_IMPORTED_MODULE_11__ = __webpack_require__(3279);
/* harmony import */ var _inputs_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(8422);
/* harmony import */ var _pipeline_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(5795);
/* harmony import */ var _plan_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(2464);
/* harmony import */ var _report_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(665);
/* harmony import */ var _rules_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(9244);
/* harmony import */ var _ssh_config_error_js__WEBPACK_IMPORTED_MODULE_10__ = __webpack_require__(6255);
// The second front door (a chunk of the one bundle, started as dist/cli.cjs), for the deploy server and SSH:
//   node dist/cli.cjs all --root /srv/app --dry-run
//   node dist/cli.cjs all --ssh-host deploy@example.com --root /srv/app
// The same settings, pipeline and report as the action; text or JSON out.
// Exit codes: 0 cleared, 1 something could not be cleared, 2 bad usage, 130 cancelled.













const USAGE = `Usage: node dist/cli.cjs [TARGET...] [options]

Clears app caches and prunes the Docker build cache; reports the space really freed.

TARGET                      ${_rules_js__WEBPACK_IMPORTED_MODULE_9__/* .TARGET_CHOICES */ .hj.join(', ')} (default: all); several may be given
  --root DIR                the app root (default: the current directory; with --ssh-host,
                            an absolute path there, required for the file targets)
  --ssh-host [USER@]HOST[:PORT]
                            clear that host over SSH, as \`ssh HOST\` reaches it: HostName,
                            User, Port, IdentityFile and ProxyJump from ~/.ssh/config; keys
                            from your agent (SSH_AUTH_SOCK) and IdentityFile (or ~/.ssh/id_*);
                            its key, and every jump host's, from ~/.ssh/known_hosts (no trust
                            on first use: ssh to it once, or ssh-keyscan it, first)
  --ssh-proxy-jump [USER@]HOST[:PORT][,...]
                            reach it through these jump hosts, in ProxyJump order (overrides
                            the config's ProxyJump, as ssh -J does)
  -F, --ssh-config FILE     the SSH config to read instead of ~/.ssh/config ('none': none)
  --remote-node-image IMAGE for a host without node: the image that runs the file clear
  --frontend-path PATH      relative to the root (default: frontend)
  --backend-path PATH       relative to the root (default: backend)
  --extra-path PATH         another path or glob under the root to clear (repeatable)
  --dry-run                 measure and report, delete nothing
  --docker-prune-all BOOL   true: all unused build cache (default); false: dangling only
  --docker-filter F         a prune filter such as until=24h (repeatable)
  --docker-reserved-space S build cache always kept, e.g. 5GB (sizes as the docker CLI reads them)
  --docker-max-used-space S most build cache left, e.g. 10GB (Docker 28 / API 1.48+)
  --docker-min-free-space S free disk wanted on the engine's data root, e.g. 20GB (API 1.48+)
  --docker-keep-storage S   deprecated name of --docker-reserved-space
  --repo OWNER/NAME         the repository whose Actions cache to clear (default: $GITHUB_REPOSITORY)
  --actions-cache-key K     a key prefix of Actions cache entries to delete (repeatable; required with actions-cache)
  --actions-cache-ref REF   only entries of this ref, e.g. refs/heads/main (repeatable; default: every ref)
  --actions-cache-unused-for D  only entries not used for this long, e.g. 24h or 7d
  --json                    print the report as JSON (the action's outputs and more)
  -h, --help                this help

The actions-cache target (never part of all) reads the token from GITHUB_TOKEN or GH_TOKEN,
and the API from GITHUB_API_URL (default https://api.github.com).

Ctrl-C (SIGINT) or SIGTERM stops deleting, lets the deletes in flight finish and reports what was freed.

Exit codes: 0 cleared, 1 something could not be cleared, 2 bad usage,
            130 cancelled (SIGINT or SIGTERM; run again to finish).`;
const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
/** 128 + SIGINT, as shells report a command stopped by Ctrl-C. */
const EXIT_CANCELLED = 130;
function userHome(env) {
    return env.HOME || (0,node_os__WEBPACK_IMPORTED_MODULE_1__.homedir)();
}
/**
 * The user's agent, private keys and known hosts, as `ssh` itself would find
 * them: `identityFiles` (from the SSH config), else ~/.ssh/id_*; files that
 * are missing are skipped, as ssh skips them.
 */
function userSshDefaults(env, identityFiles) {
    const dir = node_path__WEBPACK_IMPORTED_MODULE_2___default().join(userHome(env), '.ssh');
    const read = (file) => ((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(file) ? (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(file, 'utf8') : undefined);
    const files = identityFiles ?? ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((name) => node_path__WEBPACK_IMPORTED_MODULE_2___default().join(dir, name));
    const privateKeys = files.map(read).filter((key) => key !== undefined);
    return {
        privateKeys,
        agentSocket: env.SSH_AUTH_SOCK || undefined,
        knownHosts: read(node_path__WEBPACK_IMPORTED_MODULE_2___default().join(dir, 'known_hosts'))
    };
}
/**
 * `--ssh-host` and `--ssh-proxy-jump` as ssh would read them through the
 * user's SSH config (`-F FILE`, or ~/.ssh/config when there is one).
 */
async function resolveSshOptions(values, env, cwd) {
    // The config parser only when there is an SSH host: a local run does not load it.
    const { loadSshConfig, resolveSshDestination } = await __webpack_require__.e(/* import() | ssh-config */ 158).then(__webpack_require__.bind(__webpack_require__, 5669));
    const home = userHome(env);
    let localUser;
    try {
        localUser = (0,node_os__WEBPACK_IMPORTED_MODULE_1__.userInfo)().username;
    }
    catch {
        localUser = env.USER ?? '';
    }
    const given = values['ssh-config'];
    const file = given === undefined ? node_path__WEBPACK_IMPORTED_MODULE_2___default().join(home, '.ssh', 'config') : node_path__WEBPACK_IMPORTED_MODULE_2___default().resolve(cwd, given);
    const context = { home, localUser, file: given === undefined ? '~/.ssh/config' : file };
    const useFile = given === undefined ? (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(file) : given !== 'none';
    const config = useFile ? loadSshConfig(file, context) : undefined;
    return resolveSshDestination(config, values['ssh-host'] ?? '', values['ssh-proxy-jump'], context);
}
/** Runs the CLI on `argv` (without node and the script); returns the exit code. */
async function runCli(argv, io) {
    let parsed;
    try {
        parsed = (0,node_util__WEBPACK_IMPORTED_MODULE_3__.parseArgs)({
            args: argv,
            allowPositionals: true,
            options: {
                root: { type: 'string' },
                'ssh-host': { type: 'string' },
                'ssh-proxy-jump': { type: 'string' },
                'ssh-config': { type: 'string', short: 'F' },
                'remote-node-image': { type: 'string' },
                'frontend-path': { type: 'string' },
                'backend-path': { type: 'string' },
                'extra-path': { type: 'string', multiple: true },
                'dry-run': { type: 'boolean' },
                'docker-prune-all': { type: 'string' },
                'docker-filter': { type: 'string', multiple: true },
                'docker-reserved-space': { type: 'string' },
                'docker-max-used-space': { type: 'string' },
                'docker-min-free-space': { type: 'string' },
                'docker-keep-storage': { type: 'string' },
                repo: { type: 'string' },
                'actions-cache-key': { type: 'string', multiple: true },
                'actions-cache-ref': { type: 'string', multiple: true },
                'actions-cache-unused-for': { type: 'string' },
                json: { type: 'boolean' },
                help: { type: 'boolean', short: 'h' }
            }
        });
    }
    catch (error) {
        io.err(`error: ${error.message}\n\n${USAGE}\n`);
        return EXIT_USAGE;
    }
    const { values, positionals } = parsed;
    if (values.help) {
        io.out(`${USAGE}\n`);
        return EXIT_OK;
    }
    // The same names as action.yml's inputs, so readSettings validates both alike.
    const inputs = {
        target: positionals.join(','),
        'working-directory': values.root ?? '',
        'frontend-path': values['frontend-path'] ?? '',
        'backend-path': values['backend-path'] ?? '',
        'extra-paths': (values['extra-path'] ?? []).join('\n'),
        'dry-run': values['dry-run'] ? 'true' : 'false',
        summary: 'false',
        'docker-prune-all': values['docker-prune-all'] ?? '',
        'docker-filter': (values['docker-filter'] ?? []).join('\n'),
        'docker-reserved-space': values['docker-reserved-space'] ?? '',
        'docker-max-used-space': values['docker-max-used-space'] ?? '',
        'docker-min-free-space': values['docker-min-free-space'] ?? '',
        'docker-keep-storage': values['docker-keep-storage'] ?? '',
        'ssh-host': values['ssh-host'] ?? '',
        'ssh-proxy-jump': values['ssh-proxy-jump'] ?? '',
        'remote-node-image': values['remote-node-image'] ?? '',
        repository: values.repo ?? '',
        'actions-cache-key': (values['actions-cache-key'] ?? []).join('\n'),
        'actions-cache-ref': (values['actions-cache-ref'] ?? []).join('\n'),
        'actions-cache-unused-for': values['actions-cache-unused-for'] ?? ''
    };
    let report;
    try {
        const env = io.env ?? process.env;
        let sshDefaults;
        if (inputs['ssh-host']) {
            const resolved = await resolveSshOptions(values, env, io.cwd);
            inputs['ssh-host'] = resolved.sshHost;
            inputs['ssh-proxy-jump'] = resolved.proxyJump;
            sshDefaults = userSshDefaults(env, resolved.identityFiles);
        }
        const settings = await (0,_inputs_js__WEBPACK_IMPORTED_MODULE_5__/* .readSettings */ .sb)((name) => inputs[name] ?? '', io.cwd, io.cwd, env, sshDefaults);
        report = await (0,_pipeline_js__WEBPACK_IMPORTED_MODULE_6__/* .clearAppCaches */ .i)(settings, {
            onProgress: (progress) => io.err(`… ${progress.entries} entries, ${(0,_bytes_js__WEBPACK_IMPORTED_MODULE_4__/* .formatBytes */ .z)(progress.bytes)} so far\n`),
            onActionsCacheLog: (line) => io.err(`${line}\n`),
            signal: io.signal
        });
    }
    catch (error) {
        if (error instanceof _ssh_config_error_js__WEBPACK_IMPORTED_MODULE_10__/* .SshConfigError */ .j) {
            io.err(`error: ${error.message}\n`);
            return EXIT_USAGE;
        }
        if (error instanceof _inputs_js__WEBPACK_IMPORTED_MODULE_5__/* .InputError */ .dz || error instanceof _plan_js__WEBPACK_IMPORTED_MODULE_7__/* .PlanError */ .W6) {
            io.err(`error: ${error.message.replace(/^Input '([\w-]+)'/, (_, name) => `'${cliName(name)}'`)}\n`);
            return EXIT_USAGE;
        }
        if (error instanceof _host_ssh_error_js__WEBPACK_IMPORTED_MODULE_11__/* .SshError */ .D) {
            io.err(`error: ${error.message}\n`);
            return EXIT_FAILED;
        }
        throw error;
    }
    const failure = (0,_report_js__WEBPACK_IMPORTED_MODULE_8__/* .failureMessage */ .oh)(report);
    if (values.json)
        io.out(`${JSON.stringify({ outputs: (0,_report_js__WEBPACK_IMPORTED_MODULE_8__/* .outputValues */ .uN)(report), report }, null, 2)}\n`);
    else
        io.out(renderText(report));
    if (!values.json) {
        for (const warning of report.warnings)
            io.err(`warning: ${warning}\n`);
        if (report.dockerIssue)
            io.err(`${report.dockerIssue.level}: ${report.dockerIssue.message}\n`);
        for (const f of report.failures)
            io.err(`error: ${f.path}: ${f.reason}\n`);
        if (report.actionsCacheIssue)
            io.err(`error: ${report.actionsCacheIssue}\n`);
        for (const group of (0,_report_js__WEBPACK_IMPORTED_MODULE_8__/* .actionsCacheFailureGroups */ .G2)(report))
            io.err(`error: Actions cache not deleted: ${group.keys.join(', ')}: ${group.reason}\n`);
    }
    if (report.cancelled)
        return EXIT_CANCELLED;
    return failure ? EXIT_FAILED : EXIT_OK;
}
function cliName(input) {
    const names = {
        target: 'TARGET',
        'working-directory': '--root',
        'extra-paths': '--extra-path',
        'ssh-key': 'the SSH key (agent or ~/.ssh/id_*)',
        'ssh-known-hosts': '~/.ssh/known_hosts',
        'ssh-proxy-jump': '--ssh-proxy-jump (or the ProxyJump of the SSH config)',
        repository: '--repo',
        'github-token': 'GITHUB_TOKEN or GH_TOKEN'
    };
    return names[input] ?? `--${input}`;
}
function pad(rows) {
    const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
    return rows
        .map((row) => row
        .map((cell, column) => cell.padEnd(widths[column]))
        .join('  ')
        .trimEnd())
        .join('\n');
}
/** The job summary's tables as plain text. */
function renderText(report) {
    const parts = [];
    if (report.dryRun)
        parts.push('DRY RUN: nothing was deleted; the figures are what a real run would free.');
    if (report.cancelled)
        parts.push((0,_report_js__WEBPACK_IMPORTED_MODULE_8__/* .cancelledLine */ .IC)(report));
    const rows = (0,_report_js__WEBPACK_IMPORTED_MODULE_8__/* .clearedTable */ .FG)(report);
    if (rows.length > 0) {
        parts.push(pad([['PATH', 'TARGET', 'ENTRIES', 'SIZE'], ...rows.map((row) => [row.path, row.owner, row.entries, row.bytes])]));
    }
    else {
        parts.push('No file caches found.');
    }
    parts.push(pad((0,_report_js__WEBPACK_IMPORTED_MODULE_8__/* .totalsLines */ .HJ)(report).map(([label, value]) => [`${label}:`, value])));
    const docker = (0,_report_js__WEBPACK_IMPORTED_MODULE_8__/* .dockerLines */ .U1)(report);
    if (docker.length > 0)
        parts.push(`Docker build cache\n${pad(docker.map(([label, value]) => [`${label}:`, value]))}`);
    if (report.actionsCache) {
        const rows = (0,_report_js__WEBPACK_IMPORTED_MODULE_8__/* .actionsCacheTable */ .qH)(report);
        const table = rows.length > 0
            ? pad([['KEY', 'REF', 'SIZE', 'LAST USED'], ...rows.map((row) => [row.key, row.ref, row.size, row.lastUsed])])
            : 'No Actions cache entry matched.';
        const lines = pad((0,_report_js__WEBPACK_IMPORTED_MODULE_8__/* .actionsCacheLines */ .vh)(report).map(([label, value]) => [`${label}:`, value]));
        parts.push(`GitHub Actions cache\n${table}\n${lines}`);
    }
    return `${parts.join('\n\n')}\n`;
}
// Run only as the entry point, not when a test imports runCli.
if (process.argv[1] && /cli\.(c?js|ts)$/.test(process.argv[1])) {
    // `node dist/cli.cjs --json | head`: a reader that leaves early is not a crash.
    process.stdout.on('error', (error) => {
        if (error.code !== 'EPIPE')
            throw error;
    });
    runCli(process.argv.slice(2), {
        out: (text) => process.stdout.write(text),
        err: (text) => process.stderr.write(text),
        cwd: process.cwd(),
        signal: (0,_cancel_js__WEBPACK_IMPORTED_MODULE_12__/* .abortOnSignals */ .P)(),
        env: process.env
    }).then((code) => (process.exitCode = code), (error) => {
        process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = EXIT_FAILED;
    });
}


/***/ }),

/***/ 6255:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   j: () => (/* binding */ SshConfigError)
/* harmony export */ });
// Apart from src/ssh-config.ts so the CLI can catch it without loading the
// config parser on a run that has no SSH host.
/** A config we cannot follow: one line naming the file or the host. */
class SshConfigError extends Error {
    name = 'SshConfigError';
}


/***/ })

};
;
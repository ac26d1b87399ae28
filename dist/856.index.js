"use strict";
exports.id = 856;
exports.ids = [856];
exports.modules = {

/***/ 7856:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  EXIT_CANCELLED: () => (/* binding */ EXIT_CANCELLED),
  EXIT_FAILED: () => (/* binding */ EXIT_FAILED),
  EXIT_OK: () => (/* binding */ EXIT_OK),
  EXIT_USAGE: () => (/* binding */ EXIT_USAGE),
  MIN_NODE_MAJOR: () => (/* binding */ MIN_NODE_MAJOR),
  nodeTooOld: () => (/* binding */ nodeTooOld),
  runCli: () => (/* binding */ runCli),
  userSshDefaults: () => (/* binding */ userSshDefaults)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(7975);
// EXTERNAL MODULE: ./src/cancel.ts
var cancel = __webpack_require__(833);
;// CONCATENATED MODULE: ./src/cli-sink.ts
/** Columns padded to their widest cell, two spaces apart. */
function pad(rows) {
    const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
    return rows
        .map((row) => row
        .map((cell, column) => cell.padEnd(widths[column]))
        .join('  ')
        .trimEnd())
        .join('\n');
}
/**
 * The summary's blocks as terminal text: no page title (the user typed the
 * command), a section title on the line above its first block, tables with
 * upper-case headers, `Label:` columns; the problems are left to stderr.
 */
function renderText(blocks) {
    const parts = [];
    let section;
    for (const block of blocks) {
        let text;
        if ('heading' in block) {
            if (block.level === 3)
                section = block.heading;
            continue;
        }
        else if ('paragraph' in block)
            text = `${block.strong ?? ''}${block.paragraph}`;
        else if ('header' in block)
            text = pad([block.header.map((cell) => cell.toUpperCase()), ...block.rows]);
        else if ('fields' in block)
            text = pad(block.fields.map(([label, value]) => [`${label}:`, value]));
        else {
            // Warnings and errors go to stderr, as annotations and the final error line: not twice on one screen.
            section = undefined;
            continue;
        }
        parts.push(section === undefined ? text : `${section}\n${text}`);
        section = undefined;
    }
    return `${parts.join('\n\n')}\n`;
}
/** The CLI's sink: text (or, with `json`, nothing until cli.ts prints the JSON from `outputs`). */
class CliSink {
    streams;
    json;
    /** The action's outputs, by name, for --json. */
    outputs = {};
    constructor(streams, json) {
        this.streams = streams;
        this.json = json;
    }
    output(name, value) {
        this.outputs[name] = value;
    }
    log() { }
    group() { }
    annotation(level, message) {
        if (!this.json)
            this.streams.err(`${level}: ${message}\n`);
    }
    summary(blocks) {
        if (!this.json)
            this.streams.out(renderText(blocks));
        return Promise.resolve();
    }
}

// EXTERNAL MODULE: ./src/host/ssh-error.ts
var ssh_error = __webpack_require__(3279);
// EXTERNAL MODULE: ./src/inputs.ts
var src_inputs = __webpack_require__(8422);
// EXTERNAL MODULE: ./src/pipeline.ts + 5 modules
var pipeline = __webpack_require__(3033);
// EXTERNAL MODULE: ./src/plan.ts
var plan = __webpack_require__(2464);
// EXTERNAL MODULE: ./src/report.ts
var src_report = __webpack_require__(665);
// EXTERNAL MODULE: ./src/rules.ts
var rules = __webpack_require__(9244);
// EXTERNAL MODULE: ./src/ssh-config-error.ts
var ssh_config_error = __webpack_require__(6255);
;// CONCATENATED MODULE: ./src/cli.ts
// The second front door (a chunk of the one bundle, started as dist/cli.cjs), for the deploy server and SSH:
//   node dist/cli.cjs all --root /srv/app --dry-run
//   node dist/cli.cjs all --ssh-host deploy@example.com --root /srv/app
// The same settings, pipeline and report as the action; text or JSON out.
// Exit codes: 0 cleared, 1 something could not be cleared, 2 bad usage, 130 cancelled.













const USAGE = `Usage: node dist/cli.cjs [TARGET...] [options]

Clears app caches and prunes the Docker build cache; reports the space really freed.
Runs on Node.js 20 or later (22 or later recommended: 20 is past its end of life).

TARGET                      ${rules/* TARGET_CHOICES */.hj.join(', ')} (default: all); several may be given
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
/**
 * The oldest Node.js the CLI runs on; package.json's engines says the same.
 * Node 20 is past its end of life (April 2026): it still works and the suite
 * runs the CLI on it, but it is deprecated, and the next major version asks
 * for 22, the line the dependencies already declare (content-type, through
 * @octokit/request). The action runs on the runner's node24.
 */
const MIN_NODE_MAJOR = 20;
/** Why this Node.js cannot run the CLI; undefined when it can. */
function nodeTooOld(version = process.versions.node) {
    if (Number(version.split('.')[0]) >= MIN_NODE_MAJOR)
        return undefined;
    return `clear-app-caches needs Node.js ${MIN_NODE_MAJOR} or later (22 or later recommended); this is v${version}`;
}
const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
/** 128 + SIGINT, as shells report a command stopped by Ctrl-C. */
const EXIT_CANCELLED = 130;
function userHome(env) {
    return env.HOME || (0,external_node_os_.homedir)();
}
/**
 * The user's agent, private keys and known hosts, as `ssh` itself would find
 * them: `identityFiles` (from the SSH config), else ~/.ssh/id_*; files that
 * are missing are skipped, as ssh skips them.
 */
function userSshDefaults(env, identityFiles) {
    const dir = external_node_path_default().join(userHome(env), '.ssh');
    const read = (file) => ((0,external_node_fs_.existsSync)(file) ? (0,external_node_fs_.readFileSync)(file, 'utf8') : undefined);
    const files = identityFiles ?? ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((name) => external_node_path_default().join(dir, name));
    const privateKeys = files.map(read).filter((key) => key !== undefined);
    return {
        privateKeys,
        agentSocket: env.SSH_AUTH_SOCK || undefined,
        knownHosts: read(external_node_path_default().join(dir, 'known_hosts'))
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
        localUser = (0,external_node_os_.userInfo)().username;
    }
    catch {
        localUser = env.USER ?? '';
    }
    const given = values['ssh-config'];
    const file = given === undefined ? external_node_path_default().join(home, '.ssh', 'config') : external_node_path_default().resolve(cwd, given);
    const context = { home, localUser, file: given === undefined ? '~/.ssh/config' : file };
    const useFile = given === undefined ? (0,external_node_fs_.existsSync)(file) : given !== 'none';
    const config = useFile ? loadSshConfig(file, context) : undefined;
    return resolveSshDestination(config, values['ssh-host'] ?? '', values['ssh-proxy-jump'], context);
}
/** Runs the CLI on `argv` (without node and the script); returns the exit code. */
async function runCli(argv, io) {
    let parsed;
    try {
        parsed = (0,external_node_util_.parseArgs)({
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
        const settings = await (0,src_inputs/* readSettings */.sb)((name) => inputs[name] ?? '', io.cwd, io.cwd, env, sshDefaults);
        report = await (0,pipeline/* clearAppCaches */.i)(settings, {
            onProgress: (progress) => io.err(`${(0,src_report/* progressLine */.oz)(progress)}\n`),
            onActionsCacheLog: (line) => io.err(`${line}\n`),
            signal: io.signal
        });
    }
    catch (error) {
        if (error instanceof ssh_config_error/* SshConfigError */.j) {
            io.err(`error: ${error.message}\n`);
            return EXIT_USAGE;
        }
        if (error instanceof src_inputs/* InputError */.dz || error instanceof plan/* PlanError */.W6) {
            io.err(`error: ${error.message.replace(/^Input '([\w-]+)'/, (_, name) => `'${cliName(name)}'`)}\n`);
            return EXIT_USAGE;
        }
        if (error instanceof ssh_error/* SshError */.D) {
            io.err(`error: ${error.message}\n`);
            return EXIT_FAILED;
        }
        throw error;
    }
    const failure = (0,src_report/* failureMessage */.oh)(report);
    const sink = new CliSink(io, values.json === true);
    await (0,src_report/* writeReport */.u5)(report, sink, { summary: true });
    if (values.json)
        io.out(`${JSON.stringify({ outputs: sink.outputs, report }, null, 2)}\n`);
    // The one line the action gives setFailed: the cancel, and what no annotation said (Docker, the Actions cache).
    else if (failure)
        io.err(`error: ${failure}\n`);
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
// Run only as the entry point, not when a test imports runCli.
if (process.argv[1] && /cli\.(c?js|ts)$/.test(process.argv[1])) {
    // `node dist/cli.cjs --json | head`: a reader that leaves early is not a crash.
    process.stdout.on('error', (error) => {
        if (error.code !== 'EPIPE')
            throw error;
    });
    const tooOld = nodeTooOld();
    if (tooOld) {
        process.stderr.write(`error: ${tooOld}\n`);
        process.exitCode = EXIT_USAGE;
    }
    else
        runCli(process.argv.slice(2), {
            out: (text) => process.stdout.write(text),
            err: (text) => process.stderr.write(text),
            cwd: process.cwd(),
            signal: (0,cancel/* abortOnSignals */.P)(),
            env: process.env
        }).then(
        // Exit as soon as both streams have taken the last write: the signal
        // handlers stay in place to the end, so a SIGTERM close behind the SIGINT
        // cannot kill the process while Node tears itself down.
        (code) => process.stdout.write('', () => process.stderr.write('', () => process.exit(code))), (error) => {
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
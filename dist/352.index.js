"use strict";
exports.id = 352;
exports.ids = [352];
exports.modules = {

/***/ 2566:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   BX: () => (/* binding */ systemPath),
/* harmony export */   Gt: () => (/* binding */ displayPath),
/* harmony export */   ID: () => (/* binding */ joinKey),
/* harmony export */   QK: () => (/* binding */ byteKey),
/* harmony export */   Rt: () => (/* binding */ keyBytes),
/* harmony export */   tQ: () => (/* binding */ textKey)
/* harmony export */ });
// File names are bytes: Linux allows any byte in a name but '/' and NUL, and
// an old archive unpacks Latin-1 names (`été` as `\xe9t\xe9`) that are not
// UTF-8. The search and the remover carry paths as Buffers, so every name can
// be found and removed; a path becomes text only to be shown, with displayPath.
//
// Inside the search and the remover, names and paths are byte keys: strings
// with one character per byte (the 'latin1' encoding, exact both ways), read
// so from listings and turned into a Buffer only for the system call that
// takes them. A Buffer per name or path is an allocation outside the JS heap,
// and one kept (a path held until its directory is done) pins a whole 8 KB
// pool slab: at a million entries that raised peak RSS past 160 MB (bench/).
const SLASH = 0x2f;
const BACKSLASH = 0x5c;
/** `dir/name`, in bytes, for a name read as a byte key. */
function joinKey(dir, name) {
    const joined = Buffer.allocUnsafe(dir.length + 1 + name.length);
    dir.copy(joined, 0);
    joined[dir.length] = SLASH;
    joined.write(name, dir.length + 1, 'latin1');
    return joined;
}
/**
 * A string with one character per byte (Latin-1): the same bytes, exactly, as
 * a value a Set or a RegExp can use. The rules match names through this key.
 */
function byteKey(bytes) {
    return bytes.toString('latin1');
}
/** The byte key of a text's UTF-8 bytes (a rule, an input). */
function textKey(text) {
    return Buffer.from(text).toString('latin1');
}
/** The bytes a byte key stands for. */
function keyBytes(key) {
    return Buffer.from(key, 'latin1');
}
// A byte other than ASCII: only then does a byte key need a Buffer to reach the system.
const NOT_ASCII = /[\u0080-\uffff]/;
/**
 * The path a byte key names, as the system calls take it: the key itself when
 * it is ASCII (the same bytes as UTF-8, and no Buffer to allocate, which the
 * remover's per-entry calls showed in bench/), else its bytes.
 */
function systemPath(key) {
    return NOT_ASCII.test(key) ? Buffer.from(key, 'latin1') : key;
}
/**
 * The length of the well-formed UTF-8 sequence starting at `i`, or 0 when the
 * byte there does not start one (Unicode Table 3-7: no overlongs, no
 * surrogates, nothing past U+10FFFF).
 */
function utf8SequenceLength(bytes, i) {
    const lead = bytes[i];
    if (lead < 0x80)
        return 1;
    let length;
    let secondMin = 0x80;
    let secondMax = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf)
        length = 2;
    else if (lead >= 0xe0 && lead <= 0xef) {
        length = 3;
        if (lead === 0xe0)
            secondMin = 0xa0;
        if (lead === 0xed)
            secondMax = 0x9f;
    }
    else if (lead >= 0xf0 && lead <= 0xf4) {
        length = 4;
        if (lead === 0xf0)
            secondMin = 0x90;
        if (lead === 0xf4)
            secondMax = 0x8f;
    }
    else
        return 0;
    if (i + length > bytes.length)
        return 0;
    if (bytes[i + 1] < secondMin || bytes[i + 1] > secondMax)
        return 0;
    for (let k = 2; k < length; k++)
        if ((bytes[i + k] & 0xc0) !== 0x80)
            return 0;
    return length;
}
const hex = (byte) => `\\x${byte.toString(16).padStart(2, '0')}`;
/**
 * A path as readable, valid UTF-8 text that names it unambiguously: well-formed
 * UTF-8 shows as itself; a byte that is not part of one, and a control byte
 * (0x00-0x1f, 0x7f: a newline must not start a new log line or workflow
 * command), shows as `\xHH`; a backslash shows as `\\`. So in a shown path a
 * backslash always starts an escape, and the bytes can be read back from it.
 */
function displayPath(bytes) {
    let text = '';
    let plainFrom = 0;
    const flush = (end) => {
        if (end > plainFrom)
            text += Buffer.from(bytes.buffer, bytes.byteOffset + plainFrom, end - plainFrom).toString();
    };
    for (let i = 0; i < bytes.length;) {
        const byte = bytes[i];
        const length = utf8SequenceLength(bytes, i);
        if (length > 0 && byte >= 0x20 && byte !== 0x7f && byte !== BACKSLASH) {
            i += length;
            continue;
        }
        flush(i);
        text += byte === BACKSLASH ? '\\\\' : hex(byte);
        plainFrom = ++i;
    }
    flush(bytes.length);
    return text;
}


/***/ }),

/***/ 6136:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DB: () => (/* binding */ parseSize),
/* harmony export */   vB: () => (/* binding */ formatByteRange),
/* harmony export */   z3: () => (/* binding */ formatBytes)
/* harmony export */ });
// Byte sizes: decimal units for display (as Docker prints them), binary units
// for parsing sizes the docker CLI would read (its prune flags use RAMInBytes).
const DECIMAL_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
/** 2500000000 -> "2.5 GB"; four significant digits at most, like `docker system df`. */
function formatBytes(bytes) {
    if (!Number.isFinite(bytes) || bytes < 0)
        return `${bytes} B`;
    let value = bytes;
    let unit = 0;
    while (value >= 1000 && unit < DECIMAL_UNITS.length - 1) {
        value /= 1000;
        unit++;
    }
    const text = unit === 0 ? String(value) : String(Number(value.toPrecision(4)));
    return `${text} ${DECIMAL_UNITS[unit]}`;
}
/** "between 4.096 kB and 8.192 kB (4096 to 8192 bytes)", or one figure where both ends meet. */
function formatByteRange(range) {
    return range.low === range.high
        ? `${formatBytes(range.low)} (${range.low} bytes)`
        : `between ${formatBytes(range.low)} and ${formatBytes(range.high)} (${range.low} to ${range.high} bytes)`;
}
const BINARY_MULTIPLIERS = { k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };
/**
 * A size as the docker CLI reads `--reserved-space`, `--max-used-space`,
 * `--min-free-space` and `--keep-storage` (opts.MemBytes: go-units
 * RAMInBytes, v0.5): a decimal number, then at most one space, then an
 * optional case-insensitive unit b, k, m, g, t, p, each but b optionally
 * followed by "b" or "ib", all binary (5GB = 5 GiB); fractions are
 * truncated to whole bytes. Returns undefined for text that is not a size.
 */
function parseSize(text) {
    // go-units splits after the last digit, dot or space.
    const match = /^(.*[\d. ])([^\d. ]*)$/s.exec(text);
    if (!match)
        return undefined;
    const spaced = match[1].endsWith(' ');
    const number = spaced ? match[1].slice(0, -1) : match[1];
    // strconv.ParseFloat's decimal forms.
    if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(number))
        return undefined;
    let size = Number(number);
    if (!(size >= 0))
        return undefined;
    const suffix = match[2].toLowerCase();
    if (suffix.length > 3)
        return undefined;
    if (suffix !== '' && suffix !== 'b') {
        const multiplier = BINARY_MULTIPLIERS[suffix[0]];
        if (multiplier === undefined)
            return undefined;
        if (suffix.length === 2 && suffix[1] !== 'b')
            return undefined;
        if (suffix.length === 3 && suffix.slice(1) !== 'ib')
            return undefined;
        size *= multiplier;
    }
    const bytes = Math.trunc(size);
    return Number.isSafeInteger(bytes) ? bytes : undefined;
}


/***/ }),

/***/ 833:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   P: () => (/* binding */ abortOnSignals)
/* harmony export */ });
// Cancellation for both front doors. When a job is cancelled the runner sends
// SIGINT, then SIGTERM about 7.5 s later; Ctrl-C sends SIGINT. The first
// signal aborts the run (deletes in flight finish, no new one starts); the
// handlers stay installed, so a later signal cannot kill the process while it
// writes the outputs and summary of what was really freed.
/** An AbortSignal fired by the first SIGINT or SIGTERM this process receives. */
function abortOnSignals() {
    const controller = new AbortController();
    const abort = () => controller.abort();
    process.on('SIGINT', abort);
    process.on('SIGTERM', abort);
    return controller.signal;
}


/***/ }),

/***/ 1474:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Pl: () => (/* binding */ builderPruneCommand),
/* harmony export */   mq: () => (/* binding */ readUnreachedBuilders)
/* harmony export */ });
/* unused harmony exports builderName, unreachedBuilders */
const PREFIX = 'buildx_buildkit_';
/** `buildx_buildkit_web0` -> `web` (the node index is the trailing number). */
function builderName(node) {
    return node.replace(/\d+$/, '') || node;
}
/**
 * The builders from `/containers/json?all=1` and `/system/df` volumes
 * (pure, table-tested): a container `buildx_buildkit_<node>` and/or a volume
 * `buildx_buildkit_<node>_state`, one entry per node, sorted by name.
 */
function unreachedBuilders(containers, systemDf) {
    const nodes = new Map();
    for (const container of Array.isArray(containers) ? containers : []) {
        for (const raw of Array.isArray(container.Names) ? container.Names : []) {
            const name = typeof raw === 'string' ? raw.replace(/^\//, '') : '';
            if (name.startsWith(PREFIX) && name.length > PREFIX.length) {
                nodes.set(name, { ...nodes.get(name), container: name });
            }
        }
    }
    const volumes = systemDf?.Volumes;
    for (const volume of Array.isArray(volumes)
        ? volumes
        : []) {
        const name = typeof volume.Name === 'string' ? volume.Name : '';
        if (!name.startsWith(PREFIX) || !name.endsWith('_state') || name.length <= PREFIX.length + '_state'.length)
            continue;
        const node = name.slice(0, -'_state'.length);
        const size = volume.UsageData?.Size;
        nodes.set(node, {
            ...nodes.get(node),
            volume: name,
            ...(typeof size === 'number' && size >= 0 ? { volumeBytes: size } : {})
        });
    }
    return [...nodes.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([node, found]) => ({ builder: builderName(node.slice(PREFIX.length)), ...found }));
}
/** The command that clears one builder's cache. */
function builderPruneCommand(builder) {
    return `docker buildx prune --builder ${builder.builder} -af`;
}
/**
 * Reads the engine's buildx builders: containers by name, and volumes with
 * their sizes from `systemDf` (a /system/df answer that has volumes).
 */
async function readUnreachedBuilders(engine, apiVersion, systemDf) {
    const filters = encodeURIComponent(JSON.stringify({ name: [PREFIX] }));
    const containers = await engine.json('GET', `/v${apiVersion}/containers/json?all=1&filters=${filters}`);
    return unreachedBuilders(containers, systemDf);
}


/***/ }),

/***/ 2701:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   a: () => (/* binding */ LocalHost)
/* harmony export */ });
/* harmony import */ var node_module__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8995);
/* harmony import */ var node_module__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_module__WEBPACK_IMPORTED_MODULE_0__);
// The machine the job runs on: each exec is a child process started from its
// argv, without a shell.

// child_process (which loads net and dgram) is required on the first exec, not
// with this module: a run that only clears files never starts a command.
// (Called through the module object: webpack would take a bare createRequire for its own and drop it.)
const nodeRequire = node_module__WEBPACK_IMPORTED_MODULE_0___default().createRequire(require("url").pathToFileURL(__filename).href);
class LocalHost {
    env;
    name = 'local';
    remote = false;
    /** `env` is the environment every command starts with (default process.env); PATH in it finds the command. */
    constructor(env = process.env) {
        this.env = env;
    }
    exec(argv, options = {}) {
        if (argv.length === 0)
            throw new Error('no command to run');
        const { spawn } = nodeRequire('node:child_process');
        const child = spawn(argv[0], argv.slice(1), {
            env: { ...this.env, ...options.env },
            stdio: ['pipe', 'pipe', 'pipe']
        });
        // EPIPE when the command exits before reading all of its input: the exit is what counts.
        child.stdin.on('error', () => undefined);
        const exit = new Promise((resolve) => {
            child.once('error', (error) => resolve({ code: null, signal: null, error }));
            child.once('close', (code, signal) => resolve({ code, signal }));
        });
        return {
            stdin: child.stdin,
            stdout: child.stdout,
            stderr: child.stderr,
            exit,
            kill: () => {
                if (child.exitCode === null && child.signalCode === null)
                    child.kill('SIGTERM');
            }
        };
    }
    async close() { }
}


/***/ }),

/***/ 3279:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   D: () => (/* binding */ SshError)
/* harmony export */ });
// Its own module so the front doors can recognise it without loading the SSH
// client (ssh2 compiles WebAssembly when it loads): src/host/ssh.ts throws it.
/** The host could not be reached, refused us, or showed a key we do not know: one line, no stack. */
class SshError extends Error {
    name = 'SshError';
}


/***/ }),

/***/ 8422:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   dz: () => (/* binding */ InputError),
/* harmony export */   gU: () => (/* binding */ fileSettings),
/* harmony export */   ii: () => (/* binding */ DEFAULT_REMOTE_NODE_IMAGE),
/* harmony export */   sb: () => (/* binding */ readSettings)
/* harmony export */ });
/* unused harmony exports parseTargets, parseBoolean, parseList, confinePath, parseDockerFilters, parseDockerSize, readDockerSettings, ACTIONS_CACHE_KEY_EXAMPLES, parseActionsCacheKeys, parseActionsCacheRefs, parseUnusedFor, parseRepository, parseApiUrl, parseWaitScale, readActionsCacheSettings, parseImageReference, parseSshHost, parseProxyJump, readSshSettings */
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _bytes_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6136);
/* harmony import */ var _rules_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9244);
// Every input is read and validated here, once, into a typed Settings object
// (as actions/checkout's input-helper does). The action passes core.getInput;
// the CLI passes its parsed argv. Nothing else reads inputs.



const DEFAULT_REMOTE_NODE_IMAGE = 'node:22-slim';
function fileSettings(settings) {
    const { targets, root, frontendPath, backendPath, extraPaths, dryRun } = settings;
    return { targets, root, frontendPath, backendPath, extraPaths, dryRun };
}
/** Bad input: the message names the input and what it accepts. */
class InputError extends Error {
    name = 'InputError';
}
const BOOLEAN_TRUE = ['true', 'True', 'TRUE'];
const BOOLEAN_FALSE = ['false', 'False', 'FALSE'];
function parseTargets(raw) {
    const words = raw.split(/[\s,]+/).filter((word) => word !== '');
    if (words.length === 0)
        words.push('all');
    const chosen = new Set();
    for (const word of words) {
        const choice = word.toLowerCase();
        if (!_rules_js__WEBPACK_IMPORTED_MODULE_2__/* .TARGET_CHOICES */ .hj.includes(choice)) {
            throw new InputError(`Input 'target' has an unknown value '${word}'. Valid values: ${_rules_js__WEBPACK_IMPORTED_MODULE_2__/* .TARGET_CHOICES */ .hj.join(', ')}, ` +
                `or a comma- or space-separated combination such as 'frontend,docker'.`);
        }
        for (const target of choice === 'all' ? _rules_js__WEBPACK_IMPORTED_MODULE_2__/* .ALL_TARGETS */ .vh : [choice])
            chosen.add(target);
    }
    return {
        targets: _rules_js__WEBPACK_IMPORTED_MODULE_2__/* .TARGETS */ .dW.filter((target) => chosen.has(target)),
        dockerRequired: words.some((word) => word.toLowerCase() === 'docker')
    };
}
function parseBoolean(name, raw, fallback) {
    const value = raw.trim();
    if (value === '')
        return fallback;
    if (BOOLEAN_TRUE.includes(value))
        return true;
    if (BOOLEAN_FALSE.includes(value))
        return false;
    throw new InputError(`Input '${name}' must be a boolean: true or false (got '${raw}').`);
}
/** Splits a list input: one item per line or comma-separated; blanks dropped. */
function parseList(raw) {
    return raw
        .split(/[\n,]/)
        .map((item) => item.trim())
        .filter((item) => item !== '');
}
/**
 * A path relative to the root, normalized, or an InputError when it leads
 * outside the root. Lexical, like the shell would read it: '..' climbs.
 * An absolute path is accepted only when it lies under the root.
 */
function confinePath(name, root, raw, allowRoot) {
    const trimmed = raw.trim();
    const absolute = node_path__WEBPACK_IMPORTED_MODULE_0___default().resolve(root, trimmed === '' ? '.' : trimmed);
    const relative = node_path__WEBPACK_IMPORTED_MODULE_0___default().relative(root, absolute);
    if (relative === '..' || relative.startsWith(`..${(node_path__WEBPACK_IMPORTED_MODULE_0___default().sep)}`) || node_path__WEBPACK_IMPORTED_MODULE_0___default().isAbsolute(relative)) {
        throw new InputError(`Input '${name}' must stay under working-directory '${root}': '${raw}' leads outside it.`);
    }
    if (relative === '' && !allowRoot) {
        throw new InputError(`Input '${name}' must name something under working-directory '${root}', not the directory itself: '${raw}'.`);
    }
    return relative === '' ? '.' : relative.split((node_path__WEBPACK_IMPORTED_MODULE_0___default().sep)).join('/');
}
function parseDockerFilters(raw) {
    const filters = raw
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '');
    for (const filter of filters) {
        if (!/^[\w.-]+=.+$/.test(filter)) {
            throw new InputError(`Input 'docker-filter' has '${filter}': each line must be key=value, e.g. until=24h or type=exec.cachemount.`);
        }
    }
    return filters;
}
/** A size input, read as the docker CLI reads its prune sizes; undefined when empty. */
function parseDockerSize(name, raw) {
    if (raw.trim() === '')
        return undefined;
    const bytes = (0,_bytes_js__WEBPACK_IMPORTED_MODULE_1__/* .parseSize */ .DB)(raw.trim());
    if (bytes === undefined) {
        throw new InputError(`Input '${name}' must be a size as the docker CLI reads it, such as 512MB, 5GB or 1.5g ` +
            `(binary units b, k, m, g, t, p, optionally followed by b or ib), got '${raw}'.`);
    }
    return bytes;
}
/**
 * The Docker inputs → DockerSettings, and the warnings they deserve:
 * `docker-keep-storage` is the old name of `docker-reserved-space` (Docker
 * CLI 28 deprecated `--keep-storage` for `--reserved-space`); both at once is
 * an error.
 */
function readDockerSettings(read) {
    const warnings = [];
    const reserved = parseDockerSize('docker-reserved-space', read('docker-reserved-space'));
    const keepStorage = parseDockerSize('docker-keep-storage', read('docker-keep-storage'));
    if (reserved !== undefined && keepStorage !== undefined) {
        throw new InputError(`Inputs 'docker-reserved-space' and 'docker-keep-storage' are the same setting (the second is its deprecated name): give only 'docker-reserved-space'.`);
    }
    if (keepStorage !== undefined) {
        warnings.push(`Input 'docker-keep-storage' is deprecated: use 'docker-reserved-space' (the same value, as Docker CLI 28 renamed --keep-storage to --reserved-space).`);
    }
    return {
        docker: {
            pruneAll: parseBoolean('docker-prune-all', read('docker-prune-all'), true),
            filters: parseDockerFilters(read('docker-filter')),
            reservedBytes: reserved ?? keepStorage,
            maxUsedBytes: parseDockerSize('docker-max-used-space', read('docker-max-used-space')),
            minFreeBytes: parseDockerSize('docker-min-free-space', read('docker-min-free-space'))
        },
        warnings
    };
}
const ACTIONS_CACHE_KEY_EXAMPLES = "'index-buildkit-' (the BuildKit gha cache index of the default scope buildkit; 'index-<scope>-' for another " +
    "scope), 'buildkit-blob-' (its layer blobs, shared by every scope: the space, not the freshness), " +
    "'Linux-nextjs-' (the Next.js docs' key)";
function parseActionsCacheKeys(raw) {
    const prefixes = parseList(raw);
    if (prefixes.length === 0) {
        throw new InputError(`Input 'actions-cache-key' is required with target actions-cache: the key prefixes of the entries to delete, ` +
            `one per line or comma-separated, e.g. ${ACTIONS_CACHE_KEY_EXAMPLES}.`);
    }
    return [...new Set(prefixes)];
}
function parseActionsCacheRefs(raw) {
    const refs = raw
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '');
    for (const ref of refs) {
        if (!/^refs\/\S+$/.test(ref)) {
            throw new InputError(`Input 'actions-cache-ref' has '${ref}': each line must be a full ref such as refs/heads/main or refs/pull/42/merge.`);
        }
    }
    return [...new Set(refs)];
}
const DURATION_UNITS_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 };
function parseUnusedFor(raw) {
    const text = raw.trim();
    if (text === '')
        return undefined;
    const match = /^(\d+)\s*([mhd])$/.exec(text);
    if (!match || Number(match[1]) === 0) {
        throw new InputError(`Input 'actions-cache-unused-for' must be a duration: a whole number of minutes, hours or days ` +
            `such as 90m, 24h or 7d (got '${raw}').`);
    }
    return { text, ms: Number(match[1]) * DURATION_UNITS_MS[match[2]] };
}
function parseRepository(raw, env) {
    const repository = raw.trim() || (env.GITHUB_REPOSITORY ?? '').trim();
    if (!/^[\w.-]+\/[\w.-]+$/.test(repository)) {
        throw new InputError(repository === ''
            ? `Input 'repository' is empty and GITHUB_REPOSITORY is not set: name the repository as owner/name.`
            : `Input 'repository' must be owner/name, e.g. octo-org/web (got '${repository}').`);
    }
    return repository;
}
function parseApiUrl(env) {
    const raw = (env.GITHUB_API_URL ?? '').trim() || 'https://api.github.com';
    let url;
    try {
        url = new URL(raw);
    }
    catch {
        url = undefined;
    }
    if (!url || !['http:', 'https:'].includes(url.protocol)) {
        throw new InputError(`GITHUB_API_URL must be an http(s) URL such as https://api.github.com or https://HOST/api/v3 (got '${raw}').`);
    }
    return raw.replace(/\/+$/, '');
}
/** CLEAR_APP_CACHES_API_WAIT_SCALE: the tests shorten GitHub's waits with it; 1 when unset. */
function parseWaitScale(env) {
    const raw = (env.CLEAR_APP_CACHES_API_WAIT_SCALE ?? '').trim();
    if (raw === '')
        return 1;
    const scale = Number(raw);
    if (!(scale > 0 && scale <= 1)) {
        throw new InputError(`CLEAR_APP_CACHES_API_WAIT_SCALE must be a number above 0 and at most 1 (got '${raw}').`);
    }
    return scale;
}
function readActionsCacheSettings(read, env) {
    const keyPrefixes = parseActionsCacheKeys(read('actions-cache-key'));
    const refs = parseActionsCacheRefs(read('actions-cache-ref'));
    const unusedFor = parseUnusedFor(read('actions-cache-unused-for'));
    const repository = parseRepository(read('repository'), env);
    const apiUrl = parseApiUrl(env);
    const waitScale = parseWaitScale(env);
    // The action passes github.token; the CLI reads the gh CLI's variables.
    const token = read('github-token').trim() || env.GITHUB_TOKEN?.trim() || env.GH_TOKEN?.trim() || '';
    if (token === '') {
        throw new InputError(`Input 'github-token' is empty: Actions cache entries are listed and deleted with a token ` +
            `(the action's default is the job's github.token; the CLI reads GITHUB_TOKEN or GH_TOKEN).`);
    }
    return { repository, apiUrl, token, keyPrefixes, refs, unusedFor, waitScale };
}
// Loose on purpose: the engine checks the full grammar; this keeps out blanks,
// quotes and option-like values, and names the input early.
const IMAGE_REFERENCE = /^\w[\w.\-/:@]*$/;
function parseImageReference(name, raw) {
    const value = raw.trim();
    if (value === '')
        return DEFAULT_REMOTE_NODE_IMAGE;
    if (!IMAGE_REFERENCE.test(value)) {
        throw new InputError(`Input '${name}' must be an image reference such as ${DEFAULT_REMOTE_NODE_IMAGE} or registry.example.com/team/node:22 (got '${raw}').`);
    }
    return value;
}
const SSH_ADDRESS = /^(?:ssh:\/\/)?([A-Za-z0-9._][A-Za-z0-9._-]*)@(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?\/?$/;
/** `user@host`, `user@host:port` or `ssh://user@host[:port]` (IPv6 in brackets) → its parts; undefined when not one. */
function matchSshAddress(raw) {
    const text = raw.trim();
    const match = SSH_ADDRESS.exec(text);
    const port = match?.[3] === undefined ? 22 : Number(match[3]);
    if (!match || port < 1 || port > 65535 || (text.endsWith('/') && !text.startsWith('ssh://')))
        return undefined;
    const host = match[2].startsWith('[') ? match[2].slice(1, -1) : match[2];
    return { user: match[1], host, port };
}
/**
 * `ssh-host` → user, host, port: `user@host`, `user@host:port`,
 * `ssh://user@host[:port]`; an IPv6 address goes in brackets.
 */
function parseSshHost(raw) {
    const address = matchSshAddress(raw);
    if (!address) {
        throw new InputError(`Input 'ssh-host' must be user@host, user@host:port or ssh://user@host[:port] ` +
            `(an IPv6 address in brackets: user@[2001:db8::1]:22), got '${raw}'.`);
    }
    return address;
}
/**
 * `ssh-proxy-jump` → the jump hosts, in OpenSSH's ProxyJump order: each
 * `user@host[:port]` or `ssh://user@host[:port]`, separated by commas or
 * newlines. Empty: none.
 */
function parseProxyJump(raw) {
    return parseList(raw).map((item) => {
        const address = matchSshAddress(item);
        if (!address) {
            throw new InputError(`Input 'ssh-proxy-jump' has '${item}': each jump host must be user@host, user@host:port or ` +
                `ssh://user@host[:port] (an IPv6 address in brackets: user@[2001:db8::1]:22), separated by commas or ` +
                `newlines, the first being the one the runner connects to.`);
        }
        return address;
    });
}
/** A private key ssh2 can use, or an InputError naming the input (never the key). */
async function checkPrivateKey(key, passphrase) {
    // Imported only when a key is given: ssh2 compiles WebAssembly when it loads.
    // It is CommonJS: its `utils` is reached through the default export under ESM.
    const { default: ssh2 } = await Promise.all(/* import() | ssh */[__webpack_require__.e(472), __webpack_require__.e(347)]).then(__webpack_require__.t.bind(__webpack_require__, 5472, 23));
    const parsed = ssh2.utils.parseKey(key, passphrase);
    const error = parsed instanceof Error ? parsed : undefined;
    if (error && /passphrase/i.test(error.message)) {
        throw new InputError(`Input 'ssh-key' is encrypted: give its passphrase in 'ssh-key-passphrase' (the one given does not open it).`);
    }
    if (error || !parsed.isPrivateKey()) {
        throw new InputError(`Input 'ssh-key' must be a private key in OpenSSH format (ed25519, ecdsa or RSA), ` +
            `the whole file from -----BEGIN to END-----${error ? ` (${error.message})` : ''}.`);
    }
}
function keyscanCommand({ host, port }) {
    return `ssh-keyscan${port === 22 ? '' : ` -p ${port}`} -t ed25519 ${host}`;
}
async function readSshSettings(read, defaults) {
    const address = read('ssh-host').trim();
    if (address === '') {
        if (read('ssh-proxy-jump').trim() !== '') {
            throw new InputError(`Input 'ssh-proxy-jump' needs 'ssh-host': the jump hosts lead to that host (set ssh-host, or leave ssh-proxy-jump empty).`);
        }
        return undefined;
    }
    const { user, host, port } = parseSshHost(address);
    const jumps = parseProxyJump(read('ssh-proxy-jump'));
    const key = read('ssh-key').trim();
    const passphrase = read('ssh-key-passphrase') || undefined;
    const privateKeys = key === '' ? (defaults?.privateKeys ?? []) : [`${key}\n`];
    if (key !== '')
        await checkPrivateKey(privateKeys[0], passphrase);
    if (privateKeys.length === 0 && !defaults?.agentSocket) {
        throw new InputError(`Input 'ssh-key' is required with 'ssh-host': the private key that logs in as ${user}.`);
    }
    const knownHosts = read('ssh-known-hosts').trim() || defaults?.knownHosts || '';
    const scan = keyscanCommand({ host, port });
    if (knownHosts.trim() === '') {
        throw new InputError(`Input 'ssh-known-hosts' is required with 'ssh-host': the host's key line(s), as \`${scan}\` prints them ` +
            `(run it once from a machine you trust; there is no trust on first use).`);
    }
    // Imported with ssh-host only, as the key parser is: it needs node:crypto.
    const { acceptedKeys, knownHostName, parseKnownHosts } = await Promise.all(/* import() | ssh */[__webpack_require__.e(472), __webpack_require__.e(347)]).then(__webpack_require__.bind(__webpack_require__, 7879));
    const knownLines = parseKnownHosts(knownHosts);
    if (acceptedKeys(knownLines, host, port).length === 0) {
        throw new InputError(`Input 'ssh-known-hosts' lists no key for ${knownHostName(host, port)}: give the line(s) \`${scan}\` prints.`);
    }
    // Every hop is checked as strictly as the target: its key must be listed too.
    for (const jump of jumps) {
        if (acceptedKeys(knownLines, jump.host, jump.port).length > 0)
            continue;
        throw new InputError(`Input 'ssh-known-hosts' lists no key for the jump host ${knownHostName(jump.host, jump.port)} ` +
            `(ssh-proxy-jump): give the line(s) \`${keyscanCommand(jump)}\` prints, from a machine that reaches it.`);
    }
    const nodeImage = parseImageReference('remote-node-image', read('remote-node-image'));
    return {
        user,
        host,
        port,
        jumps,
        privateKeys,
        passphrase,
        agentSocket: defaults?.agentSocket,
        knownHosts,
        nodeImage
    };
}
/**
 * All inputs → Settings. Rejects with InputError before anything is touched
 * (asynchronous only to load the SSH key parser when a key is given). `cwd`
 * and `workspace` resolve a relative or empty working-directory (on
 * this machine; on an SSH host it must be absolute). `env` gives the runner's
 * GITHUB_REPOSITORY, GITHUB_API_URL (and the CLI's token). `sshDefaults` is
 * what the CLI found in the user's agent and ~/.ssh.
 */
async function readSettings(read, cwd, workspace = cwd, env = {}, sshDefaults) {
    const { targets, dockerRequired } = parseTargets(read('target'));
    const ssh = await readSshSettings(read, sshDefaults);
    const workingDirectory = read('working-directory').trim();
    let root;
    if (ssh) {
        if (workingDirectory !== '' && !node_path__WEBPACK_IMPORTED_MODULE_0___default().posix.isAbsolute(workingDirectory)) {
            throw new InputError(`Input 'working-directory' must be an absolute path on ${ssh.host} with 'ssh-host' (e.g. /srv/app), got '${workingDirectory}'.`);
        }
        if (workingDirectory === '' && targets.some(_rules_js__WEBPACK_IMPORTED_MODULE_2__/* .isFileTarget */ .uD)) {
            throw new InputError(`Input 'working-directory' is required with 'ssh-host' for the file targets: the app's absolute path on ${ssh.host} (e.g. /srv/app).`);
        }
        root = workingDirectory === '' ? '' : node_path__WEBPACK_IMPORTED_MODULE_0___default().posix.normalize(workingDirectory).replace(/(.)\/$/, '$1');
    }
    else {
        root = node_path__WEBPACK_IMPORTED_MODULE_0___default().resolve(cwd, workingDirectory === '' ? workspace : workingDirectory);
    }
    const docker = readDockerSettings(read);
    const frontendRaw = read('frontend-path').trim();
    const backendRaw = read('backend-path').trim();
    return {
        targets,
        dockerRequired,
        root,
        frontendPath: confinePath('frontend-path', root, frontendRaw === '' ? 'frontend' : frontendRaw, true),
        backendPath: confinePath('backend-path', root, backendRaw === '' ? 'backend' : backendRaw, true),
        extraPaths: parseList(read('extra-paths')).map((item) => confinePath('extra-paths', root, item, false)),
        dryRun: parseBoolean('dry-run', read('dry-run'), false),
        summary: parseBoolean('summary', read('summary'), true),
        docker: docker.docker,
        ssh,
        actionsCache: targets.includes('actions-cache') ? readActionsCacheSettings(read, env) : undefined,
        inputWarnings: [...docker.warnings, ...(targets.includes('actions-cache') ? [] : unusedActionsCacheInputs(read))]
    };
}
function unusedActionsCacheInputs(read) {
    const given = ['actions-cache-key', 'actions-cache-ref', 'actions-cache-unused-for'].filter((name) => read(name).trim() !== '');
    if (given.length === 0)
        return [];
    return [
        `${given.join(', ')} ${given.length === 1 ? 'is' : 'are'} set, but the target actions-cache was not named ` +
            `(it is never part of all): the Actions cache was left alone.`
    ];
}


/***/ }),

/***/ 3033:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  i: () => (/* binding */ clearAppCaches)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
var external_node_fs_default = /*#__PURE__*/__webpack_require__.n(external_node_fs_);
// EXTERNAL MODULE: ./src/plan.ts
var src_plan = __webpack_require__(2464);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: external "node:timers/promises"
var promises_ = __webpack_require__(8500);
// EXTERNAL MODULE: ./src/bytepath.ts
var bytepath = __webpack_require__(2566);
;// CONCATENATED MODULE: ./src/remove/delete-pace.ts
// Where a delete runs: inline (a synchronous unlink/rmdir on the walk's own
// thread) or on libuv's thread pool, decided by how long deletes take here.
//
// On fast storage (tmpfs, an SSD, a warm page cache) an unlink answers in a
// few microseconds, and the pool's hand-off (a futex wake, a callback, a turn
// of the loop) costs several times that: inline is the fastest, and is what
// `rm -rf` does. On a slow disk an unlink waits for the device (ext4 with
// `discard` waits about 0.1-1 ms for each file with data blocks), and many
// deletes in flight on the pool hide that wait. Measured with bench/ on both.
//
// So deletes start inline, each timed; when a good share of a window of them
// is slow, deletes go to the pool, and a delete now and then still runs inline
// as a probe, so that the pace comes back when the slow part of the tree is
// behind (a directory of empty files after one of large ones).
/** A delete slower than this is slow: the pool's hand-off costs about this much. */
const SLOW_DELETE_MS = 0.05;
/** Inline deletes judged together. */
const INLINE_WINDOW = 32;
/** Slow deletes in one inline window that send deletes to the pool. */
const SLOW_IN_WINDOW = 8;
/** On the pool, one delete in this many runs inline, timed, as a probe. */
const PROBE_EVERY = 256;
/** Probes judged together; all fast but at most one, and deletes run inline again. */
const PROBE_WINDOW = 4;
class DeletePace {
    slowMs;
    inline = true;
    judged = 0;
    slow = 0;
    untilProbe = PROBE_EVERY;
    /** Windows of inline deletes judged fast so far. */
    fastWindows = 0;
    constructor(slowMs = SLOW_DELETE_MS) {
        this.slowMs = slowMs;
    }
    /** True: run the next delete inline, and report how long it took with `took`. */
    nextInline() {
        if (this.inline)
            return true;
        if (--this.untilProbe > 0)
            return false;
        this.untilProbe = PROBE_EVERY;
        return true;
    }
    /** How long an inline delete took (ms), success or not. */
    took(ms) {
        this.judged++;
        if (ms > this.slowMs)
            this.slow++;
        if (this.inline) {
            if (this.slow >= SLOW_IN_WINDOW)
                this.switchTo(false);
            else if (this.judged >= INLINE_WINDOW) {
                this.fastWindows++;
                this.switchTo(true);
            }
        }
        else if (this.judged >= PROBE_WINDOW) {
            this.switchTo(this.slow <= 1);
        }
    }
    /** Deletes run inline now (or on the pool, false). */
    get inlineNow() {
        return this.inline;
    }
    switchTo(inline) {
        this.inline = inline;
        this.judged = 0;
        this.slow = 0;
        this.untilProbe = PROBE_EVERY;
    }
}

// EXTERNAL MODULE: external "node:worker_threads"
var external_node_worker_threads_ = __webpack_require__(5919);
;// CONCATENATED MODULE: ./src/remove/deleter-thread.ts
// Fast deletes on a second core: one worker thread that makes synchronous
// unlink/rmdir calls on batches of paths, in order, and answers each batch with
// how long each delete took and its error.
//
// On fast storage a delete costs the kernel about as much as the walk's lstat
// of the same entry, and running it inline on the walk's thread adds the two.
// The thread pool would run them beside the walk, but its hand-off for each
// call costs more than the call; a batch of 64 pays one hand-off.

/** Deletes sent in one message. */
const DELETE_BATCH = 64;
// The worker's code as a string, so that it runs from the action's bundle and
// from `node -` on a remote host alike (no file of its own to load).
const WORKER_CODE = `
const { parentPort } = require('node:worker_threads')
const fs = require('node:fs')
parentPort.on('message', ({ rmdir, paths }) => {
  const ms = new Float64Array(paths.length)
  const errors = []
  for (let i = 0; i < paths.length; i++) {
    const started = performance.now()
    try {
      if (rmdir[i]) fs.rmdirSync(paths[i])
      else fs.unlinkSync(paths[i])
    } catch (error) {
      errors.push([i, { message: error.message, code: error.code, errno: error.errno, syscall: error.syscall }])
    }
    ms[i] = performance.now() - started
  }
  parentPort.postMessage({ ms, errors }, [ms.buffer])
})
`;
class DeleterThread {
    worker;
    rmdir = [];
    paths = [];
    answers = [];
    /** The answers of the batches sent, in the order they were sent. */
    sent = [];
    flushQueued = false;
    /** Queues a delete; `answer` gets how long it took and its error, in a later turn. */
    delete(operation, p, answer) {
        this.rmdir.push(operation === 'rmdir');
        this.paths.push(p);
        this.answers.push(answer);
        if (this.paths.length >= DELETE_BATCH)
            this.flush();
        else if (!this.flushQueued) {
            this.flushQueued = true;
            setImmediate(() => this.flush());
        }
    }
    /** Ends the thread now; the remover calls it when its run is done and nothing is out. */
    close() {
        const worker = this.worker;
        this.worker = undefined;
        if (worker)
            void worker.terminate();
    }
    flush() {
        this.flushQueued = false;
        if (!this.paths.length)
            return;
        const worker = this.start();
        this.sent.push(this.answers);
        worker.postMessage({ rmdir: this.rmdir, paths: this.paths });
        this.rmdir = [];
        this.paths = [];
        this.answers = [];
        worker.ref();
    }
    start() {
        if (this.worker)
            return this.worker;
        const worker = new external_node_worker_threads_.Worker(WORKER_CODE, { eval: true });
        // A thread that dies answers what it still held with why, so no delete waits forever.
        const died = (error) => {
            this.worker = undefined;
            for (const answers of this.sent.splice(0))
                for (const answer of answers)
                    answer(0, error);
        };
        worker.on('error', died);
        worker.on('exit', (code) => {
            if (this.sent.length)
                died(new Error(`the delete thread stopped (exit code ${code})`));
        });
        worker.on('message', ({ ms, errors }) => {
            const answers = this.sent.shift() ?? [];
            if (!this.sent.length)
                worker.unref();
            const failed = new Map(errors);
            for (let i = 0; i < answers.length; i++) {
                const error = failed.get(i);
                answers[i](ms[i], error ? Object.assign(new Error(error.message), error) : null);
            }
        });
        this.worker = worker;
        return worker;
    }
}

// EXTERNAL MODULE: external "node:v8"
var external_node_v8_ = __webpack_require__(8877);
var external_node_v8_default = /*#__PURE__*/__webpack_require__.n(external_node_v8_);
;// CONCATENATED MODULE: ./src/remove/young-generation.ts
// A cap on V8's young generation, for the memory goal (peak RSS at most
// 128 MB, 1M entries included).
//
// A long removal keeps objects alive across scavenges (the deletes in flight,
// the walk's frames), and V8 doubles the young generation each time enough
// survived, up to its maximum: 2 × 16 MB semi-spaces on Node 20, 2 × 32 MB on
// Node 24, which the action runs on. On Node 24 the 1M-entry tree on the disk
// peaked at 123 to 141 MB, with the young generation at 64 MB; at 2 × 16 MB, as
// `--max-semi-space-size=16` gives, at 102 MB in the same time. The action
// cannot pass V8 flags (the runner starts `node dist/index.cjs`), and V8 reads
// the maximum only when the heap is made; it reads the growth factor each time
// it grows. So once the young generation reaches Node 20's size, growing stops.

/** Node 20's young generation at its largest: two semi-spaces of 16 MB. */
const YOUNG_GENERATION_MAX_BYTES = 32 * 1024 * 1024;
// Reading V8's heap spaces costs microseconds: on every entry it took 106 ms of
// a 100k-entry removal's main thread on Node 24, so it is read once in this many.
const ENTRIES_PER_CHECK = 512;
class YoungGenerationCap {
    readSpaces;
    setFlags;
    capped = false;
    sinceCheck = 0;
    constructor(readSpaces = () => external_node_v8_default().getHeapSpaceStatistics(), setFlags = (flags) => external_node_v8_default().setFlagsFromString(flags)) {
        this.readSpaces = readSpaces;
        this.setFlags = setFlags;
    }
    /** Called for each entry: checks once in ENTRIES_PER_CHECK calls. */
    onEntry() {
        if (++this.sinceCheck < ENTRIES_PER_CHECK)
            return;
        this.sinceCheck = 0;
        this.check();
    }
    /** Stops the young generation's growth once it is as large as Node 20's. */
    check() {
        if (this.capped)
            return;
        const young = this.readSpaces().find((space) => space.space_name === 'new_space');
        if (!young || young.space_size < YOUNG_GENERATION_MAX_BYTES)
            return;
        this.setFlags('--semi-space-growth-factor=1');
        this.capped = true;
    }
}

;// CONCATENATED MODULE: ./src/remove.ts
// The remover: walks the planned roots, finds the caches the rules name,
// measures and deletes them. It counts only what it really removed (or, in a
// dry run, what a real run would), and never follows a symbolic link or
// crosses into another filesystem. It writes no outputs or logs: it returns data.
//
// Names are bytes (bytepath.ts): names and paths are byte keys from the
// listing on, the rules match those, a path handed to the system becomes a
// Buffer just for that call, and text only in what the remover returns.
//
// How it is fast (see bench/): reading metadata (readdir, lstat) costs
// microseconds of CPU on a warm cache, and libuv's thread pool adds more than
// that per call, so the walk reads metadata synchronously, depth-first. Each
// level holds at most one batch of its directory's listing (Listing), so
// memory is bounded by depth, not by how wide a directory is. Deletes run
// inline too while they answer in microseconds (tmpfs, an SSD, a warm cache);
// where they wait on the disk, unlink and rmdir go to the thread pool, up to
// `operationConcurrency` in flight, while the walk goes on (remove/delete-pace.ts).
// A directory is removed when the last of its children is.







// Deletes in flight: enough to keep every pool thread busy (launch.cjs sizes
// the pool, 4 threads per core) and let the walk run ahead of them; each holds
// a path and a closure. In bench/ 128 beat 64; 512 was no faster than 128 and
// peaked about 30 MB higher in RSS (README, Performance).
const DEFAULT_OPERATION_CONCURRENCY = 128;
const DEFAULT_REFILL_RETRIES = 3;
// Let completions and the progress timer run at least this often.
const ENTRIES_PER_TURN = 512;
// The search needs no delete slot, so it goes on while the deletes are all
// taken, yielding this often so that their completions are answered promptly,
// until this many cache paths wait for the removal. Waiting with the removal
// left the pool and the disk idle while it crossed a part of the tree with
// nothing to find (a large node_modules: about 100 ms at 100k entries).
const SEARCH_ENTRIES_PER_TURN = 64;
const SEARCH_AHEAD_MAX = 4096;
// Paths longer than this are re-anchored on an open directory handle
// (/proc/self/fd/N/...), so trees deeper than PATH_MAX (4096) still work.
const ANCHOR_AFTER = 3000;
const CAN_ANCHOR = process.platform === 'linux';
// Root may remove anything; any other user needs write and search permission
// on each directory it clears (see permitClearing).
const USER_ID = process.getuid?.();
/** One for the process: V8's flags are the process's. */
const YOUNG_GENERATION = new YoungGenerationCap();
const ALL_ACCESS = (external_node_fs_default()).constants.R_OK | (external_node_fs_default()).constants.W_OK | (external_node_fs_default()).constants.X_OK;
/**
 * What a dry run has counted, so that it counts each entry once, as a real run
 * does (there a second removal of an entry meets ENOENT and counts nothing).
 * Cache paths can overlap: an extra path naming a cache the search finds too,
 * or one inside another; an exact path reached through a link. Directories are
 * known by identity, other removal roots by their directory's identity and name
 * (hardlinks are separate entries).
 */
class DryRunSeen {
    directories = new Set();
    fileRoots = new Set();
    /** Marks a directory counted; false when it already was. */
    enterDirectory(stat) {
        const id = `${stat.dev}:${stat.ino}`;
        if (this.directories.has(id))
            return false;
        this.directories.add(id);
        return true;
    }
    isCountedDirectory(stat) {
        return this.directories.has(`${stat.dev}:${stat.ino}`);
    }
    /** Marks a non-directory removal root (its name as a byte key) counted; false when it already was. */
    enterFileRoot(parent, name) {
        const id = `${parent.dev}:${parent.ino}/${name}`;
        if (this.fileRoots.has(id))
            return false;
        this.fileRoots.add(id);
        return true;
    }
    isFileRoot(parent, name) {
        return this.fileRoots.size > 0 && this.fileRoots.has(`${parent.dev}:${parent.ino}/${name}`);
    }
}
/**
 * Counts an inode's blocks once, when its last link goes. A file seen with one
 * link is freed by its unlink; a file with several links is freed only when
 * this run has removed as many links as it had when first seen.
 */
class LinkLedger {
    linksLeft = new Map();
    /** Bytes freed by removing this one link of `stat`. */
    freedBy(stat) {
        const bytes = stat.blocks * 512;
        if (stat.nlink <= 1 || stat.isDirectory()) {
            if (stat.nlink <= 1 && this.linksLeft.size > 0)
                this.linksLeft.delete(`${stat.dev}:${stat.ino}`);
            return bytes;
        }
        const key = `${stat.dev}:${stat.ino}`;
        const left = (this.linksLeft.get(key) ?? stat.nlink) - 1;
        if (left <= 0) {
            this.linksLeft.delete(key);
            return bytes;
        }
        this.linksLeft.set(key, left);
        return 0;
    }
}
// Entries read from a large directory at a time: bounds memory per level of
// the walk whatever a directory holds, and is large enough to cost few calls.
const LISTING_BATCH = 1024;
// A directory no larger than this (st_size) is read in one call: opendir costs
// about 10 µs more per directory, which showed in bench/, and such a directory
// holds some thousands of names at most (ext4 and tmpfs use 12 to 20 bytes a
// name). A larger one, or one whose size says nothing (0), is read in batches.
const READ_WHOLE_MAX_BYTES = 256 * 1024;
/**
 * A directory's entries: a small directory read whole, a large one in
 * batches as the walk goes (opendir), never its whole listing at once. A
 * directory that fits in one batch is closed at once, so a deep walk holds no
 * handle open per level.
 */
class Listing {
    batch = [];
    index = 0;
    dir;
    /** `size`: the directory's st_size. Throws what readdir or opendir throws. */
    constructor(path, size) {
        if (size > 0 && size <= READ_WHOLE_MAX_BYTES) {
            this.batch = external_node_fs_default().readdirSync(path, { encoding: 'latin1', withFileTypes: true });
            return;
        }
        this.dir = external_node_fs_default().opendirSync(path, { encoding: 'latin1', bufferSize: LISTING_BATCH });
        this.refill();
    }
    /** The next entry, or undefined at the end (the directory is closed then). Throws a read error, closed. */
    next() {
        if (this.index >= this.batch.length)
            this.refill();
        return this.batch[this.index++];
    }
    close() {
        const dir = this.dir;
        this.dir = undefined;
        dir?.closeSync();
    }
    refill() {
        this.batch = [];
        this.index = 0;
        try {
            while (this.dir && this.batch.length < LISTING_BATCH) {
                const entry = this.dir.readSync();
                if (entry)
                    this.batch.push(entry);
                else
                    this.close();
            }
        }
        catch (error) {
            this.close();
            throw error;
        }
    }
}
function searchRules(search) {
    return {
        target: search.target,
        root: (0,bytepath/* textKey */.tQ)(search.root),
        exactPaths: new Set(search.exactPaths.map(bytepath/* textKey */.tQ)),
        dirNames: new Set([...search.dirNames].map(bytepath/* textKey */.tQ)),
        fileSuffixes: search.fileSuffixes.map(bytepath/* textKey */.tQ)
    };
}
function errorCode(error) {
    return error?.code;
}
function describe(error) {
    const code = errorCode(error);
    const reasons = {
        EPERM: "operation not permitted (immutable or append-only, or another user's entry in a sticky directory?)",
        EACCES: 'permission denied',
        EROFS: 'read-only file system',
        EBUSY: 'busy (a mount point?)',
        ENAMETOOLONG: 'path too long'
    };
    if (code && reasons[code])
        return `${code}: ${reasons[code]}`;
    return code ?? (error instanceof Error ? error.message : String(error));
}
/**
 * Mount points in /proc/self/mountinfo format (field 5, octal escapes such as
 * \\040 decoded), as byte keys: read the table as Latin-1, so each escape
 * decodes to the byte it stands for, like the bytes around it.
 */
function parseMountInfo(text) {
    return text
        .split('\n')
        .map((line) => line.split(' ')[4])
        .filter((field) => field !== undefined && field !== '')
        .map((field) => field.replace(/\\([0-7]{3})/g, (_, octal) => String.fromCharCode(parseInt(octal, 8))));
}
/**
 * Mount points strictly below `root` (resolved), relative to it, as byte
 * keys; undefined where there is no mount table to read (not Linux), and the
 * search then asks lstat for each directory's device instead.
 */
function mountPointsBelow(root, mountInfo) {
    let text = mountInfo;
    let realRoot;
    try {
        text ??= external_node_fs_default().readFileSync('/proc/self/mountinfo', 'latin1');
        realRoot = (0,bytepath/* byteKey */.QK)(external_node_fs_default().realpathSync(root, { encoding: 'buffer' }));
    }
    catch {
        return undefined;
    }
    const prefix = realRoot.endsWith('/') ? realRoot : `${realRoot}/`;
    const below = new Set();
    for (const point of parseMountInfo(text)) {
        if (point.startsWith(prefix) && point !== prefix)
            below.add(point.slice(prefix.length));
    }
    return below;
}
/**
 * lstat that answers undefined for a path that is not there: gone (not an
 * error: another run may have removed it), or below a file (ENOTDIR: an exact
 * path such as node_modules/.cache when node_modules is a file).
 */
function lstatOrGone(p) {
    try {
        return external_node_fs_default().lstatSync(p, { throwIfNoEntry: false });
    }
    catch (error) {
        if (errorCode(error) === 'ENOTDIR')
            return undefined;
        throw error;
    }
}
class CacheRemover {
    plan;
    options;
    dryRun;
    maxInFlight;
    refillRetries;
    ledger = new LinkLedger();
    dryRunSeen = new DryRunSeen();
    accounts = [];
    failures = [];
    warnings = [];
    entries = 0;
    bytes = 0;
    /** unlink/rmdir calls not yet answered. */
    inFlight = 0;
    peakInFlight = 0;
    /** Walks running (the main one, and re-reads of directories that refilled). */
    walks = 0;
    /** Cache paths the search found, waiting for the removal walk. */
    found = [];
    foundHead = 0;
    searching = true;
    wakeRemover;
    /** The removal still takes found paths (false once it has returned). */
    removalRunning = true;
    wakeSearch;
    /** Entries the search visited since it last yielded. */
    sinceSearchTurn = 0;
    /** Entries visited since callbacks last had a turn. */
    sinceTurn = 0;
    /** Walks waiting for a free delete slot. */
    waitingWalks = [];
    wakeDone;
    /** Where deletes run (undefined: always on the pool, as operationConcurrency asks). */
    blockDeletes;
    emptyDeletes;
    /** Completions of inline deletes, run in order by the outermost one. */
    inlineDone = [];
    drainingInline = false;
    /** Fast deletes of entries holding blocks, beside the walk (started on first use). */
    deleter = new DeleterThread();
    constructor(plan, options) {
        this.plan = plan;
        this.options = options;
        this.dryRun = options.dryRun;
        this.maxInFlight = options.operationConcurrency ?? DEFAULT_OPERATION_CONCURRENCY;
        this.refillRetries = options.refillRetries ?? DEFAULT_REFILL_RETRIES;
        if (options.operationConcurrency === undefined) {
            this.blockDeletes = new DeletePace(options.slowDeleteMs);
            this.emptyDeletes = new DeletePace(options.slowDeleteMs);
        }
    }
    async run() {
        const timer = this.options.onProgress
            ? setInterval(() => this.options.onProgress?.(this.progress()), this.options.progressIntervalMs ?? 2000)
            : undefined;
        timer?.unref();
        try {
            const done = new Promise((resolve) => (this.wakeDone = resolve));
            await this.trackWalk(() => this.walkRoots());
            await done;
        }
        finally {
            if (timer)
                clearInterval(timer);
            this.deleter.close();
        }
        return {
            dryRun: this.dryRun,
            removed: this.accounts
                .filter((account) => account.entries > 0 || account.complete)
                .map(({ owner, path: rel, entries, bytes, complete }) => ({ owner, path: rel, entries, bytes, complete })),
            failures: this.failures,
            warnings: this.warnings,
            entries: this.entries,
            bytes: this.bytes,
            peakInFlight: this.peakInFlight
        };
    }
    progress() {
        return { entries: this.entries, bytes: this.bytes };
    }
    /**
     * Searching reads metadata on this thread; removing waits for delete slots.
     * They run side by side: the search hands each cache path it finds to the
     * removal walk through a queue, and goes on while the deletes are pending.
     */
    async walkRoots() {
        const removing = this.trackWalk(() => this.removeQueued());
        // The exact paths and extra paths go first to the removal queue, then the searches feed it.
        const roots = this.plan.searches.map(searchRules).map((search) => ({ search, stat: this.tryLstat(search.root) }));
        for (const { search, stat } of roots) {
            if (stat)
                for (const exact of search.exactPaths)
                    this.enqueue(search.target, `${search.root}/${exact}`, stat.dev);
        }
        const appStat = this.plan.extraPaths.length > 0 ? this.tryLstat((0,bytepath/* textKey */.tQ)(this.plan.appRoot)) : undefined;
        for (const extra of this.plan.extraPaths)
            if (appStat)
                this.enqueue('extra', (0,bytepath/* byteKey */.QK)(extra), appStat.dev);
        for (const { search, stat } of roots) {
            if (stat)
                await this.walk(this.searchFrame(search, search.root, '', stat, mountPointsBelow((0,bytepath/* keyBytes */.Rt)(search.root))));
        }
        this.searching = false;
        this.wakeRemover?.();
        await removing;
    }
    enqueue(owner, absolute, expectedDev, known) {
        this.found.push({ owner, absolute, expectedDev, known });
        this.wakeRemover?.();
    }
    /** Removes the cache paths found, one depth-first walk each, until the search is over. */
    async removeQueued() {
        try {
            await this.removeFound();
        }
        finally {
            // A search waiting for the queue to shrink goes on (a cancel ends it at its next entry).
            this.removalRunning = false;
            this.wakeSearch?.();
        }
    }
    async removeFound() {
        for (;;) {
            // FIFO without Array#shift's O(n) move: drop the consumed head now and then.
            const next = this.found[this.foundHead];
            if (next)
                this.found[this.foundHead++] = undefined;
            if (this.found.length - this.foundHead <= SEARCH_AHEAD_MAX / 2)
                this.wakeSearch?.();
            if (this.foundHead > 1024 && this.foundHead * 2 > this.found.length) {
                this.found.splice(0, this.foundHead);
                this.foundHead = 0;
            }
            if (next) {
                // Wait for a delete slot first: a file or link is unlinked at once, without a walk.
                await this.pace();
                if (this.options.signal?.aborted)
                    return;
                await this.walk(this.startRemoval(next.owner, next.absolute, next.expectedDev, next.known));
            }
            else if (this.searching) {
                await new Promise((resolve) => (this.wakeRemover = resolve));
                this.wakeRemover = undefined;
            }
            else {
                return;
            }
        }
    }
    /** Runs a walk, and resolves `done` when no walk and no delete is left. */
    async trackWalk(walk) {
        this.walks++;
        try {
            await walk();
        }
        finally {
            this.walks--;
            this.checkDone();
        }
    }
    checkDone() {
        if (this.walks === 0 && this.inFlight === 0)
            this.wakeDone?.();
    }
    /** Depth-first from `first`, yielding to completions regularly and whenever the delete queue is full. */
    async walk(first) {
        if (!first)
            return;
        const frames = [first];
        const search = first.kind === 'search';
        while (frames.length > 0) {
            await (search ? this.searchPace() : this.pace());
            if (this.options.signal?.aborted) {
                // Cancelled: what these frames still hold stays, so their paths are not complete.
                for (const left of frames) {
                    left.listing.close();
                    if (left.kind === 'tree')
                        left.node.account.complete = false;
                }
                return;
            }
            const frame = frames[frames.length - 1];
            const entry = this.nextEntry(frame);
            if (!entry) {
                frames.pop();
                if (frame.kind === 'tree')
                    this.settle(frame.node);
                continue;
            }
            const child = frame.kind === 'tree' ? this.visitTreeEntry(frame.node, entry.name) : this.visitSearchEntry(frame, entry);
            if (child)
                frames.push(child);
        }
    }
    /** The frame's next entry; undefined at its end, or when reading failed (named, and a tree's directory kept). */
    nextEntry(frame) {
        try {
            return frame.listing.next();
        }
        catch (error) {
            if (frame.kind === 'search')
                this.failures.push({ path: this.relative(frame.dir), reason: describe(error) });
            else {
                frame.node.kept = true;
                this.fail(frame.node.account, this.logicalPath(frame.node), error);
            }
            return undefined;
        }
    }
    /** Before each entry a removal visits: wait while the delete queue is full, and let callbacks run now and then. */
    async pace() {
        YOUNG_GENERATION.onEntry();
        if (++this.sinceTurn >= ENTRIES_PER_TURN || this.inFlight >= this.maxInFlight) {
            this.sinceTurn = 0;
            await this.nextTurn();
        }
    }
    /**
     * Before each entry the search visits: it needs no delete slot, so it goes
     * on while they are all taken (yielding more often then), and waits only
     * when enough found paths are ahead of the removal.
     */
    async searchPace() {
        YOUNG_GENERATION.onEntry();
        if (this.found.length - this.foundHead >= SEARCH_AHEAD_MAX && this.removalRunning) {
            this.sinceSearchTurn = 0;
            await new Promise((resolve) => (this.wakeSearch = resolve));
            this.wakeSearch = undefined;
            return;
        }
        const perTurn = this.inFlight >= this.maxInFlight ? SEARCH_ENTRIES_PER_TURN : ENTRIES_PER_TURN;
        if (++this.sinceSearchTurn >= perTurn) {
            this.sinceSearchTurn = 0;
            await (0,promises_.setImmediate)();
        }
    }
    /** Waits for a free delete slot, or at least lets pending callbacks run. */
    async nextTurn() {
        if (this.inFlight < this.maxInFlight)
            return (0,promises_.setImmediate)();
        // Completions can queue an rmdir of their own, so check again when woken.
        while (this.inFlight >= this.maxInFlight)
            await new Promise((resolve) => this.waitingWalks.push(resolve));
    }
    /**
     * Runs an unlink or rmdir inline or on the thread pool (DeletePace, one for
     * entries holding blocks and one for those that hold none); `then` gets the
     * error, if any. An inline delete's `then` runs from a queue drained here,
     * not nested in the one before it, so a chain of parents removed one after
     * another (a deep tree) does not grow the stack.
     */
    queue(operation, p, stat, then) {
        const pace = stat.blocks > 0 ? this.blockDeletes : this.emptyDeletes;
        const inline = pace?.nextInline() ?? false;
        // Once a window of deletes of entries holding blocks has been fast, the deleter thread
        // runs them beside the walk (tmpfs, 100k app: 559 against 693 ms inline). Probes, and
        // entries holding no blocks, stay inline; on a slow disk the thread never starts, and
        // its memory (about 12 MB) is not spent.
        if (inline && pace && pace === this.blockDeletes && pace.inlineNow && pace.fastWindows > 0) {
            this.deleteSent();
            this.deleter.delete(operation, p, (ms, error) => {
                pace.took(ms);
                this.deleteAnswered(then, error);
            });
            return;
        }
        if (inline && pace) {
            const started = performance.now();
            let error = null;
            try {
                if (operation === 'unlink')
                    external_node_fs_default().unlinkSync(p);
                else
                    external_node_fs_default().rmdirSync(p);
            }
            catch (caught) {
                error = caught;
            }
            pace.took(performance.now() - started);
            if (this.drainingInline) {
                this.inlineDone.push(() => then(error));
                return;
            }
            this.drainingInline = true;
            try {
                then(error);
                for (let i = 0; i < this.inlineDone.length; i++)
                    this.inlineDone[i]();
            }
            finally {
                this.inlineDone.length = 0;
                this.drainingInline = false;
            }
            return;
        }
        this.deleteSent();
        (external_node_fs_default())[operation](p, (error) => this.deleteAnswered(then, error));
    }
    /** A delete left for the pool or the deleter thread: one more in flight. */
    deleteSent() {
        if (++this.inFlight > this.peakInFlight)
            this.peakInFlight = this.inFlight;
    }
    /** A delete in flight was answered, by the pool or the deleter thread. */
    deleteAnswered(then, error) {
        this.inFlight--;
        then(error);
        // Waiting walks check again; wake them all so none is left behind.
        if (this.inFlight < this.maxInFlight)
            for (const wake of this.waitingWalks.splice(0))
                wake();
        this.checkDone();
    }
    tryLstat(p) {
        try {
            return lstatOrGone((0,bytepath/* systemPath */.BX)(p));
        }
        catch (error) {
            this.failures.push({ path: this.relative(p), reason: describe(error) });
            return undefined;
        }
    }
    /** A path as reported: relative to the app root, shown as displayPath does. */
    relative(absolute) {
        // path.relative on byte keys works byte for byte: it only looks at '/' and '.'.
        const rel = external_node_path_default().posix.relative((0,bytepath/* textKey */.tQ)(this.plan.appRoot), absolute);
        return rel === '' ? '.' : (0,bytepath/* displayPath */.Gt)((0,bytepath/* keyBytes */.Rt)(rel));
    }
    count(account, stat) {
        const freed = this.ledger.freedBy(stat);
        account.entries++;
        account.bytes += freed;
        this.entries++;
        this.bytes += freed;
    }
    fail(account, where, error) {
        account.complete = false;
        this.failures.push({ path: this.relative(where), reason: describe(error) });
    }
    searchFrame(search, dir, rel, stat, mounts) {
        const dev = stat.dev;
        let listing;
        try {
            listing = new Listing((0,bytepath/* systemPath */.BX)(dir), stat.size);
        }
        catch (error) {
            if (errorCode(error) !== 'ENOENT')
                this.failures.push({ path: this.relative(dir), reason: describe(error) });
            return undefined;
        }
        return { kind: 'search', search, dir, rel, dev, mounts, listing };
    }
    visitSearchEntry(frame, entry) {
        const { search } = frame;
        const name = entry.name;
        const rel = frame.rel === '' ? name : `${frame.rel}/${name}`;
        if (search.exactPaths.has(rel))
            return undefined; // removed as an exact path
        const absolute = `${frame.dir}/${name}`;
        let isDirectory = entry.isDirectory();
        let isLink = entry.isSymbolicLink();
        let known;
        if (!isDirectory && !isLink && !entry.isFile()) {
            // d_type unknown on this filesystem (or a device, fifo, socket): ask.
            known = this.tryLstat(absolute);
            if (!known)
                return undefined;
            isDirectory = known.isDirectory();
            isLink = known.isSymbolicLink();
        }
        if (isDirectory && search.dirNames.has(name)) {
            this.enqueue(search.target, absolute, frame.dev, known);
            return undefined;
        }
        if (isDirectory) {
            // Its size says how to read it (Listing).
            const stat = known ?? this.tryLstat(absolute);
            if (!stat)
                return undefined;
            // The mount table also knows bind mounts, which keep the device number.
            if (stat.dev !== frame.dev || frame.mounts?.has(rel)) {
                this.warnings.push(`${this.relative(absolute)} is on another filesystem (a mount point): not searched.`);
                return undefined;
            }
            return this.searchFrame(search, absolute, rel, stat, frame.mounts);
        }
        if ((isLink && search.dirNames.has(name)) || search.fileSuffixes.some((suffix) => name.endsWith(suffix))) {
            // A cache path that is itself a link is removed as a link.
            this.enqueue(search.target, absolute, frame.dev, known);
            return undefined;
        }
        return undefined;
    }
    /** A cache path found: remove a file or link at once; a directory becomes a walk frame. */
    startRemoval(owner, absolute, expectedDev, known) {
        const stat = known ?? this.tryLstat(absolute);
        if (!stat)
            return undefined; // not there: nothing to clear
        const account = { owner, path: this.relative(absolute), absolute, entries: 0, bytes: 0, complete: true };
        if (stat.isDirectory() && stat.dev !== expectedDev) {
            this.warnings.push(`${account.path} is on another filesystem (a mount point): skipped.`);
            return undefined;
        }
        if (this.dryRun && !this.isNewDryRunRoot(absolute, stat))
            return undefined;
        this.accounts.push(account);
        if (stat.isDirectory())
            return this.treeFrame(this.dirNode(undefined, account, '', absolute, stat));
        this.removeEntry(undefined, account, (0,bytepath/* systemPath */.BX)(absolute), stat, () => absolute);
        return undefined;
    }
    /** In a dry run: false for a removal root already counted, itself or inside another. */
    isNewDryRunRoot(absolute, stat) {
        const slash = absolute.lastIndexOf('/');
        const parent = this.tryLstat(absolute.slice(0, slash));
        if (!parent || this.dryRunSeen.isCountedDirectory(parent))
            return false;
        return stat.isDirectory()
            ? this.dryRunSeen.enterDirectory(stat)
            : this.dryRunSeen.enterFileRoot(parent, absolute.slice(slash + 1));
    }
    dirNode(parent, account, name, ownPath, stat) {
        return {
            parent,
            account,
            name,
            ownPath,
            childBase: ownPath,
            stat,
            pending: 1,
            kept: false,
            scans: 0,
            listed: 0,
            vanished: 0
        };
    }
    /** Reads a directory to clear; on failure the directory is kept and named, and settled. */
    treeFrame(node) {
        node.scans++;
        node.listed = 0;
        node.vanished = 0;
        try {
            if (node.scans === 1)
                this.permitClearing(node);
            if (CAN_ANCHOR && node.anchorFd === undefined && node.childBase.length > ANCHOR_AFTER) {
                node.anchorFd = external_node_fs_default().openSync((0,bytepath/* systemPath */.BX)(node.ownPath), (external_node_fs_default()).constants.O_RDONLY | (external_node_fs_default()).constants.O_DIRECTORY | (external_node_fs_default()).constants.O_NOFOLLOW);
                node.childBase = `/proc/self/fd/${node.anchorFd}`;
            }
            return { kind: 'tree', node, listing: new Listing((0,bytepath/* systemPath */.BX)(node.childBase), node.stat.size) };
        }
        catch (error) {
            if (errorCode(error) !== 'ENOENT') {
                node.kept = true;
                this.fail(node.account, this.logicalPath(node), error);
            }
            this.settle(node);
            return undefined;
        }
    }
    /**
     * Not root: a directory this user owns but may not read or write (a
     * read-only tree, as Go's module cache is) is made writable first, as `go
     * clean -modcache` does; one it does not own and may not clear (what a
     * container build running as root leaves) throws, and is named once rather
     * than entry by entry, and kept whole.
     */
    permitClearing(node) {
        if (USER_ID === undefined || USER_ID === 0)
            return;
        const { mode, uid } = node.stat;
        if (uid === USER_ID) {
            if ((mode & 0o700) !== 0o700 && !this.dryRun)
                external_node_fs_default().chmodSync((0,bytepath/* systemPath */.BX)(node.ownPath), (mode & 0o7777) | 0o700);
            return;
        }
        try {
            external_node_fs_default().accessSync((0,bytepath/* systemPath */.BX)(node.ownPath), ALL_ACCESS);
        }
        catch (error) {
            if (errorCode(error) !== 'EACCES')
                throw error;
            const owner = `owned by uid ${uid}, mode ${(mode & 0o7777).toString(8)}`;
            throw new Error(`EACCES: permission denied (${owner}: uid ${USER_ID} may not remove what is in it)`);
        }
    }
    visitTreeEntry(node, name) {
        const childPath = `${node.childBase}/${name}`;
        // One path for the lstat and the unlink (a Buffer only for a name that is not ASCII).
        const child = (0,bytepath/* systemPath */.BX)(childPath);
        const logical = () => `${this.logicalPath(node)}/${name}`;
        node.listed++;
        let stat;
        try {
            stat = lstatOrGone(child);
        }
        catch (error) {
            node.kept = true;
            this.fail(node.account, logical(), error);
            return undefined;
        }
        if (!stat) {
            node.vanished++;
            return undefined;
        }
        if (!stat.isDirectory()) {
            if (this.dryRun && this.dryRunSeen.isFileRoot(node.stat, name))
                return undefined; // counted as its own root
            this.removeEntry(node, node.account, child, stat, logical);
            return undefined;
        }
        if (stat.dev !== node.stat.dev) {
            node.kept = true;
            this.warnings.push(`${this.relative(logical())} is another filesystem mounted inside a cache: skipped.`);
            return undefined;
        }
        if (this.dryRun && !this.dryRunSeen.enterDirectory(stat))
            return undefined; // counted as its own root
        node.pending++;
        return this.treeFrame(this.dirNode(node, node.account, name, childPath, stat));
    }
    /** Unlinks one non-directory entry (in a dry run, only counts it). */
    removeEntry(parent, account, p, stat, logical) {
        if (this.dryRun) {
            this.count(account, stat);
            return;
        }
        if (this.options.signal?.aborted) {
            account.complete = false;
            return;
        }
        if (parent)
            parent.pending++;
        this.queue('unlink', p, stat, (error) => {
            if (!error)
                this.count(account, stat);
            else if (error.code === 'ENOENT') {
                if (parent)
                    parent.vanished++;
            }
            else {
                // ENOENT: someone else removed it; not ours to count, not an error.
                if (parent)
                    parent.kept = true;
                this.fail(account, logical(), error);
            }
            if (parent)
                this.settle(parent);
        });
    }
    /** One piece of `node` is done; when all are, remove it and tell its parent. */
    settle(node) {
        if (--node.pending > 0)
            return;
        if (node.anchorFd !== undefined) {
            external_node_fs_default().closeSync(node.anchorFd);
            node.anchorFd = undefined;
            node.childBase = node.ownPath;
        }
        if (node.kept)
            return this.settleParent(node, false);
        if (this.dryRun) {
            this.count(node.account, node.stat);
            return this.settleParent(node, true);
        }
        if (this.options.signal?.aborted) {
            node.account.complete = false;
            return;
        }
        this.options.beforeRemoveDirectory?.((0,bytepath/* keyBytes */.Rt)(node.ownPath));
        this.queue('rmdir', (0,bytepath/* systemPath */.BX)(node.ownPath), node.stat, (error) => {
            if (!error) {
                this.count(node.account, node.stat);
                return this.settleParent(node, true);
            }
            if (error.code === 'ENOENT')
                return this.settleParent(node, true);
            if ((error.code === 'ENOTEMPTY' || error.code === 'EEXIST') && node.scans <= this.refillRetries) {
                // Refilled while we cleared it (a build still writing): read it again.
                node.pending = 1;
                void this.trackWalk(() => this.walk(this.treeFrame(node)));
                return;
            }
            const reason = error.code === 'ENOTEMPTY' || error.code === 'EEXIST' ? new Error(this.stillNotEmpty(node)) : error;
            this.fail(node.account, this.logicalPath(node), reason);
            this.settleParent(node, false);
        });
    }
    /** Why a directory is still not empty after its last pass: blame a writer only when one was seen. */
    stillNotEmpty(node) {
        const passes = `still not empty after ${node.scans} passes`;
        if (node.listed > node.vanished)
            return `${passes} (something keeps writing to it)`;
        if (node.listed > 0)
            return `${passes} (its last pass listed ${node.listed} entries that were gone by name)`;
        return `${passes} (its last pass listed no entries)`;
    }
    settleParent(node, gone) {
        const parent = node.parent;
        if (!parent) {
            if (!gone)
                node.account.complete = false;
            return;
        }
        if (!gone)
            parent.kept = true;
        this.settle(parent);
    }
    logicalPath(node) {
        const names = [];
        for (let current = node; current?.parent; current = current.parent)
            names.push(current.name);
        return [node.account.absolute, ...names.reverse()].join('/');
    }
}
/** Clears every path the plan names; see CacheRemover. */
async function removeCaches(plan, options) {
    return new CacheRemover(plan, options).run();
}

;// CONCATENATED MODULE: ./src/files.ts
// The file half of a clear, wherever it runs: plan → remove, with the free
// space of the app root's filesystem around it. The pipeline calls it for the
// machine the job runs on; a remote host runs the same function and sends the
// FileWork back as data, so the report cannot tell where it ran.



async function freeBytes(dir) {
    try {
        const stats = await external_node_fs_.promises.statfs(dir);
        return stats.bavail * stats.bsize;
    }
    catch {
        return undefined;
    }
}
/** Plans and removes the file caches of `settings`. Throws PlanError (nothing touched) when the root is missing. */
async function clearFiles(settings, hooks = {}) {
    // Planning validates the roots before anything is deleted.
    const plan = await (0,src_plan/* planCacheRemoval */.kv)(settings);
    const freeBytesBefore = await freeBytes(settings.root);
    let files;
    if (plan.searches.length > 0 || plan.extraPaths.length > 0) {
        files = await removeCaches(plan, { dryRun: settings.dryRun, onProgress: hooks.onProgress, signal: hooks.signal });
    }
    return { planWarnings: plan.warnings, files, freeBytesBefore, freeBytesAfter: await freeBytes(settings.root) };
}

// EXTERNAL MODULE: ./src/host/local.ts
var local = __webpack_require__(2701);
// EXTERNAL MODULE: ./src/report.ts
var report = __webpack_require__(665);
// EXTERNAL MODULE: ./src/rules.ts
var rules = __webpack_require__(9244);
;// CONCATENATED MODULE: ./src/pipeline.ts





/** Opens the run's host: SSH when `ssh` is set (throws SshError, nothing run there), else this machine. */
async function openHost(settings) {
    if (!settings.ssh)
        return new local/* LocalHost */.a();
    const { user, host, port, jumps, privateKeys, passphrase, agentSocket, knownHosts } = settings.ssh;
    const { SshHost } = await Promise.all(/* import() | ssh */[__webpack_require__.e(472), __webpack_require__.e(347)]).then(__webpack_require__.bind(__webpack_require__, 5460));
    return SshHost.connect({ user, host, port, jumps, privateKeys, passphrase, agentSocket, knownHosts });
}
async function clearFilesOn(host, settings, hooks) {
    if (!host.remote)
        return clearFiles(settings, hooks);
    // Docker alone touches no file on the host; planning here only yields the same warnings a local run gives.
    if (!settings.targets.some(rules/* isFileTarget */.uD))
        return { planWarnings: (await (0,src_plan/* planCacheRemoval */.kv)(settings)).warnings };
    const { clearFilesOnHost } = await Promise.all(/* import() | engine */[__webpack_require__.e(752), __webpack_require__.e(209)]).then(__webpack_require__.bind(__webpack_require__, 921));
    return clearFilesOnHost(host, settings, hooks);
}
async function pruneDockerOn(host, settings, signal, log) {
    if (signal?.aborted) {
        return {
            dockerIssue: {
                level: 'warning',
                message: 'Docker build cache not pruned: the run was cancelled before the prune.'
            }
        };
    }
    const [{ pruneBuildCache, PruneFailedError }, { DockerUnavailableError }] = await Promise.all([
        Promise.all(/* import() | engine */[__webpack_require__.e(752), __webpack_require__.e(209)]).then(__webpack_require__.bind(__webpack_require__, 5486)),
        Promise.all(/* import() | engine */[__webpack_require__.e(752), __webpack_require__.e(209)]).then(__webpack_require__.bind(__webpack_require__, 6556))
    ]);
    try {
        return {
            docker: await pruneBuildCache({ ...settings.docker, dryRun: settings.dryRun }, 
            // A docker-group user reads containerd's root from a throwaway container of the image the user named.
            { host, log, helperImage: settings.ssh?.nodeImage })
        };
    }
    catch (error) {
        // Caught here so the file results are still reported. An engine that is
        // missing only warns when docker came with `all`; one that refused the
        // prune (a filter it does not know), or an SSH connection that dropped,
        // is always an error.
        const reason = error instanceof Error ? error.message : String(error);
        const lost = host.connectionLost;
        return {
            dockerIssue: error instanceof DockerUnavailableError && !settings.dockerRequired && lost === undefined
                ? { level: 'warning', message: `Docker build cache skipped: ${reason}. The file caches were still cleared.` }
                : error instanceof PruneFailedError
                    ? {
                        level: 'error',
                        message: `Docker build cache prune failed: ${reason}`,
                        reclaimedBytes: error.reclaimedBytes,
                        reclaimedHow: error.reclaimedHow
                    }
                    : { level: 'error', message: `Docker build cache not pruned: ${reason}` }
        };
    }
}
async function clearOnHost(settings, hooks) {
    const host = await openHost(settings);
    try {
        const fileWork = await clearFilesOn(host, settings, hooks);
        const dockerLog = [];
        const docker = settings.targets.includes('docker')
            ? await pruneDockerOn(host, settings, hooks.signal, (line) => dockerLog.push(line))
            : {};
        const route = host.route && host.route.length > 0 ? host.route : undefined;
        return { host: host.remote ? host.name : undefined, route, fileWork, ...docker, dockerLog };
    }
    finally {
        await host.close();
    }
}
async function clearActionsCacheOf(settings, hooks) {
    if (!settings.actionsCache)
        return {};
    if (hooks.signal?.aborted)
        return { actionsCacheIssue: 'Actions cache not cleared: the run was cancelled before it started.' };
    const { clearActionsCache } = await Promise.all(/* import() */[__webpack_require__.e(752), __webpack_require__.e(942), __webpack_require__.e(601), __webpack_require__.e(399)]).then(__webpack_require__.bind(__webpack_require__, 8399));
    try {
        return {
            actionsCache: await clearActionsCache(settings.actionsCache, {
                dryRun: settings.dryRun,
                log: hooks.onActionsCacheLog,
                signal: hooks.signal
            })
        };
    }
    catch (error) {
        // Caught here so the file and docker results are still reported.
        return { actionsCacheIssue: error instanceof Error ? error.message : String(error) };
    }
}
async function clearAppCaches(settings, hooks = {}) {
    const { host, route, fileWork, docker, dockerIssue, dockerLog } = await clearOnHost(settings, hooks);
    const { actionsCache, actionsCacheIssue } = await clearActionsCacheOf(settings, hooks);
    return (0,report/* buildReport */.FK)({
        dryRun: settings.dryRun,
        appRoot: settings.root,
        host,
        route,
        targets: settings.targets,
        planWarnings: [...(settings.inputWarnings ?? []), ...fileWork.planWarnings],
        files: fileWork.files,
        docker,
        dockerIssue,
        dockerLog,
        actionsCache,
        actionsCacheIssue,
        freeBytesBefore: fileWork.freeBytesBefore,
        freeBytesAfter: fileWork.freeBytesAfter,
        cancelled: hooks.signal?.aborted ?? false
    });
}


/***/ }),

/***/ 2464:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   W6: () => (/* binding */ PlanError),
/* harmony export */   kv: () => (/* binding */ planCacheRemoval),
/* harmony export */   uW: () => (/* binding */ rootNotADirectory)
/* harmony export */ });
/* unused harmony exports hasGlob, segmentPattern, expandGlob */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _bytepath_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(2566);
/* harmony import */ var _rules_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9244);
// Settings + the rules table → what to remove, as data. Reads the disk only to
// see which roots exist and to expand globs; never deletes.




/** The app root itself is missing: nothing can be planned. */
class PlanError extends Error {
    name = 'PlanError';
}
function rootNotADirectory(root) {
    return new PlanError(`Input 'working-directory': '${root}' is not a directory.`);
}
async function isDirectory(p) {
    try {
        return (await node_fs__WEBPACK_IMPORTED_MODULE_0__.promises.stat(p)).isDirectory();
    }
    catch {
        return false;
    }
}
async function planCacheRemoval(settings) {
    const fileTargets = settings.targets.filter(_rules_js__WEBPACK_IMPORTED_MODULE_2__/* .isFileTarget */ .uD);
    const warnings = [];
    const searches = [];
    let extraPaths = [];
    if (fileTargets.length === 0) {
        if (settings.extraPaths.length > 0)
            warnings.push('extra-paths are cleared with a file target (frontend, backend); none was chosen, so they were left alone.');
        return { appRoot: settings.root, searches, extraPaths, warnings };
    }
    if (!(await isDirectory(settings.root))) {
        throw rootNotADirectory(settings.root);
    }
    for (const target of fileTargets) {
        const rule = _rules_js__WEBPACK_IMPORTED_MODULE_2__/* .CACHE_RULES */ .Tj[target];
        const relRoot = settings[rule.rootSetting];
        const root = node_path__WEBPACK_IMPORTED_MODULE_1___default().resolve(settings.root, relRoot);
        if (!(await isDirectory(root))) {
            // The old script skipped a missing part too; a monorepo may have only one.
            warnings.push(`The ${target} root '${relRoot}' was not found under ${settings.root}: ${target} caches skipped.`);
            continue;
        }
        searches.push({
            target,
            root,
            exactPaths: rule.exactPaths,
            dirNames: new Set(rule.dirNames),
            fileSuffixes: rule.fileSuffixes
        });
    }
    for (const pattern of settings.extraPaths) {
        const matches = hasGlob(pattern)
            ? await expandGlob(settings.root, pattern)
            : [Buffer.from(node_path__WEBPACK_IMPORTED_MODULE_1___default().resolve(settings.root, pattern))];
        if (matches.length === 0)
            warnings.push(`extra-paths: '${pattern}' matched nothing.`);
        extraPaths = extraPaths.concat(matches);
    }
    const unique = new Map(extraPaths.map((extra) => [(0,_bytepath_js__WEBPACK_IMPORTED_MODULE_3__/* .byteKey */ .QK)(extra), extra]));
    return { appRoot: settings.root, searches, extraPaths: [...unique.values()], warnings };
}
function hasGlob(pattern) {
    return /[*?[]/.test(pattern);
}
// One character for '?': a UTF-8 sequence (loosely checked), else one byte that starts none.
const UTF8_SEQUENCE = '[\\xc2-\\xdf][\\x80-\\xbf]|[\\xe0-\\xef][\\x80-\\xbf]{2}|[\\xf0-\\xf4][\\x80-\\xbf]{3}';
const ONE_CHARACTER = `(?:${UTF8_SEQUENCE}|(?!${UTF8_SEQUENCE})[^/])`;
/**
 * One glob segment ('*.log', 'cache-?') as a RegExp over a name's byte key
 * (bytepath.ts), so names that are not UTF-8 match too; '*' does not match a
 * leading dot, as in bash. A bracket expression matches one byte.
 */
function segmentPattern(pattern) {
    const segment = (0,_bytepath_js__WEBPACK_IMPORTED_MODULE_3__/* .textKey */ .tQ)(pattern);
    let source = '';
    for (let i = 0; i < segment.length; i++) {
        const char = segment[i];
        if (char === '*')
            source += '[^/]*';
        else if (char === '?')
            source += ONE_CHARACTER;
        else if (char === '[') {
            const close = segment.indexOf(']', i + 2);
            if (close === -1)
                source += '\\[';
            else {
                const body = segment
                    .slice(i + 1, close)
                    .replace(/^!/, '^')
                    .replace(/\\/g, '\\\\');
                source += `[${body}]`;
                i = close;
            }
        }
        else
            source += char.replace(/[.+^${}()|\\]/g, '\\$&');
    }
    const dotGuard = segment.startsWith('.') ? '' : '(?!\\.)';
    return new RegExp(`^${dotGuard}${source}$`);
}
/**
 * Expands a relative glob under root without following symbolic links
 * ('**' crosses real directories only). Returns absolute paths, as bytes.
 */
async function expandGlob(root, pattern) {
    const rootBytes = Buffer.from(root);
    let current = [rootBytes];
    const segments = pattern.split('/').filter((segment) => segment !== '' && segment !== '.');
    for (const [index, segment] of segments.entries()) {
        const last = index === segments.length - 1;
        const next = [];
        if (segment === '**') {
            // Zero or more directories: every real directory below each current one.
            for (const dir of current)
                next.push(dir, ...(await realDirectoriesBelow(dir)));
        }
        else if (!hasGlob(segment)) {
            for (const dir of current)
                next.push((0,_bytepath_js__WEBPACK_IMPORTED_MODULE_3__/* .joinKey */ .ID)(dir, (0,_bytepath_js__WEBPACK_IMPORTED_MODULE_3__/* .textKey */ .tQ)(segment)));
        }
        else {
            const matcher = segmentPattern(segment);
            for (const dir of current) {
                for await (const entry of listDirectory(dir)) {
                    if (!matcher.test(entry.name))
                        continue;
                    // Intermediate matches must be real directories; the last may be anything.
                    if (last || entry.isDirectory())
                        next.push((0,_bytepath_js__WEBPACK_IMPORTED_MODULE_3__/* .joinKey */ .ID)(dir, entry.name));
                }
            }
        }
        current = next;
    }
    const existing = [];
    for (const candidate of current) {
        if (!candidate.equals(rootBytes) && (await exists(candidate)))
            existing.push(candidate);
    }
    return existing;
}
/** A directory's entries, names as byte keys (bytepath.ts), read in batches (opendir); none when it cannot be read. */
async function* listDirectory(dir) {
    let opened;
    try {
        opened = await node_fs__WEBPACK_IMPORTED_MODULE_0__.promises.opendir(dir, { encoding: 'latin1' });
    }
    catch {
        return;
    }
    try {
        for await (const entry of opened)
            yield entry;
    }
    catch {
        // Unreadable midway: what was read stands.
    }
}
async function realDirectoriesBelow(dir) {
    const found = [];
    for await (const entry of listDirectory(dir)) {
        if (!entry.isDirectory())
            continue;
        const child = (0,_bytepath_js__WEBPACK_IMPORTED_MODULE_3__/* .joinKey */ .ID)(dir, entry.name);
        found.push(child, ...(await realDirectoriesBelow(child)));
    }
    return found;
}
async function exists(p) {
    try {
        await node_fs__WEBPACK_IMPORTED_MODULE_0__.promises.lstat(p);
        return true;
    }
    catch {
        return false;
    }
}


/***/ }),

/***/ 665:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   FK: () => (/* binding */ buildReport),
/* harmony export */   _O: () => (/* binding */ emptyReport),
/* harmony export */   oh: () => (/* binding */ failureMessage),
/* harmony export */   oz: () => (/* binding */ progressLine),
/* harmony export */   u5: () => (/* binding */ writeReport)
/* harmony export */ });
/* unused harmony exports cancelledLine, outputValues, SUMMARY_ROWS, foldRows, clearedTable, actionsCacheTable, actionsCacheLines, actionsCacheFailureGroups, totalsLines, dockerLines, summaryBlocks */
/* harmony import */ var _bytes_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6136);
/* harmony import */ var _docker_builders_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1474);


function buildReport(parts) {
    const removed = parts.files?.removed ?? [];
    const filesReclaimedBytes = parts.files?.bytes ?? 0;
    const dockerReclaimedBytes = parts.docker?.reclaimedBytes ?? parts.dockerIssue?.reclaimedBytes ?? 0;
    const actionsCacheReclaimedBytes = parts.actionsCache?.deletedBytes ?? 0;
    return {
        dryRun: parts.dryRun,
        cancelled: parts.cancelled ?? false,
        appRoot: parts.appRoot,
        host: parts.host,
        route: parts.route,
        targets: parts.targets,
        removed,
        failures: parts.files?.failures ?? [],
        warnings: [...(parts.planWarnings ?? []), ...(parts.files?.warnings ?? [])],
        docker: parts.docker,
        dockerIssue: parts.dockerIssue,
        dockerLog: parts.dockerLog ?? [],
        actionsCache: parts.actionsCache,
        actionsCacheIssue: parts.actionsCacheIssue,
        filesReclaimedBytes,
        dockerReclaimedBytes,
        dockerReportedBytes: parts.docker?.reportedBytes ?? 0,
        actionsCacheReclaimedBytes,
        reclaimedBytes: filesReclaimedBytes + dockerReclaimedBytes + actionsCacheReclaimedBytes,
        // Sorted: the walk is concurrent, the output should not depend on its timing.
        clearedPaths: removed
            .filter((entry) => entry.complete)
            .map((entry) => entry.path)
            .sort(),
        freeBytesBefore: parts.freeBytesBefore,
        freeBytesAfter: parts.freeBytesAfter
    };
}
/** The report for a run that stopped before anything was touched. */
function emptyReport() {
    return buildReport({ dryRun: false, appRoot: '', targets: [] });
}
/** What went wrong, as one line for setFailed / the CLI's exit; undefined when all is well. */
function failureMessage(report) {
    const problems = [];
    if (report.cancelled)
        problems.push(cancelledLine(report));
    if (report.failures.length > 0) {
        const noun = report.failures.length === 1 ? 'path' : 'paths';
        problems.push(`${report.failures.length} ${noun} could not be removed: ${report.failures.map((f) => f.path).join(', ')}`);
    }
    if (report.dockerIssue?.level === 'error')
        problems.push(report.dockerIssue.message);
    if (report.actionsCacheIssue)
        problems.push(report.actionsCacheIssue);
    const cacheFailures = actionsCacheFailureGroups(report);
    if (cacheFailures.length > 0) {
        const count = cacheFailures.reduce((n, group) => n + group.keys.length, 0);
        problems.push(`${count} Actions cache ${count === 1 ? 'entry' : 'entries'} could not be deleted: ` +
            cacheFailures.map((group) => `${group.keys.join(', ')} (${group.reason})`).join('; '));
    }
    return problems.length > 0 ? problems.join('; ') : undefined;
}
/** One line for a cancelled run: what it freed, and that a later run finishes the job. */
function cancelledLine(report) {
    const freed = `${report.dryRun ? 'would have freed' : 'freed'} ${(0,_bytes_js__WEBPACK_IMPORTED_MODULE_0__/* .formatBytes */ .z3)(report.reclaimedBytes)}`;
    return `Cancelled: stopped before the end, ${freed} until then; a later run clears the rest.`;
}
function outputValues(report) {
    return {
        'reclaimed-bytes': String(report.reclaimedBytes),
        reclaimed: (0,_bytes_js__WEBPACK_IMPORTED_MODULE_0__/* .formatBytes */ .z3)(report.reclaimedBytes),
        'files-reclaimed-bytes': String(report.filesReclaimedBytes),
        'docker-reclaimed-bytes': String(report.dockerReclaimedBytes),
        'docker-reported-bytes': String(report.dockerReportedBytes),
        'actions-cache-deleted': String(report.actionsCache?.deleted.length ?? 0),
        'actions-cache-reclaimed-bytes': String(report.actionsCacheReclaimedBytes),
        'cleared-paths': JSON.stringify(report.clearedPaths)
    };
}
// The summary table shows the largest paths; the rest are folded into one row.
const SUMMARY_ROWS = 50;
/** The first SUMMARY_ROWS items as rows; the rest folded into the one row `fold` makes of them. */
function foldRows(sorted, row, fold) {
    const rows = sorted.slice(0, SUMMARY_ROWS).map(row);
    const rest = sorted.slice(SUMMARY_ROWS);
    if (rest.length > 0)
        rows.push(fold(rest));
    return rows;
}
/** The table of cleared paths, shared by the job summary and the CLI. */
function clearedTable(report) {
    const byBytes = [...report.removed].sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path));
    return foldRows(byBytes, (entry) => ({
        path: entry.complete ? entry.path : `${entry.path} (partly)`,
        owner: entry.owner,
        entries: String(entry.entries),
        bytes: (0,_bytes_js__WEBPACK_IMPORTED_MODULE_0__/* .formatBytes */ .z3)(entry.bytes)
    }), (rest) => ({
        path: `… ${rest.length} more paths`,
        owner: '',
        entries: String(rest.reduce((sum, entry) => sum + entry.entries, 0)),
        bytes: (0,_bytes_js__WEBPACK_IMPORTED_MODULE_0__/* .formatBytes */ .z3)(rest.reduce((sum, entry) => sum + entry.bytes, 0))
    }));
}
/** "2026-01-01T00:05:00.123Z" → "2026-01-01 00:05 UTC". */
function formatTime(iso) {
    const time = Date.parse(iso);
    return Number.isNaN(time) ? iso : `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
/** The Actions cache entries deleted (or that a dry run would delete), largest first; shared by summary and CLI. */
function actionsCacheTable(report) {
    const bySize = [...(report.actionsCache?.deleted ?? [])].sort((a, b) => b.sizeInBytes - a.sizeInBytes || a.key.localeCompare(b.key));
    return foldRows(bySize, (entry) => ({
        key: entry.key,
        ref: entry.ref,
        size: (0,_bytes_js__WEBPACK_IMPORTED_MODULE_0__/* .formatBytes */ .z3)(entry.sizeInBytes),
        lastUsed: formatTime(entry.lastAccessedAt)
    }), (rest) => ({
        key: `… ${rest.length} more entries`,
        ref: '',
        size: (0,_bytes_js__WEBPACK_IMPORTED_MODULE_0__/* .formatBytes */ .z3)(rest.reduce((sum, entry) => sum + entry.sizeInBytes, 0)),
        lastUsed: ''
    }));
}
function actionsCacheLines(report) {
    const cache = report.actionsCache;
    if (!cache)
        return [];
    const lines = [
        ['Repository', cache.repository],
        [cache.dryRun ? 'Entries that would be deleted' : 'Entries deleted', String(cache.deleted.length)],
        [
            cache.dryRun ? 'Storage that would be freed' : 'Storage freed',
            `${(0,_bytes_js__WEBPACK_IMPORTED_MODULE_0__/* .formatBytes */ .z3)(cache.deletedBytes)} (${cache.deletedBytes} bytes)`
        ],
        ['Entries listed', String(cache.listedCount)]
    ];
    if (cache.alreadyGone.length > 0)
        lines.push(['Already gone (not counted)', String(cache.alreadyGone.length)]);
    if (cache.failures.length > 0)
        lines.push(['Not deleted', String(cache.failures.length)]);
    const { byKey, byId } = cache.deleteRequests;
    lines.push([
        cache.dryRun ? 'Delete requests a real run would send' : 'Delete requests',
        `${byKey + byId} (${byKey} by key, ${byId} by id)`
    ]);
    lines.push(...actionsCacheUsageLines(cache));
    return lines;
}
function usageText(usage) {
    return `${(0,_bytes_js__WEBPACK_IMPORTED_MODULE_0__/* .formatBytes */ .z3)(usage.sizeInBytes)} in ${usage.count} ${usage.count === 1 ? 'entry' : 'entries'} (${usage.sizeInBytes} bytes)`;
}
/**
 * The repository's cache usage before and after; nothing when the token may
 * not read it. "After" is predicted (before less what went) on a dry run or
 * when it was not read again; GitHub refreshes its figure about every 5
 * minutes, so one read right after the deletes may not show them yet.
 */
function actionsCacheUsageLines(cache) {
    const before = cache.usageBefore;
    if (!before)
        return [];
    const predicted = {
        sizeInBytes: Math.max(0, before.sizeInBytes - cache.deletedBytes),
        count: Math.max(0, before.count - cache.deleted.length)
    };
    const after = cache.usageAfter;
    if (!after)
        return [
            ['Cache usage before', usageText(before)],
            ['Cache usage after (predicted)', usageText(predicted)]
        ];
    const lagging = after.sizeInBytes !== predicted.sizeInBytes || after.count !== predicted.count;
    return [
        ['Cache usage before', usageText(before)],
        [
            'Cache usage after',
            lagging
                ? `${usageText(after)} as GitHub gives it, which it refreshes about every 5 minutes; ` +
                    `before less what went: ${usageText(predicted)}`
                : usageText(after)
        ]
    ];
}
/** Failed deletes grouped by reason, keys in order: one line names each key and why. */
function actionsCacheFailureGroups(report) {
    const groups = new Map();
    for (const failure of report.actionsCache?.failures ?? []) {
        const keys = groups.get(failure.reason) ?? [];
        keys.push(failure.entry.key);
        groups.set(failure.reason, keys);
    }
    return [...groups].map(([reason, keys]) => ({ reason, keys }));
}
/** "deploy@app.internal:22", and the route when there is one: "… via bastion.example.com:22". */
function hostLine(report) {
    const host = report.host ?? '';
    return report.route?.length ? `${host} via ${report.route.join(', ')}` : host;
}
function totalsLines(report) {
    const lines = [
        ...(report.host ? [['Host', hostLine(report)]] : []),
        [
            report.dryRun ? 'Would reclaim' : 'Reclaimed',
            `${(0,_bytes_js__WEBPACK_IMPORTED_MODULE_0__/* .formatBytes */ .z3)(report.reclaimedBytes)} (${report.reclaimedBytes} bytes)`
        ],
        [
            'Files',
            `${(0,_bytes_js__WEBPACK_IMPORTED_MODULE_0__/* .formatBytes */ .z3)(report.filesReclaimedBytes)} in ${report.removed.reduce((n, e) => n + e.entries, 0)} entries`
        ]
    ];
    if (report.targets.includes('docker'))
        lines.push(['Docker build cache', (0,_bytes_js__WEBPACK_IMPORTED_MODULE_0__/* .formatBytes */ .z3)(report.dockerReclaimedBytes)]);
    if (report.targets.includes('actions-cache')) {
        lines.push([
            'Actions cache',
            `${(0,_bytes_js__WEBPACK_IMPORTED_MODULE_0__/* .formatBytes */ .z3)(report.actionsCacheReclaimedBytes)} in ${report.actionsCache?.deleted.length ?? 0} entries`
        ]);
    }
    if (report.freeBytesBefore !== undefined && report.freeBytesAfter !== undefined) {
        lines.push(['Free space before', (0,_bytes_js__WEBPACK_IMPORTED_MODULE_0__/* .formatBytes */ .z3)(report.freeBytesBefore)], ['Free space after', (0,_bytes_js__WEBPACK_IMPORTED_MODULE_0__/* .formatBytes */ .z3)(report.freeBytesAfter)]);
    }
    return lines;
}
function dockerLines(report) {
    const docker = report.docker;
    const failed = report.dockerIssue;
    if (!docker && failed?.reclaimedBytes !== undefined) {
        return [
            ['Prune', 'failed (see the error); what it had deleted was freed all the same'],
            ['Really freed', `${(0,_bytes_js__WEBPACK_IMPORTED_MODULE_0__/* .formatBytes */ .z3)(failed.reclaimedBytes)} (${failed.reclaimedBytes} bytes)`],
            ['Measured as', failed.reclaimedHow ?? '']
        ];
    }
    if (!docker)
        return [];
    const store = docker.store === 'containerd' ? `containerd image store, ${docker.storageDriver}` : docker.storageDriver;
    const lines = [
        [docker.dryRun ? 'Records that would be removed' : 'Records removed', String(docker.recordsRemoved)],
        [
            docker.dryRun ? (docker.reclaimedExact ? 'Would really free' : 'Would really free (estimate)') : 'Really freed',
            docker.possible
                ? `${(0,_bytes_js__WEBPACK_IMPORTED_MODULE_0__/* .formatByteRange */ .vB)(docker.possible.reclaimedBytes)}: BuildKit picks among equally ranked records at random`
                : `${(0,_bytes_js__WEBPACK_IMPORTED_MODULE_0__/* .formatBytes */ .z3)(docker.reclaimedBytes)} (${docker.reclaimedBytes} bytes)`
        ],
        ['Measured as', docker.reclaimedHow],
        [
            docker.dryRun ? 'Docker would claim' : "Docker's own claim",
            `${docker.possible ? (0,_bytes_js__WEBPACK_IMPORTED_MODULE_0__/* .formatByteRange */ .vB)(docker.possible.reportedBytes) : (0,_bytes_js__WEBPACK_IMPORTED_MODULE_0__/* .formatBytes */ .z3)(docker.reportedBytes)} ` +
                `(SpaceReclaimed: every removed record's size, layers images still use included)`
        ],
        [
            'Build cache left',
            `${(0,_bytes_js__WEBPACK_IMPORTED_MODULE_0__/* .formatBytes */ .z3)(docker.cacheBytesAfter)} in ${docker.recordsAfter} records (not shared with images)`
        ],
        ['Engine', `${docker.serverVersion} (API ${docker.apiVersion}, ${store})`]
    ];
    for (const note of docker.notes)
        lines.push(['Note', note]);
    for (const builder of docker.unreachedBuilders) {
        const holds = builder.volume === undefined
            ? `container ${builder.container ?? '?'} (no state volume found)`
            : `state volume ${builder.volume}${builder.volumeBytes === undefined ? '' : ` holds ${(0,_bytes_js__WEBPACK_IMPORTED_MODULE_0__/* .formatBytes */ .z3)(builder.volumeBytes)}`}`;
        lines.push([
            `buildx builder "${builder.builder}"`,
            `cache NOT pruned (its own BuildKit): ${holds}; clear it with \`${(0,_docker_builders_js__WEBPACK_IMPORTED_MODULE_1__/* .builderPruneCommand */ .Pl)(builder)}\``
        ]);
    }
    return lines;
}
/** Writes every output, the log groups, annotations and (optionally) the summary through `sink`. */
async function writeReport(report, sink, options) {
    for (const [name, value] of Object.entries(outputValues(report)))
        sink.output(name, value);
    for (const owner of ['frontend', 'backend', 'extra']) {
        const entries = report.removed.filter((entry) => entry.owner === owner);
        if (entries.length === 0)
            continue;
        sink.group(`${owner}: ${entries.length} paths, ${(0,_bytes_js__WEBPACK_IMPORTED_MODULE_0__/* .formatBytes */ .z3)(entries.reduce((n, e) => n + e.bytes, 0))}`, entries.map((entry) => `${report.dryRun ? 'would remove' : 'removed'} ${entry.path}: ${entry.entries} entries, ${(0,_bytes_js__WEBPACK_IMPORTED_MODULE_0__/* .formatBytes */ .z3)(entry.bytes)}`));
    }
    if (report.docker || report.dockerLog.length > 0) {
        sink.group('docker: build cache', [
            ...report.dockerLog,
            ...dockerLines(report).map(([label, value]) => `${label}: ${value}`)
        ]);
    }
    if (report.actionsCache) {
        const cache = report.actionsCache;
        sink.group(`actions-cache: ${cache.deleted.length} entries, ${(0,_bytes_js__WEBPACK_IMPORTED_MODULE_0__/* .formatBytes */ .z3)(cache.deletedBytes)} (${cache.repository})`, [
            ...cache.deleted.map((entry) => `${cache.dryRun ? 'would delete' : 'deleted'} ${entry.key} (${entry.ref}): ${(0,_bytes_js__WEBPACK_IMPORTED_MODULE_0__/* .formatBytes */ .z3)(entry.sizeInBytes)}, ` +
                `last used ${formatTime(entry.lastAccessedAt)}`),
            ...cache.alreadyGone.map((entry) => `already gone before its delete, not counted: ${entry.key} (${entry.ref})`),
            ...actionsCacheLines(report).map(([label, value]) => `${label}: ${value}`)
        ]);
    }
    for (const warning of report.warnings)
        sink.annotation('warning', warning);
    if (report.dockerIssue?.level === 'warning')
        sink.annotation('warning', report.dockerIssue.message);
    for (const failure of report.failures)
        sink.annotation('error', `${failure.path}: ${failure.reason}`);
    for (const [label, value] of totalsLines(report))
        sink.log(`${label}: ${value}`);
    if (report.cancelled)
        sink.log(cancelledLine(report));
    if (options.summary) {
        try {
            await sink.summary(summaryBlocks(report));
        }
        catch (error) {
            // The caches are already cleared; a summary that cannot be written is not a failed clear.
            sink.annotation('warning', `Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`);
        }
    }
}
/** The summary page: title, what was cleared, totals, then Docker, the Actions cache, and what went wrong. */
function summaryBlocks(report) {
    const blocks = [
        {
            heading: `${report.dryRun ? 'Clear app caches — dry run (nothing deleted)' : 'Clear app caches'}${report.cancelled ? ' — cancelled' : ''}`,
            level: 2
        }
    ];
    if (report.dryRun)
        blocks.push({ strong: 'DRY RUN', paragraph: ': nothing was deleted; the figures are what a real run would free.' });
    if (report.cancelled)
        blocks.push({ strong: cancelledLine(report), paragraph: '' });
    const rows = clearedTable(report);
    blocks.push(rows.length > 0
        ? {
            header: ['Path', 'Target', 'Entries', 'Size'],
            rows: rows.map((row) => [row.path, row.owner, row.entries, row.bytes])
        }
        : { paragraph: 'No file caches found.' });
    blocks.push({ fields: totalsLines(report) });
    const docker = dockerLines(report);
    if (docker.length > 0)
        blocks.push({ heading: 'Docker build cache', level: 3 }, { fields: docker });
    if (report.actionsCache) {
        blocks.push({ heading: 'GitHub Actions cache', level: 3 });
        const rows = actionsCacheTable(report);
        blocks.push(rows.length > 0
            ? {
                header: ['Key', 'Ref', 'Size', 'Last used'],
                rows: rows.map((row) => [row.key, row.ref, row.size, row.lastUsed])
            }
            : { paragraph: 'No Actions cache entry matched.' });
        blocks.push({ fields: actionsCacheLines(report) });
    }
    const problems = [
        ...report.failures.map((failure) => ({ level: 'error', text: `${failure.path}: ${failure.reason}` })),
        ...(report.dockerIssue ? [{ level: report.dockerIssue.level, text: report.dockerIssue.message }] : []),
        ...(report.actionsCacheIssue ? [{ level: 'error', text: report.actionsCacheIssue }] : []),
        ...actionsCacheFailureGroups(report).map((group) => ({
            level: 'error',
            text: `Actions cache not deleted: ${group.keys.join(', ')}: ${group.reason}`
        })),
        ...report.warnings.map((warning) => ({ level: 'warning', text: warning }))
    ];
    if (problems.length > 0)
        blocks.push({ heading: 'Warnings and errors', level: 3 }, { problems });
    return blocks;
}
/** A progress line for long clears (the remover reports at most every 2 s). */
function progressLine(progress) {
    return `… ${progress.entries} entries, ${(0,_bytes_js__WEBPACK_IMPORTED_MODULE_0__/* .formatBytes */ .z3)(progress.bytes)} so far`;
}


/***/ }),

/***/ 9244:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Tj: () => (/* binding */ CACHE_RULES),
/* harmony export */   dW: () => (/* binding */ TARGETS),
/* harmony export */   hj: () => (/* binding */ TARGET_CHOICES),
/* harmony export */   uD: () => (/* binding */ isFileTarget),
/* harmony export */   vh: () => (/* binding */ ALL_TARGETS)
/* harmony export */ });
// What each target clears, as data. plan.ts reads this table; nothing else
// decides what a cache is.
/** Every target, in the order a run clears them. */
const TARGETS = ['frontend', 'backend', 'docker', 'actions-cache'];
/**
 * What `all` clears. Not `actions-cache`: it deletes repository-wide state
 * that other branches' runs restore from, so it must be named.
 */
const ALL_TARGETS = ['frontend', 'backend', 'docker'];
/** What the `target` input accepts: each target, or `all`. */
const TARGET_CHOICES = ['frontend', 'backend', 'docker', 'all', 'actions-cache'];
const CACHE_RULES = {
    frontend: {
        rootSetting: 'frontendPath',
        exactPaths: ['.next', '.turbo', 'out', 'node_modules/.cache'],
        dirNames: ['.cache'],
        fileSuffixes: []
    },
    backend: {
        rootSetting: 'backendPath',
        exactPaths: ['staticfiles'],
        dirNames: ['__pycache__', '.pytest_cache', '.mypy_cache'],
        // Not .pyd: those are compiled extension modules, not caches.
        fileSuffixes: ['.pyc', '.pyo']
    }
};
function isFileTarget(target) {
    return target in CACHE_RULES;
}


/***/ })

};
;
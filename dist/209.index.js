"use strict";
exports.id = 209;
exports.ids = [209];
exports.modules = {

/***/ 8607:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Kw: () => (/* binding */ runInContainer),
/* harmony export */   OJ: () => (/* binding */ ContainerError),
/* harmony export */   V: () => (/* binding */ BindSourceMissingError)
/* harmony export */ });
/* unused harmony exports LEFTOVER_AFTER_MS, containerError, pullQuery, tarOneFile, demuxLogs, isLeftover */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _engine_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6556);
// A node program in a throwaway container, by the Engine API only (no `docker
// run` line): the remote file engine on a host without Node.js 20+
// (remote/files.ts), and the containerd store's read-only look at containerd's
// root for a docker-group user (stores/containerd.ts). The image's node runs
// the same program `node -` would get; it
// arrives as a file put into the container before it starts (PUT .../archive),
// the app root is bind-mounted at the same path, and there is no network. The
// container is removed afterwards. One whose run's connection dropped is a
// leftover that a later run removes, but only once no live run can own it
// (see isLeftover): two runs may clear one host at once.


/** Marks our containers; the value is the id of the run that made it. */
const CONTAINER_LABEL = 'org.clear-app-caches.remote-files';
/** When that run started, on the runner's clock (ISO 8601): for a person reading `docker ps`. */
const STARTED_LABEL = 'org.clear-app-caches.run-started';
const PROGRAM_FILE = 'clear-app-caches-remote.cjs';
/**
 * A run holds its container stopped only briefly: between create and start
 * (putting the program in), and between its end and the read of its output.
 * One that has sat created or ended for this long has no live run.
 */
const LEFTOVER_AFTER_MS = 10 * 60_000;
/** How often the stop signal is sent again until the container ends (see stopWhenAborted). */
const STOP_REPEAT_MS = 1000;
/** Why the container path could not run: one line for the step's error. */
/** The root to bind does not exist on the engine's host (the caller names it as it names a missing root locally). */
class BindSourceMissingError extends Error {
    root;
    constructor(root) {
        super(`${root} does not exist on the engine's host`);
        this.root = root;
        this.name = 'BindSourceMissingError';
    }
}
class ContainerError extends Error {
    name = 'ContainerError';
}
function engineMessage(response) {
    const text = response.body.toString('utf8').trim();
    try {
        return (0,_engine_js__WEBPACK_IMPORTED_MODULE_1__.oneLine)(JSON.parse(text).message ?? text);
    }
    catch {
        return (0,_engine_js__WEBPACK_IMPORTED_MODULE_1__.oneLine)(text) || `HTTP ${response.status}`;
    }
}
/** How the engine words ENOSPC: its own errors carry the kernel's text (syscall.ENOSPC.Error()). */
const NO_SPACE = /no space left on device|\bENOSPC\b/i;
/**
 * On a full disk overlayfs cannot create a new layer's work directory, and
 * then mounts the layer read-only (the kernel logs "failed to create directory
 * …/work/work (errno: 28); mounting read-only"): the engine reports EROFS, not
 * ENOSPC, when it writes the container's /etc/resolv.conf.
 */
const READ_ONLY = /read-only file system|\bEROFS\b/i;
/**
 * The error for `what` failing with the engine's `message`, in one line. When
 * the host's disk is full (the engine's data root: a container's writable
 * layer, an image's unpack), the line says so first: that is what the person
 * has to act on, and why they are likely running this action at all.
 */
function containerError(what, message) {
    if (NO_SPACE.test(message))
        return new ContainerError(`the host's disk is full: ${what}: ${message}`);
    if (READ_ONLY.test(message))
        return new ContainerError(`the host's disk is full or read-only: ${what}: ${message}`);
    return new ContainerError(`${what}: ${message}`);
}
async function call(api, what, request, ok) {
    const response = await api(request);
    if (!ok.includes(response.status))
        throw containerError(what, engineMessage(response));
    return response.body;
}
function json(body) {
    return { body: Buffer.from(JSON.stringify(body)), headers: { 'Content-Type': 'application/json' } };
}
/** `fromImage` and `tag` for POST /images/create: without a tag the engine would pull every tag. */
function pullQuery(image) {
    const name = image.slice(image.lastIndexOf('/') + 1);
    if (image.includes('@') || name.includes(':'))
        return `fromImage=${encodeURIComponent(image)}`;
    return `fromImage=${encodeURIComponent(image)}&tag=latest`;
}
async function ensureImage(api, image) {
    const found = await api({ method: 'GET', path: `/images/${encodeURI(image)}/json` });
    if (found.status === 200)
        return;
    const failed = (reason) => containerError(`the image '${image}' (remote-node-image) is not on the host and could not be pulled`, reason);
    const pulled = await api({ method: 'POST', path: `/images/create?${pullQuery(image)}` });
    if (pulled.status !== 200)
        throw failed(engineMessage(pulled));
    // A pull that fails midway still answers 200; the error is in its progress stream.
    for (const line of pulled.body.toString('utf8').split('\n')) {
        if (line.trim() === '')
            continue;
        const event = JSON.parse(line);
        if (event.error)
            throw failed(event.error);
    }
}
/** A tar archive holding one regular file (POSIX ustar): what PUT .../archive takes. */
function tarOneFile(name, content) {
    const header = Buffer.alloc(512);
    const field = (offset, length, value) => {
        header.write(value, offset, length, 'utf8');
    };
    const octal = (offset, length, value) => field(offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
    field(0, 100, name);
    octal(100, 8, 0o644);
    octal(108, 8, 0);
    octal(116, 8, 0);
    octal(124, 12, content.length);
    octal(136, 12, Math.floor(Date.now() / 1000));
    field(148, 8, ' '.repeat(8));
    field(156, 1, '0');
    field(257, 8, 'ustar\u000000');
    let sum = 0;
    for (const byte of header)
        sum += byte;
    field(148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
    const padding = Buffer.alloc((512 - (content.length % 512)) % 512);
    return Buffer.concat([header, content, padding, Buffer.alloc(1024)]);
}
/** Splits a container's log stream (no TTY: 8-byte headers, stream 1 stdout, 2 stderr). */
function demuxLogs(logs) {
    const streams = { 1: [], 2: [] };
    let offset = 0;
    while (offset + 8 <= logs.length) {
        const size = logs.readUInt32BE(offset + 4);
        streams[logs[offset]]?.push(logs.subarray(offset + 8, offset + 8 + size));
        offset += 8 + size;
    }
    return { stdout: Buffer.concat(streams[1]).toString('utf8'), stderr: Buffer.concat(streams[2]).toString('utf8') };
}
/**
 * Whether one of our containers is a leftover no live run owns: created and
 * never started, or ended, for longer than `afterMs` by the engine's clock.
 * A running one is never a leftover, whoever started it: it ends on its own
 * and a later run removes it then. `finishedMs` is NaN when unknown.
 */
function isLeftover(state, createdMs, finishedMs, nowMs, afterMs) {
    if (state === 'created')
        return nowMs - createdMs >= afterMs;
    if (state === 'exited' || state === 'dead') {
        // A dead container may have no end time: its creation then bounds it.
        const since = Number.isFinite(finishedMs) && finishedMs > 0 ? finishedMs : createdMs;
        return nowMs - since >= afterMs;
    }
    return false;
}
/** Removes our containers that no live run owns (isLeftover); another run's are left alone. */
async function removeLeftovers(api, afterMs) {
    const what = 'removing containers left by an earlier run';
    const filters = encodeURIComponent(JSON.stringify({ label: [CONTAINER_LABEL] }));
    const response = await api({ method: 'GET', path: `/containers/json?all=1&filters=${filters}` });
    if (response.status !== 200)
        throw containerError(what, engineMessage(response));
    // The engine's clock, as its timestamps are (the runner's may differ). Its
    // Date header is to the second, rounded down: the engine's now is up to 999 ms later.
    const date = Date.parse(response.headers.date ?? '');
    const now = Number.isNaN(date) ? Date.now() : date + 999;
    for (const listed of JSON.parse(response.body.toString('utf8'))) {
        let finished = Number.NaN;
        if (listed.State === 'exited' || listed.State === 'dead') {
            const inspected = await api({ method: 'GET', path: `/containers/${listed.Id}/json` });
            if (inspected.status !== 200)
                continue; // removed meanwhile
            const state = JSON.parse(inspected.body.toString('utf8')).State;
            finished = Date.parse(state?.FinishedAt ?? '');
        }
        if (!isLeftover(listed.State, listed.Created * 1000, finished, now, afterMs))
            continue;
        // 404/409: another run removed it first.
        await api({ method: 'DELETE', path: `/containers/${listed.Id}?force=1&v=1` });
    }
}
/** Removes the containers of run `run` (by its label), whatever their state. */
async function removeRun(api, run) {
    const filters = encodeURIComponent(JSON.stringify({ label: [`${CONTAINER_LABEL}=${run}`] }));
    const response = await api({ method: 'GET', path: `/containers/json?all=1&filters=${filters}` });
    if (response.status !== 200)
        return;
    for (const listed of JSON.parse(response.body.toString('utf8'))) {
        await api({ method: 'DELETE', path: `/containers/${listed.Id}?force=1&v=1` });
    }
}
/**
 * Once `signal` fires, sends the container `stopSignal` through a second
 * client (the first is held by the wait), again every STOP_REPEAT_MS until it
 * ends: node is the container's pid 1, which ignores a signal until the
 * engine has set its handler (a few milliseconds after start).
 */
function stopWhenAborted(signal, openEngine, api, id, stopSignal) {
    let ended = false;
    let wake;
    let loop;
    const start = () => {
        loop = (async () => {
            const kill = api(openEngine());
            while (!ended) {
                const response = await kill({
                    method: 'POST',
                    path: `/containers/${id}/kill?signal=${encodeURIComponent(stopSignal)}`
                }).catch(() => undefined);
                // 404/409: gone or no longer running; no answer: the connection is gone.
                if (!response || response.status !== 204)
                    return;
                await new Promise((resolve) => {
                    wake = resolve;
                    setTimeout(resolve, STOP_REPEAT_MS).unref();
                });
            }
        })();
    };
    if (signal.aborted)
        start();
    else
        signal.addEventListener('abort', start, { once: true });
    return {
        async end() {
            ended = true;
            signal.removeEventListener('abort', start);
            wake?.();
            await loop;
        }
    };
}
/**
 * Runs `program` (see protocol.ts) with the image's node in a container that
 * sees only `root`, at the same path. Throws ContainerError (or
 * BindSourceMissingError when the root does not exist) when the container cannot run; its exit status
 * and output are the caller's to read.
 */
async function runInContainer(engine, apiVersion, image, root, program, options = {}) {
    const at = (client) => (request) => client.request({ ...request, path: `/v${apiVersion}${request.path}` });
    const api = at(engine);
    await removeLeftovers(api, options.leftoverAfterMs ?? LEFTOVER_AFTER_MS);
    await ensureImage(api, image);
    const run = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomUUID)();
    const created = await api({
        method: 'POST',
        path: '/containers/create',
        ...json({
            Image: image,
            // The image's entrypoint is not ours to trust with this; node is.
            Entrypoint: ['node'],
            Cmd: [`/${PROGRAM_FILE}`],
            Labels: { [CONTAINER_LABEL]: run, [STARTED_LABEL]: new Date().toISOString() },
            NetworkDisabled: true,
            HostConfig: {
                NetworkMode: 'none',
                // A mount, not a bind string: no path syntax to parse, and a missing source is refused, not created.
                Mounts: [{ Type: 'bind', Source: root, Target: root, ...(options.readOnly ? { ReadOnly: true } : {}) }]
            }
        })
    });
    if (created.status !== 201) {
        const message = engineMessage(created);
        if (/bind source path does not exist/i.test(message))
            throw new BindSourceMissingError(root);
        // A create that failed midway (a full disk, say) may still have registered the container: none is left.
        await removeRun(api, run).catch(() => undefined);
        throw containerError(`the host's Docker engine could not create the container from '${image}'`, message);
    }
    const id = JSON.parse(created.body.toString('utf8')).Id;
    try {
        await call(api, 'putting the program into the container', {
            method: 'PUT',
            path: `/containers/${id}/archive?path=/`,
            body: tarOneFile(PROGRAM_FILE, Buffer.from(program)),
            headers: { 'Content-Type': 'application/x-tar' }
        }, [200]);
        await call(api, `the container from '${image}' did not start`, { method: 'POST', path: `/containers/${id}/start` }, [204]);
        const stopper = options.signal && options.openEngine
            ? stopWhenAborted(options.signal, options.openEngine, at, id, options.stopSignal ?? 'SIGINT')
            : undefined;
        let waited;
        try {
            // No answer until the container ends, however long the clear takes.
            waited = await call(api, 'waiting for the container', { method: 'POST', path: `/containers/${id}/wait`, timeoutMs: 0 }, [200]);
        }
        finally {
            await stopper?.end();
        }
        const { StatusCode } = JSON.parse(waited.toString('utf8'));
        const logs = await call(api, "reading the container's output", { method: 'GET', path: `/containers/${id}/logs?stdout=1&stderr=1` }, [200]);
        return { code: StatusCode, ...demuxLogs(logs) };
    }
    finally {
        // Also after a failure; when the connection is gone, the next run's prune removes it.
        await api({ method: 'DELETE', path: `/containers/${id}?force=1&v=1` }).catch(() => undefined);
    }
}


/***/ }),

/***/ 6556:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DockerApiError: () => (/* binding */ DockerApiError),
/* harmony export */   DockerUnavailableError: () => (/* binding */ DockerUnavailableError),
/* harmony export */   MAX_API_VERSION: () => (/* binding */ MAX_API_VERSION),
/* harmony export */   compareApiVersions: () => (/* binding */ compareApiVersions),
/* harmony export */   describeLocalEndpoint: () => (/* binding */ describeLocalEndpoint),
/* harmony export */   negotiateApiVersion: () => (/* binding */ negotiateApiVersion),
/* harmony export */   oneLine: () => (/* binding */ oneLine),
/* harmony export */   openEngine: () => (/* binding */ openEngine)
/* harmony export */ });
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7075);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var undici__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6752);
// The Docker Engine API client. As the docker CLI does for ssh:// hosts, we
// start `docker system dial-stdio` and speak HTTP over its stdin/stdout; the
// Host decides where that process runs (locally, with DOCKER_HOST,
// DOCKER_CONTEXT and the rest of the CLI's settings; or on an SSH host, as a
// channel of the run's one connection). HTTP itself is undici's: its Client
// takes our stream as its socket through a custom `connect`, so framing,
// keep-alive and reconnection (a new dial-stdio) are a maintained library's.


/** The engine could not be reached, or the docker CLI is missing: expected, no stack trace. */
class DockerUnavailableError extends Error {
    name = 'DockerUnavailableError';
}
/** The engine answered a request with an error status (e.g. a filter it does not know). */
class DockerApiError extends Error {
    status;
    name = 'DockerApiError';
    constructor(message, status) {
        super(message);
        this.status = status;
    }
}
/** The newest Engine API version this project knows the shapes of. */
const MAX_API_VERSION = '1.52';
/** What the Go client assumes when /_ping carries no API-Version header. */
const FALLBACK_API_VERSION = '1.24';
const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 10 * 60_000;
/** Compares "1.41" and "1.9" numerically: negative, 0 or positive. */
function compareApiVersions(a, b) {
    const pa = a.split('.').map(Number);
    const pb = b.split('.').map(Number);
    for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
        const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
        if (diff !== 0)
            return diff;
    }
    return 0;
}
/** min(server's API version, MAX_API_VERSION); the Go client's fallback when the server says nothing. */
function negotiateApiVersion(serverApiVersion) {
    const server = serverApiVersion?.trim();
    const known = server && /^\d+\.\d+$/.test(server) ? server : FALLBACK_API_VERSION;
    return compareApiVersions(known, MAX_API_VERSION) < 0 ? known : MAX_API_VERSION;
}
/** Multi-line text -> one line, at most 400 characters. */
function oneLine(text) {
    const line = text
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l !== '')
        .join('; ');
    return line.length > 400 ? `${line.slice(0, 397)}...` : line;
}
/** Where a local docker CLI will look for the engine, for messages. */
function describeLocalEndpoint(env) {
    if (env.DOCKER_HOST)
        return `at ${env.DOCKER_HOST}`;
    if (env.DOCKER_CONTEXT)
        return `of docker context "${env.DOCKER_CONTEXT}"`;
    return 'of the current docker context';
}
/** One `docker system dial-stdio` on the host, as the socket undici writes to. */
class DialStdio {
    socket;
    stderr = '';
    broken = false;
    process;
    exited;
    remote;
    hostName;
    constructor(host, docker) {
        this.remote = host.remote;
        this.hostName = host.name;
        this.process = host.exec([docker, 'system', 'dial-stdio']);
        this.process.stderr.on('data', (chunk) => {
            if (this.stderr.length < 64 * 1024)
                this.stderr += chunk.toString();
        });
        this.socket = node_stream__WEBPACK_IMPORTED_MODULE_0__.Duplex.from({ readable: this.process.stdout, writable: this.process.stdin });
        this.exited = this.process.exit;
        // undici destroys the socket with an error on a timeout or a broken answer: no polite goodbye then.
        // Its own close() destroys it with ClientDestroyedError: that one is a goodbye.
        this.socket.once('error', (error) => (this.broken ||= !(error instanceof undici__WEBPACK_IMPORTED_MODULE_1__/* .errors */ .sO.ClientDestroyedError)));
        // When undici drops the socket (idle, error, close), the CLI goes too.
        this.socket.once('close', () => void this.end());
    }
    /** Why the stream failed, from the process: it did not start, or its stderr. */
    async failure(docker, where) {
        const exit = await Promise.race([
            this.exited,
            new Promise((resolve) => setTimeout(() => resolve(undefined), 2000).unref())
        ]);
        const error = exit?.error;
        if (error?.code === 'ENOENT') {
            return new DockerUnavailableError(docker.includes('/') ? `the docker CLI was not found at ${docker}` : `the ${docker} CLI was not found on PATH`);
        }
        if (error)
            return new DockerUnavailableError(`cannot reach the Docker engine ${where}: ${error.message}`);
        // 127: the shell on an SSH host found no such command.
        if (exit?.code === 127 && this.remote) {
            return new DockerUnavailableError(`the ${docker} CLI was not found on the PATH of ${this.hostName}`);
        }
        const reason = oneLine(this.stderr);
        return reason ? new DockerUnavailableError(`cannot reach the Docker engine ${where}: ${reason}`) : undefined;
    }
    ending;
    /**
     * Ends stdin (the CLI then closes the engine connection and exits); kills
     * it if it lingers or broke. Once: the socket's close and the client's
     * close() both call it.
     */
    end() {
        this.ending ??= this.stop();
        return this.ending;
    }
    async stop() {
        if (this.broken)
            this.process.kill();
        this.process.stdin.end();
        const settled = (ms) => Promise.race([
            this.exited.then(() => true),
            new Promise((resolve) => setTimeout(() => resolve(false), ms).unref())
        ]);
        if (await settled(3000))
            return;
        this.process.kill();
        await settled(2000);
    }
}
/**
 * An Engine API client for the engine the docker CLI on `host` reaches.
 * Nothing starts until the first request; each connection undici opens is
 * one dial-stdio process (normally one per run, kept alive). Requests run one
 * at a time, in order: for two at once (a long `wait` and something else),
 * open a second client (over SSH: another channel on the same connection).
 * Hijacked streams (attach, exec start) are not supported.
 */
function openEngine(host, options = {}) {
    const docker = options.docker ?? 'docker';
    const where = options.where ?? (host.remote ? `on ${host.name}` : describeLocalEndpoint(process.env));
    const connectTimeout = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    const requestTimeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    const dials = [];
    const client = new undici__WEBPACK_IMPORTED_MODULE_1__/* .Client */ .Kj('http://docker', {
        connect: (_options, callback) => {
            const dial = new DialStdio(host, docker);
            dials.push(dial);
            callback(null, dial.socket);
        },
        pipelining: 1,
        // One stream for the whole run: idle gaps (a long file clear) must not close it.
        keepAliveTimeout: 60 * 60_000,
        keepAliveMaxTimeout: 60 * 60_000
    });
    let closed = false;
    const request = async (req, timeoutMs = req.timeoutMs ?? requestTimeout) => {
        if (closed)
            throw new DockerUnavailableError(`the Docker engine client ${where} is closed`);
        const name = `${req.method} ${req.path.split('?')[0]}`;
        try {
            const response = await client.request({
                method: req.method,
                path: req.path,
                body: req.body,
                headers: { 'user-agent': 'clear-app-caches', ...req.headers },
                headersTimeout: timeoutMs,
                bodyTimeout: timeoutMs
            });
            const body = Buffer.from(await response.body.arrayBuffer());
            const headers = {};
            for (const [key, value] of Object.entries(response.headers)) {
                if (value !== undefined)
                    headers[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
            }
            return { status: response.statusCode, headers, body };
        }
        catch (error) {
            if (error instanceof undici__WEBPACK_IMPORTED_MODULE_1__/* .errors */ .sO.HeadersTimeoutError || error instanceof undici__WEBPACK_IMPORTED_MODULE_1__/* .errors */ .sO.BodyTimeoutError) {
                const seconds = timeoutMs / 1000;
                throw new DockerUnavailableError(req.path === '/_ping'
                    ? `cannot reach the Docker engine ${where}: no answer within ${seconds} s`
                    : `the Docker engine ${where} did not answer ${name} within ${seconds} s`);
            }
            // The process knows best why the stream ended (a missing CLI, the CLI's own error).
            const failure = await dials.at(-1)?.failure(docker, where);
            if (failure)
                throw failure;
            const reason = error instanceof Error ? error.message : String(error);
            throw new DockerUnavailableError(`the connection to the Docker engine ${where} failed during ${name}: ${reason}`);
        }
    };
    const engine = {
        where,
        request: (req) => request(req),
        async ping() {
            const response = await request({ method: 'GET', path: '/_ping' }, connectTimeout);
            if (response.status !== 200) {
                throw new DockerUnavailableError(`the Docker engine ${where} answered /_ping with HTTP ${response.status}: ${oneLine(response.body.toString('utf8'))}`);
            }
            const serverApiVersion = response.headers['api-version'];
            return { apiVersion: negotiateApiVersion(serverApiVersion), serverApiVersion };
        },
        async json(method, path, body, timeoutMs) {
            const response = await request({
                method,
                path,
                timeoutMs,
                ...(body === undefined
                    ? {}
                    : {
                        body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
                        headers: { 'content-type': 'application/json' }
                    })
            });
            const name = `${method} ${path.split('?')[0]}`;
            const text = response.body.toString('utf8');
            if (response.status < 200 || response.status >= 300) {
                let message = text.trim();
                try {
                    message = JSON.parse(text).message ?? message;
                }
                catch {
                    // not JSON: keep the text
                }
                throw new DockerApiError(`the Docker engine ${where} refused ${name} (HTTP ${response.status}): ${oneLine(message)}`, response.status);
            }
            if (response.status === 204 || text.trim() === '')
                return undefined;
            try {
                return JSON.parse(text);
            }
            catch {
                throw new DockerApiError(`the Docker engine ${where} answered ${name} with something that is not JSON`, response.status);
            }
        },
        async close() {
            if (closed)
                return;
            closed = true;
            await client.destroy().catch(() => undefined);
            await Promise.all(dials.map((dial) => dial.end()));
        }
    };
    return engine;
}


/***/ }),

/***/ 5486:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  PruneFailedError: () => (/* binding */ PruneFailedError),
  buildPruneQuery: () => (/* reexport */ buildPruneQuery),
  pruneBuildCache: () => (/* binding */ pruneBuildCache),
  readFreeBytes: () => (/* binding */ readFreeBytes),
  systemDfPath: () => (/* binding */ systemDfPath)
});

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: ./src/bytes.ts
var bytes = __webpack_require__(6136);
// EXTERNAL MODULE: ./src/host/host.ts
var host_host = __webpack_require__(2106);
// EXTERNAL MODULE: ./src/host/local.ts
var local = __webpack_require__(2701);
// EXTERNAL MODULE: ./src/docker/builders.ts
var builders = __webpack_require__(1474);
// EXTERNAL MODULE: ./src/docker/engine.ts
var docker_engine = __webpack_require__(6556);
;// CONCATENATED MODULE: ./src/docker/prune-model.ts
// The engine's build-cache prune rules as data and one pure simulation: what
// `POST /build/prune` removes, for a negotiated API version and an image
// store. The dry run reads its figures from here; the real run asks here what
// its own figures mean. Nothing in this module talks to an engine.
//
// Sources, read from the code (moby/buildkit `cache/manager.go`):
// - `prune`/`pruneOnce`: a record is a candidate only while nothing holds a
//   reference to it, and every child holds one on its parents, so leaves go
//   first and a parent only after its last child; records in use never go.
//   Without `all`, records of type `internal` and `frontend` and those the
//   engine's ref checker finds in an image (`Shared`) stay. `until` (moby
//   turns it into KeepDuration) keeps records last used after now - until;
//   a record never used is a candidate. The other filters are containerd
//   filter expressions over `id` (moby sends `id~=`), `type`, `description`,
//   `parent(s)` (`key==value`).
// - With a space limit ("gc mode", keepBytes != 0) BuildKit removes ONE
//   record per pass, the first after `sortDeleteRecords`, and passes again
//   until `totalSize < keepBytes`. totalSize starts as the sum of the
//   records not shared with images and loses each removed record's size
//   (shared or not).
// - `sortDeleteRecords` ranks by the normalised rank of LastUsedAt (never
//   used first; to the nanosecond, as BuildKit keeps it and /system/df
//   prints it) plus that of UsageCount; lowest goes first. Ties are broken
//   by Go's map order, i.e. at random, so where the first place is a tie the
//   model follows every pick (simulatePrune's `outcomes`).
// - keepBytes: `keep-storage` itself before API 1.48 (BuildKit <= 0.16 in
//   Engine <= 27); from API 1.48 (Engine 28, BuildKit 0.20+)
//   `calculateKeepBytes`: start from max-used-space, lower it by what
//   min-free-space lacks on the disk (`totalSize - (minFree - free)`), keep
//   everything if only min-free-space is set and already met, and never go
//   below reserved-space. `free` is statfs f_bfree * f_bsize of BuildKit's
//   root (`util/disk.GetDiskStat`). Note: with keepBytes == totalSize the
//   stop test `totalSize < keepBytes` fails once, so a min-free-space that is
//   already met still removes one record (seen on Engine 28.5).

/** Oldest first. `POST /build/prune` takes options from API 1.39 (Docker 18.09). */
const ENGINE_RULES = [
    {
        fromApi: '1.39',
        engines: 'Docker 18.09-27.x (BuildKit up to 0.16)',
        reservedParam: 'keep-storage',
        freeSpaceParams: false,
        keepBytes: 'keep-storage',
        firstRank: 0
    },
    {
        // API 1.48 deprecated keep-storage for reserved-space and added the two
        // others; API 1.52 (Docker 29) removed keep-storage.
        fromApi: '1.48',
        engines: 'Docker 28 and later (BuildKit 0.20+)',
        reservedParam: 'reserved-space',
        freeSpaceParams: true,
        keepBytes: 'calculate',
        firstRank: 1
    }
];
const MIN_PRUNE_API_VERSION = ENGINE_RULES[0].fromApi;
const FREE_SPACE_API_VERSION = '1.48';
/** The rules for a negotiated API version; undefined below API 1.39. */
function rulesFor(apiVersion) {
    return [...ENGINE_RULES].reverse().find((rules) => (0,docker_engine.compareApiVersions)(apiVersion, rules.fromApi) >= 0);
}
/** An option the engine's API version does not have: nothing may be pruned then. */
class PruneOptionUnsupportedError extends Error {
    name = 'PruneOptionUnsupportedError';
}
/** The input names, for messages that must name what the user wrote. */
const INPUT_NAMES = { maxUsedBytes: 'docker-max-used-space', minFreeBytes: 'docker-min-free-space' };
/**
 * `key=value` lines -> the engine's filters map, as the docker CLI's
 * `--filter` reads them (split at the first "=", key lower-cased, both
 * trimmed). Blank lines are skipped; anything else that is not key=value
 * throws an Error naming the line.
 */
function parsePruneFilters(lines) {
    const filters = {};
    for (const raw of lines) {
        const line = raw.trim();
        if (line === '')
            continue;
        const at = line.indexOf('=');
        if (at < 0)
            throw new Error(`Docker prune filter "${line}" is not key=value (e.g. until=24h)`);
        const key = line.slice(0, at).trim().toLowerCase();
        const value = line.slice(at + 1).trim();
        if (!/^[a-z][a-z0-9._-]*!?$/.test(key)) {
            throw new Error(`Docker prune filter "${line}" has no valid key before "=" (e.g. until=24h)`);
        }
        if (value === '')
            throw new Error(`Docker prune filter "${line}" has no value after "=" (e.g. until=24h)`);
        (filters[key] ??= {})[value] = true;
    }
    return filters;
}
const positive = (bytes) => (bytes !== undefined && bytes > 0 ? bytes : 0);
function checkBytes(name, bytes) {
    if (bytes !== undefined && (!Number.isSafeInteger(bytes) || bytes < 0)) {
        throw new Error(`Docker ${name} must be a whole number of bytes, not ${bytes}`);
    }
}
/**
 * The query of `POST /build/prune` for a negotiated API version (table-tested):
 * `all=1` for pruneAll; `filters` as JSON; the space kept under the name the
 * version knows (`keep-storage` below 1.48, `reserved-space` from 1.48), and
 * `max-used-space` / `min-free-space` from 1.48. 0 means "no limit" to
 * BuildKit, so it is left out. Below API 1.48 a max-used or min-free space
 * throws PruneOptionUnsupportedError naming the input and the version (the
 * engine would ignore it and prune everything); below 1.39 there are no
 * options at all and it throws the same.
 */
function buildPruneQuery(apiVersion, request) {
    const rules = rulesFor(apiVersion);
    if (!rules) {
        // An engine that old is an environment problem, like one that is missing.
        throw new docker_engine.DockerUnavailableError(`the Docker engine speaks API ${apiVersion}; pruning the build cache needs API ${MIN_PRUNE_API_VERSION} (Docker 18.09) or newer`);
    }
    checkBytes('reserved space', request.reservedBytes);
    checkBytes('max used space', request.maxUsedBytes);
    checkBytes('min free space', request.minFreeBytes);
    if (!rules.freeSpaceParams) {
        for (const field of ['maxUsedBytes', 'minFreeBytes']) {
            if (positive(request[field]) > 0) {
                throw new PruneOptionUnsupportedError(`Input '${INPUT_NAMES[field]}' needs Docker Engine API ${FREE_SPACE_API_VERSION} (Docker 28) or newer; ` +
                    `this engine speaks API ${apiVersion}, which would ignore it and prune all the cache. Nothing was pruned.`);
            }
        }
    }
    const query = {};
    if (request.pruneAll)
        query.all = '1';
    const filters = parsePruneFilters(request.filters);
    if (Object.keys(filters).length > 0)
        query.filters = JSON.stringify(filters);
    if (positive(request.reservedBytes) > 0)
        query[rules.reservedParam] = String(request.reservedBytes);
    if (rules.freeSpaceParams) {
        if (positive(request.maxUsedBytes) > 0)
            query['max-used-space'] = String(request.maxUsedBytes);
        if (positive(request.minFreeBytes) > 0)
            query['min-free-space'] = String(request.minFreeBytes);
    }
    return query;
}
/**
 * Build-cache records from any /system/df shape: `BuildCache` (or
 * `BuildCacheUsage.Items` from API 1.52), parents under `Parent` (before API
 * 1.42), `Parents`, or `" Parents"` (Engine 28.5 at API 1.51: an upstream typo
 * in the JSON tag). Engine 28.5 answering at API 1.41 sends no parents at all.
 */
function buildCacheRecords(systemDf) {
    const df = (systemDf ?? {});
    const items = df.BuildCacheUsage?.Items ?? df.BuildCache ?? [];
    if (!Array.isArray(items))
        return [];
    return items.map((item) => {
        const parents = [
            item.Parent,
            ...[item.Parents, item[' Parents']].flatMap((list) => (Array.isArray(list) ? list : []))
        ];
        return {
            ID: typeof item.ID === 'string' ? item.ID : '',
            Parents: [...new Set(parents.filter((p) => typeof p === 'string' && p !== ''))],
            Type: typeof item.Type === 'string' ? item.Type : '',
            ...(typeof item.Description === 'string' ? { Description: item.Description } : {}),
            InUse: item.InUse === true,
            Shared: item.Shared === true,
            Size: typeof item.Size === 'number' && item.Size > 0 ? item.Size : 0,
            ...(typeof item.CreatedAt === 'string' ? { CreatedAt: item.CreatedAt } : {}),
            LastUsedAt: typeof item.LastUsedAt === 'string' ? item.LastUsedAt : null,
            UsageCount: typeof item.UsageCount === 'number' ? item.UsageCount : 0
        };
    });
}
/** Bytes of records not shared with images. */
function unsharedBytes(records) {
    return records.reduce((sum, record) => sum + (record.Shared ? 0 : record.Size), 0);
}
/** Bytes of all records, shared or not: what Docker's SpaceReclaimed counts. */
function totalBytes(records) {
    return records.reduce((sum, record) => sum + record.Size, 0);
}
/** Go's time.ParseDuration ("24h", "1h30m", "90s", "1.5h") in milliseconds; undefined if not one. */
function parseGoDuration(text) {
    const units = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1e3, m: 60e3, h: 3600e3 };
    const trimmed = text.trim();
    if (trimmed === '0')
        return 0;
    const whole = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;
    if (!whole.test(trimmed))
        return undefined;
    let total = 0;
    for (const part of trimmed.replace(/^[+-]/, '').matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
        total += Number(part[1]) * units[part[2]];
    }
    return trimmed.startsWith('-') ? -total : total;
}
/**
 * calculateKeepBytes of BuildKit 0.20+ (the 1.48 rules), or keep-storage
 * (older): the cache size the prune stops below; 0 = no size limit.
 */
function keepBytesFor(rules, request, totalSize, freeBytes) {
    const reserved = positive(request.reservedBytes);
    if (rules.keepBytes === 'keep-storage')
        return reserved;
    const maxUsed = positive(request.maxUsedBytes);
    const minFree = positive(request.minFreeBytes);
    if (maxUsed === 0 && reserved === 0 && minFree === 0)
        return 0;
    let keep = maxUsed;
    const excess = minFree > 0 ? minFree - (freeBytes ?? 0) : 0;
    if (excess > 0)
        keep = keep === 0 ? totalSize - excess : Math.min(keep, totalSize - excess);
    else if (minFree !== 0 && keep === 0)
        keep = totalSize;
    return Math.max(keep, reserved);
}
/** States (sets of removed records) the simulation follows through ties before it stops looking for more outcomes. */
const MAX_PRUNE_STATES = 5000;
function filterChecks(filters, now) {
    const checks = [];
    const ignored = [];
    for (const [key, values] of Object.entries(filters)) {
        for (const value of Object.keys(values)) {
            switch (key) {
                case 'until':
                case 'unused-for': {
                    const ms = parseGoDuration(value);
                    if (ms === undefined)
                        throw new Error(`Docker prune filter "${key}=${value}" is not a duration (e.g. 24h)`);
                    // KeepDuration: kept when last used after the cut-off; never used is a candidate.
                    checks.push((r) => !r.LastUsedAt || Date.parse(r.LastUsedAt) <= now - ms);
                    break;
                }
                case 'id': {
                    // moby sends `id~=value`: a regular expression matched anywhere.
                    let pattern;
                    try {
                        pattern = new RegExp(value);
                    }
                    catch {
                        pattern = undefined;
                    }
                    checks.push((r) => (pattern ? pattern.test(r.ID) : r.ID.includes(value)));
                    break;
                }
                case 'type':
                    checks.push((r) => r.Type === value);
                    break;
                case 'description':
                    checks.push((r) => r.Description === value);
                    break;
                case 'parent':
                case 'parents':
                    checks.push((r) => r.Parents.includes(value));
                    break;
                case 'inuse':
                case 'shared':
                case 'private':
                case 'mutable':
                case 'immutable':
                    // `key==value` against a field whose value is always "": never true.
                    checks.push(() => false);
                    break;
                default:
                    ignored.push(`${key}=${value}`);
            }
        }
    }
    return { checks, ignored };
}
/**
 * LastUsedAt to the nanosecond (RFC 3339 with up to nine fractional digits,
 * as Go prints a time.Time): Date.parse stops at the millisecond, and records
 * one build step touched within a millisecond are not a tie to BuildKit.
 */
function lastUsedNanos(text) {
    if (!text)
        return undefined;
    const match = /^(.*?)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/i.exec(text.trim());
    const ms = Date.parse(match ? `${match[1]}${match[3]}` : text);
    if (Number.isNaN(ms))
        return undefined;
    const fraction = match?.[2] ?? '';
    return BigInt(ms) * 1000000n + BigInt(fraction.slice(0, 9).padEnd(9, '0'));
}
/**
 * Two 32-bit hashes of a record ID (FNV-1a from two offsets, each mixed by MurmurHash3's finalizer: without it IDs
 * that differ in their last character hash in a line, and their sums collide). Summed, they name a set of records.
 */
function idHash(id) {
    let a = 0x811c9dc5;
    let b = 0x9747b28c;
    for (let i = 0; i < id.length; i++) {
        const c = id.charCodeAt(i);
        a = Math.imul(a ^ c, 0x01000193);
        b = Math.imul(b ^ c, 0x01000193);
    }
    return [fmix32(a), fmix32(b)];
}
function fmix32(h) {
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> 0;
}
// Each record's last use, parsed once: a prune with a space limit ranks the records left at every pass.
const parsedLastUse = new WeakMap();
function lastUsedOf(record) {
    if (!parsedLastUse.has(record))
        parsedLastUse.set(record, lastUsedNanos(record.LastUsedAt));
    return parsedLastUse.get(record);
}
/**
 * sortDeleteRecords: the candidates in BuildKit's removal order, and those
 * that share the first place (`firsts`: one record unless BuildKit's pick is
 * a tie, which it breaks at random).
 */
function rankForDeletion(candidates, firstRank) {
    const compareLastUsed = (a, b) => {
        const x = lastUsedOf(a);
        const y = lastUsedOf(b);
        if (x === undefined || y === undefined)
            return (x === undefined ? 0 : 1) - (y === undefined ? 0 : 1);
        return x < y ? -1 : x > y ? 1 : 0;
    };
    const byLastUsed = [...candidates].sort(compareLastUsed);
    const lastUsedRank = new Map();
    let maxLastUsed = firstRank;
    let latest;
    for (const r of byLastUsed) {
        const t = lastUsedOf(r);
        if (t !== undefined && (latest === undefined || t > latest)) {
            latest = t;
            maxLastUsed++;
        }
        lastUsedRank.set(r.ID, maxLastUsed);
    }
    const byUsage = [...candidates].sort((a, b) => (a.UsageCount ?? 0) - (b.UsageCount ?? 0));
    const usageRank = new Map();
    let maxUsage = firstRank;
    let count = 0;
    for (const r of byUsage) {
        if ((r.UsageCount ?? 0) !== count) {
            count = r.UsageCount ?? 0;
            maxUsage++;
        }
        usageRank.set(r.ID, maxUsage);
    }
    // 0/0 (BuildKit <= 0.16, nothing ever used) is NaN in Go too: such records compare as equal.
    const score = (r) => (lastUsedRank.get(r.ID) ?? 0) / maxLastUsed + (usageRank.get(r.ID) ?? 0) / maxUsage;
    const scored = candidates.map((r) => ({ r, s: score(r) }));
    scored.sort((a, b) => (Number.isNaN(a.s) || Number.isNaN(b.s) ? 0 : a.s - b.s));
    const top = scored[0]?.s;
    const firsts = scored.filter((x) => x.s === top || (Number.isNaN(x.s) && Number.isNaN(top))).map((x) => x.r);
    return { ordered: scored.map((x) => x.r), firsts };
}
/**
 * What `POST /build/prune` removes from `records` (the /system/df records
 * before it), under `rules`. `freeBytes` is the free space of the engine's
 * data root filesystem now (only min-free-space reads it). `now` is the
 * engine's clock for `until`. Where a pass's pick is a tie, every pick is
 * followed: `outcomes` holds each distinct removal, the model's first pick's first.
 */
function simulatePrune(records, request, rules, freeBytes, now = Date.now()) {
    const { checks, ignored } = filterChecks(parsePruneFilters(request.filters), now);
    const eligible = (r) => !r.InUse &&
        (request.pruneAll || (!r.Shared && r.Type !== 'internal' && r.Type !== 'frontend')) &&
        checks.every((check) => check(r));
    const keepBytes = keepBytesFor(rules, request, unsharedBytes(records), freeBytes);
    const candidates = records.filter(eligible);
    const children = new Map();
    const known = new Set(records.map((r) => r.ID));
    for (const r of records)
        for (const parent of r.Parents)
            if (known.has(parent))
                children.set(parent, (children.get(parent) ?? 0) + 1);
    const remove = (state, batch) => {
        for (const r of batch) {
            state.gone.add(r.ID);
            state.removed.push(r);
            state.totalSize -= r.Size;
            const [a, b] = idHash(r.ID);
            state.hash = [(state.hash[0] + a) >>> 0, (state.hash[1] + b) >>> 0];
            for (const parent of r.Parents) {
                const left = state.children.get(parent);
                if (left !== undefined)
                    state.children.set(parent, left - 1);
            }
        }
    };
    /** What the next pass may remove: all leaves, or with a space limit one of the first-ranked. */
    const nextPasses = (state) => {
        if (keepBytes !== 0 && state.totalSize < keepBytes)
            return [];
        const leaves = candidates.filter((r) => !state.gone.has(r.ID) && !state.children.get(r.ID));
        if (leaves.length === 0)
            return [];
        if (keepBytes === 0)
            return [leaves];
        return rankForDeletion(leaves, rules.firstRank).firsts.map((r) => [r]);
    };
    // Each run goes on with the first pick at every tie, so the first outcome is the model's own pick; every other
    // pick starts a run of its own from a copy. A run that reaches a set of removed records another run reached
    // stops there: from the same set the prune goes the same ways. At most MAX_PRUNE_STATES sets are followed.
    const outcomes = [];
    const seen = new Set();
    /** Marks the state's set of removed records seen; false when another run reached it first. */
    const firstVisit = (state) => {
        const key = `${state.hash[0]}:${state.hash[1]}:${state.gone.size}`;
        if (seen.has(key))
            return false;
        seen.add(key);
        return true;
    };
    let outcomesComplete = true;
    const runs = [{ removed: [], gone: new Set(), children, totalSize: unsharedBytes(records), hash: [0, 0] }];
    for (let state = runs.pop(); state; state = runs.pop()) {
        let merged = false;
        for (let passes = nextPasses(state); passes.length > 0; passes = nextPasses(state)) {
            for (const batch of passes.slice(1)) {
                if (outcomes.length > 0 && seen.size >= MAX_PRUNE_STATES) {
                    outcomesComplete = false;
                    break;
                }
                const other = {
                    removed: [...state.removed],
                    gone: new Set(state.gone),
                    children: new Map(state.children),
                    totalSize: state.totalSize,
                    hash: state.hash
                };
                remove(other, batch);
                if (firstVisit(other))
                    runs.push(other);
            }
            remove(state, passes[0]);
            if (!firstVisit(state)) {
                merged = true;
                break;
            }
        }
        if (merged)
            continue;
        outcomes.push({
            removed: state.removed.map((r) => r.ID),
            reportedBytes: totalBytes(state.removed),
            unsharedRemovedBytes: unsharedBytes(state.removed)
        });
    }
    return { ...outcomes[0], keepBytes, ignoredFilters: ignored, outcomes, outcomesComplete };
}
/** How each figure is obtained on a store: said in the summary beside the figure. */
const STORE_MEASURES = {
    graphdriver: {
        // Images keep the layers they share; a record not shared is the build cache's alone.
        real: 'build-cache records not shared with images, before minus after (GET /system/df)',
        dryRun: 'the records the prune would remove that are not shared with images (GET /system/df)',
        dryRunExact: true
    },
    containerd: {
        // Images keep their own unpacked snapshots and share only compressed
        // blobs, and a blob can be shared without the record saying so: no
        // record figure is the disk's. stores/containerd.ts measures containerd's
        // own directories; these are the fallbacks where they cannot be read.
        real: "free space of the filesystem holding the engine's data root, after minus before (statfs on the engine's host)",
        dryRun: 'an estimate from the records not shared with images; on the containerd image store the disk can get back ' +
            'more (snapshots of shared records) or less (blobs images still hold): in our tests on Docker 28.5 the real ' +
            'prune freed from 29% less to 17% more than this estimate, and once, when every removed record was shared ' +
            'with an image, 20.9 MB against an estimate of 4 kB',
        dryRunExact: false
    }
};
/**
 * What this prune really freed, on a graph driver: before minus after counts
 * what another prune running at the same time (another run against this
 * host) deleted too. The engine runs prunes one after another, so a prune
 * that deleted nothing freed nothing; one that names only records listed
 * before freed their unshared bytes. One that names records not listed
 * before (BuildKit replaced one since), or an engine that names none while it
 * reports space freed: before minus after.
 */
function reclaimedByThisPrune(before, beforeMinusAfter, deletedIds, reportedBytes) {
    if (deletedIds.length === 0)
        return reportedBytes === 0 ? 0 : beforeMinusAfter;
    const deleted = new Set(deletedIds);
    const known = before.filter((record) => deleted.has(record.ID));
    return known.length === deleted.size ? Math.min(beforeMinusAfter, unsharedBytes(known)) : beforeMinusAfter;
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./src/docker/container.ts
var container = __webpack_require__(8607);
;// CONCATENATED MODULE: ./src/docker/bbolt.ts
// A read-only reader of bbolt database files (go.etcd.io/bbolt), the format
// of containerd's metadata (io.containerd.metadata.v1.bolt/meta.db) and of
// its overlayfs snapshotter (metadata.db). No maintained reader exists on
// npm; this one reads only what a lookup needs: the two meta pages (the valid
// one with the higher transaction id), branch and leaf pages, and buckets,
// inline or not. It never writes. A file copied while containerd commits can
// be torn: a page that is not what its parent says throws BoltFormatError,
// and the caller reads the file again.
//
// Layout (bbolt's page.go, bucket.go, db.go; all little-endian):
// - page header, 16 bytes: id u64, flags u16 (branch 0x01, leaf 0x02,
//   meta 0x04, freelist 0x10), count u16, overflow u32;
// - meta, after the header: magic u32 0xED0CDAED, version u32 2, pageSize
//   u32, flags u32, root bucket (root pgid u64, sequence u64), freelist u64,
//   pgid u64, txid u64, checksum u64 (FNV-1a 64 of the 56 bytes before);
// - branch element, 16 bytes: pos u32, ksize u32, pgid u64 (key at the
//   element's address + pos);
// - leaf element, 16 bytes: flags u32 (0x01: the value is a bucket), pos
//   u32, ksize u32, vsize u32 (key at address + pos, value right after);
// - a bucket value: root pgid u64, sequence u64; root 0 means inline, the
//   bucket's one leaf page follows in the value itself.
class BoltFormatError extends Error {
    name = 'BoltFormatError';
}
const MAGIC = 0xed0cdaed;
const HEADER = 16;
const ELEMENT = 16;
const BRANCH = 0x01;
const LEAF = 0x02;
const META = 0x04;
const BUCKET_LEAF = 0x01;
class BoltBucket {
    db;
    root;
    constructor(db, 
    /** The page the bucket's root is: a page number, or an inline page's bytes. */
    root) {
        this.db = db;
        this.root = root;
    }
    /** Every entry in key order. */
    *entries() {
        if (typeof this.root === 'number')
            yield* this.db.walk(this.db.page(this.root), this.db.file);
        else
            yield* this.db.walk(0, this.root);
    }
    /** The value under `key`, undefined when absent or a bucket. */
    get(key) {
        const wanted = typeof key === 'string' ? Buffer.from(key) : key;
        for (const entry of this.entries())
            if (entry.key.equals(wanted))
                return entry.value;
        return undefined;
    }
    /** The nested bucket under `key`, undefined when absent or a value. */
    bucket(key) {
        const wanted = typeof key === 'string' ? Buffer.from(key) : key;
        for (const entry of this.entries())
            if (entry.key.equals(wanted))
                return entry.bucket;
        return undefined;
    }
    /** The nested bucket at a path of keys, undefined when any step is missing. */
    path(...keys) {
        return keys.reduce((bucket, key) => bucket?.bucket(key), this);
    }
    /** The nested buckets by name (UTF-8). */
    *buckets() {
        for (const entry of this.entries())
            if (entry.bucket)
                yield [entry.key.toString('utf8'), entry.bucket];
    }
    /** The values by name (UTF-8). */
    *values() {
        for (const entry of this.entries())
            if (entry.value)
                yield [entry.key.toString('utf8'), entry.value];
    }
}
function fnv1a64(bytes) {
    let hash = 0xcbf29ce484222325n;
    for (const byte of bytes) {
        hash ^= BigInt(byte);
        hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
    }
    return hash;
}
function readMeta(file, offset) {
    if (file.length < offset + HEADER + 64)
        return undefined;
    const meta = offset + HEADER;
    if (!(file.readUInt16LE(offset + 8) & META) || file.readUInt32LE(meta) !== MAGIC)
        return undefined;
    if (file.readUInt32LE(meta + 4) !== 2)
        return undefined;
    if (fnv1a64(file.subarray(meta, meta + 56)) !== file.readBigUInt64LE(meta + 56))
        return undefined;
    return {
        pageSize: file.readUInt32LE(meta + 8),
        root: Number(file.readBigUInt64LE(meta + 16)),
        txid: file.readBigUInt64LE(meta + 48)
    };
}
class BoltDb {
    file;
    root;
    pageSize;
    txid;
    constructor(file, meta) {
        this.file = file;
        this.pageSize = meta.pageSize;
        this.txid = meta.txid;
        this.root = new BoltBucket(this, meta.root);
    }
    /** Reads a whole database file; throws BoltFormatError when it is not one (or torn). */
    static open(file) {
        const first = readMeta(file, 0);
        // The second meta page sits one page further: its size comes from the first (or, when that is torn, 4096).
        const second = readMeta(file, first?.pageSize ?? 4096);
        const metas = [first, second].filter((m) => m !== undefined);
        if (metas.length === 0)
            throw new BoltFormatError('no valid meta page (not a bbolt file, or torn)');
        const meta = metas.reduce((a, b) => (b.txid > a.txid ? b : a));
        return new BoltDb(file, meta);
    }
    /** The byte offset of page `id`, checked against the file. */
    page(id) {
        const offset = id * this.pageSize;
        if (!Number.isSafeInteger(offset) || offset + HEADER > this.file.length || id < 2)
            throw new BoltFormatError(`page ${id} is outside the file`);
        if (this.file.readBigUInt64LE(offset) !== BigInt(id))
            throw new BoltFormatError(`page ${id} is not where it should be (torn copy)`);
        return offset;
    }
    /** Entries under the page at `offset` of `data` (the file, or an inline bucket's bytes), in key order. */
    *walk(offset, data) {
        const flags = data.readUInt16LE(offset + 8);
        const count = data.readUInt16LE(offset + 10);
        const elements = offset + HEADER;
        if (elements + count * ELEMENT > data.length)
            throw new BoltFormatError('a page runs past the end of its data');
        if (flags & BRANCH) {
            for (let i = 0; i < count; i++) {
                const element = elements + i * ELEMENT;
                const child = Number(data.readBigUInt64LE(element + 8));
                yield* this.walk(this.page(child), this.file);
            }
            return;
        }
        if (!(flags & LEAF))
            throw new BoltFormatError(`page at ${offset} is neither branch nor leaf (flags ${flags})`);
        for (let i = 0; i < count; i++) {
            const element = elements + i * ELEMENT;
            const elementFlags = data.readUInt32LE(element);
            const pos = data.readUInt32LE(element + 4);
            const keySize = data.readUInt32LE(element + 8);
            const valueSize = data.readUInt32LE(element + 12);
            const keyStart = element + pos;
            const valueStart = keyStart + keySize;
            if (valueStart + valueSize > data.length)
                throw new BoltFormatError('an element runs past the end of its data');
            const key = data.subarray(keyStart, valueStart);
            const value = data.subarray(valueStart, valueStart + valueSize);
            if (elementFlags & BUCKET_LEAF) {
                if (value.length < 16)
                    throw new BoltFormatError('a bucket header is short');
                const root = Number(value.readBigUInt64LE(0));
                yield { key, bucket: new BoltBucket(this, root === 0 ? value.subarray(16) : root) };
            }
            else {
                yield { key, value };
            }
        }
    }
}
/** Go's binary.Uvarint: the unsigned varint at the start of `bytes`. */
function bbolt_readUvarint(bytes) {
    let result = 0;
    let shift = 1;
    for (const byte of bytes) {
        result += (byte & 0x7f) * shift;
        if (byte < 0x80)
            return Number.isSafeInteger(result) ? result : undefined;
        shift *= 128;
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/docker/settle.ts
// containerd's garbage collector removes what a prune released a moment after
// the prune has answered: its scheduler collects a deletion at the next
// scheduled run, which comes 49 times its average collection time after the
// last (plugins/gc/scheduler.go, pause_threshold 0.02): about a second here,
// more on a large, busy store. So the disk is read again until it stops
// changing and, where the caller knows something must go, until something
// has gone.
/** The pause between two reads. */
const SETTLE_PAUSE_MS = 500;
/** The most reads after the first: ~10 s of change. */
const SETTLE_TRIES = 20;
/** Waiting for the collector: at most ~30 s, or ~5 s of no change at all when nothing of ours was to go. */
const COLLECTOR_TRIES = 60;
const COLLECTOR_QUIET_READS = 10;
/**
 * Reads until two reads `pauseMs` apart have the same key and `ready` holds
 * for the read, or until `quietReads` reads in a row have not changed, at
 * most `tries` more; an undefined read is final.
 */
async function readUntilSettled(read, key, { ready = () => true, tries = SETTLE_TRIES, quietReads = tries, pauseMs = SETTLE_PAUSE_MS } = {}) {
    let last = await read();
    let lastKey = last === undefined ? undefined : key(last);
    let unchanged = 0;
    for (let n = 0; n < tries && last !== undefined; n++) {
        if (pauseMs > 0)
            await new Promise((resolve) => setTimeout(resolve, pauseMs));
        const next = await read();
        // Each read keyed once (a key may hash megabytes: copies of containerd's databases).
        const nextKey = next === undefined ? undefined : key(next);
        unchanged = nextKey === lastKey ? unchanged + 1 : 0;
        if (unchanged > 0 && (ready(next) || unchanged >= quietReads))
            return next;
        last = next;
        lastKey = nextKey;
    }
    return last;
}

;// CONCATENATED MODULE: ./src/docker/stores/containerd-gc.ts
// What containerd's garbage collector would drop once some leases are gone:
// a read-only replay of its mark and sweep (containerd core/metadata/gc.go,
// v1.7 to v2) over a copy of its metadata (meta.db) and the overlayfs
// snapshotter's own (metadata.db). Pure: no engine, no disk.
//
// On the containerd image store every BuildKit record holds a lease named by
// its ID (with `<id>-variants` and `<id>-view` beside it), and the lease
// holds the record's snapshots and content blobs. Pruning a record deletes
// those leases; containerd's collector then drops every snapshot and blob no
// root still reaches. Roots: leases not expired, images not expired, objects
// labelled containerd.io/gc.root (or gc.expire in the future), containers.
// References: gc.ref.content*, gc.ref.snapshot.<snapshotter>*, gc.ref.image*
// labels, a snapshot's parent, an image's target; a "flat" lease
// (containerd.io/gc.flat) holds its objects and their parents but not their
// labels' references; gc.bref.* labels point the other way. A blob file or a
// snapshotter's snapshot goes when no namespace keeps it.

const LABEL_ROOT = 'containerd.io/gc.root';
const LABEL_EXPIRE = 'containerd.io/gc.expire';
const LABEL_FLAT = 'containerd.io/gc.flat';
const REF_CONTENT = 'containerd.io/gc.ref.content';
const REF_SNAPSHOT = 'containerd.io/gc.ref.snapshot.';
const REF_IMAGE = 'containerd.io/gc.ref.image';
const BREF_CONTENT = 'containerd.io/gc.bref.content';
const BREF_SNAPSHOT = 'containerd.io/gc.bref.snapshot.';
const BREF_IMAGE = 'containerd.io/gc.bref.image';
const BREF_CONTAINER = 'containerd.io/gc.bref.container';
const content = (ns, digest) => `c ${ns} ${digest}`;
const snapshot = (ns, ref) => `s ${ns} ${ref}`;
const containerd_gc_image = (ns, name) => `i ${ns} ${name}`;
const containerd_gc_container = (ns, id) => `k ${ns} ${id}`;
/** `name` is `prefix` itself or `prefix` followed by '.' or '/' (containerd's reference naming). */
function named(name, prefix) {
    return name === prefix || (name.startsWith(prefix) && (name[prefix.length] === '.' || name[prefix.length] === '/'));
}
function labelsOf(bucket) {
    const labels = new Map();
    for (const [key, value] of bucket?.bucket('labels')?.values() ?? [])
        labels.set(key, value.toString('utf8'));
    return labels;
}
function labelRefs(ns, labels) {
    const refs = [];
    for (const [key, value] of labels) {
        if (named(key, REF_CONTENT))
            refs.push(content(ns, value));
        else if (named(key, REF_IMAGE))
            refs.push(containerd_gc_image(ns, value));
        else if (key.startsWith(REF_SNAPSHOT))
            refs.push(snapshot(ns, `${key.slice(REF_SNAPSHOT.length).split('/')[0]}/${value}`));
    }
    return refs;
}
/** The objects a gc.bref.* label on an object points at: when one is kept, the object is kept. */
function backRefTargets(ns, labels) {
    const targets = [];
    for (const [key, value] of labels) {
        if (named(key, BREF_CONTENT))
            targets.push(content(ns, value));
        else if (named(key, BREF_IMAGE))
            targets.push(containerd_gc_image(ns, value));
        else if (named(key, BREF_CONTAINER))
            targets.push(containerd_gc_container(ns, value));
        else if (key.startsWith(BREF_SNAPSHOT))
            targets.push(snapshot(ns, `${key.slice(BREF_SNAPSHOT.length).split('/')[0]}/${value}`));
    }
    return targets;
}
/** An RFC 3339 gc.expire label before `now` (an unreadable one never expires, as containerd has it). */
function expired(labels, now) {
    const text = labels.get(LABEL_EXPIRE);
    if (text === undefined)
        return false;
    const at = Date.parse(text);
    return !Number.isNaN(at) && at < now;
}
/**
 * What the collector drops once the leases `gone` says are deleted: from
 * meta.db (containerd's metadata) and the overlayfs snapshotter's
 * metadata.db, at time `now` (ms). `gone(namespace, leaseId)`.
 */
function simulateCollection(metaDb, overlayDb, gone, now = Date.now(), snapshotter = 'overlayfs') {
    const v1 = metaDb.root.bucket('v1');
    const roots = [];
    const backRefs = new Map();
    const leasesRemoved = [];
    // Buckets of every object, to follow its references when marked.
    const contents = new Map();
    const snapshots = new Map();
    const images = new Map();
    const containers = new Map();
    const addBackRefs = (node, labels, ns) => {
        for (const target of backRefTargets(ns, labels))
            backRefs.set(target, [...(backRefs.get(target) ?? []), node]);
    };
    const isRoot = (labels) => labels.has(LABEL_ROOT) || (labels.has(LABEL_EXPIRE) && !expired(labels, now));
    for (const [ns, nsBucket] of v1?.buckets() ?? []) {
        for (const [id, lease] of nsBucket.bucket('leases')?.buckets() ?? []) {
            const labels = labelsOf(lease);
            if (gone(ns, id)) {
                leasesRemoved.push(id);
                continue;
            }
            if (expired(labels, now))
                continue;
            const flat = labels.has(LABEL_FLAT);
            for (const [digest] of entryKeys(lease.bucket('content')))
                roots.push([content(ns, digest), flat]);
            for (const [ss, keys] of lease.bucket('snapshots')?.buckets() ?? [])
                for (const [key] of entryKeys(keys))
                    roots.push([snapshot(ns, `${ss}/${key}`), flat]);
            for (const [name] of entryKeys(lease.bucket('images')))
                roots.push([containerd_gc_image(ns, name), flat]);
        }
        for (const [name, bucket] of nsBucket.bucket('images')?.buckets() ?? []) {
            const node = containerd_gc_image(ns, name);
            images.set(node, bucket);
            const labels = labelsOf(bucket);
            if (!expired(labels, now))
                roots.push([node, false]);
            else
                addBackRefs(node, labels, ns);
        }
        for (const [digest, bucket] of nsBucket.path('content', 'blob')?.buckets() ?? []) {
            const node = content(ns, digest);
            contents.set(node, bucket);
            const labels = labelsOf(bucket);
            addBackRefs(node, labels, ns);
            if (isRoot(labels))
                roots.push([node, false]);
        }
        for (const [id, bucket] of nsBucket.bucket('containers')?.buckets() ?? []) {
            const node = containerd_gc_container(ns, id);
            containers.set(node, bucket);
            addBackRefs(node, labelsOf(bucket), ns);
            roots.push([node, false]);
        }
        for (const [ss, keys] of nsBucket.bucket('snapshots')?.buckets() ?? []) {
            for (const [key, bucket] of keys.buckets()) {
                const node = snapshot(ns, `${ss}/${key}`);
                snapshots.set(node, bucket);
                const labels = labelsOf(bucket);
                addBackRefs(node, labels, ns);
                if (isRoot(labels))
                    roots.push([node, false]);
            }
        }
    }
    // Mark: a node reached flat is kept without its labels' references; reached in full, with them.
    const full = new Set();
    const flatOnly = new Set();
    const queue = [...roots];
    while (queue.length > 0) {
        const [node, flat] = queue.pop();
        if (full.has(node) || (flat && flatOnly.has(node)))
            continue;
        (flat ? flatOnly : full).add(node);
        for (const ref of backRefs.get(node) ?? [])
            queue.push([ref, false]);
        const [kind, ns] = node.split(' ', 2);
        if (kind === 'c') {
            const bucket = contents.get(node);
            if (bucket && !flat)
                for (const ref of labelRefs(ns, labelsOf(bucket)))
                    queue.push([ref, false]);
        }
        else if (kind === 's') {
            const bucket = snapshots.get(node);
            if (!bucket)
                continue;
            const ss = node.slice(2 + ns.length + 1).split('/')[0];
            const parent = bucket.get('parent');
            if (parent && parent.length > 0)
                queue.push([snapshot(ns, `${ss}/${parent.toString('utf8')}`), flat]);
            if (!flat)
                for (const ref of labelRefs(ns, labelsOf(bucket)))
                    queue.push([ref, false]);
        }
        else if (kind === 'i') {
            const bucket = images.get(node);
            if (!bucket)
                continue;
            const target = bucket.bucket('target')?.get('digest');
            if (target)
                queue.push([content(ns, target.toString('utf8')), flat]);
            if (!flat)
                for (const ref of labelRefs(ns, labelsOf(bucket)))
                    queue.push([ref, false]);
        }
        else if (kind === 'k') {
            const bucket = containers.get(node);
            if (!bucket)
                continue;
            const ss = bucket.get('snapshotter')?.toString('utf8');
            const key = bucket.get('snapshotKey')?.toString('utf8');
            if (ss && key)
                queue.push([snapshot(ns, `${ss}/${key}`), false]);
            for (const ref of labelRefs(ns, labelsOf(bucket)))
                queue.push([ref, false]);
        }
    }
    const kept = (node) => full.has(node) || flatOnly.has(node);
    // Sweep: a blob file is shared by every namespace, a backend snapshot is named by one.
    const keptBlobs = new Set();
    const allBlobs = new Set();
    for (const node of contents.keys()) {
        const digest = node.slice(node.indexOf(' ', 2) + 1);
        allBlobs.add(digest);
        if (kept(node))
            keptBlobs.add(digest);
    }
    const keptBackend = new Set();
    for (const [node, bucket] of snapshots) {
        const ref = node.slice(node.indexOf(' ', 2) + 1);
        if (!ref.startsWith(`${snapshotter}/`) || !kept(node))
            continue;
        const name = bucket.get('name');
        if (name)
            keptBackend.add(name.toString('utf8'));
    }
    const blobs = new Set([...allBlobs].filter((digest) => !keptBlobs.has(digest)));
    const snapshotIds = new Set();
    for (const [name, bucket] of overlayDb?.root.path('v1', 'snapshots')?.buckets() ?? []) {
        if (keptBackend.has(name))
            continue;
        const id = bbolt_readUvarint(bucket.get('id') ?? Buffer.alloc(0));
        if (id !== undefined)
            snapshotIds.add(id);
    }
    return { blobs, snapshotIds, leasesRemoved };
}
/** A bucket's keys (values and nested buckets alike), as [name]. */
function* entryKeys(bucket) {
    for (const entry of bucket?.entries() ?? [])
        yield [entry.key.toString('utf8')];
}
/** The overlayfs snapshot ids every backend snapshot name has (metadata.db). */
function overlaySnapshotIds(overlayDb) {
    const ids = new Map();
    for (const [name, bucket] of overlayDb.root.path('v1', 'snapshots')?.buckets() ?? []) {
        const id = readUvarint(bucket.get('id') ?? Buffer.alloc(0));
        if (id !== undefined)
            ids.set(name, id);
    }
    return ids;
}
/** The leases a pruned record had: its ID, and `<id>-variants`, `<id>-view` (BuildKit cache/refs.go). */
function recordLeases(recordIds) {
    const ids = new Set(recordIds);
    return (_ns, lease) => {
        if (ids.has(lease))
            return true;
        const dash = lease.lastIndexOf('-');
        return dash > 0 && ids.has(lease.slice(0, dash)) && ['variants', 'view'].includes(lease.slice(dash + 1));
    };
}

;// CONCATENATED MODULE: ./src/docker/stores/containerd.ts
// The containerd image store's room: what a build-cache prune would free
// and what it did free, read from containerd's own disk on the engine's host
// (through the run's Host: this machine, or one reached over SSH).
//
// On this store a BuildKit record holds a containerd lease (its ID, with
// `-variants` and `-view`) over its snapshots and content blobs. A prune
// deletes leases; containerd's garbage collector then deletes the snapshot
// directories (<root>/io.containerd.snapshotter.v1.overlayfs/snapshots/<id>)
// and blob files (<root>/io.containerd.content.v1.content/blobs/sha256/*)
// nothing else holds. So:
// - really freed = the allocated size (du) of the snapshot directories and
//   blobs that were there before the prune and are gone after it: the
//   prune's own bytes, whatever else writes to that filesystem;
// - the dry run = the same sizes of what containerd's collector would drop
//   once the records' leases are gone, replayed on a copy of its metadata
//   (containerd-gc.ts).
// containerd's root is found from the containerd process serving the
// engine's containerd socket (/proc, its --root or its config's `root`):
// <data-root>/containerd/daemon when dockerd runs its own, /var/lib/containerd
// for the system one. Where it cannot be read, prune.ts falls back to the
// free space of the data root's filesystem and says so.






const SNAPSHOTS = 'io.containerd.snapshotter.v1.overlayfs/snapshots';
const OVERLAY_DB = 'io.containerd.snapshotter.v1.overlayfs/metadata.db';
const BLOBS = 'io.containerd.content.v1.content/blobs/sha256';
const META_DB = 'io.containerd.metadata.v1.bolt/meta.db';
/**
 * The most copies of the two databases taken in a row until two agree. A copy read while containerd
 * commits can be torn and still parse (bbolt reuses the pages of an older tree in place, under their
 * own ids), and the two files copied apart can come from different commits: two copies in a row that
 * agree byte for byte saw no commit to either file between them.
 */
const DATABASE_READS = 8;
/** Why containerd's disk could not be read: for the fallback's note. */
class ContainerdDiskError extends Error {
    name = 'ContainerdDiskError';
}
// Finds the root of the containerd that listens on $1 from /proc: its
// --root, else its config's top-level `root`, else containerd's default. A
// process with no --address is matched by its config's [grpc] address or
// the default socket. Prints one root per match. Read by `sh -s` from stdin:
// no word of it travels on a command line.
const LOCATE_SCRIPT = String.raw `
want=$1
for p in /proc/[0-9]*; do
  comm=; read -r comm < "$p/comm" 2>/dev/null || continue
  [ "$comm" = containerd ] || continue
  args=$(tr '\000' '\n' < "$p/cmdline" 2>/dev/null) || continue
  first=$(printf '%s\n' "$args" | head -n 1)
  case "$(basename -- "$first")" in containerd) ;; *) continue ;; esac
  root=; config=/etc/containerd/config.toml; address=; prev=
  while IFS= read -r a; do
    case "$prev" in --root|-root) root=$a ;; --config|-c) config=$a ;; --address|-a) address=$a ;; esac
    value=$(printf '%s\n' "$a" | cut -d= -f2-)
    case "$a" in --root=*) root=$value ;; --config=*) config=$value ;; --address=*) address=$value ;; esac
    prev=$a
  done <<EOF
$args
EOF
  case "$config" in /*) ;; *) config="$p/cwd/$config" ;; esac
  # A config this user cannot read may set any root: unknown, not the default.
  if [ -e "$config" ] && [ ! -r "$config" ]; then [ -n "$root" ] || continue; fi
  if [ -r "$config" ]; then
    [ -n "$root" ] || root=$(sed -n '/^[[:space:]]*\[/q; s/^[[:space:]]*root[[:space:]]*=[[:space:]]*"\([^"]*\)".*/\1/p' "$config" | head -n 1)
    [ -n "$address" ] || address=$(sed -n '/^[[:space:]]*\[grpc\]/,/^[[:space:]]*\[[^g]/ s/^[[:space:]]*address[[:space:]]*=[[:space:]]*"\([^"]*\)".*/\1/p' "$config" | head -n 1)
  fi
  [ -n "$root" ] || root=/var/lib/containerd
  [ -n "$address" ] || address=/run/containerd/containerd.sock
  [ "$address" = "$want" ] && printf '%s\n' "$root"
done
exit 0
`;
/**
 * The roots to try for the engine: the containerd process serving `address`
 * (from /info's Containerd.Address) as /proc tells, else dockerd's own
 * containerd's, <data-root>/containerd/daemon (its reader checks it).
 */
async function containerdRootCandidates(host, dataRoot, address) {
    if (address && (0,host_host/* isPlainPath */.qW)(address)) {
        const found = await (0,host_host/* runToEnd */.cd)(host, ['sh', '-s', address], LOCATE_SCRIPT).catch(() => undefined);
        const roots = [...new Set((found?.stdout.toString('utf8') ?? '').split('\n').filter(host_host/* isPlainPath */.qW))];
        if (roots.length === 1)
            return [roots[0].replace(/(.)\/+$/, '$1')];
    }
    const managed = `${dataRoot.replace(/\/+$/, '')}/containerd/daemon`;
    return (0,host_host/* isPlainPath */.qW)(managed) ? [managed] : [];
}
const PERMISSION = /permission denied/i;
/** A snapshot directory's name as its id, or undefined for anything else there. */
const snapshotId = (name) => (/^\d+$/.test(name) ? Number(name) : undefined);
/** A blob file's name as its digest ("sha256:…"), or undefined for anything else there. */
const blobDigest = (name) => (/^[0-9a-f]{64}$/.test(name) ? `sha256:${name}` : undefined);
/** A digest as its blob file's name, the inverse of blobDigest. */
const blobFileName = (digest) => digest.slice('sha256:'.length);
function entriesOf(snapshotNames, blobNames) {
    const snapshots = new Set();
    for (const name of snapshotNames) {
        const id = snapshotId(name);
        if (id !== undefined)
            snapshots.add(id);
    }
    const blobs = new Set();
    for (const name of blobNames) {
        const digest = blobDigest(name);
        if (digest !== undefined)
            blobs.add(digest);
    }
    return { snapshots, blobs };
}
/** A key that changes when any entry comes or goes. */
const entriesKey = (entries) => `${[...entries.snapshots.keys()].join()}|${[...entries.blobs.keys()].join()}`;
/** True when some entry of `before` is not in `after`. */
const someVanished = (before, after) => [...before.snapshots.keys()].some((id) => !after.snapshots.has(id)) ||
    [...before.blobs.keys()].some((digest) => !after.blobs.has(digest));
function diskOf(root, snapshotDirs, blobFiles) {
    const snapshots = new Map();
    for (const [name, bytes] of snapshotDirs) {
        const id = snapshotId(name);
        if (id !== undefined)
            snapshots.set(id, bytes);
    }
    const blobs = new Map();
    for (const [name, bytes] of blobFiles) {
        const digest = blobDigest(name);
        if (digest !== undefined)
            blobs.set(digest, bytes);
    }
    return { root, snapshots, blobs };
}
/** `du -B1 -d1 [-a] dir`: allocated bytes of each entry directly below `dir` (inodes counted once). */
async function sizesBelow(host, dir, files) {
    const { code, stdout, stderr } = await (0,host_host/* runToEnd */.cd)(host, ['du', '-B1', '-d1', ...(files ? ['-a'] : []), dir]);
    if (PERMISSION.test(stderr))
        throw new ContainerdDiskError(`cannot read ${dir} as this user`);
    // An entry the collector deleted mid-walk makes du exit 1 ("No such file"); the others are still right.
    if (code !== 0 && (!/no such file/i.test(stderr) || !stdout.toString().includes(`\t${dir}\n`)))
        throw new ContainerdDiskError(`du ${dir}: ${stderr.trim().split('\n')[0] || `exit ${String(code)}`}`);
    const sizes = new Map();
    for (const line of stdout.toString('utf8').split('\n')) {
        const tab = line.indexOf('\t');
        if (tab < 0)
            continue;
        const path = line.slice(tab + 1);
        if (!path.startsWith(`${dir}/`))
            continue;
        sizes.set(path.slice(dir.length + 1), Number(line.slice(0, tab)));
    }
    return sizes;
}
/** `ls -1 dir`: the names directly below `dir`. */
async function namesBelow(host, dir) {
    const { code, stdout, stderr } = await (0,host_host/* runToEnd */.cd)(host, ['ls', '-1', dir]);
    if (code !== 0)
        throw new ContainerdDiskError(`ls ${dir}: ${stderr.trim().split('\n')[0] || `exit ${String(code)}`}`);
    return stdout.toString('utf8').split('\n').filter(Boolean);
}
async function readFile(host, path) {
    const { code, stdout, stderr } = await (0,host_host/* runToEnd */.cd)(host, ['cat', path]);
    if (code !== 0)
        throw new ContainerdDiskError(`cannot read ${path}: ${stderr.trim().split('\n')[0] || `exit ${String(code)}`}`);
    return stdout;
}
/** Reads with the host's own du and cat (root, or a user who may read containerd's root). */
function hostReader(host) {
    return {
        where: host.remote ? `on ${host.name} (du)` : "on the engine's host (du)",
        async sizes(root) {
            if (!(0,host_host/* isPlainPath */.qW)(root))
                throw new ContainerdDiskError(`containerd's root ${JSON.stringify(root)} is not a plain path`);
            const [snapshotDirs, blobFiles] = await Promise.all([
                sizesBelow(host, `${root}/${SNAPSHOTS}`, false),
                sizesBelow(host, `${root}/${BLOBS}`, true)
            ]);
            return diskOf(root, snapshotDirs, blobFiles);
        },
        settledEntries(root, before) {
            const list = async () => {
                const [snapshots, blobs] = await Promise.all([
                    namesBelow(host, `${root}/${SNAPSHOTS}`),
                    namesBelow(host, `${root}/${BLOBS}`)
                ]);
                return entriesOf(snapshots, blobs);
            };
            return readUntilSettled(list, entriesKey, {
                ready: (after) => someVanished(before, after),
                tries: COLLECTOR_TRIES,
                quietReads: COLLECTOR_QUIET_READS
            });
        },
        databases(root) {
            const copy = async () => {
                const [meta, overlay] = await Promise.all([
                    readFile(host, `${root}/${META_DB}`),
                    readFile(host, `${root}/${OVERLAY_DB}`)
                ]);
                return { meta, overlay };
            };
            const digest = ({ meta, overlay }) => (0,external_node_crypto_.createHash)('sha256').update(meta).update('\0').update(overlay).digest('hex');
            return readUntilSettled(copy, digest, { tries: DATABASE_READS - 1, pauseMs: 0 });
        }
    };
}
/**
 * The program a throwaway container's node runs (CommonJS): sizes as `du -B1`
 * counts (st_blocks * 512, each inode once per tree), and the databases in
 * base64 when asked. It only reads: containerd's root is mounted read-only.
 */
function containerReaderProgram(root, withDatabases) {
    return `'use strict'
const fs = require('fs')
const root = ${JSON.stringify(root)}
function below(dir) {
  const seen = new Set()
  const size = (p) => {
    let st
    try { st = fs.lstatSync(p) } catch (e) { if (e.code === 'ENOENT') return 0; throw e }
    let n = 0
    const key = st.dev + ':' + st.ino
    if (!seen.has(key)) { seen.add(key); n = st.blocks * 512 }
    if (st.isDirectory()) {
      let names = []
      try { names = fs.readdirSync(p) } catch (e) { if (e.code !== 'ENOENT') throw e }
      for (const name of names) n += size(p + '/' + name)
    }
    return n
  }
  const out = {}
  for (const name of fs.readdirSync(dir)) out[name] = size(dir + '/' + name)
  return out
}
const snapshots = below(root + '/${SNAPSHOTS}')
// This container's own snapshots (its writable layer, its init layer, its image's layers; overlay's
// upperdir and lowerdir, maybe relative) are no part of the cache: they go with the container, or stay.
const rootMount = fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\\n').find((line) => line.split(' ')[4] === '/')
const own = rootMount ? [...rootMount.matchAll(/(?:\\/snapshots\\/|[=:])(\\d+)\\/fs(?=[,:\\s]|$)/g)].map((m) => m[1]) : []
for (const id of own) delete snapshots[id]
const result = { snapshots, blobs: below(root + '/${BLOBS}'), own }
if (${String(withDatabases)}) {
  // Copied until two copies in a row agree, as the host reader does (DATABASE_READS).
  const copy = () => [fs.readFileSync(root + '/${META_DB}'), fs.readFileSync(root + '/${OVERLAY_DB}')]
  let files = copy()
  for (let n = 1; n < ${DATABASE_READS}; n++) {
    const again = copy()
    const same = again[0].equals(files[0]) && again[1].equals(files[1])
    files = again
    if (same) break
  }
  result.meta = files[0].toString('base64')
  result.overlay = files[1].toString('base64')
}
process.stdout.write(JSON.stringify(result))
`;
}
/**
 * The program a throwaway container's node runs to list containerd's entries until they settle, as
 * settledEntries does on the host (`before`: the names listed before the prune): one container, where a
 * listing each would start many.
 */
function containerSettleProgram(root, before) {
    return `'use strict'
const fs = require('fs')
const root = ${JSON.stringify(root)}
const before = ${JSON.stringify([before.snapshots, before.blobs])}
const list = () => [root + '/${SNAPSHOTS}', root + '/${BLOBS}'].map((dir) => fs.readdirSync(dir))
const vanished = (now) => before.some((names, i) => { const left = new Set(now[i]); return names.some((n) => !left.has(n)) })
const pause = new Int32Array(new SharedArrayBuffer(4))
let last = list()
let unchanged = 0
for (let tries = 0; tries < ${COLLECTOR_TRIES}; tries++) {
  Atomics.wait(pause, 0, 0, ${SETTLE_PAUSE_MS})
  const next = list()
  unchanged = JSON.stringify(next) === JSON.stringify(last) ? unchanged + 1 : 0
  last = next
  if (unchanged > 0 && (vanished(next) || unchanged >= ${COLLECTOR_QUIET_READS})) break
}
process.stdout.write(JSON.stringify({ snapshots: last[0], blobs: last[1] }))
`;
}
/** Names as containerd's directories hold them. */
const namesOf = (entries) => ({
    snapshots: [...entries.snapshots.keys()].map(String),
    blobs: [...entries.blobs.keys()].map(blobFileName)
});
/** The writable snapshots of this process's reading containers, as "<root>/<id>" (ids are never reused). */
const readerSnapshots = new Set();
/**
 * Reads from a throwaway container of `image` that the engine runs with
 * containerd's root mounted read-only (docker/container.ts: labelled,
 * removed afterwards): what a user in the docker group can do where
 * containerd's directories belong to root.
 */
function containerReader(engine, apiVersion, image) {
    const output = async (root, program) => {
        const done = await (0,container/* runInContainer */.Kw)(engine, apiVersion, image, root, program, { readOnly: true }).catch((error) => {
            throw new ContainerdDiskError(error instanceof Error ? error.message : String(error));
        });
        if (done.code !== 0)
            throw new ContainerdDiskError(`the reading container ended with ${done.code}: ${done.stderr.trim().split('\n').slice(-1)[0] ?? ''}`);
        return done.stdout;
    };
    const run = async (root, withDatabases) => {
        const read = JSON.parse(await output(root, containerReaderProgram(root, withDatabases)));
        // A reading container's snapshot outlives it until containerd collects it: never count one as freed.
        for (const id of read.own ?? [])
            readerSnapshots.add(`${root}/${id}`);
        for (const id of Object.keys(read.snapshots))
            if (readerSnapshots.has(`${root}/${id}`))
                delete read.snapshots[id];
        return read;
    };
    return {
        where: `from a throwaway container (${image}) with containerd's root mounted read-only`,
        async sizes(root) {
            const read = await run(root, false);
            return diskOf(root, Object.entries(read.snapshots), Object.entries(read.blobs));
        },
        async settledEntries(root, before) {
            const read = JSON.parse(await output(root, containerSettleProgram(root, namesOf(before))));
            return entriesOf(read.snapshots, read.blobs);
        },
        async databases(root) {
            const read = await run(root, true);
            return { meta: Buffer.from(read.meta ?? '', 'base64'), overlay: Buffer.from(read.overlay ?? '', 'base64') };
        }
    };
}
/** What vanished between two readings, in bytes: the snapshots and blobs gone, at their size before. */
function vanishedBytes(before, after) {
    let bytes = 0;
    for (const [id, size] of before.snapshots)
        if (!after.snapshots.has(id))
            bytes += size;
    for (const [digest, size] of before.blobs)
        if (!after.blobs.has(digest))
            bytes += size;
    return bytes;
}
/**
 * The records whose `-view` lease BuildKit also deletes: a record whose
 * last child goes releases its last reference, and with it its view
 * (cache/refs.go). Seen on Engine 28.5: the parent of pruned records loses
 * its `<id>-view` lease though the record stays.
 */
function viewsReleased(records, removed) {
    const children = new Map();
    for (const record of records)
        for (const parent of record.Parents)
            children.set(parent, [...(children.get(parent) ?? []), record.ID]);
    const released = new Set();
    for (const [parent, kids] of children)
        if (!removed.has(parent) && kids.some((k) => removed.has(k)) && kids.every((k) => removed.has(k)))
            released.add(parent);
    return released;
}
/**
 * What containerd's collector drops once `removed` (record IDs) are pruned:
 * their leases go, and the `-view` leases of records whose last child goes
 * (viewsReleased).
 */
function dropAfterPrune(meta, overlay, records, removed, now = Date.now()) {
    const removedSet = new Set(removed);
    const leases = recordLeases(removedSet);
    const views = viewsReleased(records, removedSet);
    return simulateCollection(meta, overlay, (ns, lease) => leases(ns, lease) || (lease.endsWith('-view') && views.has(lease.slice(0, -'-view'.length))), now);
}
/**
 * What containerd's collector would free once each removal (record IDs) is
 * pruned, sized from `disk`: replayed on one copy of containerd's metadata.
 * One prediction per removal, in order.
 */
async function predictFreed(reader, disk, records, removals) {
    const drops = await dropOnACopy(reader, disk.root, records, removals);
    return drops.map((drop) => {
        let bytes = 0;
        let snapshots = 0;
        let blobs = 0;
        for (const id of drop.snapshotIds) {
            const size = disk.snapshots.get(id);
            if (size === undefined)
                continue;
            bytes += size;
            snapshots++;
        }
        for (const digest of drop.blobs) {
            const size = disk.blobs.get(digest);
            if (size === undefined)
                continue;
            bytes += size;
            blobs++;
        }
        return { bytes, snapshots, blobs };
    });
}
/**
 * dropAfterPrune on a copy of containerd's metadata and the overlayfs
 * snapshotter's, copied whole while containerd may be writing: the reader
 * copies until two copies agree; one that never did and fails to read
 * (BoltFormatError) is copied again, thrice at most.
 */
async function dropOnACopy(reader, root, records, removals) {
    for (let attempt = 1;; attempt++) {
        try {
            const files = await reader.databases(root);
            const meta = BoltDb.open(files.meta);
            const overlay = BoltDb.open(files.overlay);
            return removals.map((removed) => dropAfterPrune(meta, overlay, records, removed));
        }
        catch (error) {
            if (!(error instanceof BoltFormatError) || attempt >= 3)
                throw error;
        }
    }
}
/** The summary's "measured as" line for each way this room measured. */
const CONTAINERD_MEASURES = {
    real: (root, where) => `containerd's snapshot directories and content blobs (under ${root}) that the prune's garbage collection deleted, ` +
        `sized before the prune ${where}: other writes to that disk do not count`,
    dryRun: (root, where) => `containerd's snapshot directories and content blobs (under ${root}) that its garbage collection would delete ` +
        `once these records' leases are gone (replayed on a copy of containerd's metadata), sized ${where}`,
    fallbackNote: (reason) => `containerd's own directories could not be read (${reason}), so this figure is the free-space change of the ` +
        `data root's filesystem, which other writes to that disk move too.`
};
/**
 * The room's start: containerd's root found and its snapshots and blobs
 * sized, on the host, else (a user who may not read them) from a throwaway
 * container; or why not.
 */
async function openContainerdDisk(host, dataRoot, address, container) {
    const reasons = [];
    const candidates = await containerdRootCandidates(host, dataRoot, address);
    if (candidates.length === 0)
        return { reason: `no containerd root found for ${address ?? 'the engine'} on ${host.name}` };
    const readers = [
        hostReader(host),
        ...(container ? [containerReader(container.engine, container.apiVersion, container.image)] : [])
    ];
    for (const root of candidates) {
        for (const reader of readers) {
            try {
                return { disk: await reader.sizes(root), reader };
            }
            catch (error) {
                reasons.push(`${reader.where}: ${error instanceof Error ? error.message : String(error)}`);
            }
        }
    }
    return { reason: reasons.join('; ') };
}

// EXTERNAL MODULE: ./src/inputs.ts
var inputs = __webpack_require__(8422);
;// CONCATENATED MODULE: ./src/docker/prune.ts
// Docker builder-cache pruning through the Engine API, on the engine a Host's
// docker CLI reaches (src/docker/engine.ts). This module calls the engine and
// asks the model (prune-model.ts) what the prune removes and what its figures
// mean on the engine's API version and image store. Sizes come from
// `GET /system/df`, `POST /build/prune` and, where the records do not tell
// the disk's truth (the containerd image store), the free space of the data
// root's filesystem read on the engine's host. It does not touch
// @actions/core: it returns data and reports progress through a log callback.










const rangeOf = (values) => ({ low: Math.min(...values), high: Math.max(...values) });
/** The ways a simulated prune can go, with `freed[i]` the bytes of outcome i; undefined when there is one way. */
function possiblePrunes(simulation, freed) {
    const { outcomes } = simulation;
    if (outcomes.length < 2)
        return undefined;
    return {
        removals: outcomes.map((outcome) => outcome.removed),
        complete: simulation.outcomesComplete,
        reclaimedBytes: rangeOf(freed),
        reportedBytes: rangeOf(outcomes.map((outcome) => outcome.reportedBytes))
    };
}

/**
 * The engine answered the prune with an error after it may already have
 * deleted some records: BuildKit deletes leases one by one and can fail on a
 * later one (at 0 bytes free: "write …/metadata_v2.db: no space left on
 * device"), and what the deleted ones held is freed all the same. Where
 * containerd's disk is read (the containerd store), `reclaimedBytes` is what
 * containerd collected; on a graph driver (overlay2), what the records gone
 * from the engine's list held; each measured as a prune that worked is.
 */
class PruneFailedError extends Error {
    cause;
    reclaimedBytes;
    reclaimedHow;
    freedBy;
    name = 'PruneFailedError';
    constructor(cause, reclaimedBytes, reclaimedHow, freedBy) {
        super(`${cause.message}; ${freedBy} ${(0,bytes/* formatBytes */.z3)(reclaimedBytes)} ` +
            `(${reclaimedBytes} bytes) that records deleted before the failure held`);
        this.cause = cause;
        this.reclaimedBytes = reclaimedBytes;
        this.reclaimedHow = reclaimedHow;
        this.freedBy = freedBy;
    }
}
const atLeast = (version, minimum) => (0,docker_engine.compareApiVersions)(version, minimum) >= 0;
/**
 * The `GET /system/df` path for a negotiated version and the object types
 * wanted: from API 1.42 only those (`type=`, which skips sizing the rest),
 * and from 1.52 with the build-cache records (`verbose=1`). Before 1.42
 * everything comes.
 */
function systemDfPath(apiVersion, types = ['build-cache']) {
    const params = new URLSearchParams();
    if (atLeast(apiVersion, '1.42'))
        for (const type of types)
            params.append('type', type);
    if (atLeast(apiVersion, '1.52'))
        params.set('verbose', '1');
    const query = params.toString();
    return `/v${apiVersion}/system/df${query ? `?${query}` : ''}`;
}
// The engine runs one disk-usage read at a time and refuses a second
// ("a disk usage operation is already running", HTTP 500), as when two runs
// clear one host at once: wait for it, within this bound.
const DISK_USAGE_BUSY = /disk usage operation is already running/;
const DISK_USAGE_WAIT_MS = 60_000;
/**
 * /system/df. On the containerd store it once answered 404 (a snapshot view
 * gone) right after a build: tried thrice, a second apart. While another
 * run's read is under way: waited for, up to a minute.
 */
async function diskUsage(engine, path) {
    const busyUntil = Date.now() + DISK_USAGE_WAIT_MS;
    for (let attempt = 1;; attempt++) {
        try {
            const raw = await engine.json('GET', path);
            return { records: buildCacheRecords(raw), layersSize: raw?.LayersSize, raw };
        }
        catch (error) {
            if (!(error instanceof docker_engine.DockerApiError))
                throw error;
            if (error.status === 500 && DISK_USAGE_BUSY.test(error.message) && Date.now() < busyUntil) {
                await new Promise((resolve) => setTimeout(resolve, 250));
                continue;
            }
            if (error.status !== 404 || attempt >= 3)
                throw error;
            await new Promise((resolve) => setTimeout(resolve, 1000));
        }
    }
}
/**
 * Free bytes (statfs f_bfree * f_bsize, what BuildKit's GetDiskStat calls
 * Free) of the filesystem holding `dir` on the host, by `stat -f`; undefined
 * when it cannot be read there.
 */
async function readFreeBytes(host, dir) {
    if (!(0,host_host/* isPlainPath */.qW)(dir))
        return undefined;
    // Plain words only (an SSH host joins them into one line): block size and free blocks, ':'-separated.
    const { code, stdout } = await (0,host_host/* runToEnd */.cd)(host, ['stat', '-f', '-c', '%s:%f', dir]);
    if (code !== 0)
        return undefined;
    const [blockSize, freeBlocks] = stdout.toString().trim().split(':').map(Number);
    return Number.isSafeInteger(blockSize) && Number.isSafeInteger(freeBlocks) ? blockSize * freeBlocks : undefined;
}
/**
 * Prunes (or, in a dry run, measures) the Docker builder cache of the engine
 * the docker CLI on `options.host` (default: this machine) talks to. Throws
 * DockerUnavailableError when the CLI is missing or the engine cannot be
 * reached or is too old, PruneOptionUnsupportedError when an option needs a
 * newer API (nothing pruned), DockerApiError when the engine refuses the
 * prune (e.g. an unknown filter), Error for settings that are not valid.
 */
async function pruneBuildCache(settings, options = {}) {
    const log = options.log ?? (() => undefined);
    // Settings errors come before any connection.
    buildPruneQuery(docker_engine.MAX_API_VERSION, settings);
    const host = options.host ?? new local/* LocalHost */.a(options.env);
    const engine = (0,docker_engine.openEngine)(host, {
        docker: options.docker,
        where: host.remote ? undefined : (0,docker_engine.describeLocalEndpoint)(options.env ?? process.env),
        connectTimeoutMs: options.connectTimeoutMs,
        requestTimeoutMs: options.operationTimeoutMs
    });
    try {
        const { apiVersion, serverApiVersion: serverApi } = await engine.ping();
        const version = await engine.json('GET', `/v${apiVersion}/version`);
        const serverVersion = version.Version ?? 'unknown';
        log(`Docker engine ${serverVersion} ${engine.where}: API ${serverApi ?? 'unknown'}, using ${apiVersion}`);
        // Before anything else: an option this API version would ignore refuses the whole prune.
        const query = buildPruneQuery(apiVersion, settings);
        const rules = rulesFor(apiVersion);
        if (!rules)
            throw new Error(`no prune rules for API ${apiVersion}`);
        const info = await engine.json('GET', `/v${apiVersion}/info`);
        const store = (info.DriverStatus ?? []).some(([key, value]) => `${key} ${value}`.includes('io.containerd.snapshotter'))
            ? 'containerd'
            : 'graphdriver';
        const storageDriver = info.Driver ?? 'unknown';
        // The data root's disk is readable where the engine runs: the SSH host, or this machine when it is the engine's.
        const rootDir = info.DockerRootDir ?? '';
        const diskHere = host.remote || info.Name === (0,external_node_os_.hostname)();
        const freeBytes = async () => diskHere && rootDir ? readFreeBytes(host, rootDir).catch(() => undefined) : undefined;
        const containerd = store === 'containerd';
        const afterTypes = containerd ? ['build-cache', 'image'] : ['build-cache'];
        const before = await diskUsage(engine, systemDfPath(apiVersion, [...afterTypes, 'volume']));
        /** The records after the prune (and the images they are shared with, on the containerd store). */
        const usageAfter = () => diskUsage(engine, systemDfPath(apiVersion, [...afterTypes]));
        const cacheBytesBefore = unsharedBytes(before.records);
        log(`Build cache (${storageDriver}${containerd ? ', containerd image store' : ''}): ${before.records.length} records, ` +
            `${(0,bytes/* formatBytes */.z3)(cacheBytesBefore)} not shared with images (${(0,bytes/* formatBytes */.z3)(totalBytes(before.records))} counting shared layers)`);
        // Volumes came with `before` (the sizes of every volume; before API 1.42, of everything).
        const unreachedBuilders = await (0,builders/* readUnreachedBuilders */.mq)(engine, apiVersion, before.raw).catch((error) => {
            log(`Could not look for buildx builders: ${error instanceof Error ? error.message : String(error)}`);
            return [];
        });
        for (const builder of unreachedBuilders) {
            log(`buildx builder "${builder.builder}" keeps its own BuildKit cache (${builder.volume ?? builder.container ?? ''}` +
                `${builder.volumeBytes !== undefined ? `, ${(0,bytes/* formatBytes */.z3)(builder.volumeBytes)}` : ''}): not pruned here; ` +
                `clear it with \`${(0,builders/* builderPruneCommand */.Pl)(builder)}\``);
        }
        const notes = [];
        const measure = STORE_MEASURES[store];
        // The containerd store's figures come from containerd's own directories, where they can be read.
        let containerdDisk;
        if (containerd) {
            const opened = diskHere
                ? await openContainerdDisk(host, rootDir, info.Containerd?.Address ?? undefined, {
                    engine,
                    apiVersion,
                    image: options.helperImage ?? inputs/* DEFAULT_REMOTE_NODE_IMAGE */.ii
                })
                : { reason: `the engine runs on another machine than ${host.name}` };
            if ('disk' in opened)
                containerdDisk = opened;
            else
                notes.push(CONTAINERD_MEASURES.fallbackNote(opened.reason));
        }
        if (settings.dryRun) {
            const minFree = (settings.minFreeBytes ?? 0) > 0;
            const free = minFree ? await freeBytes() : undefined;
            if (minFree) {
                notes.push(free === undefined
                    ? `min-free-space: the free space of the engine's disk could not be read here, so the dry run counted it as 0 free; the real prune reads it itself.`
                    : `min-free-space: computed from the free space now (${(0,bytes/* formatBytes */.z3)(free)} free on the filesystem of ${rootDir}); the real prune reads it again when it runs.`);
            }
            const simulation = simulatePrune(before.records, settings, rules, free ?? 0);
            if (simulation.ignoredFilters.length > 0) {
                notes.push(`Cannot evaluate filter(s) ${simulation.ignoredFilters.join(', ')}; estimated without them.`);
            }
            const removed = new Set(simulation.removed);
            const left = before.records.filter((r) => !removed.has(r.ID));
            // One figure per way the prune can go (more than one only where BuildKit's pick is a tie).
            let freedByOutcome = simulation.outcomes.map((outcome) => outcome.unsharedRemovedBytes);
            let reclaimedHow = measure.dryRunExact ? measure.dryRun : 'estimate from the records (see the note)';
            let reclaimedExact = measure.dryRunExact;
            if (containerdDisk) {
                const { reader, disk } = containerdDisk;
                const removals = simulation.outcomes.map((outcome) => outcome.removed);
                const predicted = await predictFreed(reader, disk, before.records, removals).catch((error) => {
                    notes.push(`containerd's metadata could not be read (${error instanceof Error ? error.message : String(error)}).`);
                    return undefined;
                });
                if (predicted) {
                    freedByOutcome = predicted.map((prediction) => prediction.bytes);
                    reclaimedHow = CONTAINERD_MEASURES.dryRun(disk.root, reader.where);
                    reclaimedExact = true;
                }
            }
            const reclaimedBytes = freedByOutcome[0];
            const possible = possiblePrunes(simulation, freedByOutcome);
            if (possible) {
                notes.push(`BuildKit picks among equally ranked records at random, so this prune can go ${possible.removals.length} ways` +
                    `${possible.complete ? '' : ` (at least; the first ${possible.removals.length} were followed)`}: ` +
                    `it would free ${(0,bytes/* formatByteRange */.vB)(possible.reclaimedBytes)}; the records and figures shown are one of those ways.`);
            }
            if (!reclaimedExact)
                notes.push(`Really freed is ${measure.dryRun}.`);
            for (const note of notes)
                log(`Dry run: ${note}`);
            log(`Dry run: would remove ${simulation.removed.length} records, freeing ${(0,bytes/* formatBytes */.z3)(reclaimedBytes)} ` +
                `(Docker would report ${(0,bytes/* formatBytes */.z3)(simulation.reportedBytes)})`);
            return {
                dryRun: true,
                apiVersion,
                serverVersion,
                store,
                storageDriver,
                recordsBefore: before.records.length,
                recordsRemoved: simulation.removed.length,
                removedIds: simulation.removed,
                reclaimedBytes,
                reclaimedHow,
                reclaimedExact,
                reportedBytes: simulation.reportedBytes,
                cacheBytesBefore,
                cacheBytesAfter: unsharedBytes(left),
                recordsAfter: left.length,
                notes,
                unreachedBuilders,
                ...(possible ? { possible } : {})
            };
        }
        /**
         * What the records a prune deleted freed, on a graph driver: their bytes not shared with images, at most the
         * cache's shrinkage. Before minus after alone would count what a prune of another run, at the same time,
         * deleted too.
         */
        const freedOnGraphDriver = (left, deletedIds, reported) => reclaimedByThisPrune(before.records, Math.max(0, cacheBytesBefore - unsharedBytes(left)), deletedIds, reported);
        const queryText = new URLSearchParams(query).toString();
        const freeBefore = containerd && !containerdDisk ? await freeBytes() : undefined;
        log(`POST /build/prune${queryText ? `?${decodeURIComponent(queryText)}` : ''}`);
        const pruned = await engine
            .json('POST', `/v${apiVersion}/build/prune${queryText ? `?${queryText}` : ''}`)
            .catch(async (error) => {
            // A prune the engine failed may have deleted records before it stopped: what they held is freed all
            // the same (containerd collects it; a graph driver frees it with the record), and reported with the error.
            if (!(error instanceof docker_engine.DockerApiError))
                throw error;
            const failedAfterFreeing = (freed, how, freedBy) => {
                if (freed === 0)
                    return error;
                log(`The prune failed, and ${freedBy} ${(0,bytes/* formatBytes */.z3)(freed)}`);
                return new PruneFailedError(error, freed, how, freedBy);
            };
            if (containerdDisk) {
                const { reader, disk } = containerdDisk;
                const settled = await reader.settledEntries(disk.root, disk).catch(() => undefined);
                const collected = settled ? vanishedBytes(disk, settled) : 0;
                throw failedAfterFreeing(collected, CONTAINERD_MEASURES.real(disk.root, reader.where), 'containerd still collected');
            }
            if (containerd)
                throw error;
            // The records gone from the engine's list are the ones it deleted.
            const left = await usageAfter().catch(() => undefined);
            if (!left)
                throw error;
            const leftIds = new Set(left.records.map((record) => record.ID));
            const goneIds = before.records.filter((record) => !leftIds.has(record.ID)).map((record) => record.ID);
            throw failedAfterFreeing(freedOnGraphDriver(left.records, goneIds, 0), measure.real, 'the engine still freed');
        });
        const freeAfter = freeBefore === undefined ? undefined : await readUntilSettled(freeBytes, (free) => free);
        const removedIds = pruned.CachesDeleted ?? [];
        const reportedBytes = pruned.SpaceReclaimed ?? 0;
        // containerd's collector runs a moment after the prune answers: read the records left once it has
        // settled, as the disk is read, so that the cache left is the one the dry run predicts.
        const diskAfter = containerdDisk && (removedIds.length > 0 || reportedBytes > 0)
            ? await containerdDisk.reader.settledEntries(containerdDisk.disk.root, containerdDisk.disk)
            : containerdDisk?.disk;
        const after = await usageAfter();
        const cacheBytesAfter = unsharedBytes(after.records);
        let reclaimedBytes = freedOnGraphDriver(after.records, removedIds, reportedBytes);
        let reclaimedHow = measure.real;
        if (containerdDisk && diskAfter) {
            // A prune that names nothing and claims nothing freed nothing (another run's collection is not ours):
            // diskAfter is then the disk before.
            reclaimedBytes = vanishedBytes(containerdDisk.disk, diskAfter);
            reclaimedHow = CONTAINERD_MEASURES.real(containerdDisk.disk.root, containerdDisk.reader.where);
        }
        else if (containerd && (removedIds.length > 0 || reportedBytes > 0)) {
            if (freeBefore !== undefined && freeAfter !== undefined) {
                reclaimedBytes = Math.max(0, freeAfter - freeBefore);
            }
            else if (before.layersSize !== undefined && after.layersSize !== undefined) {
                // Without the disk, the snapshots' own figure: it misses blobs only the removed records held.
                reclaimedBytes = Math.max(0, before.layersSize - after.layersSize);
                reclaimedHow = `LayersSize of GET /system/df, before minus after (the engine's disk could not be read here; blobs are not counted)`;
            }
        }
        log(`Removed ${removedIds.length} build-cache records: ${(0,bytes/* formatBytes */.z3)(reclaimedBytes)} really freed ` +
            `(Docker reported ${(0,bytes/* formatBytes */.z3)(reportedBytes)}); ${after.records.length} records left`);
        return {
            dryRun: false,
            apiVersion,
            serverVersion,
            store,
            storageDriver,
            recordsBefore: before.records.length,
            recordsRemoved: removedIds.length,
            removedIds,
            reclaimedBytes,
            reclaimedHow,
            reclaimedExact: true,
            reportedBytes,
            cacheBytesBefore,
            cacheBytesAfter,
            recordsAfter: after.records.length,
            notes,
            unreachedBuilders
        };
    }
    finally {
        await engine.close();
    }
}


/***/ }),

/***/ 2106:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   cd: () => (/* binding */ runToEnd),
/* harmony export */   gd: () => (/* binding */ PLAIN_WORD),
/* harmony export */   qW: () => (/* binding */ isPlainPath)
/* harmony export */ });
/**
 * A word SshHost sends as it is: letters, digits and `_ @ % + = : , . / -`.
 * Callers test a path they must put on a command line with isPlainPath.
 */
const PLAIN_WORD = /^[\w@%+=:,./-]+$/;
/** An absolute path made of plain words only: safe on a command line, locally and over SSH. */
function isPlainPath(path) {
    return path.startsWith('/') && PLAIN_WORD.test(path);
}
/** Runs `argv` on `host` to its end, `input` on its stdin. */
async function runToEnd(host, argv, input) {
    const child = host.exec(argv);
    const chunks = [];
    let stderr = '';
    child.stdout.on('data', (chunk) => chunks.push(chunk));
    child.stderr.on('data', (chunk) => (stderr = (stderr + chunk.toString('utf8')).slice(-4096)));
    child.stdin.end(input);
    const exit = await child.exit;
    return { code: exit.code, stdout: Buffer.concat(chunks), stderr: exit.error ? exit.error.message : stderr };
}


/***/ }),

/***/ 921:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  clearFilesOnHost: () => (/* binding */ clearFilesOnHost)
});

// EXTERNAL MODULE: external "node:readline"
var external_node_readline_ = __webpack_require__(481);
// EXTERNAL MODULE: ./src/bytes.ts
var bytes = __webpack_require__(6136);
// EXTERNAL MODULE: ./src/docker/container.ts
var container = __webpack_require__(8607);
// EXTERNAL MODULE: ./src/docker/engine.ts
var docker_engine = __webpack_require__(6556);
// EXTERNAL MODULE: ./src/inputs.ts
var inputs = __webpack_require__(8422);
// EXTERNAL MODULE: ./src/plan.ts
var plan = __webpack_require__(2464);
;// CONCATENATED MODULE: ./src/remote/protocol.ts
/**
 * The oldest node a host may run the engine with. The engine is the remover
 * alone (fs and path; no Octokit, no SSH), and the suite runs it on Node 20:
 * a host's own Node 20 still serves, though past its end of life, whatever
 * the CLI asks of the machine it starts on. A host with an older node (Debian
 * 12's and Ubuntu 24.04's own nodejs are 18) is cleared through the
 * container (remote-node-image) instead.
 */
const MIN_NODE_MAJOR = 20;
// Plain old JavaScript, so that a node too old for the engine still parses it
// and says so (the engine's own code is only a string until then). It sizes
// libuv's thread pool before anything starts it, as src/launch.cjs does, then
// evaluates the engine as a CommonJS module and calls its serve(settingsJson).
const REMOTE_BOOTSTRAP = `(function (script, settingsJson) {
  if (+process.versions.node.split('.')[0] < ${MIN_NODE_MAJOR}) {
    process.stdout.write(JSON.stringify({ nodeTooOld: process.version }) + '\\n')
    return
  }
  var os = require('os')
  process.env.UV_THREADPOOL_SIZE = process.env.UV_THREADPOOL_SIZE || String(Math.min(64, 4 * os.availableParallelism()))
  var engine = { exports: {} }
  // No file behind it: the bundle has no assets to find (scripts/bundle-remote.mjs checks).
  new Function('module', 'exports', 'require', '__filename', '__dirname', script)(engine, engine.exports, require, '/remote.cjs', '/')
  engine.exports.serve(settingsJson)
})`;
/** The signal that stops the engine (src/cancel.ts handles it as a local run does). */
const STOP_SIGNAL = 'SIGINT';
/** The command line that stops the engine whose `stoppable` message named `pid`: plain words only. */
function stopCommand(pid) {
    if (!Number.isSafeInteger(pid) || pid <= 1)
        throw new Error(`not a process id: ${String(pid)}`);
    return ['kill', `-${STOP_SIGNAL.slice(3)}`, String(pid)];
}
/** The program for `node -` (or a file node runs): the bootstrap applied to the engine and the request. */
function remoteProgram(script, settings) {
    return `${REMOTE_BOOTSTRAP}(${JSON.stringify(script)}, ${JSON.stringify(JSON.stringify(settings))})\n`;
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(3136);
;// CONCATENATED MODULE: ./src/remote/script.ts
// The remote file engine's bundle, dist/remote.cjs (scripts/bundle-remote.mjs),
// sits beside the bundle that imports this (dist/index.js, and the chunks beside it).



async function readRemoteScript() {
    const file = external_node_path_default().join(external_node_path_default().dirname((0,external_node_url_.fileURLToPath)(require("url").pathToFileURL(__filename).href)), 'remote.cjs');
    try {
        return await (0,promises_.readFile)(file, 'utf8');
    }
    catch (error) {
        throw new Error(`the remote file engine ${file} cannot be read (npm run bundle makes it): ${error.message}`);
    }
}

;// CONCATENATED MODULE: ./src/remote/files.ts
// The file half of a clear on another host: the same engine (src/files.ts,
// bundled as dist/remote.cjs) runs there and sends its FileWork back as data,
// so the report cannot tell where it ran. With the host's node when it is 20
// or newer; otherwise in a throwaway container through the host's Docker
// engine (docker/container.ts); with neither, the step fails naming both ways.








async function finish(command, onStdoutLine) {
    let stdout = '';
    let stderr = '';
    const lines = (0,external_node_readline_.createInterface)({ input: command.stdout, crlfDelay: Infinity });
    lines.on('line', (line) => {
        stdout += `${line}\n`;
        onStdoutLine?.(line);
    });
    const stdoutEnded = new Promise((resolve) => lines.once('close', resolve));
    command.stderr.on('data', (chunk) => (stderr = (stderr + chunk.toString('utf8')).slice(-4096)));
    const exit = await command.exit;
    // A normal exit ends stdout too; after a dropped connection it may never end.
    if (exit.code !== null)
        await stdoutEnded;
    return { code: exit.code, stdout, stderr, error: exit.error };
}
/** The last non-empty line of a command's stderr, for a one-line error. */
function lastLine(text) {
    const line = text.trim().split('\n').pop()?.trim() ?? '';
    return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
/** `node --version` on the host: usable when it answers 20 or newer. */
async function probeNode(host) {
    const { code, stdout, stderr, error } = await finish(host.exec(['node', '--version']));
    // Locally a missing command fails to spawn (ENOENT); over SSH the shell answers 127.
    if (error?.code === 'ENOENT' || code === 127)
        return { usable: false, reason: 'it has no node on its PATH' };
    if (error)
        throw error;
    // A line of its own: a shell startup file may print before it.
    const version = /^v\d+\.\d+\.\d+\S*$/m.exec(stdout)?.[0];
    if (code !== 0 || version === undefined)
        return {
            usable: false,
            reason: `its node did not answer --version (${lastLine(stderr) || `exit ${String(code)}`})`
        };
    if (Number(version.slice(1).split('.')[0]) < MIN_NODE_MAJOR)
        return { usable: false, reason: `its node is ${version}, older than ${MIN_NODE_MAJOR}` };
    return { usable: true };
}
/** Reads the engine's messages: progress as it comes, then the one that ends it. */
class MessageReader {
    hooks;
    onStoppable;
    last;
    progress;
    /** `onStoppable`: the engine's pid, once it stops on SIGINT. */
    constructor(hooks, onStoppable) {
        this.hooks = hooks;
        this.onStoppable = onStoppable;
    }
    read(line) {
        let message;
        try {
            message = JSON.parse(line);
        }
        catch {
            return; // not ours (a warning some node printed); stderr explains failures
        }
        if (typeof message !== 'object' || message === null)
            return; // a bare number or string: not ours either
        if ('stoppable' in message)
            this.onStoppable?.(message.stoppable.pid);
        else if ('progress' in message) {
            this.progress = message.progress;
            this.hooks.onProgress?.(message.progress);
        }
        else
            this.last = message;
    }
    /** The FileWork, or the error that explains why there is none. */
    settle(finished, where, nodeHint) {
        const last = this.last;
        if (last && 'work' in last)
            return last.work;
        if (last && 'error' in last) {
            if (last.error.name === 'PlanError')
                throw new plan/* PlanError */.W6(last.error.message);
            throw new Error(`clearing the files ${where} failed: ${last.error.message}`);
        }
        if (last && 'nodeTooOld' in last)
            throw new Error(`${nodeHint} is ${last.nodeTooOld}; Node.js ${MIN_NODE_MAJOR} or newer is needed`);
        const sofar = this.progress ? ` after ${this.progress.entries} entries (${(0,bytes/* formatBytes */.z3)(this.progress.bytes)})` : '';
        if (finished.error || finished.code === null)
            throw new Error(`clearing the files ${where} stopped${sofar}: ${finished.error?.message ?? 'the command was killed'}. ` +
                'Nothing is reported for them; a re-run is safe and clears what is left.');
        const why = finished.stderr.trim() ? `: ${lastLine(finished.stderr)}` : '';
        throw new Error(`clearing the files ${where} failed${sofar}: exit ${finished.code}${why}. ` +
            'Nothing is reported for them; a re-run is safe and clears what is left.');
    }
}
/**
 * Stops the engine on the host once the run is cancelled and the engine has
 * said it can be stopped, in either order: `kill -INT PID` on a channel of
 * its own. The engine then reports what it freed, as a local run does.
 */
class NodeStopper {
    host;
    signal;
    pid;
    sent;
    onAbort = () => this.stop();
    constructor(host, signal) {
        this.host = host;
        this.signal = signal;
        signal?.addEventListener('abort', this.onAbort, { once: true });
    }
    stoppable(pid) {
        this.pid = pid;
        this.stop();
    }
    stop() {
        if (!this.signal?.aborted || this.pid === undefined || this.sent)
            return;
        let argv;
        try {
            argv = stopCommand(this.pid);
        }
        catch {
            return; // not a pid: not ours to signal
        }
        // An engine that ended meanwhile makes kill fail; its report is on its way either way.
        this.sent = finish(this.host.exec(argv));
    }
    async done() {
        this.signal?.removeEventListener('abort', this.onAbort);
        await this.sent;
    }
}
async function clearWithNode(host, program, hooks) {
    const stopper = new NodeStopper(host, hooks.signal);
    const reader = new MessageReader(hooks, (pid) => stopper.stoppable(pid));
    const command = host.exec(['node', '-']);
    command.stdin.end(program);
    const finished = await finish(command, (line) => reader.read(line));
    await stopper.done();
    return reader.settle(finished, `on ${host.name}`, `cannot clear the files on ${host.name}: its node`);
}
async function clearInContainer(engine, anotherEngine, apiVersion, host, settings, program, hooks) {
    const image = settings.ssh?.nodeImage ?? inputs/* DEFAULT_REMOTE_NODE_IMAGE */.ii;
    const reader = new MessageReader(hooks);
    const where = `on ${host.name} in a container from '${image}'`;
    const tooOld = `cannot clear the files on ${host.name} in a container: the node in remote-node-image '${image}'`;
    let run;
    try {
        run = await (0,container/* runInContainer */.Kw)(engine, apiVersion, image, settings.root, program, {
            signal: hooks.signal,
            stopSignal: STOP_SIGNAL,
            // The wait holds the first client: the stop goes through a second channel.
            openEngine: anotherEngine
        });
    }
    catch (error) {
        if (error instanceof container/* ContainerError */.OJ)
            throw new Error(`cannot clear the files on ${host.name} in a container: ${error.message}`);
        if (error instanceof container/* BindSourceMissingError */.V)
            throw (0,plan/* rootNotADirectory */.uW)(error.root);
        if (error instanceof plan/* PlanError */.W6)
            throw error;
        // The engine went away mid-run (the connection dropped).
        return reader.settle({ code: null, stdout: '', stderr: '', error: error }, where, tooOld);
    }
    // The logs come once the container has ended: progress arrives all at once.
    for (const line of run.stdout.split('\n'))
        if (line !== '')
            reader.read(line);
    return reader.settle(run, where, tooOld);
}
/**
 * Clears the file caches of `settings` on `host` and returns what a local
 * clearFiles of the same tree returns. Throws PlanError as it does; any other
 * failure is one line that names the host.
 */
async function clearFilesOnHost(host, settings, hooks = {}) {
    const script = await readRemoteScript();
    const node = await probeNode(host);
    // Built at the last moment, so a run cancelled by now tells the engine so and nothing is deleted.
    const program = remoteProgram(script, {
        ...(0,inputs/* fileSettings */.gU)(settings),
        ...(hooks.signal?.aborted ? { cancelled: true } : {})
    });
    if (node.usable)
        return clearWithNode(host, program, hooks);
    // The container's stop needs a client of its own (see runInContainer); all close together.
    const engines = [(0,docker_engine.openEngine)(host)];
    const engine = engines[0];
    try {
        let apiVersion;
        try {
            apiVersion = (await engine.ping()).apiVersion;
        }
        catch (error) {
            throw new Error(`cannot clear the files on ${host.name}: ${node.reason}, and no Docker engine answered there ` +
                `(${error instanceof Error ? error.message : String(error)}). Install Node.js ${MIN_NODE_MAJOR} or newer ` +
                'on the host, or Docker so the files are cleared in a container (remote-node-image).');
        }
        return await clearInContainer(engine, () => engines[engines.push((0,docker_engine.openEngine)(host)) - 1], apiVersion, host, settings, program, hooks);
    }
    finally {
        await Promise.all(engines.map((client) => client.close()));
    }
}


/***/ })

};
;
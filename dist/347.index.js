"use strict";
exports.id = 347;
exports.ids = [347];
exports.modules = {

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

/***/ 7879:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Qb: () => (/* binding */ hostKeyAlgorithms),
/* harmony export */   acceptedKeys: () => (/* binding */ acceptedKeys),
/* harmony export */   b3: () => (/* binding */ blobKeyType),
/* harmony export */   h3: () => (/* binding */ isKnownKey),
/* harmony export */   knownHostName: () => (/* binding */ knownHostName),
/* harmony export */   parseKnownHosts: () => (/* binding */ parseKnownHosts)
/* harmony export */ });
/* unused harmony export lineMatchesHost */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
// known_hosts lines (the `ssh-known-hosts` input, or ~/.ssh/known_hosts for
// the CLI) and the check of the key a host offers against them. Pure: the SSH
// transport asks `acceptedKeys` which key types to negotiate and `isKnownKey`
// whether to go on. There is no "accept anything" path: no line, no trust.

/** Parses known_hosts text. Comments, blank lines, cert-authority lines and lines that are not key lines are skipped. */
function parseKnownHosts(text) {
    const lines = [];
    for (const raw of text.split(/\r?\n/)) {
        const fields = raw.trim().split(/\s+/);
        if (fields[0] === '' || fields[0].startsWith('#'))
            continue;
        let revoked = false;
        if (fields[0].startsWith('@')) {
            if (fields[0] !== '@revoked')
                continue;
            revoked = true;
            fields.shift();
        }
        const [hosts, keyType, base64] = fields;
        if (!hosts || !keyType || !base64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64))
            continue;
        const key = Buffer.from(base64, 'base64');
        // The blob starts with its own type: a line whose type field lies is not used.
        if (blobKeyType(key) !== keyType)
            continue;
        const hashedMatch = /^\|1\|([A-Za-z0-9+/=]+)\|([A-Za-z0-9+/=]+)$/.exec(hosts);
        lines.push({
            patterns: hashedMatch ? [] : hosts.split(','),
            hashed: hashedMatch
                ? { salt: Buffer.from(hashedMatch[1], 'base64'), hash: Buffer.from(hashedMatch[2], 'base64') }
                : undefined,
            revoked,
            keyType,
            key
        });
    }
    return lines;
}
/** The key type named at the start of an SSH public key blob (string length + name), or '' when not one. */
function blobKeyType(blob) {
    if (blob.length < 4)
        return '';
    const length = blob.readUInt32BE(0);
    if (length === 0 || length > 64 || blob.length < 4 + length)
        return '';
    return blob.subarray(4, 4 + length).toString('latin1');
}
/** How known_hosts names a host: `host` on port 22, `[host]:port` otherwise. */
function knownHostName(host, port) {
    return port === 22 ? host : `[${host}]:${port}`;
}
/** OpenSSH's wildcard match: `*` any run, `?` one character, case-insensitive. */
function wildcardMatch(pattern, name) {
    const regex = pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.');
    return new RegExp(`^${regex}$`, 'i').test(name);
}
/** Whether a line names the host: a hashed entry, or patterns where a matching `!pattern` wins. */
function lineMatchesHost(line, host, port) {
    const name = knownHostName(host, port);
    if (line.hashed) {
        const digest = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHmac)('sha1', line.hashed.salt).update(name).digest();
        return digest.equals(line.hashed.hash);
    }
    let matched = false;
    for (const pattern of line.patterns) {
        const negated = pattern.startsWith('!');
        if (wildcardMatch(negated ? pattern.slice(1) : pattern, name)) {
            if (negated)
                return false;
            matched = true;
        }
    }
    return matched;
}
/** The keys listed for host:port that are not revoked, in file order. */
function acceptedKeys(lines, host, port) {
    const revoked = lines.filter((line) => line.revoked);
    return lines.filter((line) => !line.revoked &&
        lineMatchesHost(line, host, port) &&
        !revoked.some((bad) => bad.key.equals(line.key) && lineMatchesHost(bad, host, port)));
}
/** true when `offered` (the server's key blob) is listed for host:port and not revoked. */
function isKnownKey(lines, host, port, offered) {
    return acceptedKeys(lines, host, port).some((line) => line.key.equals(offered));
}
/**
 * Host-key algorithms to offer, from the listed key types, so the server
 * shows the key we know (as OpenSSH orders by known_hosts). RSA keys are
 * negotiated only with rsa-sha2 signatures, never SHA-1 `ssh-rsa`.
 */
function hostKeyAlgorithms(keys) {
    const algorithms = [];
    for (const { keyType } of keys) {
        for (const algorithm of keyType === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256'] : [keyType]) {
            if (!algorithms.includes(algorithm))
                algorithms.push(algorithm);
        }
    }
    return algorithms;
}


/***/ }),

/***/ 5460:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   SshHost: () => (/* binding */ SshHost)
/* harmony export */ });
/* unused harmony exports KEEPALIVE, sshName, commandLine, hopName */
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7075);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var ssh2__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5472);
/* harmony import */ var ssh2__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(ssh2__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _host_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(2106);
/* harmony import */ var _known_hosts_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7879);
/* harmony import */ var _ssh_error_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(3279);
// A host reached over ONE SSH connection (the `ssh2` package, pure JavaScript):
// every exec is a channel on it, so a run costs one handshake. The key stays
// in memory; the host key is checked against the given known_hosts lines
// before anything runs (no trust on first use, no switch to skip it).






const DEFAULT_CONNECT_TIMEOUT_MS = 20_000;
/**
 * Keepalives on every hop: a long clear sends nothing for minutes, and a NAT
 * or a bastion may cut an idle connection; four unanswered (a minute) mean it
 * is gone.
 */
const KEEPALIVE = { intervalMs: 15_000, countMax: 4 };
const CLOSED_BY_US = 'closed by us';
/** "user@host:port", IPv6 in brackets: the name used in logs, the summary and errors. */
function sshName({ user, host, port }) {
    return `${user}@${host.includes(':') ? `[${host}]` : host}:${port}`;
}
/**
 * Over SSH the command is one line that the remote shell parses, so only
 * plain words go there: letters, digits and `_ @ % + = : , . / -`. Anything
 * else throws: callers pass constant words, and user data travels on stdin.
 */
function commandLine(argv, env = {}) {
    const words = [...Object.entries(env).map(([key, value]) => `${key}=${value}`), ...argv];
    if (Object.keys(env).length > 0)
        words.unshift('env');
    for (const word of words) {
        if (!_host_js__WEBPACK_IMPORTED_MODULE_3__/* .PLAIN_WORD */ .gd.test(word)) {
            throw new Error(`refusing to send ${JSON.stringify(word)} in a remote command line: only plain words go there`);
        }
    }
    if (argv.length === 0)
        throw new Error('no command to run');
    return words.join(' ');
}
/** "host:port", IPv6 in brackets: how the route names a jump host. */
function hopName({ host, port }) {
    return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}
function errorText(error) {
    return error instanceof Error ? error.message : String(error);
}
class SshHost {
    clients;
    name;
    route;
    remote = true;
    dropped;
    channels = new Set();
    /** The target's client: every exec is a channel on it. */
    client;
    constructor(
    /** Every hop's client, the first dialled first; the target's last. */
    clients, name, 
    /** The jump hosts crossed ("bastion.example.com:22"), empty for a direct connection. */
    route) {
        this.clients = clients;
        this.name = name;
        this.route = route;
        this.client = clients[clients.length - 1];
        const drop = (reason) => {
            this.dropped ??= reason;
            for (const channel of this.channels)
                channel.destroy();
        };
        // Any hop going down takes the target's connection with it.
        for (const client of clients) {
            client.on('error', (error) => drop(errorText(error)));
            client.on('close', () => drop('the connection closed'));
        }
    }
    /**
     * Opens the connection, through the jump hosts when there are any: each
     * hop reachable, its host key known, authenticated. Throws SshError
     * otherwise, naming the hop, and closes whatever it had opened.
     */
    static async connect(options) {
        const name = sshName(options);
        const hops = [
            ...(options.jumps ?? []).map((jump) => ({ ...jump, jump: true })),
            { user: options.user, host: options.host, port: options.port, jump: false }
        ];
        if (!options.agentSocket && options.privateKeys.length === 0) {
            throw new _ssh_error_js__WEBPACK_IMPORTED_MODULE_4__/* .SshError */ .D(`no SSH key to log in to ${name} with`);
        }
        const knownLines = (0,_known_hosts_js__WEBPACK_IMPORTED_MODULE_2__.parseKnownHosts)(options.knownHosts);
        const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
        const clients = [];
        let current = hops[0];
        let timer;
        // ssh2's readyTimeout starts only after TCP connects, and is per hop: one deadline for it all.
        const timedOut = new Promise((_, reject) => {
            timer = setTimeout(() => reject(new _ssh_error_js__WEBPACK_IMPORTED_MODULE_4__/* .SshError */ .D(`cannot reach ${hopKind(current)} ${hopWhere(current)}: no answer within ${timeoutMs / 1000} s`)), timeoutMs);
        });
        timedOut.catch(() => undefined);
        const deadline = Date.now() + timeoutMs;
        try {
            let sock;
            for (const [index, hop] of hops.entries()) {
                current = hop;
                if (index > 0)
                    sock = await Promise.race([forwardTo(clients[index - 1], hops[index - 1], hop), timedOut]);
                const client = new ssh2__WEBPACK_IMPORTED_MODULE_1__.Client();
                clients.push(client);
                await Promise.race([
                    loginHop(client, hop, { sock, knownLines, options, readyTimeoutMs: deadline - Date.now() + 1000 }),
                    timedOut
                ]);
            }
        }
        catch (error) {
            // Last opened first: the target's, then each jump host's.
            for (const client of clients.reverse()) {
                client.removeAllListeners('ready');
                client.end();
                client.destroy();
            }
            throw error;
        }
        finally {
            clearTimeout(timer);
        }
        for (const client of clients) {
            client.removeAllListeners('error');
            client.removeAllListeners('close');
        }
        return new SshHost(clients, name, (options.jumps ?? []).map(hopName));
    }
    /** Why the connection ended before close() was called; undefined while it is up (or closed by us). */
    get connectionLost() {
        return this.dropped === CLOSED_BY_US ? undefined : this.dropped;
    }
    exec(argv, options = {}) {
        const stdin = new node_stream__WEBPACK_IMPORTED_MODULE_0__.PassThrough();
        const stdout = new node_stream__WEBPACK_IMPORTED_MODULE_0__.PassThrough();
        const stderr = new node_stream__WEBPACK_IMPORTED_MODULE_0__.PassThrough();
        let kill = () => undefined;
        const exit = new Promise((resolve) => {
            const failed = (error) => {
                stdout.end();
                stderr.end();
                resolve({ code: null, signal: null, error });
            };
            let line;
            try {
                line = commandLine(argv, options.env);
            }
            catch (error) {
                failed(error);
                return;
            }
            if (this.dropped !== undefined) {
                failed(new _ssh_error_js__WEBPACK_IMPORTED_MODULE_4__/* .SshError */ .D(`the SSH connection to ${this.name} dropped: ${this.dropped}`));
                return;
            }
            const started = (error, channel) => {
                if (error) {
                    failed(new _ssh_error_js__WEBPACK_IMPORTED_MODULE_4__/* .SshError */ .D(`${this.name} refused to run ${argv[0]}: ${error.message}`));
                    return;
                }
                this.channels.add(channel);
                let code = null;
                let signal = null;
                channel.on('exit', (exitCode, exitSignal) => {
                    code = exitCode ?? null;
                    signal = exitSignal ?? null;
                });
                channel.on('close', () => {
                    this.channels.delete(channel);
                    const error = code === null && signal === null && this.dropped !== undefined
                        ? new _ssh_error_js__WEBPACK_IMPORTED_MODULE_4__/* .SshError */ .D(`the SSH connection to ${this.name} dropped while ${argv[0]} ran: ${this.dropped}`)
                        : undefined;
                    resolve({ code, signal, error });
                });
                // As a child process's pipes behave: output nobody reads any more
                // (its stream destroyed) is drained, or the channel would never end
                // and close; a stdin closed before its end (destroyed, as a Duplex
                // over stdin and stdout does) is still EOF, or the command would
                // wait for more input.
                const deliver = (output, to) => {
                    if (to.destroyed) {
                        output.resume();
                        return;
                    }
                    output.pipe(to);
                    to.once('close', () => output.resume());
                };
                deliver(channel, stdout);
                deliver(channel.stderr, stderr);
                if (stdin.destroyed)
                    channel.end();
                else {
                    stdin.pipe(channel);
                    stdin.once('close', () => channel.end());
                }
                kill = () => channel.close();
            };
            try {
                this.client.exec(line, started);
            }
            catch (error) {
                // ssh2 throws when the connection went away between our check and this call.
                failed(new _ssh_error_js__WEBPACK_IMPORTED_MODULE_4__/* .SshError */ .D(`the SSH connection to ${this.name} dropped: ${errorText(error)}`));
            }
        });
        // Writes after the command ended are dropped, as for a child process.
        stdin.on('error', () => undefined);
        return { stdin, stdout, stderr, exit, kill: () => kill() };
    }
    async close() {
        if (this.dropped !== undefined)
            return;
        this.dropped = CLOSED_BY_US;
        // The target first, then each jump host back towards the runner.
        for (const client of [...this.clients].reverse()) {
            await new Promise((resolve) => {
                client.once('close', () => resolve());
                client.end();
                setTimeout(() => {
                    client.destroy();
                    resolve();
                }, 2000).unref();
            });
        }
    }
}
function hopKind(hop) {
    return hop.jump ? 'jump host' : 'SSH host';
}
/** "host port N", IPv6 in brackets, as the errors say it. */
function hopWhere({ host, port }) {
    return `${host.includes(':') ? `[${host}]` : host} port ${port}`;
}
/** ssh2's reason code when the server refuses to open a channel by policy (e.g. AllowTcpForwarding no). */
const ADMINISTRATIVELY_PROHIBITED = 1;
/** A direct-tcpip channel from `via` to the next hop: the socket that hop's SSH runs over. */
function forwardTo(client, via, next) {
    return new Promise((resolve, reject) => {
        const failed = (error) => {
            const reason = error.message.replace(/^\(SSH\) Channel open failure: ?/, '') || 'channel refused';
            reject(new _ssh_error_js__WEBPACK_IMPORTED_MODULE_4__/* .SshError */ .D(error.reason === ADMINISTRATIVELY_PROHIBITED
                ? `jump host ${hopWhere(via)} will not forward to ${hopWhere(next)}: ${reason} ` +
                    `(its sshd must allow TCP forwarding for this user)`
                : `cannot reach ${hopKind(next)} ${hopWhere(next)} from jump host ${hopWhere(via)}: ${reason}`));
        };
        try {
            client.forwardOut('127.0.0.1', 0, next.host, next.port, (error, channel) => {
                if (error)
                    failed(error);
                else
                    resolve(channel);
            });
        }
        catch (error) {
            // ssh2 throws when the jump host's connection went away meanwhile.
            failed(error);
        }
    });
}
/** Logs in to one hop over `sock` (or TCP for the first): resolves once ready, rejects with a one-line SshError. */
function loginHop(client, hop, context) {
    const { options, knownLines } = context;
    const name = `${hop.jump ? 'jump host ' : ''}${sshName(hop)}`;
    const kind = hopKind(hop);
    const where = hopWhere(hop);
    const target = hop.jump ? `jump host ${where}` : where;
    const listed = (0,_known_hosts_js__WEBPACK_IMPORTED_MODULE_2__.acceptedKeys)(knownLines, hop.host, hop.port);
    // Nothing goes past a hop we do not trust; nothing runs on a target we do not trust.
    const nothing = hop.jump ? 'nothing went past it' : 'nothing was run there';
    const auth = [
        ...(options.agentSocket ? [{ type: 'agent', username: hop.user, agent: options.agentSocket }] : []),
        ...options.privateKeys.map((key) => ({
            type: 'publickey',
            username: hop.user,
            key,
            passphrase: options.passphrase
        }))
    ];
    // Set by the verifier: the key type the host showed, and whether we refused it.
    let offered;
    let hostKeyRefused = false;
    return new Promise((resolve, reject) => {
        let settled = false;
        const fail = (message) => {
            if (settled)
                return;
            settled = true;
            reject(new _ssh_error_js__WEBPACK_IMPORTED_MODULE_4__/* .SshError */ .D(message));
        };
        client.once('ready', () => {
            settled = true;
            resolve();
        });
        client.on('error', (error) => {
            if (error.level === 'client-socket' || error.level === 'client-dns' || error.code) {
                const reason = error.code === 'ECONNREFUSED'
                    ? 'connection refused'
                    : error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN'
                        ? 'no such host'
                        : errorText(error);
                fail(`cannot reach ${kind} ${where}: ${reason}`);
            }
            else if (error.level === 'client-authentication' || error.level === 'agent') {
                fail(`SSH authentication refused by ${name}: the host accepted none of the given keys`);
            }
            else if (/lost before handshake/i.test(error.message)) {
                fail(`cannot reach ${kind} ${where}: it closed the connection before the SSH handshake`);
            }
            else if (hostKeyRefused) {
                fail(`host key mismatch: ${target} offered a ${offered ?? 'unknown'} key that is not in ssh-known-hosts; ` +
                    `${nothing} (check the host, then ssh-keyscan it again)`);
            }
            else if (/no matching host key format/.test(error.message)) {
                fail(`host key mismatch: ${target} offers none of the key types listed for it in ssh-known-hosts ` +
                    `(${listed.map((line) => line.keyType).join(', ')}); ${nothing}`);
            }
            else {
                fail(`SSH connection to ${target} failed: ${errorText(error)}`);
            }
        });
        // A close without an error first: the host hung up during the handshake.
        client.once('close', () => fail(`${kind} ${where} closed the connection before login`));
        client.connect({
            ...(context.sock ? { sock: context.sock } : {}),
            host: hop.host,
            port: hop.port,
            username: hop.user,
            authHandler: auth,
            readyTimeout: context.readyTimeoutMs,
            keepaliveInterval: KEEPALIVE.intervalMs,
            keepaliveCountMax: KEEPALIVE.countMax,
            // Offer only the key types we can check, so the host shows the one we know.
            algorithms: listed.length > 0 ? { serverHostKey: (0,_known_hosts_js__WEBPACK_IMPORTED_MODULE_2__/* .hostKeyAlgorithms */ .Qb)(listed) } : undefined,
            hostVerifier: (key) => {
                offered = (0,_known_hosts_js__WEBPACK_IMPORTED_MODULE_2__/* .blobKeyType */ .b3)(key) || 'unknown';
                const known = (0,_known_hosts_js__WEBPACK_IMPORTED_MODULE_2__/* .isKnownKey */ .h3)(knownLines, hop.host, hop.port, key);
                hostKeyRefused = !known;
                return known;
            }
        });
        // Each round trip (the handshake's, an Engine API request over dial-stdio)
        // would otherwise wait ~40 ms: without ssh2's native binding, which a
        // bundle does not ship, its cipher writes each packet in several pieces,
        // and Nagle's algorithm holds the last one until the host's delayed ACK.
        // A TCP socket only (the first hop); a later hop's socket is a channel.
        client.setNoDelay(true);
    });
}


/***/ })

};
;
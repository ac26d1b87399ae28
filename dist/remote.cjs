/******/ (() => { // webpackBootstrap
/******/ 	"use strict";
/******/ 	var __webpack_modules__ = ({

/***/ 566:
/***/ ((__unused_webpack_module, exports) => {


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
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.joinKey = joinKey;
exports.byteKey = byteKey;
exports.textKey = textKey;
exports.keyBytes = keyBytes;
exports.systemPath = systemPath;
exports.displayPath = displayPath;
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

/***/ 833:
/***/ ((__unused_webpack_module, exports) => {


// Cancellation for both front doors. When a job is cancelled the runner sends
// SIGINT, then SIGTERM about 7.5 s later; Ctrl-C sends SIGINT. The first
// signal aborts the run (deletes in flight finish, no new one starts); the
// handlers stay installed, so a later signal cannot kill the process while it
// writes the outputs and summary of what was really freed.
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.abortOnSignals = abortOnSignals;
/** An AbortSignal fired by the first SIGINT or SIGTERM this process receives. */
function abortOnSignals() {
    const controller = new AbortController();
    const abort = () => controller.abort();
    process.on('SIGINT', abort);
    process.on('SIGTERM', abort);
    return controller.signal;
}


/***/ }),

/***/ 148:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.clearFiles = clearFiles;
// The file half of a clear, wherever it runs: plan → remove, with the free
// space of the app root's filesystem around it. The pipeline calls it for the
// machine the job runs on; a remote host runs the same function and sends the
// FileWork back as data, so the report cannot tell where it ran.
const node_fs_1 = __nccwpck_require__(24);
const plan_js_1 = __nccwpck_require__(464);
const remove_js_1 = __nccwpck_require__(935);
async function freeBytes(dir) {
    try {
        const stats = await node_fs_1.promises.statfs(dir);
        return stats.bavail * stats.bsize;
    }
    catch {
        return undefined;
    }
}
/** Plans and removes the file caches of `settings`. Throws PlanError (nothing touched) when the root is missing. */
async function clearFiles(settings, hooks = {}) {
    // Planning validates the roots before anything is deleted.
    const plan = await (0, plan_js_1.planCacheRemoval)(settings);
    const freeBytesBefore = await freeBytes(settings.root);
    let files;
    if (plan.searches.length > 0 || plan.extraPaths.length > 0) {
        files = await (0, remove_js_1.removeCaches)(plan, { dryRun: settings.dryRun, onProgress: hooks.onProgress, signal: hooks.signal });
    }
    return { planWarnings: plan.warnings, files, freeBytesBefore, freeBytesAfter: await freeBytes(settings.root) };
}


/***/ }),

/***/ 464:
/***/ (function(__unused_webpack_module, exports, __nccwpck_require__) {


var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.PlanError = void 0;
exports.rootNotADirectory = rootNotADirectory;
exports.planCacheRemoval = planCacheRemoval;
exports.hasGlob = hasGlob;
exports.segmentPattern = segmentPattern;
exports.expandGlob = expandGlob;
// Settings + the rules table → what to remove, as data. Reads the disk only to
// see which roots exist and to expand globs; never deletes.
const node_fs_1 = __nccwpck_require__(24);
const node_path_1 = __importDefault(__nccwpck_require__(760));
const bytepath_js_1 = __nccwpck_require__(566);
const rules_js_1 = __nccwpck_require__(244);
/** The app root itself is missing: nothing can be planned. */
class PlanError extends Error {
    name = 'PlanError';
}
exports.PlanError = PlanError;
function rootNotADirectory(root) {
    return new PlanError(`Input 'working-directory': '${root}' is not a directory.`);
}
async function isDirectory(p) {
    try {
        return (await node_fs_1.promises.stat(p)).isDirectory();
    }
    catch {
        return false;
    }
}
async function planCacheRemoval(settings) {
    const fileTargets = settings.targets.filter(rules_js_1.isFileTarget);
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
        const rule = rules_js_1.CACHE_RULES[target];
        const relRoot = settings[rule.rootSetting];
        const root = node_path_1.default.resolve(settings.root, relRoot);
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
            : [Buffer.from(node_path_1.default.resolve(settings.root, pattern))];
        if (matches.length === 0)
            warnings.push(`extra-paths: '${pattern}' matched nothing.`);
        extraPaths = extraPaths.concat(matches);
    }
    const unique = new Map(extraPaths.map((extra) => [(0, bytepath_js_1.byteKey)(extra), extra]));
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
    const segment = (0, bytepath_js_1.textKey)(pattern);
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
                next.push((0, bytepath_js_1.joinKey)(dir, (0, bytepath_js_1.textKey)(segment)));
        }
        else {
            const matcher = segmentPattern(segment);
            for (const dir of current) {
                for await (const entry of listDirectory(dir)) {
                    if (!matcher.test(entry.name))
                        continue;
                    // Intermediate matches must be real directories; the last may be anything.
                    if (last || entry.isDirectory())
                        next.push((0, bytepath_js_1.joinKey)(dir, entry.name));
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
        opened = await node_fs_1.promises.opendir(dir, { encoding: 'latin1' });
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
        const child = (0, bytepath_js_1.joinKey)(dir, entry.name);
        found.push(child, ...(await realDirectoriesBelow(child)));
    }
    return found;
}
async function exists(p) {
    try {
        await node_fs_1.promises.lstat(p);
        return true;
    }
    catch {
        return false;
    }
}


/***/ }),

/***/ 935:
/***/ (function(__unused_webpack_module, exports, __nccwpck_require__) {


var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.CacheRemover = exports.SEARCH_AHEAD_MAX = exports.DEFAULT_REFILL_RETRIES = exports.DEFAULT_OPERATION_CONCURRENCY = void 0;
exports.parseMountInfo = parseMountInfo;
exports.mountPointsBelow = mountPointsBelow;
exports.removeCaches = removeCaches;
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
const node_fs_1 = __importDefault(__nccwpck_require__(24));
const node_path_1 = __importDefault(__nccwpck_require__(760));
const promises_1 = __nccwpck_require__(500);
const bytepath_js_1 = __nccwpck_require__(566);
const delete_pace_js_1 = __nccwpck_require__(913);
const deleter_thread_js_1 = __nccwpck_require__(204);
const young_generation_js_1 = __nccwpck_require__(147);
// Deletes in flight: enough to keep every pool thread busy (launch.cjs sizes
// the pool, 4 threads per core) and let the walk run ahead of them; each holds
// a path and a closure. In bench/ 128 beat 64; 512 was no faster than 128 and
// peaked about 30 MB higher in RSS (README, Performance).
exports.DEFAULT_OPERATION_CONCURRENCY = 128;
exports.DEFAULT_REFILL_RETRIES = 3;
// Let completions and the progress timer run at least this often.
const ENTRIES_PER_TURN = 512;
// The search needs no delete slot, so it goes on while the deletes are all
// taken, yielding this often so that their completions are answered promptly,
// until this many cache paths wait for the removal. Waiting with the removal
// left the pool and the disk idle while it crossed a part of the tree with
// nothing to find (a large node_modules: about 100 ms at 100k entries).
const SEARCH_ENTRIES_PER_TURN = 64;
exports.SEARCH_AHEAD_MAX = 4096;
// Paths longer than this are re-anchored on an open directory handle
// (/proc/self/fd/N/...), so trees deeper than PATH_MAX (4096) still work.
const ANCHOR_AFTER = 3000;
const CAN_ANCHOR = process.platform === 'linux';
// Root may remove anything; any other user needs write and search permission
// on each directory it clears (see permitClearing).
const USER_ID = process.getuid?.();
/** One for the process: V8's flags are the process's. */
const YOUNG_GENERATION = new young_generation_js_1.YoungGenerationCap();
const ALL_ACCESS = node_fs_1.default.constants.R_OK | node_fs_1.default.constants.W_OK | node_fs_1.default.constants.X_OK;
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
            this.batch = node_fs_1.default.readdirSync(path, { encoding: 'latin1', withFileTypes: true });
            return;
        }
        this.dir = node_fs_1.default.opendirSync(path, { encoding: 'latin1', bufferSize: LISTING_BATCH });
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
        root: (0, bytepath_js_1.textKey)(search.root),
        exactPaths: new Set(search.exactPaths.map(bytepath_js_1.textKey)),
        dirNames: new Set([...search.dirNames].map(bytepath_js_1.textKey)),
        fileSuffixes: search.fileSuffixes.map(bytepath_js_1.textKey)
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
        text ??= node_fs_1.default.readFileSync('/proc/self/mountinfo', 'latin1');
        realRoot = (0, bytepath_js_1.byteKey)(node_fs_1.default.realpathSync(root, { encoding: 'buffer' }));
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
        return node_fs_1.default.lstatSync(p, { throwIfNoEntry: false });
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
    deleter = new deleter_thread_js_1.DeleterThread();
    constructor(plan, options) {
        this.plan = plan;
        this.options = options;
        this.dryRun = options.dryRun;
        this.maxInFlight = options.operationConcurrency ?? exports.DEFAULT_OPERATION_CONCURRENCY;
        this.refillRetries = options.refillRetries ?? exports.DEFAULT_REFILL_RETRIES;
        if (options.operationConcurrency === undefined) {
            this.blockDeletes = new delete_pace_js_1.DeletePace(options.slowDeleteMs);
            this.emptyDeletes = new delete_pace_js_1.DeletePace(options.slowDeleteMs);
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
        const appStat = this.plan.extraPaths.length > 0 ? this.tryLstat((0, bytepath_js_1.textKey)(this.plan.appRoot)) : undefined;
        for (const extra of this.plan.extraPaths)
            if (appStat)
                this.enqueue('extra', (0, bytepath_js_1.byteKey)(extra), appStat.dev);
        for (const { search, stat } of roots) {
            if (stat)
                await this.walk(this.searchFrame(search, search.root, '', stat, mountPointsBelow((0, bytepath_js_1.keyBytes)(search.root))));
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
            if (this.found.length - this.foundHead <= exports.SEARCH_AHEAD_MAX / 2)
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
        if (this.found.length - this.foundHead >= exports.SEARCH_AHEAD_MAX && this.removalRunning) {
            this.sinceSearchTurn = 0;
            await new Promise((resolve) => (this.wakeSearch = resolve));
            this.wakeSearch = undefined;
            return;
        }
        const perTurn = this.inFlight >= this.maxInFlight ? SEARCH_ENTRIES_PER_TURN : ENTRIES_PER_TURN;
        if (++this.sinceSearchTurn >= perTurn) {
            this.sinceSearchTurn = 0;
            await (0, promises_1.setImmediate)();
        }
    }
    /** Waits for a free delete slot, or at least lets pending callbacks run. */
    async nextTurn() {
        if (this.inFlight < this.maxInFlight)
            return (0, promises_1.setImmediate)();
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
                    node_fs_1.default.unlinkSync(p);
                else
                    node_fs_1.default.rmdirSync(p);
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
        node_fs_1.default[operation](p, (error) => this.deleteAnswered(then, error));
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
            return lstatOrGone((0, bytepath_js_1.systemPath)(p));
        }
        catch (error) {
            this.failures.push({ path: this.relative(p), reason: describe(error) });
            return undefined;
        }
    }
    /** A path as reported: relative to the app root, shown as displayPath does. */
    relative(absolute) {
        // path.relative on byte keys works byte for byte: it only looks at '/' and '.'.
        const rel = node_path_1.default.posix.relative((0, bytepath_js_1.textKey)(this.plan.appRoot), absolute);
        return rel === '' ? '.' : (0, bytepath_js_1.displayPath)((0, bytepath_js_1.keyBytes)(rel));
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
            listing = new Listing((0, bytepath_js_1.systemPath)(dir), stat.size);
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
        this.removeEntry(undefined, account, (0, bytepath_js_1.systemPath)(absolute), stat, () => absolute);
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
                node.anchorFd = node_fs_1.default.openSync((0, bytepath_js_1.systemPath)(node.ownPath), node_fs_1.default.constants.O_RDONLY | node_fs_1.default.constants.O_DIRECTORY | node_fs_1.default.constants.O_NOFOLLOW);
                node.childBase = `/proc/self/fd/${node.anchorFd}`;
            }
            return { kind: 'tree', node, listing: new Listing((0, bytepath_js_1.systemPath)(node.childBase), node.stat.size) };
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
                node_fs_1.default.chmodSync((0, bytepath_js_1.systemPath)(node.ownPath), (mode & 0o7777) | 0o700);
            return;
        }
        try {
            node_fs_1.default.accessSync((0, bytepath_js_1.systemPath)(node.ownPath), ALL_ACCESS);
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
        const child = (0, bytepath_js_1.systemPath)(childPath);
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
            node_fs_1.default.closeSync(node.anchorFd);
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
        this.options.beforeRemoveDirectory?.((0, bytepath_js_1.keyBytes)(node.ownPath));
        this.queue('rmdir', (0, bytepath_js_1.systemPath)(node.ownPath), node.stat, (error) => {
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
exports.CacheRemover = CacheRemover;
/** Clears every path the plan names; see CacheRemover. */
async function removeCaches(plan, options) {
    return new CacheRemover(plan, options).run();
}


/***/ }),

/***/ 913:
/***/ ((__unused_webpack_module, exports) => {


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
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.DeletePace = exports.PROBE_WINDOW = exports.PROBE_EVERY = exports.SLOW_IN_WINDOW = exports.INLINE_WINDOW = exports.SLOW_DELETE_MS = void 0;
/** A delete slower than this is slow: the pool's hand-off costs about this much. */
exports.SLOW_DELETE_MS = 0.05;
/** Inline deletes judged together. */
exports.INLINE_WINDOW = 32;
/** Slow deletes in one inline window that send deletes to the pool. */
exports.SLOW_IN_WINDOW = 8;
/** On the pool, one delete in this many runs inline, timed, as a probe. */
exports.PROBE_EVERY = 256;
/** Probes judged together; all fast but at most one, and deletes run inline again. */
exports.PROBE_WINDOW = 4;
class DeletePace {
    slowMs;
    inline = true;
    judged = 0;
    slow = 0;
    untilProbe = exports.PROBE_EVERY;
    /** Windows of inline deletes judged fast so far. */
    fastWindows = 0;
    constructor(slowMs = exports.SLOW_DELETE_MS) {
        this.slowMs = slowMs;
    }
    /** True: run the next delete inline, and report how long it took with `took`. */
    nextInline() {
        if (this.inline)
            return true;
        if (--this.untilProbe > 0)
            return false;
        this.untilProbe = exports.PROBE_EVERY;
        return true;
    }
    /** How long an inline delete took (ms), success or not. */
    took(ms) {
        this.judged++;
        if (ms > this.slowMs)
            this.slow++;
        if (this.inline) {
            if (this.slow >= exports.SLOW_IN_WINDOW)
                this.switchTo(false);
            else if (this.judged >= exports.INLINE_WINDOW) {
                this.fastWindows++;
                this.switchTo(true);
            }
        }
        else if (this.judged >= exports.PROBE_WINDOW) {
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
        this.untilProbe = exports.PROBE_EVERY;
    }
}
exports.DeletePace = DeletePace;


/***/ }),

/***/ 204:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.DeleterThread = exports.DELETE_BATCH = void 0;
// Fast deletes on a second core: one worker thread that makes synchronous
// unlink/rmdir calls on batches of paths, in order, and answers each batch with
// how long each delete took and its error.
//
// On fast storage a delete costs the kernel about as much as the walk's lstat
// of the same entry, and running it inline on the walk's thread adds the two.
// The thread pool would run them beside the walk, but its hand-off for each
// call costs more than the call; a batch of 64 pays one hand-off.
const node_worker_threads_1 = __nccwpck_require__(919);
/** Deletes sent in one message. */
exports.DELETE_BATCH = 64;
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
        if (this.paths.length >= exports.DELETE_BATCH)
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
        const worker = new node_worker_threads_1.Worker(WORKER_CODE, { eval: true });
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
exports.DeleterThread = DeleterThread;


/***/ }),

/***/ 147:
/***/ (function(__unused_webpack_module, exports, __nccwpck_require__) {


var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.YoungGenerationCap = exports.ENTRIES_PER_CHECK = exports.YOUNG_GENERATION_MAX_BYTES = void 0;
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
const node_v8_1 = __importDefault(__nccwpck_require__(877));
/** Node 20's young generation at its largest: two semi-spaces of 16 MB. */
exports.YOUNG_GENERATION_MAX_BYTES = 32 * 1024 * 1024;
// Reading V8's heap spaces costs microseconds: on every entry it took 106 ms of
// a 100k-entry removal's main thread on Node 24, so it is read once in this many.
exports.ENTRIES_PER_CHECK = 512;
class YoungGenerationCap {
    readSpaces;
    setFlags;
    capped = false;
    sinceCheck = 0;
    constructor(readSpaces = () => node_v8_1.default.getHeapSpaceStatistics(), setFlags = (flags) => node_v8_1.default.setFlagsFromString(flags)) {
        this.readSpaces = readSpaces;
        this.setFlags = setFlags;
    }
    /** Called for each entry: checks once in ENTRIES_PER_CHECK calls. */
    onEntry() {
        if (++this.sinceCheck < exports.ENTRIES_PER_CHECK)
            return;
        this.sinceCheck = 0;
        this.check();
    }
    /** Stops the young generation's growth once it is as large as Node 20's. */
    check() {
        if (this.capped)
            return;
        const young = this.readSpaces().find((space) => space.space_name === 'new_space');
        if (!young || young.space_size < exports.YOUNG_GENERATION_MAX_BYTES)
            return;
        this.setFlags('--semi-space-growth-factor=1');
        this.capped = true;
    }
}
exports.YoungGenerationCap = YoungGenerationCap;


/***/ }),

/***/ 244:
/***/ ((__unused_webpack_module, exports) => {


// What each target clears, as data. plan.ts reads this table; nothing else
// decides what a cache is.
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.CACHE_RULES = exports.TARGET_CHOICES = exports.ALL_TARGETS = exports.TARGETS = void 0;
exports.isFileTarget = isFileTarget;
/** Every target, in the order a run clears them. */
exports.TARGETS = ['frontend', 'backend', 'docker', 'actions-cache'];
/**
 * What `all` clears. Not `actions-cache`: it deletes repository-wide state
 * that other branches' runs restore from, so it must be named.
 */
exports.ALL_TARGETS = ['frontend', 'backend', 'docker'];
/** What the `target` input accepts: each target, or `all`. */
exports.TARGET_CHOICES = ['frontend', 'backend', 'docker', 'all', 'actions-cache'];
exports.CACHE_RULES = {
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
    return target in exports.CACHE_RULES;
}


/***/ }),

/***/ 24:
/***/ ((module) => {

module.exports = require("node:fs");

/***/ }),

/***/ 760:
/***/ ((module) => {

module.exports = require("node:path");

/***/ }),

/***/ 500:
/***/ ((module) => {

module.exports = require("node:timers/promises");

/***/ }),

/***/ 877:
/***/ ((module) => {

module.exports = require("node:v8");

/***/ }),

/***/ 919:
/***/ ((module) => {

module.exports = require("node:worker_threads");

/***/ })

/******/ 	});
/************************************************************************/
/******/ 	// The module cache
/******/ 	var __webpack_module_cache__ = {};
/******/ 	
/******/ 	// The require function
/******/ 	function __nccwpck_require__(moduleId) {
/******/ 		// Check if module is in cache
/******/ 		var cachedModule = __webpack_module_cache__[moduleId];
/******/ 		if (cachedModule !== undefined) {
/******/ 			return cachedModule.exports;
/******/ 		}
/******/ 		// Create a new module (and put it into the cache)
/******/ 		var module = __webpack_module_cache__[moduleId] = {
/******/ 			// no module.id needed
/******/ 			// no module.loaded needed
/******/ 			exports: {}
/******/ 		};
/******/ 	
/******/ 		// Execute the module function
/******/ 		var threw = true;
/******/ 		try {
/******/ 			__webpack_modules__[moduleId].call(module.exports, module, module.exports, __nccwpck_require__);
/******/ 			threw = false;
/******/ 		} finally {
/******/ 			if(threw) delete __webpack_module_cache__[moduleId];
/******/ 		}
/******/ 	
/******/ 		// Return the exports of the module
/******/ 		return module.exports;
/******/ 	}
/******/ 	
/************************************************************************/
/******/ 	/* webpack/runtime/compat */
/******/ 	
/******/ 	if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = __dirname + "/";
/******/ 	
/************************************************************************/
var __webpack_exports__ = {};
// This entry need to be wrapped in an IIFE because it uses a non-standard name for the exports (exports).
(() => {
var exports = __webpack_exports__;

Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.serve = serve;
// The file half of a clear as a remote host runs it (dist/remote.cjs, CommonJS,
// evaluated by the bootstrap in src/remote/protocol.ts): settings JSON in,
// RemoteMessage lines out on stdout. It holds files.ts and what it imports,
// nothing else: no @actions/*, no HTTP, no SSH.
const cancel_js_1 = __nccwpck_require__(833);
const files_js_1 = __nccwpck_require__(148);
function send(message) {
    process.stdout.write(`${JSON.stringify(message)}\n`);
}
/** Clears the files `settingsJson` names and sends the FileWork, or the error, as data. */
async function serve(settingsJson) {
    // Stopped as a run on the runner is: the first SIGINT or SIGTERM lets the
    // deletes in flight finish, starts no other, and the FileWork says what went.
    const signals = (0, cancel_js_1.abortOnSignals)();
    send({ stoppable: { pid: process.pid } });
    try {
        const { cancelled, ...settings } = JSON.parse(settingsJson);
        // Cancelled before we started: the runner's stop may still come, and the handlers above keep it from killing us.
        const signal = cancelled ? AbortSignal.abort() : signals;
        send({ work: await (0, files_js_1.clearFiles)(settings, { onProgress: (progress) => send({ progress }), signal }) });
    }
    catch (error) {
        const { name, message } = error instanceof Error ? error : new Error(String(error));
        send({ error: { name, message } });
    }
}

})();

module.exports = __webpack_exports__;
/******/ })()
;
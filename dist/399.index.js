"use strict";
exports.id = 399;
exports.ids = [399];
exports.modules = {

/***/ 8399:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   clearActionsCache: () => (/* binding */ clearActionsCache)
/* harmony export */ });
/* unused harmony export ActionsCacheError */
/* harmony import */ var _actions_http_client__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4942);
/* harmony import */ var _octokit_core__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4730);
/* harmony import */ var _octokit_plugin_paginate_rest__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(3779);
/* harmony import */ var _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(9735);
/* harmony import */ var _octokit_plugin_throttling__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(6856);
/* harmony import */ var bottleneck_light_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3251);
/* harmony import */ var bottleneck_light_js__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(bottleneck_light_js__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var undici__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6752);
// The repository's GitHub Actions cache, through the REST API: list every
// page of every listing first, keep the entries that match, read the
// repository's cache usage, then delete: a key whose every entry goes with one
// request by key, the other entries one by one by id; then read the usage again.
// Returns data; report.ts writes outputs, summary and logs.
//
// The client is @octokit/core with the plugins @actions/github's getOctokit
// builds on (pagination), plus retry and throttling, which it lacks: about
// half the bundle of getOctokit, whose 1,000-route method table this does not
// need. Like getOctokit, requests go through the runner's proxy settings.







/** Nothing could be listed: nothing was deleted. */
class ActionsCacheError extends Error {
    name = 'ActionsCacheError';
}
// GitHub's guidance for mutating requests: "wait at least one second between
// each" (a DELETE also costs 5 of the 900 secondary-limit points a minute,
// so 180 a minute is the ceiling; one a second stays well under it).
// plugin-throttling paces writes so; this states it, so that waitScale can
// shorten it in tests.
const WRITE_INTERVAL_MS = 1000;
// A retry-after or x-ratelimit-reset is given in seconds.
const RETRY_AFTER_UNIT_MS = 1000;
// How often one request may be retried after a rate limit before it fails.
const RATE_LIMIT_RETRIES = 3;
const DELETES_PER_PROGRESS = 25;
const ROUTE_LIST = 'GET /repos/{owner}/{repo}/actions/caches';
const ROUTE_DELETE_BY_ID = 'DELETE /repos/{owner}/{repo}/actions/caches/{cache_id}';
// A complete key (not a prefix), on every ref unless `ref` is given; answers
// with the caches it deleted (total_count, actions_caches), 404 when none.
const ROUTE_DELETE_BY_KEY = 'DELETE /repos/{owner}/{repo}/actions/caches{?key,ref}';
const ROUTE_USAGE = 'GET /repos/{owner}/{repo}/actions/cache/usage';
// The REST API version these routes are documented for.
const API_VERSION = '2022-11-28';
const ActionsCacheClient = _octokit_core__WEBPACK_IMPORTED_MODULE_3__/* .Octokit */ .E.plugin(_octokit_plugin_paginate_rest__WEBPACK_IMPORTED_MODULE_4__/* .paginateRest */ .ud, _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_5__/* .retry */ .L, _octokit_plugin_throttling__WEBPACK_IMPORTED_MODULE_6__/* .throttling */ .A);
function createClient(settings, log) {
    const onLimit = (kind) => (retryAfter, options, _octokit, retryCount) => {
        const retrying = retryCount < RATE_LIMIT_RETRIES;
        // The route with its parameters, e.g. DELETE /repos/o/r/actions/caches/42
        // or DELETE /repos/o/r/actions/caches?key=K.
        const valueOf = (name) => {
            const value = options[name];
            return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
        };
        const url = String(options.url)
            .replace(/\{\?([\w,]+)\}/g, (_template, names) => {
            const query = names
                .split(',')
                .flatMap((name) => {
                const value = valueOf(name);
                return value === undefined ? [] : [`${name}=${value}`];
            })
                .join('&');
            return query === '' ? '' : `?${query}`;
        })
            .replace(/\{(\w+)\}/g, (placeholder, name) => valueOf(name) ?? placeholder);
        log(`GitHub's ${kind} on ${String(options.method)} ${url}: ` +
            (retrying ? `waiting ${retryAfter} s as GitHub asks, then retrying.` : 'giving up on this request.'));
        return retrying;
    };
    // HTTPS_PROXY / NO_PROXY, as @actions/github honours them.
    const dispatcher = new _actions_http_client__WEBPACK_IMPORTED_MODULE_0__/* .HttpClient */ .Qq().getAgentDispatcher(settings.apiUrl);
    const client = new ActionsCacheClient({
        auth: settings.token,
        baseUrl: settings.apiUrl,
        userAgent: 'clear-app-caches',
        request: dispatcher
            ? { fetch: ((url, init) => (0,undici__WEBPACK_IMPORTED_MODULE_2__/* .fetch */ .hd)(url, { ...init, dispatcher })) }
            : {},
        retry: { retryAfterBaseValue: RETRY_AFTER_UNIT_MS * settings.waitScale },
        throttle: {
            retryAfterBaseValue: RETRY_AFTER_UNIT_MS * settings.waitScale,
            write: new (bottleneck_light_js__WEBPACK_IMPORTED_MODULE_1___default().Group)({ maxConcurrent: 1, minTime: WRITE_INTERVAL_MS * settings.waitScale }),
            onRateLimit: onLimit('rate limit (x-ratelimit-remaining 0)'),
            onSecondaryRateLimit: onLimit('secondary rate limit')
        }
    });
    client.hook.before('request', (options) => {
        options.headers['x-github-api-version'] = API_VERSION;
    });
    return client;
}
function statusOf(error) {
    const status = error?.status;
    return typeof status === 'number' ? status : undefined;
}
/** A 403 that is not a rate limit: the token lacks the permission. */
function isPermissionRefusal(error) {
    return statusOf(error) === 403 && !/rate limit/i.test(String(error.message));
}
/** The API's answer, with what to do about it where that is known. */
function describeRequestError(error, settings, action) {
    const status = statusOf(error);
    const message = error instanceof Error ? error.message : String(error);
    const answer = status === undefined ? message : `${status} ${message}`;
    if (isPermissionRefusal(error)) {
        const permission = action === 'delete' ? 'actions: write' : 'actions: read';
        return (`${answer}. The token may not ${action} Actions caches: give the job \`permissions: ${permission}\`. ` +
            `A pull request from a fork gets a read-only GITHUB_TOKEN whatever the workflow asks, ` +
            `so clear the cache from a push, schedule or workflow_dispatch run instead.`);
    }
    if (status === 401)
        return `${answer}. The token is not valid for ${settings.apiUrl}.`;
    if (status === 404 && action === 'list') {
        return `${answer}. No repository ${settings.repository} that this token can see at ${settings.apiUrl}.`;
    }
    return answer;
}
function entryOf(cache) {
    return {
        id: cache.id,
        key: cache.key ?? '',
        ref: cache.ref ?? '',
        sizeInBytes: cache.size_in_bytes ?? 0,
        lastAccessedAt: cache.last_accessed_at ?? '',
        createdAt: cache.created_at ?? ''
    };
}
/**
 * The repository's cache usage, or undefined when it cannot be read. Never an
 * error: the figure only informs the summary (a token may list the caches and
 * still not read it, and a server may lack the endpoint).
 */
async function readUsage(client, settings, log) {
    const [owner, repo] = settings.repository.split('/');
    try {
        const { data } = await client.request(ROUTE_USAGE, { owner, repo });
        return { sizeInBytes: data.active_caches_size_in_bytes, count: data.active_caches_count };
    }
    catch (error) {
        const status = statusOf(error);
        const answer = `${status === undefined ? '' : `${status} `}${error instanceof Error ? error.message : String(error)}`;
        log(isPermissionRefusal(error) || status === 404
            ? `Actions cache usage not readable with this token (${answer}): left out of the summary.`
            : `Actions cache usage could not be read (${answer}): left out of the summary.`);
        return undefined;
    }
}
/**
 * The requests that delete `chosen`, in its order. A key whose every listed
 * entry is chosen goes with one request by key: on every ref when the
 * listings covered every ref, else on each listed ref. Not with an age
 * filter: a delete by key also takes an entry of that key saved after the
 * listing, which the filter would have kept. A key with one entry goes by id
 * (one request either way, and by id takes nothing else).
 */
function planDeletes(listed, chosen, settings) {
    const everyRef = settings.refs.length === 0;
    const groupOf = (entry) => JSON.stringify(everyRef ? [entry.key] : [entry.key, entry.ref]);
    const groups = new Map();
    for (const entry of listed) {
        const group = groups.get(groupOf(entry)) ?? [];
        group.push(entry);
        groups.set(groupOf(entry), group);
    }
    const chosenIds = new Set(chosen.map((entry) => entry.id));
    const planned = new Set();
    const requests = [];
    for (const entry of chosen) {
        const name = groupOf(entry);
        const group = groups.get(name) ?? [entry];
        const byKey = settings.unusedFor === undefined && group.length > 1 && group.every((member) => chosenIds.has(member.id));
        if (!byKey) {
            requests.push({ by: 'id', entries: [entry] });
        }
        else if (!planned.has(name)) {
            planned.add(name);
            requests.push({ by: 'key', key: entry.key, ...(everyRef ? {} : { ref: entry.ref }), entries: group });
        }
    }
    return requests;
}
/** Every page of every listing (one per key prefix and ref), deduplicated by id. */
async function listEntries(client, settings, log) {
    const [owner, repo] = settings.repository.split('/');
    const byId = new Map();
    const refs = settings.refs.length > 0 ? [...settings.refs] : [undefined];
    for (const key of settings.keyPrefixes) {
        for (const ref of refs) {
            let pages = 0;
            let listed = 0;
            // Newest first: an entry saved while the pages are read pushes the rest
            // back (read twice, deduplicated), where sorting by last use would move
            // an entry restored meanwhile to a page already read.
            const iterator = client.paginate.iterator(ROUTE_LIST, {
                owner,
                repo,
                key,
                ...(ref === undefined ? {} : { ref }),
                sort: 'created_at',
                direction: 'desc',
                per_page: 100
            });
            try {
                for await (const page of iterator) {
                    pages++;
                    for (const cache of page.data) {
                        listed++;
                        // The API filters by prefix and ref; checked again here, so that
                        // a server that ignored a filter cannot widen what is deleted.
                        if (cache.id === undefined || !cache.key?.startsWith(key))
                            continue;
                        if (ref !== undefined && cache.ref !== ref)
                            continue;
                        byId.set(cache.id, entryOf({ ...cache, id: cache.id }));
                    }
                }
            }
            catch (error) {
                throw new ActionsCacheError(`Could not list the Actions cache of ${settings.repository}: ${describeRequestError(error, settings, 'list')}`);
            }
            log(`Listed key prefix '${key}'${ref === undefined ? '' : ` on ${ref}`}: ` +
                `${listed} entries in ${pages} ${pages === 1 ? 'page' : 'pages'}.`);
        }
    }
    return [...byId.values()];
}
/**
 * Lists the entries `settings` names and deletes them (or, on a dry run, only
 * lists them), reading the repository's cache usage before and after. Throws
 * ActionsCacheError when listing fails: then nothing was deleted. A failed
 * delete does not stop the others, except a refused permission, which would
 * refuse every other delete alike.
 */
async function clearActionsCache(settings, options) {
    const log = options.log ?? (() => { });
    const client = createClient(settings, log);
    const listedEntries = await listEntries(client, settings, log);
    const usageBefore = await readUsage(client, settings, log);
    const now = (options.now ?? Date.now)();
    const unusedForMs = settings.unusedFor?.ms;
    const chosen = listedEntries.filter((entry) => unusedForMs === undefined || now - Date.parse(entry.lastAccessedAt) >= unusedForMs);
    const requests = planDeletes(listedEntries, chosen, settings);
    const deleted = [];
    const alreadyGone = [];
    const failures = [];
    const sent = { byKey: 0, byId: 0 };
    if (options.dryRun) {
        deleted.push(...chosen);
        for (const request of requests)
            sent[request.by === 'key' ? 'byKey' : 'byId']++;
    }
    else {
        const [owner, repo] = settings.repository.split('/');
        let refusal;
        for (const request of requests) {
            if (options.signal?.aborted)
                break;
            if (refusal !== undefined) {
                for (const entry of request.entries)
                    failures.push({ entry, reason: refusal });
                continue;
            }
            const before = deleted.length;
            try {
                if (request.by === 'id') {
                    sent.byId++;
                    await client.request(ROUTE_DELETE_BY_ID, { owner, repo, cache_id: request.entries[0].id });
                    deleted.push(request.entries[0]);
                }
                else {
                    sent.byKey++;
                    const { data } = await client.request(ROUTE_DELETE_BY_KEY, {
                        owner,
                        repo,
                        key: request.key,
                        ...(request.ref === undefined ? {} : { ref: request.ref })
                    });
                    // Counted as GitHub lists them: an entry gone meanwhile is not
                    // there, one saved since the listing (of this key, so in the set) is.
                    const went = data.actions_caches.flatMap((cache) => cache.id === undefined ? [] : [entryOf({ ...cache, id: cache.id })]);
                    const wentIds = new Set(went.map((entry) => entry.id));
                    const asked = new Set(request.entries.map((entry) => entry.id));
                    deleted.push(...went);
                    alreadyGone.push(...request.entries.filter((entry) => !wentIds.has(entry.id)));
                    const since = went.filter((entry) => !asked.has(entry.id)).length;
                    if (since > 0) {
                        log(`Deleting key ${request.key}${request.ref === undefined ? '' : ` on ${request.ref}`} also took ` +
                            `${since} ${since === 1 ? 'entry' : 'entries'} saved after the listing (counted).`);
                    }
                }
                if (Math.floor(deleted.length / DELETES_PER_PROGRESS) > Math.floor(before / DELETES_PER_PROGRESS))
                    log(`… ${deleted.length} of ${chosen.length} entries deleted`);
            }
            catch (error) {
                if (statusOf(error) === 404) {
                    // By id: that entry; by key: every entry of the key was gone already.
                    alreadyGone.push(...request.entries);
                    continue;
                }
                const reason = describeRequestError(error, settings, 'delete');
                for (const entry of request.entries)
                    failures.push({ entry, reason });
                if (isPermissionRefusal(error))
                    refusal = reason;
            }
        }
    }
    // After the deletes, unless cancelled (no request starts then); the same
    // figure when nothing went, without asking.
    const usageAfter = usageBefore === undefined || options.dryRun || options.signal?.aborted
        ? undefined
        : deleted.length === 0
            ? usageBefore
            : await readUsage(client, settings, log);
    return {
        dryRun: options.dryRun,
        repository: settings.repository,
        listedCount: listedEntries.length,
        deleted,
        deletedBytes: deleted.reduce((sum, entry) => sum + entry.sizeInBytes, 0),
        alreadyGone,
        failures,
        deleteRequests: sent,
        usageBefore,
        usageAfter
    };
}


/***/ })

};
;
// The runner's side of an action: inputs (INPUT_* variables), outputs and the
// job summary (the files GITHUB_OUTPUT and GITHUB_STEP_SUMMARY name), and the
// `::command::` lines (log groups, annotations, masks). The part of
// @actions/core this action uses, written out because @actions/core 3 imports
// @actions/http-client, and with it all of undici (about 1 MB), when it loads,
// for OIDC tokens this action never asks for (actions/toolkit#1560): that alone
// cost more than the rest of a run with nothing to clear, in time and memory.
// Each function writes what @actions/core's namesake writes, byte for byte;
// __tests__/workflow-commands.test.ts holds the two side by side.
import { accessSync, appendFileSync, constants, existsSync } from 'node:fs'
import { appendFile } from 'node:fs/promises'
import { EOL } from 'node:os'

/** An input as the runner passes it: INPUT_<NAME>, trimmed; '' when unset. */
export function getInput(name: string): string {
  return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim()
}

/** `%`, CR and LF are escaped so a message stays on its command line. */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

function issue(command: string, message = ''): void {
  process.stdout.write(`::${command}::${escapeData(message)}${EOL}`)
}

/** Appends `name<<DELIMITER` … `DELIMITER` to $GITHUB_OUTPUT, the delimiter random so no value can end it early. */
export function setOutput(name: string, value: string): void {
  const file = process.env.GITHUB_OUTPUT ?? ''
  if (file === '') {
    // A runner without the file (older than 2.297): the deprecated command.
    process.stdout.write(EOL)
    process.stdout.write(`::set-output name=${escapeProperty(name)}::${escapeData(value)}${EOL}`)
    return
  }
  // The global Web Crypto loads node:crypto on first use: a CLI run never pays for it.
  const delimiter = `ghadelimiter_${crypto.randomUUID()}`
  if (name.includes(delimiter) || value.includes(delimiter))
    throw new Error(`Unexpected input: the output ${name} contains the delimiter ${delimiter}`)
  if (!existsSync(file)) throw new Error(`Missing file at path: ${file}`)
  appendFileSync(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, { encoding: 'utf8' })
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C')
}

export function info(message: string): void {
  process.stdout.write(`${message}${EOL}`)
}

export function debug(message: string): void {
  issue('debug', message)
}

export function warning(message: string): void {
  issue('warning', message)
}

export function error(message: string): void {
  issue('error', message)
}

export function startGroup(name: string): void {
  issue('group', name)
}

export function endGroup(): void {
  issue('endgroup')
}

/** The runner replaces the value with *** in every later log line. */
export function setSecret(secret: string): void {
  issue('add-mask', secret)
}

/** Fails the step (exit code 1) with an error annotation. */
export function setFailed(message: string): void {
  process.exitCode = 1
  error(message)
}

/** A cell of addTable: text, or a header/data cell. */
export type SummaryTableCell = string | { readonly data: string; readonly header?: boolean }

/** The job summary: HTML collected here, appended to $GITHUB_STEP_SUMMARY by write(). */
class Summary {
  private buffer = ''

  /** As @actions/core does it: an element without content gets no closing tag. */
  private static wrap(tag: string, content: string): string {
    return content === '' ? `<${tag}>` : `<${tag}>${content}</${tag}>`
  }

  addRaw(text: string, addEOL = false): this {
    this.buffer += addEOL ? `${text}${EOL}` : text
    return this
  }

  addHeading(text: string, level: 1 | 2 | 3 | 4 | 5 | 6): this {
    return this.addRaw(Summary.wrap(`h${level}`, text), true)
  }

  addTable(rows: readonly (readonly SummaryTableCell[])[]): this {
    const cell = (c: SummaryTableCell): string =>
      typeof c === 'string' ? Summary.wrap('td', c) : Summary.wrap(c.header ? 'th' : 'td', c.data)
    const body = rows.map((row) => Summary.wrap('tr', row.map(cell).join(''))).join('')
    return this.addRaw(Summary.wrap('table', body), true)
  }

  addList(items: readonly string[]): this {
    return this.addRaw(Summary.wrap('ul', items.map((item) => Summary.wrap('li', item)).join('')), true)
  }

  /** Appends what was added to the summary file and starts over. */
  async write(): Promise<this> {
    const file = process.env.GITHUB_STEP_SUMMARY
    if (!file) {
      throw new Error(
        'Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.'
      )
    }
    try {
      accessSync(file, constants.R_OK | constants.W_OK)
    } catch {
      throw new Error(`Unable to access summary file: '${file}'. Check if the file has correct read/write permissions.`)
    }
    await appendFile(file, this.buffer, { encoding: 'utf8' })
    this.buffer = ''
    return this
  }
}

export const summary = new Summary()
